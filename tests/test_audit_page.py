"""The 행정사무감사 page in AppTest (SQLite and PostgreSQL): filters, the item detail and the
forms that change an item through the services."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from governance_app import intake_form
from governance_app.core import clock
from governance_app.core import formatting as fmt
from governance_app.core.auth import Actor
from governance_app.core.settings import ROOT
from tests.helpers import PLANNER, sign_in
from tests.helpers.audit import PDF, change, detail, snapshot
from tests.helpers.pages import lazy_tabs, page_text, shown

PAGE = ROOT / "governance_app" / "pages" / "audit.py"


AUDITOR = Actor("test-auditor", "auditor")
SUMMARY, ITEMS, DETAIL = "총괄", "처리요구사항", "항목 상세"


def run_page(actor: Actor = PLANNER) -> AppTest:
    at = sign_in(AppTest.from_file(str(PAGE), default_timeout=30), actor)
    at.run()
    assert not at.exception, at.exception
    return at


def open_view(at: AppTest, label: str) -> AppTest:
    """Open one of the page's views (lazy tabs: only the open one runs)."""
    at.session_state["audit_view"] = label
    at.run()
    assert not at.exception, at.exception
    return at


def choose(at: AppTest, code: str) -> AppTest:
    """Show item ``code`` on the 항목 상세 view."""
    if not [s for s in at.selectbox if s.key == "audit_item"]:
        open_view(at, DETAIL)
    at.selectbox(key="audit_item").set_value(code).run()
    assert not at.exception, at.exception
    return at


def open_form(at: AppTest, label: str) -> AppTest:
    """Open one of the item's form tabs (only the open one runs)."""
    at.session_state["audit_form_tab"] = label
    at.run()
    assert not at.exception, at.exception
    return at


def record(at: AppTest) -> str:
    """The item's record: one markdown element, from its heading on."""
    found = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert len(found) == 1, found
    return found[0]


def submit_status(at: AppTest, code: str, to_status: str, reason: str = "") -> AppTest:
    at.selectbox(key=f"audit_to_status_{code}").set_value(to_status)
    at.text_area(key=f"audit_reason_{code}").input(reason)
    at.button(key=f"audit_status_submit_{code}").click().run()
    assert not at.exception, at.exception
    return at


def errors(at: AppTest) -> list[str]:
    """Error messages apart from the 총괄 mismatch the seed always shows."""
    return [shown(e.value) for e in at.error if not shown(e.value).startswith("보고된 총괄표가 개별 항목과 다릅니다")]


def test_the_page_opens_on_the_summary_and_sends_only_that_view(engine: Engine) -> None:
    at = run_page()
    text = page_text(at)
    assert "건의사항·완료 보고 6 / 항목 7" in text  # the mismatch, where users look first
    # the 총괄 as a markdown table, the cell that differs from the reported one in red
    assert (
        "| 구분 | 계 | 완료 | 추진중 | 검토중 | 미반영 |\n|---|---:|---:|---:|---:|---:|\n| 계 | 23 | 23 | 0 | 0 | 0 |"
        in text
    )
    assert "| 건의사항 | 7 | :red-badge[7 (보고 6)] | 0 | 0 | 0 |" in text
    assert "문화체육관광위원회 · 120다산콜재단" in text
    assert lazy_tabs(at) == {"audit_view": [SUMMARY, ITEMS, DETAIL]}
    # the other views are not run: no filters, no items, no record and no forms
    assert not at.selectbox and not at.date_input and not at.dataframe


def test_the_summary_names_the_items_needing_attention(engine: Engine) -> None:
    at = open_view(run_page(), ITEMS)
    change(engine, "R-01", "완료", "추진중", date(2025, 10, 1), "재조사")
    at.date_input(key="audit_on").set_value(date(2026, 3, 1)).run()
    assert "R-01 (장기 미갱신)" in page_text(at)
    open_view(at, SUMMARY)  # the 기준일 chosen on the items view applies
    assert "확인이 필요한 항목 1건 (2026. 3. 1. 기준): R-01 (장기 미갱신)" in page_text(at)
    choose(at, "R-01")  # and the item's record
    flag = ":orange-badge[:material/warning: 장기 미갱신] 2026. 3. 1. 기준; 기한 없음, 마지막 갱신 후 151일"
    assert flag in record(at)


