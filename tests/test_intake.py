"""The yearly intake templates: template -> fill -> load for each kind, every refusal leaving the
database as it was and naming sheet, row and column, the 추경 and the execution rate, the pages."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from audit_followup.models import AuditItem, AuditSession
from budget import execution, recording
from budget import service as budget
from budget.models import BudgetLine
from calls.models import CallPeriod, PhonePerformance
from governance_app import intake, rounds, store
from governance_app.core.auth import Actor, PermissionDeniedError
from governance_app.core.context import current
from governance_app.core.db import session
from governance_app.core.intake import IntakeRefusedError
from governance_app.core.models import SUBMITTED, RoundState
from governance_app.core.queries import fetch
from governance_app.core.settings import ROOT
from staffing.models import StaffGrade, StaffingSnapshot
from tests.helpers import PLANNER, acting, sign_in
from tests.helpers.pages import shown

FINANCE = Actor("test-finance", "finance")
AUDITOR = Actor("test-auditor", "auditor")
YEAR = 2026  # a year the seed has no budget for: the next round's


def dump(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """The stored dataset (every table's rows) to compare before and after."""
    with session(engine) as s:
        return {name: table.rows for name, table in store.from_db(s).items()}


def template(engine: Engine, kind: str, year: int | None = YEAR) -> bytes:
    with session(engine) as s:
        return intake.template(s, kind, year)


def book(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data))


def saved(b: Any) -> bytes:
    out = io.BytesIO()
    b.save(out)
    return out.getvalue()


def load(engine: Engine, kind: str, data: bytes, name: str = "filled.xlsx", actor: Actor = PLANNER, **options: Any):
    with session(engine) as s:
        return intake.save(session=s, actor=actor, kind=kind, data=data, filename=name, **options)


def typed_codes(engine: Engine) -> list[str]:
    with session(engine) as s:
        lines = fetch(s, BudgetLine, current(s).org_id)
    parents = {line.parent_code for line in lines}
    return [
        line.code for line in sorted(lines, key=lambda x: x.seq) if line.level != "total" and line.code not in parents
    ]


def filled_budget(engine: Engine, change: Callable[[str, int], int] = lambda code, base: base + 1000) -> Any:
    """The 2026 template with every typed line = its 2025 amount changed by ``change``."""
    b = book(template(engine, "budget"))
    ws = b["예산"]
    typed = set(typed_codes(engine))
    for row in ws.iter_rows(min_row=3):
        if row[0].value in typed:
            row[4].value = change(row[0].value, row[3].value)
    return b


def test_the_budget_template_survives_excel(engine: Engine) -> None:
    b = book(template(engine, "budget"))
    assert b.sheetnames == ["예산", "설명"]
    ws = b["예산"]
    assert [c.value for c in ws[2]] == ["코드", "구분", "과목", "2025년", "2026년"]
    assert ws["A1"].value == "2026년 예산 (단위: 천원)" and not ws.merged_cells.ranges
    rows = {r[0].value: r for r in ws.iter_rows(min_row=3)}
    assert rows["exp.1.1.1"][3].value == 1630926 and rows["exp.1.1.1"][3].number_format == "#,##0"
    assert rows["exp.1.1.1"][4].value is None  # the new year's amounts are to be typed
    assert rows["exp.3.2"][4].value is None  # 예비비: a 단위 without 세부사업 takes an amount
    exp_1_1 = rows["exp.1.1"]
    assert exp_1_1[4].value == f"=SUM(E{rows['exp.1.1.1'][0].row},E{rows['exp.1.1.2'][0].row})"
    assert [c.value for c in b["설명"]["A"]][:6] == ["열", "코드", "구분", "과목", "2025년", "2026년"]


