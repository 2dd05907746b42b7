"""Audit follow-up workflow on SQLite and PostgreSQL: status changes, reasons, conflicts,
permissions, sign-offs, the 총괄 recomputed from the items, and the overdue/stale flags."""

from __future__ import annotations

import json
from datetime import date
from itertools import product
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from audit_followup import service as audit
from audit_followup import workflow
from audit_followup.models import STATUSES
from governance_app import store
from governance_app.cli import main
from governance_app.core import changelog
from governance_app.core.auth import Actor, PermissionDeniedError
from governance_app.core.db import session
from governance_app.dataset import read_csv, write_csv
from governance_app.validation import validate
from tests.helpers.audit import AUDITOR, PLANNER, SESSION, change, detail, note, org_id, sign, snapshot

ETHICS = Actor("ethics-lee", "department", "윤리감사실")  # S-01, S-03

ALLOWED = {
    ("검토중", "추진중"),
    ("검토중", "미반영"),
    ("추진중", "완료"),
    ("추진중", "미반영"),
    ("추진중", "검토중"),
    ("완료", "추진중"),
    ("미반영", "검토중"),
}


def follow_up(engine: Engine, code: str, on: date) -> audit.FollowUp:
    with session(engine) as s:
        return audit.follow_ups(s, org_id(engine), SESSION, on)[code]


@pytest.mark.parametrize(("from_status", "to_status"), list(product(STATUSES, STATUSES)))
def test_transition_rules(from_status: str, to_status: str) -> None:
    assert workflow.allowed(from_status, to_status) == ((from_status, to_status) in ALLOWED)
    needs_reason = to_status == "미반영" or (from_status, to_status) in {
        ("추진중", "검토중"),
        ("완료", "추진중"),
        ("미반영", "검토중"),
    }
    assert workflow.reason_required(from_status, to_status) == needs_reason


def test_every_allowed_step_is_recorded_in_order(engine: Engine) -> None:
    steps = [
        ("완료", "추진중", date(2025, 10, 1), "의회 재검토 요청"),
        ("추진중", "검토중", date(2025, 10, 2), "예산 삭감으로 재검토"),
        ("검토중", "추진중", date(2025, 10, 2), None),
        ("추진중", "미반영", date(2025, 11, 3), "시스템 교체로 불필요"),
        ("미반영", "검토중", date(2025, 11, 20), "시 요청으로 재검토"),
        ("검토중", "미반영", date(2025, 11, 21), "재검토 결과 동일"),
        ("미반영", "검토중", date(2025, 12, 1), "예산 확보"),
        ("검토중", "추진중", date(2025, 12, 2), None),
        ("추진중", "완료", date(2025, 12, 31), None),
    ]
    for from_status, to_status, on, reason in steps:
        recorded = change(engine, "R-01", from_status, to_status, on, reason)
        assert (recorded.from_status, recorded.to_status, recorded.changed_by) == (
            from_status,
            to_status,
            "planner-park",
        )
    found = detail(engine, "R-01")
    assert [(c.seq, c.from_status, c.to_status, c.changed_on, c.reason) for c in found.changes] == [
        (n, *step) for n, step in enumerate(steps, start=1)
    ]
    assert found.item.status == "완료" and found.reported_status == "완료"
    # a history that follows the rules adds no finding to the seed's five
    with session(engine) as s:
        findings = validate(store.from_db(s))
    assert not [f for f in findings if f.severity == "error"]
    assert not [f for f in findings if f.table in ("audit_status_change", "audit_signoff", "audit_item")]


@pytest.mark.parametrize(
    ("setup", "to_status", "reason", "field"),
    [
        ([], "검토중", "사유", "to_status"),  # 완료 -> 검토중
        ([], "미반영", "사유", "to_status"),  # 완료 -> 미반영
        ([], "완료", "사유", "to_status"),  # no change
        ([], "보류", "사유", "to_status"),  # not a status
        ([("완료", "추진중", "재개"), ("추진중", "검토중", "재검토")], "완료", None, "to_status"),  # skips 추진중
        ([("완료", "추진중", "재개"), ("추진중", "미반영", "불필요")], "추진중", "재개", "to_status"),
        ([("완료", "추진중", "재개")], "미반영", None, "reason"),
        ([("완료", "추진중", "재개")], "미반영", "  \n ", "reason"),
        ([("완료", "추진중", "재개")], "검토중", "", "reason"),  # a step back
        ([], "추진중", None, "reason"),  # reopening 완료
    ],
)
def test_refused_changes_name_item_and_field_and_change_nothing(
    engine: Engine, setup: list[tuple[str, str, str]], to_status: str, reason: str | None, field: str
) -> None:
    for from_status, to, why in setup:
        change(engine, "R-02", from_status, to, date(2025, 10, 1), why)
    before = snapshot(engine)
    current_status = detail(engine, "R-02").item.status
    with pytest.raises(audit.RefusedError) as refused:
        change(engine, "R-02", current_status, to_status, date(2025, 10, 2), reason)
    assert (refused.value.item_code, refused.value.field) == ("R-02", field)
    assert str(refused.value).startswith("R-02 ")
    assert snapshot(engine) == before


