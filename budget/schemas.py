"""Value rules and reconciliation of the budget hierarchy and its execution."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandera.pandas as pa

from budget.revisions import amounts_in_force
from governance_app.core.checks import Dataset, compare, rows
from governance_app.core.findings import Finding, error, warning
from governance_app.core.i18n import josa
from governance_app.core.numbers import rate

LEVELS = ["total", "item", "policy", "unit", "detail"]

# Number columns that may be negative (validation refuses a negative count or amount elsewhere):
# 증감 and 잔액 (an overspent line) as printed.
SIGNED = {"budget_change": {"change_reported"}, "execution_snapshot": {"remaining_reported"}}

SCHEMAS = {
    "budget_line": pa.DataFrameSchema(
        {
            "side": pa.Column(checks=pa.Check.isin(["revenue", "expenditure"])),
            "level": pa.Column(checks=pa.Check.isin(LEVELS)),
        }
    ),
    "budget_amount": pa.DataFrameSchema(
        {"amount": pa.Column(checks=pa.Check.ge(0)), "revision": pa.Column(checks=pa.Check.ge(0))}
    ),
    "budget_revision": pa.DataFrameSchema({"revision": pa.Column(checks=pa.Check.ge(1))}),
    "execution_snapshot": pa.DataFrameSchema(
        {
            "budget_amount": pa.Column(checks=pa.Check.ge(0)),
            "executed_amount": pa.Column(checks=pa.Check.ge(0)),
            "rate_reported": pa.Column(checks=pa.Check.ge(0), nullable=True),
        }
    ),
}


def reconcile(ds: Dataset) -> list[Finding]:
    out: list[Finding] = []
    lines = {line["code"]: line for line in rows(ds, "budget_line")}
    children: dict[str, list[str]] = defaultdict(list)
    for line in lines.values():
        if line["parent_code"]:
            children[line["parent_code"]].append(line["code"])
    amount_rows = [(a["line_code"], a["fiscal_year"], a["revision"], a["amount"]) for a in rows(ds, "budget_amount")]
    revision_rows = [(r["fiscal_year"], r["revision"], r["effective_on"]) for r in rows(ds, "budget_revision")]
    out += _revisions(ds)
    # the budget of each year as it stands now (its latest 추경, or the 본예산)
    amounts = amounts_in_force(amount_rows, revision_rows)
    years = sorted({year for _, year in amounts})
    by_revision: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for line_code, year, revision, amount in amount_rows:
        by_revision[(year, revision)][line_code] = amount

    for (year, revision), figures in sorted(by_revision.items()):
        for code, kids in children.items():
            if code not in figures:
                continue
            parts = sum(figures.get(k, 0) for k in kids)
            compare(
                out,
                "budget_amount",
                f"{code}/{year}/{revision}",
                "amount",
                figures[code],
                parts,
                f"{lines[code]['name']} {year}년 ↔ 하위 {len(kids)}개 과목 합",
            )
    for year in years:
        totals = {
            side: amounts.get((code, year))
            for code, line in lines.items()
            for side in [line["side"]]
            if line["level"] == "total"
        }
        if None not in totals.values() and len(set(totals.values())) > 1:
            out.append(
                warning(
                    "budget_amount",
                    f"*/{year}",
                    "amount",
                    totals.get("expenditure"),
                    totals.get("revenue"),
                    f"{year}년 세입 총계와 세출 총계가 다릅니다",
                )
            )

    for change in rows(ds, "budget_change"):
        code = change["line_code"]
        base, year = amounts.get((code, change["base_year"])), amounts.get((code, change["fiscal_year"]))
        if base is not None and year is not None:
            compare(
                out,
                "budget_change",
                f"{code}/{change['base_year']}/{change['fiscal_year']}",
                "change_reported",
                change["change_reported"],
                year - base,
                f"{lines[code]['name']} 증감 ↔ {change['fiscal_year']}년 - {change['base_year']}년",
            )

    exec_lines = {e["code"]: e for e in rows(ds, "execution_line")}
    snapshots: dict[object, list[dict[str, Any]]] = defaultdict(list)
    for snap in rows(ds, "execution_snapshot"):
        snapshots[snap["as_of"]].append(snap)
        key = f"{snap['line_code']}/{snap['as_of']}"
        if snap["rate_reported"] is not None:
            compare(
                out,
                "execution_snapshot",
                key,
                "rate_reported",
                snap["rate_reported"],
                rate(snap["executed_amount"], snap["budget_amount"]),
                "집행률 ↔ 집행액 / 예산액",
            )
        if snap["remaining_reported"] is not None:
            compare(
                out,
                "execution_snapshot",
                key,
                "remaining_reported",
                snap["remaining_reported"],
                snap["budget_amount"] - snap["executed_amount"],
                "잔액 ↔ 예산액 - 집행액",
            )
        line = exec_lines[snap["line_code"]]
        in_force = amounts_in_force(amount_rows, revision_rows, snap["as_of"], [snap["as_of"].year])
        planned = in_force.get((line["budget_line_code"], snap["as_of"].year))
        if planned is not None:
            compare(
                out,
                "execution_snapshot",
                key,
                "budget_amount",
                snap["budget_amount"],
                planned,
                f"예산액 ↔ {snap['as_of'].year}년 예산 {line['budget_line_code']}",
            )
    for as_of, snaps in snapshots.items():
        total_rows = [s for s in snaps if exec_lines[s["line_code"]]["is_total"]]
        part_rows = [s for s in snaps if not exec_lines[s["line_code"]]["is_total"]]
        for total in total_rows:
            for field in ("budget_amount", "executed_amount"):
                compare(
                    out,
                    "execution_snapshot",
                    f"{total['line_code']}/{as_of}",
                    field,
                    total[field],
                    sum(p[field] for p in part_rows),
                    f"합계 {field} ↔ 세부사업 합",
                )
    return out


def _revisions(ds: Dataset) -> list[Finding]:
    """A 추경's amounts need its row (the date it takes effect), inside its fiscal year."""
    out: list[Finding] = []
    known = {(r["fiscal_year"], r["revision"]): r for r in rows(ds, "budget_revision")}
    for (year, revision), row in known.items():
        if row["effective_on"].year != year:
            out.append(
                error(
                    "budget_revision",
                    f"{year}/{revision}",
                    "effective_on",
                    row["effective_on"],
                    f"{year}년 안의 날짜",
                    f"{row['label']} 변경일 {josa(row['effective_on'], '이')} {year} 회계연도 밖입니다",
                )
            )
    used = {(a["fiscal_year"], a["revision"]) for a in rows(ds, "budget_amount") if a["revision"]}
    missing = sorted(used - set(known))
    for year, revision in missing:
        out.append(
            error(
                "budget_amount",
                f"*/{year}/{revision}",
                "revision",
                revision,
                "budget_revision의 추경",
                f"{year}년 추경 {revision}의 변경일(budget_revision)이 없습니다",
            )
        )
    return out
