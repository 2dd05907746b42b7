"""The audit page's list, sign-off and input traps in AppTest (SQLite and PostgreSQL): a row
click opens the item, the list's marks and filters, 감사 확인 with its confirmation step and
comment, the no-evidence warning, 보완 요구 and the department's home page, evidence previews,
the 기한 form, a wrong file type and messages shown as plain text."""

from __future__ import annotations

import json
from datetime import date

from markdown_it import MarkdownIt
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from governance_app.core import clock
from governance_app.core import formatting as fmt
from governance_app.core.auth import Actor
from governance_app.core.settings import ROOT
from tests.helpers import PLANNER, sign_in
from tests.helpers.audit import change, detail, real_pdf, real_png, sign, snapshot, upload
from tests.helpers.pages import page_text, shown

PAGES = ROOT / "governance_app" / "pages"
AUDITOR = Actor("test-auditor", "auditor")
ETHICS = Actor("test-ethics", "department", "윤리감사실")  # owns, S-01, S-03
ITEMS, DETAIL = "처리요구사항", "항목 상세"


def run(actor: Actor = PLANNER, name: str = "audit") -> AppTest:
    """The audit page, or the app opening on its home page (``name="home"``: its links need the
    app's navigation)."""
    script = ROOT / "streamlit_app.py" if name == "home" else PAGES / f"{name}.py"
    at = sign_in(AppTest.from_file(str(script), default_timeout=60), actor)
    at.run()
    assert not at.exception, at.exception
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def view(at: AppTest, label: str) -> AppTest:
    at.session_state["audit_view"] = label
    return rerun(at)


def form(at: AppTest, label: str) -> AppTest:
    at.session_state["audit_form_tab"] = label
    return rerun(at)


def item(at: AppTest, code: str) -> AppTest:
    if not [s for s in at.selectbox if s.key == "audit_item"]:
        view(at, DETAIL)
    at.selectbox(key="audit_item").set_value(code)
    return rerun(at)


def the_list(at: AppTest) -> AppTest:
    return view(at, ITEMS)


def listed(at: AppTest):  # type: ignore[no-untyped-def]
    [frame] = [f for f in at.dataframe if (f.key or "").startswith("audit_items_")]
    return frame


def record(at: AppTest) -> str:
    [found] = [m.value for m in at.markdown if m.value.startswith("#### ")]
    return shown(found)


def errors(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error if not shown(e.value).startswith("보고된 총괄표가")]