def test_not_reflected_with_a_reason_is_saved(engine: Engine) -> None:
    change(engine, "S-04", "완료", "추진중", date(2025, 10, 1), "예산 삭감")
    change(engine, "S-04", "추진중", "미반영", date(2025, 10, 15), "  예산 미확보로 추진 불가  ")
    found = detail(engine, "S-04")
    assert found.item.status == "미반영"
    assert found.changes[-1].reason == "예산 미확보로 추진 불가"


def test_a_change_cannot_predate_the_previous_one(engine: Engine) -> None:
    change(engine, "R-03", "완료", "추진중", date(2025, 10, 10), "보완 필요")
    before = snapshot(engine)
    with pytest.raises(audit.RefusedError) as refused:
        change(engine, "R-03", "추진중", "완료", date(2025, 10, 9))
    assert (refused.value.item_code, refused.value.field) == ("R-03", "changed_on")
    assert snapshot(engine) == before
    change(engine, "R-03", "추진중", "완료", date(2025, 10, 10))  # the same day is fine


def test_a_status_changed_meanwhile_is_a_conflict(engine: Engine) -> None:
    seen = detail(engine, "R-04").item.status  # user A loads the item: 완료
    change(engine, "R-04", seen, "추진중", date(2025, 10, 1), "추가 조치", actor=Actor("other", "planning"))
    before = snapshot(engine)
    with pytest.raises(audit.ConflictError) as conflict:
        change(engine, "R-04", seen, "추진중", date(2025, 10, 2), "추가 조치")
    assert (conflict.value.item_code, conflict.value.field, conflict.value.current) == ("R-04", "status", "추진중")
    assert "현재 값 추진중" in str(conflict.value)
    assert snapshot(engine) == before