def test_a_budget_round_trip_stores_the_year_with_computed_totals(engine: Engine) -> None:
    typed = typed_codes(engine)
    draft = load(engine, "budget", saved(filled_budget(engine)))
    assert not draft.errors
    with session(engine) as s:
        rows = {r.code: r for r in budget.budget_table(s, current(s).org_id, "expenditure", (2025, YEAR))}
        history = budget.budget_history(s, current(s).org_id, YEAR)
    details = sum(1 for c in typed if c.startswith("exp"))
    assert rows["exp"].amounts == {2025: 32048210, YEAR: 32048210 + 1000 * details}
    assert rows["exp.1.1"].amounts[YEAR] == 1699724 + 2000 and rows["exp.1.1"].change == 2000
    assert [(h.revision, h.label, h.effective_on) for h in history] == [(0, "본예산", date(YEAR, 1, 1))]
    # loading the same file again changes nothing
    before = dump(engine)
    load(engine, "budget", saved(filled_budget(engine)))
    assert dump(engine) == before


def test_a_budget_csv_in_cp949_with_a_title_line_is_accepted(engine: Engine) -> None:
    ws = filled_budget(engine)["예산"]
    lines = []
    for row in ws.iter_rows(min_row=1, values_only=True):
        lines.append(",".join("" if v is None or str(v).startswith("=") else str(v) for v in row))
    data = "\n".join(lines).encode("cp949")
    assert not load(engine, "budget", data, "예산.csv").errors
    with session(engine) as s:
        assert budget.total_budget(s, current(s).org_id, YEAR) is not None


def _set(code: str, column: int, value: object) -> Callable[[Any], None]:
    def change(ws: Any) -> None:
        row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == code)
        row[column].value = value

    return change


def _delete(code: str) -> Callable[[Any], None]:
    def change(ws: Any) -> None:
        row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == code)
        ws.delete_rows(row[0].row)

    return change