def click_row(at: AppTest, code: str) -> AppTest:
    """A click on the row of ``code``: the table's selection state as the browser sends it."""
    frame = listed(at)
    row = list(frame.value["번호"]).index(code)
    at.session_state[frame.key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return rerun(at)


# --- the list ------------------------------------------------------------------------------------


def test_a_click_on_a_row_opens_the_item(engine: Engine) -> None:
    at = the_list(run())
    first_key = listed(at).key
    click_row(at, "R-05")
    assert at.session_state["audit_view"] == DETAIL
    assert at.selectbox(key="audit_item").value == "R-05"
    assert record(at).startswith("#### R-05 시정·처리요구사항")
    # back on the list no row is selected, and a click on another row opens that one
    the_list(at)
    assert listed(at).key != first_key
    click_row(at, "S-06")
    assert at.selectbox(key="audit_item").value == "S-06" and record(at).startswith("#### S-06 건의사항")


def test_the_list_shows_marks_and_sign_offs_in_columns_that_fit(engine: Engine) -> None:
    sign(engine, "R-05", "완료", AUDITOR)
    change(engine, "R-01", "완료", "추진중", date(2025, 9, 1), "재조사")
    at = the_list(run())
    at.date_input(key="audit_on").set_value(date(2025, 12, 1))
    rerun(at)
    frame = listed(at)
    rows = {r["번호"]: r for r in frame.value.to_dict("records")}
    assert rows["R-05"]["감사 확인"] == f"확인됨 {fmt.date_short(clock.today())}" and rows["R-05"]["표시"] == ""
    assert rows["R-02"]["감사 확인"] == "미확인" and rows["R-02"]["표시"] == "확인 대기"
    assert rows["R-01"]["표시"] == "장기 미갱신" and rows["R-01"]["최근 갱신"] == "'25. 9. 1."
    # 요구사항 shortened in the list, whole in the item's record
    full = detail(engine, "R-05").item.request
    assert rows["R-05"]["요구사항"] == " ".join(full.split())[:13] + "…"
    # every column has a width; together with the selection column they fit beside the sidebar
    # of a 1280 px window (1280 - 300 sidebar - 2 × 80 padding = 820 px, with room to spare)
    config = json.loads(frame.proto.columns)
    widths = {name: config[name]["width"] for name in frame.value.columns}
    assert list(widths)[-4:] == ["기한", "최근 갱신", "표시", "감사 확인"]
    assert sum(widths.values()) + 40 <= 820, widths
    assert frame.proto.selection_mode == [0]  # single row


def test_the_filters_unsigned_overdue_and_stale(engine: Engine) -> None:
    sign(engine, "R-05", "완료", AUDITOR)
    at = the_list(run())
    at.pills(key="audit_marks").set_value(["미확인"])
    rerun(at)
    assert "22건" in page_text(at) and "R-05" not in list(listed(at).value["번호"])
    change(engine, "R-01", "완료", "추진중", date(2025, 9, 1), "재조사")
    at.pills(key="audit_marks").set_value(["장기 미갱신"])
    at.date_input(key="audit_on").set_value(date(2025, 12, 1))
    rerun(at)
    assert list(listed(at).value["번호"]) == ["R-01"]
    at.pills(key="audit_marks").set_value(["기한 경과"])
    rerun(at)
    assert "조건에 맞는 항목이 없습니다." in page_text(at)
    # the item view offers what the list shows
    at.pills(key="audit_marks").set_value(["장기 미갱신"])
    view(rerun(at), DETAIL)
    assert at.selectbox(key="audit_item").options == ["R-01 " + detail(engine, "R-01").item.request[:50]]
    assert at.selectbox(key="audit_item").label == "항목 ('처리요구사항' 탭의 조건 장기 미갱신: 1건)"


def test_a_department_sees_its_own_items_first(engine: Engine) -> None:
    at = the_list(run(ETHICS))
    assert at.selectbox(key="audit_department").value == "윤리감사실"
    assert list(listed(at).value["번호"]) == ["R-05", "R-06", "R-07", "S-01", "S-03"]


# --- 감사 확인 -----------------------------------------------------------------------------------


def test_sign_off_needs_the_confirmation_step_and_stores_the_comment(engine: Engine) -> None:
    upload(engine, "R-06", "점검결과.pdf", real_pdf())
    at = item(run(AUDITOR), "R-06")
    assert not at.warning  # R-06 has evidence: no warning
    before = snapshot(engine)
    at.text_area(key="audit_signoff_comment_R-06").input("점검 결과 보고서 확인")
    at.button(key="audit_signoff_submit_R-06").click()
    rerun(at)
    assert snapshot(engine) == before  # nothing signed yet: the confirmation step
    assert "R-06 추진상황 '완료'를 확인합니다. 의견: 점검 결과 보고서 확인" in page_text(at)
    assert not [c for c in at.checkbox if c.key == "audit_signoff_without_evidence_R-06"]
    at.button(key="audit_signoff_cancel_R-06").click()
    rerun(at)  # cancelled: back to the form, still nothing signed
    assert snapshot(engine) == before and at.button(key="audit_signoff_submit_R-06")
    at.text_area(key="audit_signoff_comment_R-06").input("점검 결과 보고서 확인")
    at.button(key="audit_signoff_submit_R-06").click()
    rerun(at)
    at.button(key="audit_signoff_confirm_R-06").click()
    rerun(at)
    assert not errors(at)
    assert "R-06 추진상황 '완료'를 확인했습니다." in page_text(at)
    [signed] = detail(engine, "R-06").signoffs
    assert (signed.comment, signed.without_evidence, signed.signed_by) == (
        "점검 결과 보고서 확인",
        False,
        "test-auditor",
    )
    assert ":green-badge[:material/verified: 감사 확인: 완료] test-auditor, " in record(at)
    assert "— 점검 결과 보고서 확인" in record(at)
    assert "| 확인한 상태 | 확인자 | 확인일 | 의견 | 증빙 | 효력 |" in record(at)
    assert f"| 완료 | test-auditor | {fmt.date_short(clock.today())} | 점검 결과 보고서 확인 | 있음 | 유효 |" in record(
        at
    )
    # and in the item's change log
    at.session_state["audit_changelog"] = True
    rerun(at)
    [log] = [f.value for f in at.dataframe if "변경 내용" in f.value.columns]
    entry = log[log["기록"] == "감사 확인"].iloc[-1]
    assert entry["사용자"] == "test-auditor" and "의견: 점검 결과 보고서 확인" in entry["변경 내용"]


def test_an_item_without_evidence_is_signed_only_after_confirming_so(engine: Engine) -> None:
    at = item(run(AUDITOR), "R-05")  # R-05 has no evidence (as every seed item)
    assert [shown(w.value) for w in at.warning] == [
        "R-05에는 첨부된 증빙 자료가 없습니다. 증빙 없이 확인하려면 확인 단계에서 선택하세요."
    ]
    at.button(key="audit_signoff_submit_R-05").click()
    rerun(at)
    before = snapshot(engine)
    at.button(key="audit_signoff_confirm_R-05").click()
    rerun(at)  # confirmed without ticking "증빙 없이 확인합니다": refused
    assert errors(at) == [
        "R-05 증빙 자료: 첨부된 증빙 자료가 없습니다. 증빙 없이 확인하려면 '증빙 없이 확인합니다'를 선택하세요"
    ]
    assert snapshot(engine) == before
    at.checkbox(key="audit_signoff_without_evidence_R-05").check()
    at.button(key="audit_signoff_confirm_R-05").click()
    rerun(at)
    assert not errors(at)
    [signed] = detail(engine, "R-05").signoffs
    assert (signed.comment, signed.without_evidence) == (None, True)
    assert f"| {fmt.date_short(clock.today())} |  | 없이 확인 | 유효 |" in record(at)


# --- 보완 요구 -----------------------------------------------------------------------------------


def test_rework_needs_a_reason_and_the_department_then_lists_the_item(engine: Engine) -> None:
    at = form(item(run(AUDITOR), "R-05"), "보완 요구")
    assert "R-05를 완료 → 추진중으로 되돌려 윤리감사실에 보냅니다." in page_text(at)
    before = snapshot(engine)
    at.button(key="audit_rework_submit_R-05").click()
    rerun(at)
    assert errors(at) == ["R-05 사유: 보완 요구에는 사유를 적어야 합니다"]
    assert snapshot(engine) == before
    at.text_area(key="audit_rework_reason_R-05").input("2025년 하반기 점검 결과를 첨부하세요")
    at.button(key="audit_rework_submit_R-05").click()
    rerun(at)
    assert not errors(at) and "R-05 보완을 요구했습니다: 완료 → 추진중." in page_text(at)
    found = detail(engine, "R-05", clock.today())
    assert found.item.status == "추진중" and found.follow_up.returned
    assert ":orange-badge[:material/undo: 보완 요구] test-auditor, " in record(at)
    assert "| 완료 | 추진중 | 보완 요구: 2025년 하반기 점검 결과를 첨부하세요 | test-auditor |" in record(at)
    home = run(ETHICS, "home")
    assert "#### 보완을 요구받은 항목 1건" in [m.value.split("\n")[0] for m in home.markdown]
    [link] = [p.proto for p in home.get("page_link") if p.proto.label.endswith("보완하기")]
    assert link.label.startswith("R-05 ") and link.page.endswith("audit") and "item=R-05" in link.query_string
    assert "사유: 2025년 하반기 점검 결과를 첨부하세요" in link.help
    # the link opens the item on the audit page
    opened = sign_in(AppTest.from_file(str(PAGES / "audit.py"), default_timeout=60), ETHICS)
    opened.query_params["item"] = "R-05"
    rerun(opened)
    assert opened.session_state["audit_view"] == DETAIL and opened.selectbox(key="audit_item").value == "R-05"
    # another department's home page does not list it
    other = run(Actor("test-smart", "department", "스마트전산부"), "home")
    assert not [p for p in other.get("page_link") if p.proto.label.endswith("보완하기")]


def test_rework_is_offered_only_to_the_auditor(engine: Engine) -> None:
    at = form(item(run(), "R-05"), "보완 요구")
    assert "보완 요구는 감사(auditor) 역할만 할 수 있습니다." in page_text(at)
    assert not [b for b in at.button if b.key == "audit_rework_submit_R-05"]


# --- evidence ------------------------------------------------------------------------------------


def test_images_and_the_first_page_of_a_pdf_are_previewed(engine: Engine) -> None:
    upload(engine, "R-05", "현장사진.png", real_png())
    upload(engine, "R-05", "점검결과.pdf", real_pdf())
    upload(engine, "R-05", "점검표.docx", b"PK\x03\x04" + b"\x00" * 40)
    at = item(run(AUDITOR), "R-05")  # open at first for the auditor
    assert [e.label for e in at.expander if e.label.startswith("증빙 미리 보기")] == ["증빙 미리 보기 (2건)"]
    assert [c for i in at.image for c in i.captions] == ["현장사진.png", "점검결과.pdf (첫 쪽)"]
    assert all(u for i in at.image for u in i.value)
    at = item(run(), "R-05")  # closed for others: nothing read or sent
    assert not at.image
    at.session_state["audit_preview_R-05"] = True
    rerun(at)
    assert len(at.image) == 2


def test_a_wrong_file_type_gets_a_korean_message(engine: Engine) -> None:
    at = form(item(run(), "S-06"), "증빙 첨부")
    assert list(at.file_uploader(key="audit_evidence_file_S-06").proto.type) == []  # any file is taken
    before = snapshot(engine)
    at.file_uploader(key="audit_evidence_file_S-06").set_value(("메모.txt", b"plain text", "text/plain"))
    at.button(key="audit_evidence_submit_S-06").click()
    rerun(at)
    assert errors(at) == [
        "S-06 파일 형식: 메모.txt: .txt 파일은 올릴 수 없습니다. "
        "올릴 수 있는 형식: PDF, 한글(HWP·HWPX), 워드(DOCX), 엑셀(XLSX), 그림(PNG·JPG)"
    ]
    assert snapshot(engine) == before


# --- 기한 ----------------------------------------------------------------------------------------


def test_a_typed_due_date_unticks_no_due_date_and_is_saved(engine: Engine) -> None:
    at = form(item(run(), "R-01"), "기한")
    assert at.checkbox(key="audit_no_due_R-01").value is True  # R-01 has no 기한
    assert at.date_input(key="audit_due_date_R-01").value is None
    at.date_input(key="audit_due_date_R-01").set_value(date(2026, 3, 31))
    rerun(at)
    assert at.checkbox(key="audit_no_due_R-01").value is False
    at.button(key="audit_due_submit_R-01").click()
    rerun(at)
    assert not errors(at) and "R-01 기한을 2026. 3. 31.로 정했습니다." in page_text(at)
    assert detail(engine, "R-01").item.due_date == date(2026, 3, 31)
    # typing and saving in one go (the browser sends both at once) saves the date too
    at.date_input(key="audit_due_date_R-01").set_value(date(2026, 4, 30))
    at.button(key="audit_due_submit_R-01").click()
    rerun(at)
    assert detail(engine, "R-01").item.due_date == date(2026, 4, 30)
    # ticking 기한 없음 clears it
    at.checkbox(key="audit_no_due_R-01").check()
    at.button(key="audit_due_submit_R-01").click()
    rerun(at)
    assert detail(engine, "R-01").item.due_date is None and "R-01 기한을 없음으로 정했습니다." in page_text(at)


# --- messages ------------------------------------------------------------------------------------


def test_a_message_starting_with_a_date_is_a_sentence_not_a_list(engine: Engine) -> None:
    at = form(item(run(), "S-06"), "진행 메모 추가")
    at.date_input(key="audit_note_as_of_S-06").set_value(date(2025, 8, 31))
    at.text_area(key="audit_note_text_S-06").input("공개 자료 갱신")
    at.button(key="audit_note_submit_S-06").click()
    rerun(at)
    [message] = [s.value for s in at.success]
    assert shown(message) == "2025. 8. 31. 기준 진행 메모를 저장했습니다 (S-06)."
    html = MarkdownIt("commonmark").render(message)
    assert "<ol" not in html and "<li" not in html
    assert html.strip() == "<p>2025. 8. 31. 기준 진행 메모를 저장했습니다 (S-06).</p>"
    assert "<ol" in MarkdownIt("commonmark").render(shown(message))  # what it was before: a list
