"""The administrative audit template: a new session and the items the council sent.

Sheet ``감사 항목``: 감사연도, 위원회, 감사명 (the same on every row: the session), then per item
구분 (시정·처리요구사항 / 건의사항 / 기타), 요구사항, 담당부서 and 처리기한 (optional). Saving creates
the session (code ``{year}-admin``) and its items numbered R-01 …, S-01 …, O-01 … by category in
the order given, each 검토중 (not yet acted on); the follow-up workflow takes them from there.
A session that exists already is refused: the template is for a new one.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from audit_followup.models import CATEGORIES, AuditSession
from audit_followup.workflow import REVIEW
from governance_app.core import clock, spreadsheet, workbook
from governance_app.core.i18n import josa, particle
from governance_app.core.intake import Draft, TableRows
from governance_app.core.models import Organisation
from governance_app.core.queries import fetch

PERMISSION = "audit.intake"
SHEET = "감사 항목"
PREFIX = {"시정·처리요구사항": "R", "건의사항": "S", "기타": "O"}
HEADERS: dict[str, tuple[str, ...]] = {
    "year": ("감사연도",),
    "committee": ("위원회",),
    "name": ("감사명",),
    "category": ("구분",),
    "request": ("요구사항",),
    "department": ("담당부서",),
    "due": ("처리기한",),
}
BLANK_ROWS = 5


def session_code(year: int) -> str:
    return f"{year}-admin"


def _previous(session: Session, org_id: int) -> AuditSession | None:
    sessions = sorted(fetch(session, AuditSession, org_id), key=lambda s: s.year)
    return sessions[-1] if sessions else None


def write(session: Session, org_id: int, year: int | None) -> bytes:
    """``year`` is the audit's own year (default: the year after the latest session)."""
    previous = _previous(session, org_id)
    year = year or (previous.year + 1 if previous else clock.today().year)
    committee = previous.committee if previous else ""
    rows: list[list[Any]] = [[year, committee, f"{year} 행정사무감사", None, None, None, None]] * BLANK_ROWS
    columns = [
        workbook.Column("감사연도", "행정사무감사를 받은 해. 모든 행에 같게 적습니다.", "number", 10),
        workbook.Column("위원회", "감사한 시의회 상임위원회. 모든 행에 같게 적습니다.", width=20),
        workbook.Column("감사명", "감사의 이름 (예: 2025 행정사무감사). 모든 행에 같게 적습니다.", width=22),
        workbook.Column("구분", " / ".join(CATEGORIES) + " 가운데 하나.", width=18, choices=CATEGORIES),
        workbook.Column("요구사항", "시의회가 보낸 요구 내용 그대로.", width=60),
        workbook.Column("담당부서", "처리할 부서 (선택).", width=16),
        workbook.Column("처리기한", "처리 기한 (선택, 날짜).", "date", 12),
    ]
    notes = [
        "한 행이 한 항목입니다. 항목 번호(R-01, S-01, O-01 …)는 구분별로 적은 순서대로 붙습니다.",
        "새 항목은 모두 검토중으로 저장되며, 이후 처리 상황은 행정사무감사 화면에서 기록합니다.",
        "이미 있는 감사(같은 감사연도)는 다시 올릴 수 없습니다. CSV(UTF-8 또는 CP949)도 받습니다.",
    ]
    sheet = workbook.TemplateSheet(SHEET, f"{year} 행정사무감사 요구사항", columns, rows)
    return workbook.build(sheet, notes)


def read(session: Session, org_id: int, data: bytes, filename: str, **_: Any) -> Draft:
    draft = Draft("audit", filename, PERMISSION)
    sheets, problem = spreadsheet.read_sheets(data, filename, formulas=True)
    if problem is not None:
        draft.findings.append(problem)
        return draft
    table, findings = spreadsheet.TableReader.locate(sheets, SHEET, HEADERS)
    draft.findings += findings
    if table is None:
        return draft
    head: dict[str, object] = {}
    head_row: dict[str, int] = {}
    items: list[dict[str, Any]] = []
    item_fields = ("category", "request", "department", "due")
    for row, cells in table.rows():
        for name in ("year", "committee", "name"):
            value = table.value(row, cells, name, "count" if name == "year" else "text")
            if value is None:
                continue
            if name not in head:
                head[name], head_row[name] = value, row
            elif value != head[name]:
                table.fail(
                    row,
                    name,
                    value,
                    str(head[name]),
                    f"{josa(value, '이')} {head_row[name]}행의 {josa(head[name], '과')} 다릅니다",
                )
        if all(spreadsheet.blank(table.raw(cells, f)) for f in item_fields):
            continue  # a row of the session only (the template's empty rows)
        category = table.value(row, cells, "category", "text")
        if isinstance(category, str) and category not in CATEGORIES:
            table.fail(
                row,
                "category",
                category,
                "/".join(CATEGORIES),
                f"'{category}'{particle(category, '은')} 감사 항목 구분이 아닙니다",
            )
            category = None
        request = table.value(row, cells, "request", "text")
        department = table.value(row, cells, "department", "text", required=False)
        due = table.value(row, cells, "due", "date", required=False)
        if category and request:
            items.append(
                {"category": category, "request": request, "department": department, "due_date": due, "row": row}
            )
    draft.findings += table.findings
    if draft.errors:
        return draft
    year = head.get("year")
    if not isinstance(year, int) or not items:
        draft.findings.append(
            spreadsheet.sheet_error(table.sheet.name, "-", "요구사항", "", "1행 이상", "감사 항목이 없습니다")
        )
        return draft
    code = session_code(year)
    if any(s.code == code for s in fetch(session, AuditSession, org_id)):
        draft.findings.append(
            spreadsheet.cell_error(
                table.sheet.name,
                head_row["year"],
                table.columns["year"],
                "감사연도",
                year,
                "새 감사",
                f"{year}년 행정사무감사({code})는 이미 있습니다 (새 감사만 올립니다)",
            )
        )
        return draft
    previous = _previous(session, org_id)
    org = session.get(Organisation, org_id)
    audited = previous.audited_body if previous else (org.name_ko if org else "")
    name = str(head.get("name") or f"{year} 행정사무감사")
    audit_session = {
        "code": code,
        "year": year,
        "name": name,
        "committee": str(head.get("committee") or ""),
        "audited_body": audited,
        "report_title": f"{name} 처리결과 보고서",
    }
    rows = []
    numbers: dict[str, int] = {}
    ordered = sorted(items, key=lambda i: CATEGORIES.index(i["category"]))
    for seq, item in enumerate(ordered, start=1):
        prefix = PREFIX[item["category"]]
        numbers[prefix] = numbers.get(prefix, 0) + 1
        rows.append(
            {
                "code": f"{prefix}-{numbers[prefix]:02d}",
                "session_code": code,
                "category": item["category"],
                "seq": seq,
                "request": item["request"],
                "department": item["department"],
                "status": REVIEW,
                "actions": None,
                "plan": None,
                "action_date": None,
                "action_date_is_month": False,
                "due_date": item["due_date"],
            }
        )
        draft.preview.append(
            {
                "번호": rows[-1]["code"],
                "구분": item["category"],
                "요구사항": item["request"],
                "담당부서": item["department"],
                "처리기한": item["due_date"],
                "행": item["row"],
            }
        )
    draft.changes = [TableRows("audit_session", [audit_session]), TableRows("audit_item", rows)]
    counts = ", ".join(f"{c} {sum(r['category'] == c for r in rows)}건" for c in CATEGORIES)
    draft.summary.append(f"{name} ({audit_session['committee']}): 항목 {len(rows)}건 ({counts})")
    return draft