def test_page_shows_items_flags_and_the_selected_items_record(engine: Engine) -> None:
    at = open_view(run_page(), ITEMS)
    text = page_text(at)
    assert "23건" in text and "'장기 미갱신', " in text and "'확인 대기'" in text
    assert at.date_input(key="audit_on").value == clock.today()
    items = next(f.value for f in at.dataframe if "번호" in f.value.columns)
    assert len(items) == 23
    assert list(items.columns) == ["번호", "요구사항", "부서", "추진상황", "기한", "최근 갱신", "표시", "감사 확인"]
    open_view(at, DETAIL)
    assert len(at.selectbox(key="audit_item").options) == 23
    choose(at, "R-05")
    shown = record(at)
    assert shown.startswith("#### R-05 시정·처리요구사항")
    assert "종합감사 결과 직원 외부 강의 출강 시 복무 관리를 강화할" in shown
    assert "**부서** 윤리감사실 · **추진상황** 완료 · **기한** 없음" in shown
    assert "보고 당시(2025. 9. 1.) 추진상황: 완료" in shown
    # the stored lines, shown literally: a line starting "- " is not made a list
    assert "**조치결과**  \n○ 외부강의 및 겸직허가 업무지침 개정('25.1.)  \n\\- 외부강의 시 휴가 처리" in shown
    assert "**향후계획**  \n○ 2025년 상·하반기 외부강의 등 신고 처리 점검 실시" in shown
    assert "기록된 상태 변경이 없습니다" in shown and "첨부된 증빙이 없습니다" in shown
    assert "진행 메모가 없습니다" in shown and "감사 확인이 없습니다" in shown
    assert not at.download_button
    # the page's other expander is the template intake (intake_form), closed
    assert [e.label for e in at.expander if e.label != intake_form.TITLE] == ["변경 기록"]
    assert lazy_tabs(at)["audit_form_tab"][0] == "추진상황 변경"


def test_filters_narrow_the_table_and_the_item_selector(engine: Engine) -> None:
    at = open_view(run_page(), ITEMS)
    at.selectbox(key="audit_category").set_value("건의사항").run()
    assert "7건" in page_text(at)
    open_view(at, DETAIL)
    options = at.selectbox(key="audit_item").options
    assert len(options) == 7 and all(o.startswith("S-") for o in options)
    assert at.selectbox(key="audit_item").label == "항목 ('처리요구사항' 탭의 조건 건의사항: 7건)"
    open_view(at, ITEMS)  # the filter kept its value while its view was closed
    assert at.selectbox(key="audit_category").value == "건의사항"
    at.selectbox(key="audit_department").set_value("윤리감사실").run()
    assert "2건" in page_text(at)
    at.selectbox(key="audit_status").set_value("추진중").run()
    assert "0건" in page_text(at) and "조건에 맞는 항목이 없습니다." in page_text(at)
    open_view(at, DETAIL)
    assert "'처리요구사항' 탭의 조건에 맞는 항목이 없습니다." in page_text(at)


def test_the_chosen_item_and_form_stay_while_another_view_is_open(engine: Engine) -> None:
    at = open_form(choose(run_page(), "R-04"), "진행 메모 추가")
    open_view(at, SUMMARY)
    open_view(at, DETAIL)
    assert at.selectbox(key="audit_item").value == "R-04"
    assert at.session_state["audit_form_tab"] == "진행 메모 추가"
    assert [t.key for t in at.text_area] == ["audit_note_text_R-04"]


def test_a_status_change_through_the_form_is_saved(engine: Engine) -> None:
    at = choose(run_page(), "R-01")
    assert at.selectbox(key="audit_to_status_R-01").options == ["추진중 (사유 필수)"]
    submit_status(at, "R-01", "추진중", "설문 문항 보완 후 재조사")
    assert not errors(at)
    assert "R-01 추진상황을 완료 → 추진중으로 변경했습니다." in page_text(at)
    found = detail(engine, "R-01")
    assert found.item.status == "추진중"
    assert [(c.from_status, c.to_status, c.reason, c.changed_by) for c in found.changes] == [
        ("완료", "추진중", "설문 문항 보완 후 재조사", PLANNER.username)
    ]
    changed_on = fmt.date_short(found.changes[0].changed_on)
    assert (
        "**상태 변경 이력**\n\n| 순번 | 변경일 | 이전 | 변경 | 사유 | 기록자 |\n|---|---|---|---|---|---|\n"
        f"| 1 | {changed_on} | 완료 | 추진중 | 설문 문항 보완 후 재조사 | {PLANNER.username} |"
    ) in record(at)
    assert "**추진상황** 추진중" in record(at)
    text = page_text(open_view(at, SUMMARY))
    # the 총괄, computed beside the printed one
    assert "| 계 | 23 | :red-badge[22 (보고 23)] | :red-badge[1 (보고 0)] | 0 | 0 |" in text


def test_not_reflected_without_a_reason_is_refused_and_nothing_changes(engine: Engine) -> None:
    at = submit_status(choose(run_page(), "R-01"), "R-01", "추진중", "재조사")
    before = snapshot(engine)
    submit_status(at, "R-01", "미반영", "")
    assert errors(at) == ["R-01 사유: 추진중 → 미반영: 미반영에는 사유를 적어야 합니다"]
    assert snapshot(engine) == before
    submit_status(at, "R-01", "미반영", "예산 미확보")
    assert not errors(at) and detail(engine, "R-01").item.status == "미반영"


