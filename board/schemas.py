"""Value rules and reconciliation of the board roster."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pandera.pandas as pa

from board.terms import composition_on, holding_seats, in_office
from governance_app.core.checks import Dataset, compare_figure, current_report, rows
from governance_app.core.findings import Finding, error, warning
from governance_app.core.formatting import WHILE_IN_OFFICE, head_range
from governance_app.core.i18n import particle

SCHEMAS = {
    "board_rule": pa.DataFrameSchema(
        {"min_count": pa.Column(checks=pa.Check.ge(0)), "max_count": pa.Column(checks=pa.Check.ge(0))},
        checks=pa.Check(lambda df: df["min_count"] <= df["max_count"], error="min_count <= max_count"),
    ),
    "board_seat": pa.DataFrameSchema(
        {"appointment": pa.Column(checks=pa.Check.isin(["상임", "당연직", "위촉직", "노동이사"]))}
    ),
    "board_person_line": pa.DataFrameSchema({"kind": pa.Column(checks=pa.Check.isin(["학력", "경력"]))}),
}


def reconcile(ds: Dataset) -> list[Finding]:
    out: list[Finding] = []
    terms = rows(ds, "board_term")
    for t in terms:
        key = f"{t['seat_code']}/{t['start_date']}"
        if t["end_date"] is not None and t["end_date"] < t["start_date"]:
            out.append(
                error(
                    "board_term",
                    key,
                    "end_date",
                    t["end_date"],
                    f"after {t['start_date']}",
                    "임기 종료일이 시작일보다 앞섭니다",
                )
            )
        if not t["while_in_office"] and t["end_date"] is None:
            # an ex officio term may carry an end date: the day its post changed hands
            out.append(
                error(
                    "board_term",
                    key,
                    "end_date",
                    t["end_date"],
                    "a date",
                    "당연직(재임시)이 아닌 임기는 종료일이 있어야 합니다",
                )
            )
        if t.get("end_reason") and t["end_date"] is None:
            out.append(
                error("board_term", key, "end_reason", t["end_reason"], "empty", "종료일 없이 종료 사유만 있습니다")
            )
    out += _overlaps(terms)
    titles = {r["title"] for r in rows(ds, "board_term_rule")}
    for seat in rows(ds, "board_seat"):
        if seat["title"] not in titles:
            out.append(
                error(
                    "board_seat",
                    seat["code"],
                    "title",
                    seat["title"],
                    "a board_term_rule title",
                    f"임원 임기 규칙에 '{seat['title']}'{particle(seat['title'], '이')} 없습니다",
                )
            )
    for p in rows(ds, "board_person"):
        report = current_report(ds)
        if report and p["birth_date"] >= report["report_date"]:
            out.append(
                error(
                    "board_person",
                    p["code"],
                    "birth_date",
                    p["birth_date"],
                    "a past date",
                    "생년월일이 보고 기준일보다 앞서지 않습니다",
                )
            )
    if any(f.severity == "error" for f in out):
        return out

    report = current_report(ds)
    if report is None:
        return out
    on = report["report_date"]
    seats = rows(ds, "board_seat")
    holding = holding_seats(rows(ds, "board_term_rule"), seats)
    for check in composition_on(rows(ds, "board_rule"), seats, terms, on, holding):
        if not check.ok:
            out.append(
                warning(
                    "board_rule",
                    check.seat_class,
                    "count",
                    check.count,
                    f"{check.min_count}..{check.max_count}",
                    f"{on} 기준 {check.seat_class} {check.count}명: "
                    f"정관 요건 {head_range(check.min_count, check.max_count)} ({check.legal_basis})",
                )
            )
    group = {s["code"]: s["group"] for s in seats}
    serving = in_office(terms, on, holding)
    by_group = {g: sum(1 for t in serving if group[t["seat_code"]] == g) for g in ("상임이사", "비상임이사", "감사")}
    compare_figure(out, ds, "board.officers", len(serving), f"임원 수 ↔ {on} 재임 인원")
    compare_figure(
        out, ds, "board.directors", by_group["상임이사"] + by_group["비상임이사"], f"이사 수 ↔ {on} 재임 인원"
    )
    compare_figure(out, ds, "board.auditors", by_group["감사"], f"감사 수 ↔ {on} 재임 인원")
    compare_figure(out, ds, "board.standing", by_group["상임이사"], f"상임이사 수 ↔ {on} 재임 인원")
    compare_figure(out, ds, "board.non_standing", by_group["비상임이사"], f"비상임이사 수 ↔ {on} 재임 인원")
    return out


def _overlaps(terms: list[dict[str, Any]]) -> list[Finding]:
    """Two terms of one seat whose dates overlap (a seat has one holder at a time)."""
    out: list[Finding] = []
    by_seat: dict[str, list[dict[str, Any]]] = {}
    for t in terms:
        by_seat.setdefault(t["seat_code"], []).append(t)
    for seat, held in by_seat.items():
        held = sorted(held, key=lambda t: t["start_date"])
        for before, after in pairwise(held):
            if before["end_date"] is None or before["end_date"] >= after["start_date"]:
                out.append(
                    error(
                        "board_term",
                        f"{seat}/{after['start_date']}",
                        "start_date",
                        after["start_date"],
                        f"{before['end_date'] or WHILE_IN_OFFICE} 이후",
                        f"같은 자리의 앞 임기({before['start_date']}~{before['end_date'] or WHILE_IN_OFFICE})"
                        "와 겹칩니다",
                    )
                )
    return out