# each refusal: what is done to the filled template, and the message's sheet/row/column
REFUSALS = {
    "wrong header": (lambda ws: setattr(ws["E2"], "value", "예산"), "예산 시트 2행 E열(예산)"),
    "text in an amount": (_set("exp.1.1.1", 4, "일백만"), "예산 시트 9행 E열(2026년): '일백만'"),
    "duplicate code": (_set("exp.1.1.2", 0, "exp.1.1.1"), "예산 시트 10행 A열(코드): exp.1.1.1이 9행에 이미"),
    "unknown code": (_set("exp.1.1.2", 0, "exp.9.9.9"), "예산 시트 10행 A열(코드): 'exp.9.9.9'는 없는"),
    "missing line": (_delete("exp.1.1.2"), "예산 시트 10행 앞 코드 열: exp.1.1.2 상담체계 운영 행이 없습니다"),
    "formula in an amount": (_set("exp.1.1.1", 4, "=1000+1"), "예산 시트 9행 E열(2026년): 수식 '=1000+1'"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_bad_budget_template_is_refused_whole(engine: Engine, case: str) -> None:
    spoil, message = REFUSALS[case]
    b = filled_budget(engine)
    spoil(b["예산"])
    before = dump(engine)
    with pytest.raises(IntakeRefusedError) as refused:
        load(engine, "budget", saved(b))
    assert dump(engine) == before
    messages = [f.message for f in refused.value.draft.errors]
    assert any(m.startswith(message) for m in messages), messages


def test_a_supplement_changes_the_execution_rate_from_its_date_only(engine: Engine) -> None:
    with session(engine) as s:
        org = current(s).org_id
        before_0731 = {r.code: r for r in execution.execution(s, org, date(2025, 7, 31))}
    # a 2025 snapshot on 10. 31. (after the 추경's date), recorded with the 본예산's 예산액
    amounts = {r.code: (r.budget, min(r.budget, r.executed + 1000)) for r in before_0731.values() if not r.is_total}
    with session(engine) as s:
        recording.record_execution(
            session=s, actor=FINANCE, as_of=date(2025, 10, 31), amounts=amounts, today=date(2025, 11, 3)
        )
    b = book(template(engine, "budget", 2025))
    ws = b["예산"]
    for row in ws.iter_rows(min_row=3):
        if row[0].value == "exp.1.1.1":
            row[4].value = 1630926 + 369074  # 제1회 추경: 2,000,000
    draft = load(engine, "budget", saved(b), actor=FINANCE, change_date=date(2025, 9, 1))
    assert draft.summary[0].startswith("2025년 제1회 추경 (2025-09-01부터)")
    with session(engine) as s:
        after_0731 = {r.code: r for r in execution.execution(s, org, date(2025, 7, 31))}
        after_1031 = {r.code: r for r in execution.execution(s, org, date(2025, 10, 31))}
        history = budget.budget_history(s, org, 2025)
        table = {r.code: r for r in budget.budget_table(s, org, "expenditure", (2024, 2025))}
    assert after_0731 == before_0731  # before the change date: the 본예산
    line = after_1031["ex.1.1.1"]
    assert (line.budget, line.executed, line.rate) == (2000000, 1573360, Decimal("78.7"))
    assert after_1031["total"].budget == 32048210 + 369074
    assert [(h.label, h.effective_on, h.total) for h in history] == [
        ("본예산", date(2025, 1, 1), 32048210),
        ("제1회 추경", date(2025, 9, 1), 32048210 + 369074),
    ]
    assert table["exp"].amounts[2025] == 32048210 + 369074  # the year's budget as it stands


def test_a_supplement_needs_a_date_inside_its_year(engine: Engine) -> None:
    before = dump(engine)
    data = saved(book(template(engine, "budget", 2025)))
    with pytest.raises(IntakeRefusedError) as refused:
        load(engine, "budget", data, change_date=date(2026, 3, 1))
    assert "변경일 2026-03-01이 2025 회계연도 밖입니다" in refused.value.draft.errors[0].message
    assert dump(engine) == before


def test_only_planning_and_finance_load_a_budget(engine: Engine) -> None:
    data = saved(filled_budget(engine))
    for actor in (AUDITOR, Actor("test-board", "board"), Actor("test-dept", "department", "기획부")):
        with pytest.raises(PermissionDeniedError):
            load(engine, "budget", data, actor=actor)
    assert not load(engine, "budget", data, actor=FINANCE).errors
    with pytest.raises(PermissionDeniedError):
        load(engine, "staffing", template(engine, "staffing"), actor=FINANCE)


def test_a_calls_round_trip_stores_the_closing_and_the_partial_year(engine: Engine) -> None:
    b = book(template(engine, "calls"))
    ws = b["상담 실적"]
    header = [c.value for c in ws[2]]
    assert header[:4] == ["기간코드", "기간", "시작일", "종료일"] and header[-3:] == ["총인입량", "인입량", "응대량"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=3) if r[0].value}
    assert list(rows) == ["2024", "2025-07", "2025", "2026-07"]
    assert rows["2024"][4].value == 3325334 and rows["2025"][3].value.date() == date(2025, 12, 31)
    assert rows["2026-07"][3].value.date() == date(2026, 7, 31)
    for code, phone in (("2025", 3_400_000), ("2026-07", 1_900_000)):
        cells = rows[code]
        for c in cells[4:-3]:
            c.value = 100_000
        cells[4].value = phone
        cells[-3].value, cells[-2].value, cells[-1].value = phone * 2, phone + 100_000, phone
    before = dump(engine)
    draft = load(engine, "calls", saved(b))
    assert not draft.errors
    with session(engine) as s:
        org = current(s).org_id
        periods = {p.code: p for p in fetch(s, CallPeriod, org)}
        phones = {p.period_code: p for p in fetch(s, PhonePerformance, org)}
    nonphone = 100_000 * (len(header) - 4 - 3 - 1)
    assert (periods["2025"].total_reported, periods["2025"].nonphone_reported) == (3_400_000 + nonphone, nonphone)
    assert phones["2026-07"].answer_rate_reported == Decimal("95.0")  # 1,900,000 / 2,000,000
    after = dump(engine)
    assert after["call_period"][: len(before["call_period"])] == before["call_period"]  # 2024, 2025-07 untouched
    assert {a["line_code"] for a in after["daily_average"] if a["period_code"] == "2026-07"} >= {"total", "phone"}


def test_a_text_in_a_count_is_refused_naming_the_cell(engine: Engine) -> None:
    b = book(template(engine, "staffing"))
    b["정원·현원"]["G5"] = "다섯"
    before = dump(engine)
    with pytest.raises(IntakeRefusedError) as refused:
        load(engine, "staffing", saved(b))
    assert [f.message for f in refused.value.draft.errors] == ["정원·현원 시트 5행 G열(현원): '다섯'은 정수가 아닙니다"]
    assert dump(engine) == before


def test_a_staffing_round_trip_stores_a_count_on_its_date(engine: Engine) -> None:
    b = book(template(engine, "staffing"))
    ws = b["정원·현원"]
    assert [c.value for c in ws[2]] == ["기준일", "코드", "직급", "구분", "정원 포함", "정원", "현원"]
    assert ws["A3"].value.date() == date(2026, 9, 1) and ws["A3"].number_format == "yyyy-mm-dd"
    g5 = next(r for r in ws.iter_rows(min_row=3) if r[1].value == "g5")
    g5[6].value = 250  # 현원 of 5급: 227 -> 250
    assert not load(engine, "staffing", saved(b)).errors
    with session(engine) as s:
        org = current(s).org_id
        snap = next(x for x in fetch(s, StaffingSnapshot, org) if x.code == "2026-09")
        grades = {g.code: g for g in fetch(s, StaffGrade, org) if g.snapshot_code == "2026-09"}
    assert (snap.as_of, snap.quota_total_reported, snap.current_total_reported) == (date(2026, 9, 1), 423, 429)
    assert (grades["g5"].current, grades["g5"].shortfall_reported, grades["outside"].in_quota) == (250, -42, False)


def test_an_audit_round_trip_creates_the_session_and_its_items(engine: Engine) -> None:
    b = book(template(engine, "audit", None))
    ws = b["감사 항목"]
    assert ws["A3"].value == 2025 and ws["B3"].value == "문화체육관광위원회"
    items = [
        ("건의사항", "상담 품질 지표를 공개하길 바람.", "기획부", date(2026, 6, 30)),
        ("시정·처리요구사항", "감정노동 보호 예산을 늘리길 바람.", "인사부", None),
        ("시정·처리요구사항", "챗봇 오답률을 줄이길 바람.", "스마트전산부", date(2026, 3, 31)),
    ]
    for i, (category, request, department, due) in enumerate(items):
        r = 3 + i
        ws.cell(r, 4, category), ws.cell(r, 5, request), ws.cell(r, 6, department), ws.cell(r, 7, due)
    draft = load(engine, "audit", saved(b))
    assert draft.summary == [
        "2025 행정사무감사 (문화체육관광위원회): 항목 3건 (시정·처리요구사항 2건, 건의사항 1건, 기타 0건)"
    ]
    with session(engine) as s:
        org = current(s).org_id
        created = next(x for x in fetch(s, AuditSession, org) if x.code == "2025-admin")
        stored = [
            (i.code, i.category, i.seq, i.status, i.department, i.due_date)
            for i in fetch(s, AuditItem, org)
            if i.session_code == "2025-admin"
        ]
    assert (created.year, created.audited_body) == (2025, "120다산콜재단")
    assert stored == [
        ("R-01", "시정·처리요구사항", 1, "검토중", "인사부", None),
        ("R-02", "시정·처리요구사항", 2, "검토중", "스마트전산부", date(2026, 3, 31)),
        ("S-01", "건의사항", 3, "검토중", "기획부", date(2026, 6, 30)),
    ]
    # the same session again: refused, nothing written
    before = dump(engine)
    with pytest.raises(IntakeRefusedError) as refused:
        load(engine, "audit", saved(b))
    assert refused.value.draft.errors[0].message.startswith(
        "감사 항목 시트 3행 A열(감사연도): 2025년 행정사무감사(2025-admin)는 이미"
    )
    assert dump(engine) == before


def test_an_unreadable_file_is_one_korean_finding(engine: Engine) -> None:
    with session(engine) as s:
        draft = intake.check(s, "budget", b"PK\x03\x04 not a zip", "broken.xlsx")
    assert [f.message[:29] for f in draft.errors] == ["broken.xlsx: XLSX 파일을 읽을 수 없습니다"[:29]]


# --- the pages ----------------------------------------------------------------------------------

PAGES = {"budget": "budget.py", "calls": "calls.py", "staffing": "staffing.py", "audit": "audit.py"}


def page(kind: str, actor: Actor = PLANNER) -> AppTest:
    at = sign_in(AppTest.from_file(str(ROOT / "governance_app" / "pages" / PAGES[kind]), default_timeout=60), actor)
    at.session_state[f"intake_{kind}_open"] = True
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    kinds = ("markdown", "caption", "success", "error", "warning", "info")
    return "\n".join(shown(e.value) for kind in kinds for e in getattr(at, kind))


def staffing_upload(engine: Engine, current: int) -> bytes:
    b = book(template(engine, "staffing"))
    b["정원·현원"]["G8"] = current  # 5급 현원
    return saved(b)


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_intake_form_shows_the_findings_before_saving(engine: Engine, kind: str) -> None:
    at = page(kind)
    assert [b for b in at.get("download_button")], "the template can be downloaded"
    bad = {"budget": saved(filled_budget(engine, lambda c, v: "많이" if c == "exp.1.1.1" else v))}.get(kind)
    if bad is None:
        b = book(template(engine, kind, None if kind == "audit" else YEAR))
        b.worksheets[0]["A2"] = "아무개"  # the first heading replaced: a wrong header
        bad = saved(b)
    before = dump(engine)
    at.file_uploader(key=f"intake_{kind}_file").set_value(("filled.xlsx", bad, "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    assert "오류" in texts(at) and "저장하지 않았습니다" in texts(at)
    assert not [b for b in at.button if b.key == f"intake_{kind}_save"]
    assert dump(engine) == before


def good_upload(engine: Engine, kind: str) -> bytes:
    if kind == "budget":
        return saved(filled_budget(engine))
    if kind == "staffing":
        return staffing_upload(engine, 240)
    b = book(template(engine, kind, None if kind == "audit" else YEAR))
    ws = b.worksheets[0]
    if kind == "audit":
        ws["D3"], ws["E3"] = "건의사항", "상담 품질 지표를 공개하길 바람."
    else:  # calls: the two new periods
        for row in ws.iter_rows(min_row=5, max_row=6):
            for c in row[4:]:
                c.value = 2_000_000
    return saved(b)


# what the page says before saving, and what is stored after
SAVES = {
    "budget": "2026년 본예산: 세출 총계 32,061,210천원",
    "calls": "2025년 (2025): 총상담 14,000,000건",
    "staffing": "정원 423명, 현원 419명",
    "audit": "2025 행정사무감사 (문화체육관광위원회): 항목 1건",
}


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_intake_form_saves_a_good_upload(engine: Engine, kind: str) -> None:
    at = page(kind)
    at.file_uploader(key=f"intake_{kind}_file").set_value(
        ("양식.xlsx", good_upload(engine, kind), "application/octet-stream")
    )
    at.run()
    assert not at.exception, at.exception
    assert SAVES[kind] in texts(at)
    before = dump(engine)
    at.button(key=f"intake_{kind}_save").click().run()
    assert not at.exception, at.exception
    assert "양식.xlsx의 내용을 저장했습니다." in texts(at)
    assert dump(engine) != before


def test_the_intake_is_offered_only_to_the_roles_that_may_load(engine: Engine) -> None:
    for kind, actor in (("budget", AUDITOR), ("audit", AUDITOR), ("staffing", FINANCE)):
        at = page(kind, actor)
        assert not [e for e in at.expander if "양식으로 올리기" in e.label]
    assert [e for e in page("budget", FINANCE).expander if "양식으로 올리기" in e.label]


# --- the yearly cycle: a new round's year, a submitted round's year ------------------------------


def submit_state_only(engine: Engine, code: str = "2025-09") -> None:
    """Mark a round 제출 without building its documents: the freeze guard reads the state alone."""
    with acting(engine) as s:
        org_id = current(s).org_id
        s.add(
            RoundState(org_id=org_id, report_code=code, state=SUBMITTED, changed_at=datetime.now(UTC), changed_by="t")
        )
        s.commit()


def test_the_budget_template_works_on_a_year_opened_by_round_new(engine: Engine) -> None:
    with session(engine) as s:
        rounds.new_round(
            session=s,
            actor=PLANNER,
            code="2026-09",
            fiscal_year=2026,
            report_date=date(2026, 9, 1),
            execution_as_of=date(2026, 7, 31),
        )
    b = book(template(engine, "budget", None))  # the current round's year: 2026
    assert [c.value for c in b["예산"][2]][3:] == ["2025년", "2026년"]
    assert not load(engine, "budget", saved(filled_budget(engine))).errors
    with session(engine) as s:
        assert (
            budget.total_budget(s, current(s).org_id, 2026) == 32048210 + 1000 * 13
        )  # 13 lines take amounts: 12 세부사업 and 예비비


def test_a_submitted_rounds_year_is_refused_and_named(engine: Engine) -> None:
    submit_state_only(engine)
    b = book(template(engine, "budget", 2025))
    next(r for r in b["예산"].iter_rows(min_row=3) if r[0].value == "exp.1.1.1")[4].value = 2000000
    before = dump(engine)
    with pytest.raises(IntakeRefusedError) as refused:
        load(engine, "budget", saved(b), change_date=date(2025, 9, 1))
    assert refused.value.draft.errors[0].message.startswith("2025-09 회차는 제출되었습니다")
    assert dump(engine) == before
    # the next year is not submitted: it loads
    assert not load(engine, "budget", saved(filled_budget(engine))).errors


def test_the_budget_page_shows_the_history_after_a_supplement(engine: Engine) -> None:
    b = book(template(engine, "budget", 2025))
    next(r for r in b["예산"].iter_rows(min_row=3) if r[0].value == "exp.1.1.1")[4].value = 2000000
    load(engine, "budget", saved(b), change_date=date(2025, 9, 1))
    at = page("budget")
    history = "본예산 (2025. 1. 1.부터) 32,048,210 · 제1회 추경 (2025. 9. 1.부터) 32,417,284"
    assert f"2025년 예산 이력 (세출 총계, 천원): {history}" in texts(at)


def test_the_reader_bounds_rows_whatever_the_sheet_declares(engine: Engine) -> None:
    b = book(template(engine, "budget"))
    ws = b["예산"]
    for r in range(3, 2100):
        ws.cell(r, 1, "x")
    data = saved(b)
    with session(engine) as s:
        draft = intake.check(s, "budget", data, "long.xlsx")
    assert [f.message for f in draft.errors] == ["long.xlsx: 예산 시트의 행이 너무 많습니다 (2,000행까지 읽습니다)"]


def test_an_auditor_may_not_file_an_audit_session(engine: Engine) -> None:
    with pytest.raises(PermissionDeniedError):
        load(engine, "audit", good_upload(engine, "audit"), actor=AUDITOR)
    assert intake.may_load(PLANNER, "audit") and not intake.may_load(AUDITOR, "audit")


def test_the_intake_refuses_another_kind_of_file_in_korean(engine: Engine) -> None:
    at = page("staffing")
    at.file_uploader(key="intake_staffing_file").set_value(("양식.hwp", b"HWP Document File", "application/x-hwp"))
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["양식.hwp: 올릴 수 없는 형식입니다. XLSX·CSV 파일만 올릴 수 있습니다."]
    assert not [b for b in at.button if b.key == "intake_staffing_save"]


def test_a_budget_template_without_its_header_names_the_expected_headings(engine: Engine) -> None:
    b = book(template(engine, "budget", YEAR))
    sheet = b["예산"]
    for row in sheet.iter_rows(max_row=10):
        for c in row:
            if isinstance(c.value, str) and c.value in ("코드", "구분", "과목"):
                c.value = "항목"
    at = page("budget")
    at.file_uploader(key="intake_budget_file").set_value(("양식.xlsx", saved(b), "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    (findings,) = [f.value for f in at.dataframe if "내용" in f.value.columns]
    (message,) = findings["내용"]
    assert (
        "알맞은 머리글을 찾지 못했습니다 (필요한 머리글: 코드, 구분, 과목, 연도 열 둘(예: 2025년, 2026년))" in message
    )