def test_a_change_made_meanwhile_by_someone_else_is_a_conflict(engine: Engine) -> None:
    at = choose(run_page(), "R-02")  # the user sees 완료
    change(engine, "R-02", "완료", "추진중", date(2025, 10, 1), "다른 사용자의 변경")
    before = snapshot(engine)
    submit_status(at, "R-02", "추진중", "보완")
    assert len(errors(at)) == 1 and "현재 값 추진중" in errors(at)[0]
    assert snapshot(engine) == before


def test_notes_and_evidence_through_the_forms(engine: Engine) -> None:
    at = open_form(choose(run_page(), "S-06"), "진행 메모 추가")
    at.date_input(key="audit_note_as_of_S-06").set_value(date(2025, 12, 31))
    at.text_area(key="audit_note_text_S-06").input("누리집 공개 자료 분기별 갱신")
    at.button(key="audit_note_submit_S-06").click().run()
    assert not at.exception and not errors(at)
    assert f"| '25. 12. 31. | 누리집 공개 자료 분기별 갱신 | {PLANNER.username} |" in record(at)

    open_form(at, "증빙 첨부")
    at.file_uploader(key="audit_evidence_file_S-06").set_value(("공개화면.pdf", PDF, "application/pdf"))
    at.button(key="audit_evidence_submit_S-06").click().run()
    assert not at.exception and not errors(at)
    assert "증빙 공개화면.pdf를 첨부했습니다" in page_text(at)
    assert [b.label for b in at.download_button] == ["공개화면.pdf 내려받기"]
    assert f"| 공개화면.pdf | {len(PDF):,} | {PLANNER.username} |" in record(at)
    assert hashlib.sha256(PDF).hexdigest() in record(at)
    assert [(e.file_name, e.size) for e in detail(engine, "S-06").evidence] == [("공개화면.pdf", len(PDF))]

    before = snapshot(engine)
    at.file_uploader(key="audit_evidence_file_S-06").set_value(("공개화면.pdf", b"MZ\x90\x00", "application/pdf"))
    at.button(key="audit_evidence_submit_S-06").click().run()
    assert errors(at) == ["S-06 파일 내용: 공개화면.pdf: 파일 내용이 .pdf 형식이 아닙니다"]
    assert snapshot(engine) == before


def test_only_an_auditor_gets_the_sign_off_form(engine: Engine) -> None:
    at = open_form(choose(run_page(), "R-01"), "감사 확인")
    assert "감사 확인은 감사(auditor) 역할만 할 수 있습니다." in page_text(at)
    assert not [b for b in at.button if b.key == "audit_signoff_submit_R-01"]

    at = choose(run_page(AUDITOR), "R-01")
    assert at.session_state["audit_form_tab"] == "감사 확인"  # auditors start on the form they use
    at.button(key="audit_signoff_submit_R-01").click().run()
    at.checkbox(key="audit_signoff_without_evidence_R-01").check()  # R-01 has no evidence
    at.button(key="audit_signoff_confirm_R-01").click().run()
    assert not at.exception and not errors(at)
    assert ":green-badge[:material/verified: 감사 확인: 완료] test-auditor, " in record(at)
    signoffs = detail(engine, "R-01").signoffs
    assert [(x.status, x.signed_by, x.holds) for x in signoffs] == [("완료", "test-auditor", True)]
    assert "현재 상태는 이미 확인되었습니다." in page_text(at)
    open_form(at, "추진상황 변경")  # auditors do not change items
    assert not [b for b in at.button if b.key == "audit_status_submit_R-01"]
    assert "기획조정실과 이 항목의 담당 부서만 바꿀 수 있습니다." in page_text(at)


def test_an_item_the_filters_leave_out_gives_way_to_the_first_they_keep(engine: Engine) -> None:
    at = choose(run_page(), "R-05")
    open_view(at, ITEMS)
    at.selectbox(key="audit_category").set_value("건의사항").run()
    open_view(at, DETAIL)
    assert not at.exception
    assert at.selectbox(key="audit_item").value == "S-01"
    assert record(at).startswith("#### S-01 건의사항")


def test_text_typed_by_users_is_shown_literally_in_the_record(engine: Engine) -> None:
    at = submit_status(choose(run_page(), "R-01"), "R-01", "추진중", "설문 | *문항* [보완]\n재조사")
    assert not errors(at)
    # one table row: the cell's markdown characters escaped, its line break a space
    assert "| 완료 | 추진중 | 설문 \\| \\*문항\\* \\[보완\\] 재조사 | test-planner |" in record(at)
