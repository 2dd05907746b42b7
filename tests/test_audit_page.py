"""The 행정사무감사 page in AppTest (SQLite and PostgreSQL): filters, the item detail and the
forms that change an item through the services."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from governance_app.auth import Actor
from governance_app.settings import ROOT
from tests.conftest import PLANNER, sign_in
from tests.test_audit_evidence import PDF
from tests.test_audit_workflow import change, detail, snapshot
from tests.test_pages import page_text

PAGE = ROOT / "governance_app" / "pages" / "audit.py"


AUDITOR = Actor("test-auditor", "auditor")


def run_page(actor: Actor = PLANNER) -> AppTest:
    at = sign_in(AppTest.from_file(str(PAGE), default_timeout=30), actor)
    at.run()
    assert not at.exception, at.exception
    return at


def choose(at: AppTest, code: str) -> AppTest:
    at.selectbox(key="audit_item").set_value(code).run()
    assert not at.exception, at.exception
    return at


def open_form(at: AppTest, label: str) -> AppTest:
    """Open one of the item's form tabs (only the open one runs)."""
    at.session_state["audit_form_tab"] = label
    at.run()
    assert not at.exception, at.exception
    return at


def submit_status(at: AppTest, code: str, to_status: str, reason: str = "") -> AppTest:
    at.selectbox(key=f"audit_to_status_{code}").set_value(to_status)
    at.text_area(key=f"audit_reason_{code}").input(reason)
    at.button(key=f"audit_status_submit_{code}").click().run()
    assert not at.exception, at.exception
    return at


def errors(at: AppTest) -> list[str]:
    """Error messages apart from the 총괄 mismatch the seed always shows."""
    return [e.value for e in at.error if not e.value.startswith("보고된 총괄표가 개별 항목과 다릅니다")]


def test_page_shows_items_flags_and_the_selected_items_record(engine: Engine) -> None:
    at = run_page()
    text = page_text(at)
    assert "23건" in text and "건의사항·완료 보고 6 / 항목 7" in text
    assert at.date_input(key="audit_on").value == date.today()
    assert len(at.selectbox(key="audit_item").options) == 23
    choose(at, "R-05")
    text = page_text(at)
    assert "종합감사 결과 직원 외부 강의 출강 시 복무 관리를 강화할" in text
    assert "보고 당시(2025. 9. 1.) 추진상황: 완료" in text
    assert "기록된 상태 변경이 없습니다" in text and "첨부된 증빙이 없습니다" in text


def test_filters_narrow_the_table_and_the_item_selector(engine: Engine) -> None:
    at = run_page()
    at.selectbox(key="audit_category").set_value("건의사항").run()
    assert "7건" in page_text(at)
    assert at.selectbox(key="audit_item").options == [
        o for o in at.selectbox(key="audit_item").options if o.startswith("S-")
    ]
    assert len(at.selectbox(key="audit_item").options) == 7
    at.selectbox(key="audit_department").set_value("윤리감사실").run()
    assert "2건" in page_text(at)
    at.selectbox(key="audit_status").set_value("추진중").run()
    assert "0건" in page_text(at) and "조건에 맞는 항목이 없습니다." in page_text(at)


def test_a_status_change_through_the_form_is_saved(engine: Engine) -> None:
    at = choose(run_page(), "R-01")
    assert at.selectbox(key="audit_to_status_R-01").options == ["추진중 (사유 필수)"]
    submit_status(at, "R-01", "추진중", "설문 문항 보완 후 재조사")
    assert not errors(at)
    text = page_text(at)
    assert "R-01 추진상황을 완료 → 추진중(으)로 변경했습니다." in text
    assert "22 (보고 23)" in text and "1 (보고 0)" in text  # the 총괄, computed beside the printed one
    found = detail(engine, "R-01")
    assert found.item.status == "추진중"
    assert [(c.from_status, c.to_status, c.reason, c.changed_by) for c in found.changes] == [
        ("완료", "추진중", "설문 문항 보완 후 재조사", PLANNER.username)
    ]
    history = next(f.value for f in at.dataframe if "기록자" in f.value.columns)
    assert history[["이전", "변경", "사유"]].values.tolist() == [["완료", "추진중", "설문 문항 보완 후 재조사"]]


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
    notes = next(f.value for f in at.dataframe if "작성자" in f.value.columns)
    assert notes[["기준일", "내용"]].values.tolist() == [["'25. 12. 31.", "누리집 공개 자료 분기별 갱신"]]

    open_form(at, "증빙 첨부")
    at.file_uploader(key="audit_evidence_file_S-06").set_value(("공개화면.pdf", PDF, "application/pdf"))
    at.button(key="audit_evidence_submit_S-06").click().run()
    assert not at.exception and not errors(at)
    assert "증빙 공개화면.pdf을(를) 첨부했습니다" in page_text(at)
    assert [b.label for b in at.download_button] == ["내려받기"]
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
    assert not at.exception and not errors(at)
    assert "감사 확인: 완료 (test-auditor," in page_text(at)
    signoffs = detail(engine, "R-01").signoffs
    assert [(x.status, x.signed_by, x.holds) for x in signoffs] == [("완료", "test-auditor", True)]
    assert "현재 상태는 이미 확인되었습니다." in page_text(at)
    open_form(at, "추진상황 변경")  # auditors do not change items
    assert not [b for b in at.button if b.key == "audit_status_submit_R-01"]
    assert "기획조정실과 이 항목의 담당 부서만 바꿀 수 있습니다." in page_text(at)