def test_a_change_committed_between_check_and_write_is_a_conflict(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The status check reads first; the write (UPDATE ... WHERE version = the one read) then matches nothing."""
    stale = detail(engine, "R-06").item  # read while R-06 is 완료 ...
    change(engine, "R-06", "완료", "추진중", date(2025, 10, 1), "다른 사용자")  # ... then changed by someone else
    before = snapshot(engine)

    def read_before_the_other_change(s: Session, actor: Actor, *_: object) -> audit.AuditItem:
        changelog.attribute(s, actor)
        return s.merge(stale, load=False)  # the row as read then, with its version then

    monkeypatch.setattr(audit, "_item_for_change", read_before_the_other_change)
    with pytest.raises(audit.ConflictError) as conflict:
        change(engine, "R-06", "완료", "추진중", date(2025, 10, 2), "나의 변경")
    assert (conflict.value.item_code, conflict.value.current) == ("R-06", "추진중")
    assert snapshot(engine) == before


def test_only_planning_and_the_items_own_department_change_items(engine: Engine) -> None:
    change(engine, "R-05", "완료", "추진중", date(2025, 10, 1), "점검 결과 보완", actor=ETHICS)
    note(engine, "R-05", date(2025, 10, 2), "하반기 점검 계획 수립", actor=ETHICS)
    before = snapshot(engine)
    refusals = [
        (ETHICS, "R-01"),  # 스마트전산부's item
        (ETHICS, "O-01"),  # no department: planning only
        (Actor("dept-without-department", "department"), "R-05"),
        (AUDITOR, "R-05"),
        (Actor("finance", "finance"), "R-05"),
        (Actor("board", "board"), "R-05"),
    ]
    for actor, code in refusals:
        expected = detail(engine, code).item.status
        to = "추진중" if expected == "완료" else "완료"
        with pytest.raises(PermissionDeniedError):
            change(engine, code, expected, to, date(2025, 10, 3), "사유", actor=actor)
        with pytest.raises(PermissionDeniedError):
            note(engine, code, date(2025, 10, 3), "메모", actor=actor)
    with pytest.raises(audit.ItemPermissionError) as denied:
        change(engine, "R-01", "완료", "추진중", date(2025, 10, 3), "사유", actor=ETHICS)
    assert (denied.value.item_code, denied.value.field) == ("R-01", "department")
    assert snapshot(engine) == before
    with session(engine) as s:
        row = audit.item(s, org_id(engine), SESSION, "R-05")
        other = audit.item(s, org_id(engine), SESSION, "R-01")
    assert row is not None and other is not None
    assert audit.may_update(ETHICS, row) and not audit.may_update(ETHICS, other)
    assert audit.may_update(PLANNER, other) and not audit.may_update(AUDITOR, row)


def test_auditor_signs_off_and_a_later_status_change_voids_it(engine: Engine) -> None:
    signed = sign(engine, "R-01", "완료")
    assert (signed.status, signed.status_change_seq, signed.signed_by) == ("완료", None, "auditor-kim")
    holding = follow_up(engine, "R-01", date(2025, 10, 1)).signoff
    assert holding is not None and holding.holds and holding.signed_by == "auditor-kim"
    before = snapshot(engine)
    with pytest.raises(audit.RefusedError) as again:
        sign(engine, "R-01", "완료")  # already signed off
    assert (again.value.item_code, again.value.field) == ("R-01", "status")
    assert snapshot(engine) == before

    change(engine, "R-01", "완료", "추진중", date(2025, 10, 1), "추가 보완 요구")
    assert follow_up(engine, "R-01", date(2025, 10, 1)).signoff is None
    assert [x.holds for x in detail(engine, "R-01").signoffs] == [False]
    with pytest.raises(audit.RefusedError) as open_item:
        sign(engine, "R-01", "추진중")  # only 완료 or 미반영
    assert open_item.value.field == "status"
    change(engine, "R-01", "추진중", "완료", date(2025, 10, 20))
    # back to 완료, but the first sign-off confirmed the status before the changes: still void
    assert follow_up(engine, "R-01", date(2025, 10, 20)).signoff is None
    second = sign(engine, "R-01", "완료")
    assert second.status_change_seq == 2
    assert [x.holds for x in detail(engine, "R-01").signoffs] == [False, True]


def test_sign_off_is_for_auditors_and_for_the_status_they_saw(engine: Engine) -> None:
    before = snapshot(engine)
    for actor in (PLANNER, ETHICS, Actor("finance", "finance"), Actor("board", "board")):
        with pytest.raises(PermissionDeniedError):
            sign(engine, "R-05", "완료", actor=actor)
    assert snapshot(engine) == before
    change(engine, "R-05", "완료", "추진중", date(2025, 10, 1), "재점검")
    change(engine, "R-05", "추진중", "미반영", date(2025, 10, 2), "규정상 불가")
    before = snapshot(engine)
    with pytest.raises(audit.ConflictError) as conflict:
        sign(engine, "R-05", "완료")  # the auditor's screen still showed 완료
    assert conflict.value.current == "미반영"
    assert snapshot(engine) == before
    assert sign(engine, "R-05", "미반영").status == "미반영"
    assert not audit.may_sign_off(PLANNER) and audit.may_sign_off(AUDITOR)


def test_summary_is_recomputed_while_the_reported_cells_stay_as_printed(engine: Engine) -> None:
    def cells() -> dict[tuple[str, str], audit.SummaryCell]:
        with session(engine) as s:
            return {(c.category, c.status): c for c in audit.summary(s, org_id(engine), SESSION)}

    before = cells()
    assert (before[("계", "완료")].computed, before[("계", "추진중")].computed) == (23, 0)
    change(engine, "R-01", "완료", "추진중", date(2025, 10, 1), "재검토")
    after = cells()
    assert after[("계", "계")].computed == 23
    assert (after[("계", "완료")].computed, after[("계", "추진중")].computed) == (22, 1)
    assert (after[("시정·처리요구사항", "완료")].computed, after[("시정·처리요구사항", "추진중")].computed) == (7, 1)
    assert {k: c.reported for k, c in after.items()} == {k: c.reported for k, c in before.items()}
    assert (after[("계", "완료")].reported, after[("계", "추진중")].reported) == (23, None)
    assert not after[("계", "추진중")].matches
    with session(engine) as s:
        counts = audit.status_counts(s, org_id(engine), SESSION)
    assert (counts["완료"], counts["추진중"]) == (22, 1)


def test_overdue_and_stale_flags_against_a_chosen_date(engine: Engine) -> None:
    # every seed item is 완료: nothing is flagged, however late the date
    with session(engine) as s:
        flags = audit.follow_ups(s, org_id(engine), SESSION, date(2030, 1, 1))
    assert len(flags) == 23 and not [f for f in flags.values() if f.overdue or f.stale]
    assert flags["R-01"].last_update == date(2025, 9, 1)  # the report round that reported it

    change(engine, "R-01", "완료", "추진중", date(2025, 10, 1), "보완 조사")
    with session(engine) as s:
        audit.set_due_date(
            session=s,
            actor=PLANNER,
            org_id=org_id(engine),
            session_code=SESSION,
            item_code="R-01",
            due_date=date(2025, 12, 31),
        )
    on_due = follow_up(engine, "R-01", date(2025, 12, 30))
    assert (on_due.days_since_update, on_due.stale, on_due.overdue) == (90, False, False)
    assert on_due.flags == []
    day_after = follow_up(engine, "R-01", date(2025, 12, 31))
    assert (day_after.days_since_update, day_after.stale, day_after.overdue) == (91, True, False)
    late = follow_up(engine, "R-01", date(2026, 1, 1))
    assert (late.stale, late.overdue, late.flags) == (True, True, ["기한 경과", "장기 미갱신"])

    note(engine, "R-01", date(2026, 1, 15), "설문 문항 보완 완료, 조사 착수")
    updated = follow_up(engine, "R-01", date(2026, 1, 20))
    assert (updated.last_update, updated.stale, updated.overdue) == (date(2026, 1, 15), False, True)

    change(engine, "R-01", "추진중", "완료", date(2026, 2, 1))
    closed = follow_up(engine, "R-01", date(2027, 1, 1))
    assert (closed.stale, closed.overdue, closed.due_date) == (False, False, date(2025, 12, 31))


def test_due_dates_are_set_by_the_planning_office(engine: Engine) -> None:
    before = snapshot(engine)
    for actor in (ETHICS, AUDITOR):
        with session(engine) as s, pytest.raises(PermissionDeniedError):
            audit.set_due_date(
                session=s,
                actor=actor,
                org_id=org_id(engine),
                session_code=SESSION,
                item_code="R-05",
                due_date=date(2026, 1, 1),
            )
    assert snapshot(engine) == before
    for due in (date(2026, 3, 31), None):
        with session(engine) as s:
            audit.set_due_date(
                session=s, actor=PLANNER, org_id=org_id(engine), session_code=SESSION, item_code="R-05", due_date=due
            )
        assert detail(engine, "R-05").item.due_date == due


def test_progress_notes_are_dated_and_attributed(engine: Engine) -> None:
    note(engine, "S-07", date(2025, 12, 31), "통신사 협의 2차 진행")
    note(engine, "S-07", date(2025, 10, 31), "통신사 협의 1차 진행")
    found = detail(engine, "S-07")
    assert [(n.as_of, n.text, n.author, n.seq) for n in found.notes] == [
        (date(2025, 10, 31), "통신사 협의 1차 진행", "planner-park", 2),
        (date(2025, 12, 31), "통신사 협의 2차 진행", "planner-park", 1),
    ]
    before = snapshot(engine)
    with pytest.raises(audit.RefusedError) as refused:
        note(engine, "S-07", date(2026, 1, 1), "   ")
    assert (refused.value.item_code, refused.value.field) == ("S-07", "text")
    with pytest.raises(audit.RefusedError) as missing:
        note(engine, "X-99", date(2026, 1, 1), "없는 항목")
    assert (missing.value.item_code, missing.value.field) == ("X-99", "code")
    assert snapshot(engine) == before


def test_validate_warns_where_an_imported_history_breaks_the_workflow(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change(engine, "R-01", "완료", "추진중", date(2025, 10, 1), "재조사")
    change(engine, "R-01", "추진중", "완료", date(2025, 10, 5))
    sign(engine, "R-01", "완료")
    assert main(["export", str(tmp_path)]) == 0
    header, rows = read_csv(tmp_path / "audit_status_change.csv")
    column = {name: header.index(name) for name in header}
    rows[0][column["reason"]] = ""  # reopening 완료 without a reason
    # change 2: 완료 -> 미반영, which neither follows change 1 nor the workflow, has no reason
    # and is dated before change 1; the item (완료) and the sign-off (완료) no longer match it
    rows[1][column["from_status"]], rows[1][column["to_status"]] = "완료", "미반영"
    rows[1][column["changed_on"]] = "2025-09-30"
    write_csv(tmp_path / "audit_status_change.csv", header, rows)
    capsys.readouterr()
    assert main(["validate", str(tmp_path), "--json"]) == 0  # warnings: the record stays loadable
    findings = json.loads(capsys.readouterr().out)
    assert {f["severity"] for f in findings} == {"warning"}
    assert sorted(
        (f["table"], f["row"], f["field"])
        for f in findings
        if f["table"] in ("audit_status_change", "audit_item", "audit_signoff")
    ) == [
        ("audit_item", "2024-admin/R-01", "status"),
        ("audit_signoff", "2024-admin/R-01/1", "status"),
        ("audit_status_change", "2024-admin/R-01/1", "reason"),
        ("audit_status_change", "2024-admin/R-01/2", "changed_on"),
        ("audit_status_change", "2024-admin/R-01/2", "from_status"),
        ("audit_status_change", "2024-admin/R-01/2", "reason"),
        ("audit_status_change", "2024-admin/R-01/2", "to_status"),
    ]
