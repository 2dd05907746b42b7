"""Value rules of the audit follow-ups, reconciliation of the 총괄 table, and the consistency of
the follow-up record (status history, sign-offs, evidence checksums)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandera.pandas as pa

from audit_followup import evidence, workflow
from audit_followup.models import CATEGORIES, STATUSES
from governance_app.core.checks import Dataset, compare, compare_figure, rows
from governance_app.core.findings import Finding, error, warning
from governance_app.core.i18n import josa

TOTAL = "계"

SCHEMAS = {
    "audit_item": pa.DataFrameSchema(
        {
            "category": pa.Column(checks=pa.Check.isin(list(CATEGORIES))),
            "status": pa.Column(checks=pa.Check.isin(list(STATUSES))),
        }
    ),
    "audit_summary_reported": pa.DataFrameSchema(
        {
            "category": pa.Column(checks=pa.Check.isin([TOTAL, *CATEGORIES])),
            "status": pa.Column(checks=pa.Check.isin([TOTAL, *STATUSES])),
            "count": pa.Column(checks=pa.Check.ge(0), nullable=True),
        }
    ),
    "audit_status_change": pa.DataFrameSchema(
        {
            "seq": pa.Column(checks=pa.Check.ge(1)),
            "from_status": pa.Column(checks=pa.Check.isin(list(STATUSES))),
            "to_status": pa.Column(checks=pa.Check.isin(list(STATUSES))),
        }
    ),
    "audit_progress_note": pa.DataFrameSchema({"seq": pa.Column(checks=pa.Check.ge(1))}),
    "audit_evidence": pa.DataFrameSchema(
        {
            "seq": pa.Column(checks=pa.Check.ge(1)),
            "file_name": pa.Column(
                checks=pa.Check(
                    lambda name: evidence.extension(name) in evidence.MEDIA_TYPES,
                    element_wise=True,
                    error=f"file type is one of {', '.join(evidence.EXTENSIONS)}",
                )
            ),
            "media_type": pa.Column(checks=pa.Check.isin(sorted(set(evidence.MEDIA_TYPES.values())))),
            "size": pa.Column(checks=pa.Check.in_range(1, evidence.MAX_BYTES)),
            "sha256": pa.Column(checks=pa.Check.str_matches(evidence.SHA256.pattern)),
            "content": pa.Column(
                checks=pa.Check(evidence.is_canonical_base64, element_wise=True, error="canonical base64")
            ),
        }
    ),
    "audit_signoff": pa.DataFrameSchema(
        {
            "seq": pa.Column(checks=pa.Check.ge(1)),
            "status": pa.Column(checks=pa.Check.isin(list(workflow.SIGNABLE_STATUSES))),
            "status_change_seq": pa.Column(checks=pa.Check.ge(1), nullable=True),
        }
    ),
}


def summary_from_items(items: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """The 총괄 table computed from the items: (category|계, status|계) -> count."""
    table: dict[tuple[str, str], int] = {}
    for category in (TOTAL, *CATEGORIES):
        chosen = [i for i in items if category in (TOTAL, i["category"])]
        table[(category, TOTAL)] = len(chosen)
        for status in STATUSES:
            table[(category, status)] = sum(1 for i in chosen if i["status"] == status)
    return table


def reconcile(ds: Dataset) -> list[Finding]:
    out: list[Finding] = []
    for session in rows(ds, "audit_session"):
        items = [i for i in rows(ds, "audit_item") if i["session_code"] == session["code"]]
        computed = summary_from_items(items)
        cells = {
            (c["category"], c["status"]): c["count"] or 0
            for c in rows(ds, "audit_summary_reported")
            if c["session_code"] == session["code"]
        }
        if not cells:
            continue
        for (category, status), reported in cells.items():
            key = f"{session['code']}/{category}/{status}"
            compare(
                out,
                "audit_summary_reported",
                key,
                "count",
                reported,
                computed[(category, status)],
                f"총괄 {category}·{status} ↔ 개별 항목 집계",
            )
        # The printed table must also add up within itself (rows and columns).
        for category in (TOTAL, *CATEGORIES):
            parts = sum(cells.get((category, s), 0) for s in STATUSES)
            compare(
                out,
                "audit_summary_reported",
                f"{session['code']}/{category}/{TOTAL}",
                "count",
                cells.get((category, TOTAL), 0),
                parts,
                f"총괄 {category} 계 ↔ 추진상황별 합",
            )
        for status in (TOTAL, *STATUSES):
            parts = sum(cells.get((c, status), 0) for c in CATEGORIES)
            compare(
                out,
                "audit_summary_reported",
                f"{session['code']}/{TOTAL}/{status}",
                "count",
                cells.get((TOTAL, status), 0),
                parts,
                f"총괄 계 행 {status} ↔ 구분별 합",
            )
        compare_figure(out, ds, "audit.items", len(items), "총 건수 ↔ 개별 항목 수")
    out += _history(ds)
    out += _evidence_integrity(ds)
    return out


def _by_item(ds: Dataset, table: str) -> dict[tuple[str, str], list[dict[str, Any]]]:
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows(ds, table):
        grouped[(row["session_code"], row["item_code"])].append(row)
    return {key: sorted(found, key=lambda r: r["seq"]) for key, found in grouped.items()}


def _history(ds: Dataset) -> list[Finding]:
    """The status history must follow the workflow and end in the item's status. Departures are
    warnings: the record stays loadable and the app shows where it breaks the rules."""
    out: list[Finding] = []
    changes = _by_item(ds, "audit_status_change")
    items = {(i["session_code"], i["code"]): i for i in rows(ds, "audit_item")}
    for (session_code, item_code), history in changes.items():
        previous: dict[str, Any] | None = None
        for change in history:
            key = f"{session_code}/{item_code}/{change['seq']}"
            what = f"{item_code} 상태 이력 {change['seq']}"
            move = f"{change['from_status']} → {change['to_status']}"
            compare(
                out,
                "audit_status_change",
                key,
                "seq",
                change["seq"],
                1 if previous is None else previous["seq"] + 1,
                f"{what}: 일련번호",
            )
            if previous is not None:
                compare(
                    out,
                    "audit_status_change",
                    key,
                    "from_status",
                    change["from_status"],
                    previous["to_status"],
                    f"{what}: 이전 변경의 결과 상태",
                )
                if change["changed_on"] < previous["changed_on"]:
                    out.append(
                        warning(
                            "audit_status_change",
                            key,
                            "changed_on",
                            change["changed_on"],
                            f">= {previous['changed_on']}",
                            f"{what}: 변경일이 이전 변경일({previous['changed_on']})보다 앞섭니다",
                        )
                    )
            if not workflow.allowed(change["from_status"], change["to_status"]):
                allowed = ", ".join(workflow.next_statuses(change["from_status"]))
                out.append(
                    warning(
                        "audit_status_change",
                        key,
                        "to_status",
                        change["to_status"],
                        allowed,
                        f"{what}: {josa(move, '은')} 허용되지 않는 변경입니다",
                    )
                )
            if change.get("returned") and not workflow.is_rework(change["from_status"], change["to_status"]):
                out.append(
                    warning(
                        "audit_status_change",
                        key,
                        "returned",
                        change["returned"],
                        "완료 → 추진중 or 미반영 → 검토중",
                        f"{what}: {josa(move, '은')} 보완 요구의 변경이 아닙니다",
                    )
                )
            if (
                workflow.reason_required(change["from_status"], change["to_status"])
                and not (change["reason"] or "").strip()
            ):
                out.append(
                    warning(
                        "audit_status_change", key, "reason", "", "a reason", f"{what}: {move}에는 사유가 필요합니다"
                    )
                )
            previous = change
        item = items.get((session_code, item_code))
        if item is not None and previous is not None:
            compare(
                out,
                "audit_item",
                f"{session_code}/{item_code}",
                "status",
                item["status"],
                previous["to_status"],
                f"{item_code} 현재 상태 ↔ 마지막 상태 변경",
            )
    for (session_code, item_code), signoffs in _by_item(ds, "audit_signoff").items():
        by_seq = {c["seq"]: c for c in changes.get((session_code, item_code), [])}
        for signoff in signoffs:
            signed = by_seq.get(signoff["status_change_seq"])
            if signed is not None:
                compare(
                    out,
                    "audit_signoff",
                    f"{session_code}/{item_code}/{signoff['seq']}",
                    "status",
                    signoff["status"],
                    signed["to_status"],
                    f"{item_code} 확인 {signoff['seq']} ↔ 상태 변경 {signed['seq']}의 결과 상태",
                )
    return out


def _evidence_integrity(ds: Dataset) -> list[Finding]:
    """An attachment whose bytes do not match its size, SHA-256 or type is an error: it is not stored."""
    out: list[Finding] = []
    for row in rows(ds, "audit_evidence"):
        if not evidence.is_canonical_base64(row["content"]):
            continue  # the value rules reported it already
        data = evidence.decode(row["content"])
        key = f"{row['session_code']}/{row['item_code']}/{row['seq']}"
        expected = {
            "size": len(data),
            "sha256": evidence.sha256_hex(data),
            "media_type": evidence.MEDIA_TYPES.get(evidence.extension(row["file_name"])),
        }
        for field, value in expected.items():
            if row[field] != value:
                out.append(
                    error(
                        "audit_evidence",
                        key,
                        field,
                        row[field],
                        value,
                        f"증빙 {row['item_code']} {row['file_name']}: {josa(field, '이')} 파일 내용과 다릅니다",
                    )
                )
    return out
