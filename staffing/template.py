"""The staffing template: 정원 and 현원 by grade on a date.

Sheet ``정원·현원``: 기준일 (the same on every row), 코드, 직급, 구분 (임원/전문직/업무직), 정원 포함
(예/아니오: 아니오 = 정원外, not part of 계), 정원, 현원. Pre-filled with the latest count's grades
and figures. Saving stores one staffing count (code ``YYYY-MM`` of its date) with its grades; the
totals and 과부족 are computed. A count of the same month is replaced as a whole.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from sqlmodel import Session

from governance_app.core import clock, spreadsheet, workbook
from governance_app.core.context import round_dates
from governance_app.core.i18n import josa, particle
from governance_app.core.intake import Draft, TableRows
from governance_app.core.queries import fetch
from staffing.models import StaffGrade, StaffingSnapshot

PERMISSION = "data.edit"
SHEET = "정원·현원"
GROUPS = ("임원", "전문직", "업무직")
YES, NO = "예", "아니오"
HEADERS = {
    "as_of": ("기준일",),
    "code": ("코드",),
    "label": ("직급",),
    "group": ("구분",),
    "in_quota": ("정원 포함", "정원포함"),
    "quota": ("정원",),
    "current": ("현원",),
}


def _of_snapshot(code: str, row: dict[str, Any]) -> bool:
    """A stored grade row of the snapshot ``code`` (those the sheet replaces)."""
    return bool(row["snapshot_code"] == code)


def _latest(session: Session, org_id: int) -> tuple[StaffingSnapshot | None, list[StaffGrade]]:
    snapshots = sorted(fetch(session, StaffingSnapshot, org_id), key=lambda s: s.as_of)
    if not snapshots:
        return None, []
    last = snapshots[-1]
    grades = fetch(session, StaffGrade, org_id, StaffGrade.snapshot_code == last.code)
    return last, sorted(grades, key=lambda g: g.seq)


def write(session: Session, org_id: int, year: int | None) -> bytes:
    day = round_dates(session, org_id, year or clock.today().year)[0]
    _, grades = _latest(session, org_id)
    rows: list[list[Any]] = [
        [day, g.code, g.label, g.group_label, YES if g.in_quota else NO, g.quota, g.current] for g in grades
    ]
    columns = [
        workbook.Column("기준일", "정원·현원을 센 날짜. 모든 행에 같은 날짜를 적습니다.", "date", 12),
        workbook.Column("코드", "직급 코드(영문). 한 직급은 한 번만 적습니다.", width=10),
        workbook.Column("직급", "직급 이름 (이사장, 1급 …).", width=14),
        workbook.Column("구분", "임원, 전문직, 업무직 가운데 하나.", width=10, choices=GROUPS),
        workbook.Column("정원 포함", "예 = 정원에 포함, 아니오 = 정원外(계에 넣지 않음).", width=10, choices=(YES, NO)),
        workbook.Column("정원", "정원(명, 정수).", "number", 10),
        workbook.Column("현원", "현원(명, 정수).", "number", 10),
    ]
    notes = [
        "계와 과부족(현원 - 정원)은 올릴 때 계산합니다. 같은 달의 정원·현원이 이미 있으면 통째로 바꿉니다.",
        "CSV(UTF-8 또는 CP949)로 저장해 올려도 됩니다.",
    ]
    title = f"정원·현원 ({day.year}. {day.month}. {day.day}. 기준)"
    return workbook.build(workbook.TemplateSheet(SHEET, title, columns, rows), notes)


def read(session: Session, org_id: int, data: bytes, filename: str, **_: Any) -> Draft:
    draft = Draft("staffing", filename, PERMISSION)
    sheets, problem = spreadsheet.read_sheets(data, filename, formulas=True)
    if problem is not None:
        draft.findings.append(problem)
        return draft
    table, findings = spreadsheet.TableReader.locate(sheets, SHEET, HEADERS)
    draft.findings += findings
    if table is None:
        return draft
    grades: list[dict[str, Any]] = []
    day: date | None = None
    day_row = 0
    seen: dict[str, int] = {}
    for row, cells in table.rows():
        on = table.value(row, cells, "as_of", "date")
        if isinstance(on, date):
            if day is None:
                day, day_row = on, row
            elif on != day:
                table.fail(
                    row, "as_of", on, str(day), f"{josa(on, '이')} {day_row}행의 기준일 {josa(day, '과')} 다릅니다"
                )
        code = table.value(row, cells, "code", "text")
        if isinstance(code, str):
            if code in seen:
                table.fail(row, "code", code, "한 번만", f"{josa(code, '이')} {seen[code]}행에 이미 있습니다")
                code = None
            else:
                seen[code] = row
        label = table.value(row, cells, "label", "text")
        group = table.value(row, cells, "group", "text")
        if isinstance(group, str) and group not in GROUPS:
            table.fail(
                row, "group", group, "/".join(GROUPS), f"'{group}'{particle(group, '은')} {'/'.join(GROUPS)}가 아닙니다"
            )
        in_quota = table.value(row, cells, "in_quota", "text")
        if isinstance(in_quota, str) and in_quota not in (YES, NO):
            table.fail(row, "in_quota", in_quota, "예/아니오", f"'{in_quota}': 예 또는 아니오로 적어 주세요")
        quota = table.value(row, cells, "quota", "count")
        current = table.value(row, cells, "current", "count")
        if isinstance(code, str) and isinstance(quota, int) and isinstance(current, int):
            grades.append(
                {
                    "code": code,
                    "label": label,
                    "group_label": group,
                    "in_quota": in_quota == YES,
                    "quota": quota,
                    "current": current,
                    "shortfall_reported": current - quota,
                    "seq": len(grades) + 1,
                }
            )
    draft.findings += table.findings
    if not grades and not draft.errors:
        draft.findings.append(
            spreadsheet.sheet_error(table.sheet.name, "-", "코드", "", "1행 이상", "직급 행이 없습니다")
        )
    if draft.errors or day is None:
        return draft
    code = f"{day.year}-{day.month:02d}"
    counted = [g for g in grades if g["in_quota"]]
    quota_total = sum(g["quota"] for g in counted)
    current_total = sum(g["current"] for g in counted)
    snapshot = {
        "code": code,
        "as_of": day,
        "quota_total_reported": quota_total,
        "current_total_reported": current_total,
        "shortfall_total_reported": current_total - quota_total,
    }
    for g in grades:
        g["snapshot_code"] = code
    draft.changes += [
        TableRows("staffing_snapshot", [snapshot]),
        TableRows("staff_grade", grades, functools.partial(_of_snapshot, code)),
    ]
    draft.preview = [
        {
            "직급": g["label"],
            "구분": g["group_label"],
            "정원": g["quota"],
            "현원": g["current"],
            "과부족": g["shortfall_reported"],
        }
        for g in grades
    ]
    gap = current_total - quota_total
    draft.summary.append(
        f"{day} 기준 정원·현원 ({code}): 정원 {quota_total:,}명, 현원 {current_total:,}명, 과부족 {gap:,}명"
    )
    return draft
