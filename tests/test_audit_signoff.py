"""감사 확인 and 보완 요구 in the domain (SQLite and PostgreSQL): the workflow rules as pure
functions, the sign-off's comment and no-evidence confirmation, sending an item back to its
department, the item list's marks and filters, evidence previews and the Korean refusal of a
wrong file type."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy.engine import Engine

from audit_followup import evidence, todo, workflow
from audit_followup import service as audit
from audit_followup.schemas import _history
from governance_app import store
from governance_app.core import clock
from governance_app.core.auth import Actor
from governance_app.core.db import session
from governance_app.core.errors import PermissionDeniedError, RefusedError
from tests.helpers.audit import (
    PLANNER,
    SESSION,
    change,
    detail,
    org_id,
    real_pdf,
    real_png,
    send_back,
    sign,
    snapshot,
    upload,
)

ETHICS = Actor("test-ethics", "department", "윤리감사실")  # owns


# --- the rules, without a database ------------------------------------------------------------


def test_rework_sends_a_closed_item_back_by_its_step_back() -> None:
    assert workflow.returned_to("완료") == "추진중"
    assert workflow.returned_to("미반영") == "검토중"
    assert workflow.returned_to("추진중") is None and workflow.returned_to("검토중") is None
    assert [s for s in workflow.TRANSITIONS if workflow.may_return(s)] == ["완료", "미반영"]
    # each rework move is a move the workflow allows anyway, and one that needs a reason
    for closed, back in workflow.REWORK.items():
        assert workflow.allowed(closed, back) and workflow.reason_required(closed, back)
        assert workflow.is_rework(closed, back)
    assert not workflow.is_rework("추진중", "검토중") and not workflow.is_rework("완료", "검토중")


def test_a_returned_item_stays_returned_until_closed_again() -> None:
    assert workflow.is_returned("추진중", True) and workflow.is_returned("검토중", True)
    assert not workflow.is_returned("완료", True)  # the department closed it again
    assert not workflow.is_returned("추진중", False)  # reopened by the department itself


def test_signoff_confirmation_and_awaiting() -> None:
    assert workflow.signoff_needs_confirmation(0) and not workflow.signoff_needs_confirmation(1)
    assert workflow.awaits_signoff("완료", False) and workflow.awaits_signoff("미반영", False)
    assert not workflow.awaits_signoff("완료", True) and not workflow.awaits_signoff("추진중", False)


def test_marks_and_list_filters() -> None:
    assert workflow.marks(overdue=True, stale=True, awaiting=False, returned=True) == [
        "기한 경과",
        "장기 미갱신",
        "보완 요구",
    ]
    assert workflow.marks(overdue=False, stale=False, awaiting=True, returned=False) == ["확인 대기"]
    assert workflow.passes((), [], True)
    assert workflow.passes(("미확인",), ["확인 대기"], False) and not workflow.passes(("미확인",), [], True)
    assert workflow.passes(("미확인", "기한 경과"), ["기한 경과"], False)
    assert not workflow.passes(("미확인", "기한 경과"), ["장기 미갱신"], False)  # every chosen filter


# --- sign-off ----------------------------------------------------------------------------------


def test_a_sign_off_without_evidence_needs_the_auditors_confirmation(engine: Engine) -> None:
    before = snapshot(engine)
    with pytest.raises(RefusedError) as refused:
        sign(engine, "R-05", "완료", without_evidence=False)
    assert str(refused.value) == (
        "R-05 증빙 자료: 첨부된 증빙 자료가 없습니다. 증빙 없이 확인하려면 '증빙 없이 확인합니다'를 선택하세요"
    )
    assert snapshot(engine) == before
    signed = sign(engine, "R-05", "완료", comment="  외부강의 신고 대장 확인  ", without_evidence=True)
    assert (signed.comment, signed.without_evidence, signed.signed_by) == (
        "외부강의 신고 대장 확인",
        True,
        "auditor-kim",
    )
    [row] = snapshot(engine)["audit_signoff"]
    assert (row["comment"], row["without_evidence"]) == ("외부강의 신고 대장 확인", True)
    shown = detail(engine, "R-05").signoffs
    assert [(x.comment, x.without_evidence, x.holds) for x in shown] == [("외부강의 신고 대장 확인", True, True)]


def test_a_sign_off_with_evidence_needs_no_confirmation(engine: Engine) -> None:
    upload(engine, "R-06", "점검결과.pdf", real_pdf())
    signed = sign(engine, "R-06", "완료", without_evidence=False)
    assert (signed.comment, signed.without_evidence) == (None, False)


def test_the_item_history_shows_the_sign_off_with_its_comment(engine: Engine) -> None:
    sign(engine, "R-05", "완료", comment="신고 대장 확인")
    with session(engine) as s:
        logged = audit.item_history(s, PLANNER, SESSION, "R-05")
    assert logged[0].table == "audit_item"  # its creation when the dataset was loaded
    [entry] = [e for e in logged if e.table == "audit_signoff"]
    assert logged[-1] == entry
    assert (entry.table, entry.action, entry.actor) == ("audit_signoff", "create", "auditor-kim")
    assert entry.fields["comment"][1] == "신고 대장 확인" and entry.fields["without_evidence"][1] is True


# --- 보완 요구 ---------------------------------------------------------------------------------


def test_rework_needs_a_reason_and_nothing_is_written_without_one(engine: Engine) -> None:
    before = snapshot(engine)
    for reason in ("", "   "):
        with pytest.raises(RefusedError) as refused:
            send_back(engine, "R-05", "완료", reason)
        assert str(refused.value) == "R-05 사유: 보완 요구에는 사유를 적어야 합니다"
    assert snapshot(engine) == before


def test_rework_returns_the_item_to_its_department_and_voids_the_sign_off(engine: Engine) -> None:
    sign(engine, "R-05", "완료")
    back = send_back(engine, "R-05", "완료", "점검 결과 보고서가 없습니다")
    assert (back.from_status, back.to_status, back.returned, back.changed_by) == ("완료", "추진중", True, "auditor-kim")
    assert back.changed_on == clock.today() and back.reason == "점검 결과 보고서가 없습니다"
    found = detail(engine, "R-05", clock.today())
    assert found.item.status == "추진중" and found.follow_up.returned
    assert found.follow_up.marks == ["보완 요구"] and found.follow_up.signoff is None
    assert [x.holds for x in found.signoffs] == [False]
    with session(engine) as s:
        own = todo.audit_todo(s, org_id(engine), SESSION, clock.today(), department="윤리감사실")
        other = todo.audit_todo(s, org_id(engine), SESSION, clock.today(), department="스마트전산부")
    assert [(t.code, t.status, t.reason) for t in own.returned] == [("R-05", "추진중", "점검 결과 보고서가 없습니다")]
    assert other.returned == ()
    # the department closes it again: no longer returned, awaiting the auditor again
    change(engine, "R-05", "추진중", "완료", clock.today(), actor=ETHICS)
    found = detail(engine, "R-05", clock.today())
    assert not found.follow_up.returned and found.follow_up.marks == ["확인 대기"]


def test_a_not_reflected_item_goes_back_to_review(engine: Engine) -> None:
    change(engine, "R-05", "완료", "추진중", date(2025, 10, 1), "재점검")
    change(engine, "R-05", "추진중", "미반영", date(2025, 10, 2), "예산 미확보")
    assert send_back(engine, "R-05", "미반영", "대안 검토 필요").to_status == "검토중"


def test_only_the_auditor_sends_back_and_only_a_closed_item(engine: Engine) -> None:
    before = snapshot(engine)
    for who in (PLANNER, ETHICS):
        with pytest.raises(PermissionDeniedError):
            send_back(engine, "R-05", "완료", "보완", actor=who)
    assert snapshot(engine) == before
    send_back(engine, "R-05", "완료", "보완")
    with pytest.raises(RefusedError) as refused:
        send_back(engine, "R-05", "추진중", "다시")
    assert str(refused.value) == "R-05 추진상황: 완료·미반영 항목만 보완을 요구할 수 있습니다 (현재 추진중)"


def test_validate_warns_of_a_returned_change_that_is_not_a_step_back(engine: Engine) -> None:
    change(engine, "R-05", "완료", "추진중", date(2025, 10, 1), "재점검")
    with session(engine) as s:
        dataset = store.from_db(s)
    dataset["audit_status_change"].rows[0]["returned"] = True  # 완료 → 추진중: a rework move
    assert not [f for f in _history(dataset) if f.field == "returned"]
    dataset["audit_status_change"].rows[0]["to_status"] = "미반영"
    [found] = [f for f in _history(dataset) if f.field == "returned"]
    assert found.message == "R-05 상태 이력 1: 완료 → 미반영은 보완 요구의 변경이 아닙니다"


# --- the item list -------------------------------------------------------------------------------


def listed(engine: Engine, on: date, **filters: object) -> list[str]:
    with session(engine) as s:
        return [x.item.code for x in audit.item_list(s, org_id(engine), SESSION, on, **filters)]  # type: ignore[arg-type]


def test_the_list_filters_unsigned_overdue_and_stale(engine: Engine) -> None:
    on = date(2025, 9, 2)
    assert len(listed(engine, on)) == 23
    assert len(listed(engine, on, wanted=("미확인",))) == 23  # no sign-off in the seed
    sign(engine, "R-05", "완료")
    unsigned = listed(engine, on, wanted=("미확인",))
    assert len(unsigned) == 22 and "R-05" not in unsigned
    assert listed(engine, on, wanted=("기한 경과",)) == []
    change(engine, "R-01", "완료", "추진중", date(2025, 9, 1), "재조사")
    with session(engine) as s:
        audit.set_due_date(
            session=s, actor=PLANNER, org_id=org_id(engine), session_code=SESSION, item_code="R-01",
            due_date=date(2025, 10, 31),
        )  # fmt: skip
    assert listed(engine, date(2025, 11, 1), wanted=("기한 경과",)) == ["R-01"]
    assert listed(engine, date(2025, 10, 31), wanted=("기한 경과",)) == []  # due that day, not past
    # 90 days after the last update (the change on 9. 1.) is 11. 30.; stale from 12. 1.
    assert listed(engine, date(2025, 11, 30), wanted=("장기 미갱신",)) == []
    assert listed(engine, date(2025, 12, 1), wanted=("장기 미갱신",)) == ["R-01"]
    assert listed(engine, date(2025, 12, 1), wanted=("기한 경과", "장기 미갱신", "미확인")) == ["R-01"]
    assert listed(engine, on, department="윤리감사실") == ["R-05", "R-06", "R-07", "S-01", "S-03"]
    assert listed(engine, on, department="윤리감사실", wanted=("미확인",)) == ["R-06", "R-07", "S-01", "S-03"]
    with pytest.raises(ValueError):
        listed(engine, on, wanted=("없는 표시",))


# --- evidence ------------------------------------------------------------------------------------


def test_a_wrong_file_type_is_refused_in_korean_naming_the_allowed_types(engine: Engine) -> None:
    before = snapshot(engine)
    with pytest.raises(RefusedError) as refused:
        upload(engine, "R-05", "메모.txt", b"text/plain")
    assert str(refused.value) == (
        "R-05 파일 형식: 메모.txt: .txt 파일은 올릴 수 없습니다. "
        "올릴 수 있는 형식: PDF, 한글(HWP·HWPX), 워드(DOCX), 엑셀(XLSX), 그림(PNG·JPG)"
    )
    with pytest.raises(RefusedError, match="확장자가 없는 파일은 올릴 수 없습니다"):
        upload(engine, "R-05", "README", b"text")
    assert snapshot(engine) == before
    # every allowed extension is named in the message
    for ext in evidence.EXTENSIONS:
        assert ext.upper() in evidence.ALLOWED_TEXT or ext == "jpeg"


def preview(engine: Engine, code: str, seq: int) -> audit.EvidencePreview:
    with session(engine) as s:
        return audit.evidence_preview(s, org_id(engine), SESSION, code, seq)


def test_previews_of_images_and_the_first_page_of_a_pdf(engine: Engine) -> None:
    png, pdf = real_png(), real_pdf(pages=3)
    upload(engine, "R-05", "현장사진.png", png)
    upload(engine, "R-05", "점검결과.pdf", pdf)
    upload(engine, "R-05", "깨진문서.pdf", b"%PDF-1.7\nnot a document")
    upload(engine, "R-05", "점검표.docx", b"PK\x03\x04" + b"\x00" * 40)
    assert preview(engine, "R-05", 1) == audit.EvidencePreview("현장사진.png", png)
    page = preview(engine, "R-05", 2)
    assert page.file_name == "점검결과.pdf" and page.image is not None and page.note is None
    drawn = Image.open(BytesIO(page.image))
    # one page (A4, 595 × 842 points, at 60 dpi: 497 × 702 pixels), not three
    assert drawn.format == "PNG" and drawn.size == (497, 702)
    assert preview(engine, "R-05", 3) == audit.EvidencePreview(
        "깨진문서.pdf", None, "PDF의 첫 쪽을 그리지 못했습니다. 내려받아 확인하세요."
    )
    assert preview(engine, "R-05", 4).note == "이 형식은 미리 볼 수 없습니다. 내려받아 확인하세요."


def test_a_stale_date_for_rework_is_refused(engine: Engine) -> None:
    later = clock.today() + timedelta(days=5)
    change(engine, "R-05", "완료", "추진중", later, "앞날짜 변경")
    change(engine, "R-05", "추진중", "완료", later)
    with pytest.raises(RefusedError, match="이전 변경일"):
        send_back(engine, "R-05", "완료", "보완")
