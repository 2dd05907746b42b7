"""Roles enforced in the service layer (issue #5), on SQLite and PostgreSQL.

The matrix: every service that changes or reveals data, called by every role. The expected
outcome is written out below from the issue's role descriptions, not read from
``auth.PERMISSIONS``, so a wrong entry there fails here:

- planning office: edits everything, generates reports, manages users;
- finance: edits budget and execution, exports documents;
- auditor: reads all, verifies and signs off audit items;
- department: updates the actions and progress of its own department's audit items and work
  items (another department's are refused);
- board member: read-only dashboards, never birth dates, phone extensions or other personal data.

Allowed: the call succeeds and its change is in the database. Refused: PermissionDeniedError and
the database (every dataset table and the change log) is exactly as before. Read services that
return personal fields give them to staff and None to board members. Then the pages: what a
board member is shown, and which controls each role is offered.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from audit_followup import service as audit
from audit_followup.models import AuditItem
from board import service as board
from board.models import BoardPerson
from budget import recording as budget_recording
from budget.models import ExecutionSnapshot
from governance_app import accounts, editing, store, throttle
from governance_app.core import changelog, clock
from governance_app.core import formatting as fmt
from governance_app.core.auth import Actor, PermissionDeniedError
from governance_app.core.context import current
from governance_app.core.db import get_engine, session
from governance_app.core.models import SignInFailure
from governance_app.core.queries import fetch
from governance_app.dataset import ALL_TABLES, read_csv
from governance_app.report import build as reports
from major_work import service as work
from major_work.models import WorkBullet, WorkItem
from tests.helpers import DATA, PLANNER, acting, ensure_account
from tests.helpers.budget import csv_bytes, good_rows
from tests.helpers.log import log_after, log_head
from tests.helpers.pages import PAGES, open_work_editor, page, page_text, shown
from tests.helpers.work import ACTORS, OWN, WORK_ITEM, progress_update, state, work_progress

SESSION = "2024-admin"
AUDIT_ITEM = "R-01"  # 스마트전산부, 완료

STAFF = frozenset(ACTORS) - {"board"}

# service -> the roles that may call it (from the role descriptions in the module docstring)
EXPECTED: dict[str, frozenset[str]] = {
    # replacing the whole dataset (import) is editing everything: the planning office
    "store.replace_in_db": frozenset({"planning"}),
    # the table editor (자료 편집) is the planning office's expert tool (issue 11), budget tables too
    "editing.apply_edit budget_amount": frozenset({"planning"}),
    "editing.apply_edit history_event": frozenset({"planning"}),
    "editing.apply_edit board_person (personal data)": frozenset({"planning"}),
    "editing.apply_edit execution_line (budget, personal data)": frozenset({"planning"}),
    # execution: finance edits budget and execution
    "budget_recording.record_execution": frozenset({"planning", "finance"}),
    "budget upload (draft_from_upload, save_draft)": frozenset({"planning", "finance"}),
    # audit follow-ups: the item's own department updates actions and progress; planning edits everything
    "audit.change_status": frozenset({"planning", "department"}),
    "audit.add_note": frozenset({"planning", "department"}),
    "audit.add_evidence": frozenset({"planning", "department"}),
    "audit.update_item": frozenset({"planning", "department"}),
    # auditors verify and sign off
    "audit.sign_off": frozenset({"auditor"}),
    # the due date is the planning office's (edits everything; nobody else is given it)
    "audit.set_due_date": frozenset({"planning"}),
    # work items: the own department's actions and progress
    "major_work.update_progress": frozenset({"planning", "department"}),
    # upkeep by task (issue 11): the board's terms, the year's work items and ESG record: planning
    "board.appointments.appoint": frozenset({"planning"}),
    "major_work.upkeep.add_item": frozenset({"planning"}),
    "esg.upkeep.add_activity": frozenset({"planning"}),
    # documents print personal data: planning generates them, finance exports them, auditors read all
    "report.build": frozenset({"planning", "finance", "auditor"}),
    "store.export_dir (CSV files hold personal data)": frozenset({"planning", "finance", "auditor"}),
    # the change log holds old values, personal data among them: staff, never board members
    "changelog.history": STAFF,
    "changelog.recent": STAFF,
    # the planning office manages users
    "accounts.add_user": frozenset({"planning"}),
    "accounts.list_users": frozenset({"planning"}),
    "accounts.unlock_user": frozenset({"planning"}),
}


def org_id(engine: Engine) -> int:
    with session(engine) as s:
        return current(s).org_id


def table(engine: Engine, name: str) -> list[dict[str, str]]:
    with session(engine) as s:
        return editing.table_rows(s, name)[1]


# --- the calls, and what each leaves in the database when allowed ---------------------------


def replace_dataset(engine: Engine, actor: Actor, _tmp: Path) -> None:
    dataset, _ = store.read_dir(DATA)
    dataset["history_event"].rows[0]["text"] = "창설 (가져오기로 고침)"
    with session(engine) as s:
        store.replace_in_db(session=s, actor=actor, dataset=dataset)


def replaced(engine: Engine, _tmp: Path) -> None:
    assert table(engine, "history_event")[0]["text"] == "창설 (가져오기로 고침)"


def edit_cell(name: str, row: int, column: str, value: str) -> tuple[Callable[..., None], Callable[..., None]]:
    def act(engine: Engine, actor: Actor, _tmp: Path) -> None:
        loaded = table(engine, name)
        edited = [dict(r) for r in loaded]
        assert edited[row][column] != value
        edited[row][column] = value
        with session(engine) as s:
            editing.apply_edit(session=s, actor=actor, table_name=name, edited=edited, expected=loaded)

    def done(engine: Engine, _tmp: Path) -> None:
        assert table(engine, name)[row][column] == value

    return act, done


NEW_DAY = date(2025, 10, 31)


def record(engine: Engine, actor: Actor, _tmp: Path) -> None:
    with session(engine) as s:
        template = budget_recording.snapshot_template(s, current(s).org_id, NEW_DAY)  # the 7. 31. figures
        budget_recording.record_execution(
            session=s, actor=actor, as_of=NEW_DAY, amounts={x.code: (x.budget, x.executed) for x in template}
        )


def upload(engine: Engine, actor: Actor, _tmp: Path) -> None:
    with session(engine) as s:
        draft = budget_recording.draft_from_upload(
            s, current(s).org_id, csv_bytes(good_rows()), "집행현황.csv", as_of=None, fiscal_year=2025
        )
        assert draft.ok, draft.findings
    with session(engine) as s:
        budget_recording.save_draft(session=s, actor=actor, org_id=current(s).org_id, fiscal_year=2025, draft=draft)


def recorded(engine: Engine, _tmp: Path) -> None:
    with session(engine) as s:
        assert fetch(s, ExecutionSnapshot, current(s).org_id, ExecutionSnapshot.as_of == NEW_DAY)


def item_row(engine: Engine, code: str = AUDIT_ITEM) -> AuditItem:
    with session(engine) as s:
        row = audit.item(s, current(s).org_id, SESSION, code)
    assert row is not None
    return row


def audit_call(name: str, **kwargs: Any) -> Callable[[Engine, Actor, Path], None]:
    def act(engine: Engine, actor: Actor, _tmp: Path) -> None:
        extra = dict(kwargs)
        if name == "update_item":
            extra["expected_version"] = item_row(engine).version
        with session(engine) as s:
            getattr(audit, name)(
                session=s, actor=actor, org_id=current(s).org_id, session_code=SESSION, item_code=AUDIT_ITEM, **extra
            )

    return act


def detail(engine: Engine) -> audit.ItemDetail:
    with session(engine) as s:
        found = audit.item_detail(s, current(s).org_id, SESSION, AUDIT_ITEM, date(2025, 11, 1))
    assert found is not None
    return found


def status_changed(engine: Engine, _tmp: Path) -> None:
    d = detail(engine)
    assert d.item.status == "추진중" and d.changes[-1].reason == "조치 보완"


def noted(engine: Engine, _tmp: Path) -> None:
    assert [n.text for n in detail(engine).notes] == ["만족도 조사 문항 보완 완료"]


def attached(engine: Engine, _tmp: Path) -> None:
    assert [e.file_name for e in detail(engine).evidence] == ["조사결과.pdf"]


def rewritten(engine: Engine, _tmp: Path) -> None:
    assert item_row(engine).actions == "○ 설문 문항 보완"


def signed(engine: Engine, _tmp: Path) -> None:
    assert [s.status for s in detail(engine).signoffs] == ["완료"]


def due(engine: Engine, _tmp: Path) -> None:
    assert item_row(engine).due_date == date(2025, 12, 31)


def update_work(engine: Engine, actor: Actor, tmp: Path) -> None:
    before = work_progress(engine)
    (tmp / "version.txt").write_text(str(before.version))
    with session(engine) as s:
        work.update_progress(
            session=s,
            actor=actor,
            org_id=current(s).org_id,
            fiscal_year=2025,
            item_code=WORK_ITEM,
            expected_version=before.version,
            plans={before.plans[0].seq: work.PlanUpdate("추진중", date(2025, 10, 1), "9월 시범 공개 완료")},
        )


def work_updated(engine: Engine, tmp: Path) -> None:
    p = work_progress(engine)
    assert (p.plans[0].status, p.plans[0].status_on, p.plans[0].progress_note) == (
        "추진중",
        date(2025, 10, 1),
        "9월 시범 공개 완료",
    )
    assert p.version == int((tmp / "version.txt").read_text()) + 1


def appoint_chair(engine: Engine, actor: Actor, _tmp: Path) -> None:
    from board import appointments

    with session(engine) as s:
        appointments.appoint(
            session=s,
            actor=actor,
            org_id=current(s).org_id,
            seat_code="chair",
            start_date=date(2026, 12, 1),
            new_person=appointments.NewPerson("김새롬", date(1966, 5, 9), [], ["現 서울연구원 연구위원"]),
        )


def chair_appointed(engine: Engine, _tmp: Path) -> None:
    with session(engine) as s:
        roster = board.roster(s, current(s).org_id, date(2026, 12, 1), actor=PLANNER)
    assert next(e.name for e in roster if e.title == "이사장") == "김새롬"


def add_work_item(engine: Engine, actor: Actor, _tmp: Path) -> None:
    from major_work import upkeep

    with session(engine) as s:
        fields = upkeep.ItemFields("민원 예측 서비스", "시범 운영", "선제 대응", "예측 모형 개발")
        upkeep.add_item(
            session=s, actor=actor, org_id=current(s).org_id, fiscal_year=2025, area_number=2, fields=fields
        )


def work_item_added(engine: Engine, _tmp: Path) -> None:
    assert work_progress(engine, "2-3").title == "민원 예측 서비스"


def add_esg_activity(engine: Engine, actor: Actor, _tmp: Path) -> None:
    from esg import upkeep

    with session(engine) as s:
        fields = upkeep.ActivityFields("E", "일회용품 줄이기", "7")
        upkeep.add_activity(session=s, actor=actor, org_id=current(s).org_id, fiscal_year=2025, fields=fields)


def esg_activity_added(engine: Engine, _tmp: Path) -> None:
    from esg import service as esg

    with session(engine) as s:
        assert "일회용품 줄이기" in [a.title for a in esg.activities(s, current(s).org_id, 2025)]


def generate(engine: Engine, actor: Actor, tmp: Path) -> None:
    document = reports.build(engine, "audit", actor=actor)
    (tmp / "report.txt").write_text(document.text(), encoding="utf-8")


def generated(_engine: Engine, tmp: Path) -> None:
    assert "스마트 상담 만족도 조사" in (tmp / "report.txt").read_text(encoding="utf-8")


def export(engine: Engine, actor: Actor, tmp: Path) -> None:
    with session(engine) as s:
        store.export_dir(session=s, actor=actor, path=tmp / "export")


def exported(_engine: Engine, tmp: Path) -> None:
    files = sorted(p.name for p in (tmp / "export").iterdir())
    assert files == sorted(spec.file_name for spec in ALL_TABLES)
    # the seeded database exports the seed files, personal data included
    for name in ("board_person.csv", "work_contact.csv"):
        assert (tmp / "export" / name).read_bytes() == (DATA / name).read_bytes()


def read_history(engine: Engine, actor: Actor, tmp: Path) -> None:
    with session(engine) as s:
        latest = changelog.recent(s, PLANNER, limit=1)[0]
        changes = changelog.history(s, actor, latest.table_name, latest.record_key)
    (tmp / "history.txt").write_text(f"{len(changes)} {changes[-1].seq == latest.seq}")


def history_read(_engine: Engine, tmp: Path) -> None:
    count, newest = (tmp / "history.txt").read_text().split()
    assert int(count) >= 1 and newest == "True"


def read_recent(engine: Engine, actor: Actor, tmp: Path) -> None:
    with session(engine) as s:
        changes = changelog.recent(s, actor, limit=3)
    (tmp / "recent.txt").write_text(" ".join(str(c.seq) for c in changes))


def recent_read(_engine: Engine, tmp: Path) -> None:
    seqs = [int(x) for x in (tmp / "recent.txt").read_text().split()]
    assert len(seqs) == 3 and seqs == sorted(seqs, reverse=True)


def add_account(engine: Engine, actor: Actor, tmp: Path) -> None:
    username = f"new-{actor.role}-{tmp.name[-12:]}".replace("_", "-")
    (tmp / "username.txt").write_text(username)
    with session(engine) as s:
        accounts.add_user(s, actor, username, "board", "correct-horse-battery-staple-9")


def account_added(engine: Engine, tmp: Path) -> None:
    with session(engine) as s:
        account = accounts.find(s, (tmp / "username.txt").read_text())
    assert account is not None and account.role == "board"


def list_accounts(engine: Engine, actor: Actor, tmp: Path) -> None:
    with session(engine) as s:
        names = [a.username for a in accounts.list_users(s, actor)]
    (tmp / "accounts.txt").write_text(" ".join(names))


def accounts_listed(_engine: Engine, tmp: Path) -> None:
    assert ACTORS["board"].username in (tmp / "accounts.txt").read_text().split()


WAITING = "waiting-board"  # an account waiting after wrong passwords (its signin_failure row)


def lock_account() -> None:
    ensure_account(Actor(WAITING, "board"))
    now = clock.now_utc()
    with get_engine().begin() as connection:
        connection.execute(delete(SignInFailure.__table__).where(SignInFailure.__table__.c.username == WAITING))  # type: ignore[attr-defined]
        row = {"username": WAITING, "failures": 5, "last_failure_at": now, "locked_until": now + timedelta(minutes=1)}
        connection.execute(insert(SignInFailure.__table__).values(row))  # type: ignore[attr-defined]


def unlock_account(engine: Engine, actor: Actor, _tmp: Path) -> None:
    with session(engine) as s:
        accounts.unlock_user(s, actor, WAITING)


def account_unlocked(engine: Engine, _tmp: Path) -> None:
    with session(engine) as s:
        assert throttle.streak(s, WAITING) is None


@dataclass(frozen=True)
class Case:
    act: Callable[[Engine, Actor, Path], None]
    done: Callable[[Engine, Path], None]
    setup: Callable[[], None] = lambda: None  # runs before the database state is taken


CASES: dict[str, Case] = {
    "store.replace_in_db": Case(replace_dataset, replaced),
    "editing.apply_edit budget_amount": Case(*edit_cell("budget_amount", 0, "amount", "31973380")),
    "editing.apply_edit history_event": Case(*edit_cell("history_event", 1, "text", "야간 상담서비스 개시")),
    "editing.apply_edit board_person (personal data)": Case(*edit_cell("board_person", 0, "birth_date", "1959-03-18")),
    "editing.apply_edit execution_line (budget, personal data)": Case(
        *edit_cell("execution_line", 1, "officer_phone", "3278-5746")
    ),
    "budget_recording.record_execution": Case(record, recorded),
    "budget upload (draft_from_upload, save_draft)": Case(upload, recorded),
    "audit.change_status": Case(
        audit_call(
            "change_status",
            expected_status="완료",
            to_status="추진중",
            changed_on=date(2025, 10, 1),
            reason="조치 보완",
        ),
        status_changed,
    ),
    "audit.add_note": Case(audit_call("add_note", as_of=date(2025, 10, 1), text="만족도 조사 문항 보완 완료"), noted),
    "audit.add_evidence": Case(audit_call("add_evidence", file_name="조사결과.pdf", data=b"%PDF-1.4 result"), attached),
    "audit.update_item": Case(audit_call("update_item", changes={"actions": "○ 설문 문항 보완"}), rewritten),
    "audit.sign_off": Case(audit_call("sign_off", expected_status="완료", without_evidence=True), signed),
    "audit.set_due_date": Case(audit_call("set_due_date", due_date=date(2025, 12, 31)), due),
    "major_work.update_progress": Case(update_work, work_updated),
    "board.appointments.appoint": Case(appoint_chair, chair_appointed),
    "major_work.upkeep.add_item": Case(add_work_item, work_item_added),
    "esg.upkeep.add_activity": Case(add_esg_activity, esg_activity_added),
    "report.build": Case(generate, generated),
    "store.export_dir (CSV files hold personal data)": Case(export, exported),
    "changelog.history": Case(read_history, history_read),
    "changelog.recent": Case(read_recent, recent_read),
    "accounts.add_user": Case(add_account, account_added),
    "accounts.list_users": Case(list_accounts, accounts_listed, lambda: ensure_account(ACTORS["board"])),
    "accounts.unlock_user": Case(unlock_account, account_unlocked, lock_account),
}


def test_the_matrix_covers_every_service_and_role() -> None:
    assert set(CASES) == set(EXPECTED)
    assert all(roles <= set(ACTORS) for roles in EXPECTED.values())


@pytest.mark.parametrize("role", list(ACTORS))
@pytest.mark.parametrize("service", list(CASES))
def test_role_matrix(engine: Engine, tmp_path: Path, service: str, role: str) -> None:
    case, actor = CASES[service], ACTORS[role]
    case.setup()
    before = state(engine)
    if role in EXPECTED[service]:
        case.act(engine, actor, tmp_path)
        case.done(engine, tmp_path)
    else:
        with pytest.raises(PermissionDeniedError):
            case.act(engine, actor, tmp_path)
        assert state(engine) == before
        assert not (tmp_path / "export").exists()


# --- personal data in read services ---------------------------------------------------------


@pytest.mark.parametrize("role", list(ACTORS))
def test_personal_fields_only_for_staff(engine: Engine, role: str) -> None:
    actor, staff = ACTORS[role], role in STAFF
    with session(engine) as s:
        ctx = current(s)
        roster = board.roster(s, ctx.org_id, ctx.report_date, actor=actor)
        details = work.item_details(s, ctx.org_id, ctx.fiscal_year, actor=actor)
    assert len(roster) == 10
    births = {e.name: e.birth_date for e in roster}
    contacts = [c for d in details for c in d.contacts]
    assert len(contacts) == 35
    if staff:
        assert births["이이재"] == date(1959, 3, 17) and all(births.values())
        first = details[0].contacts[1]
        assert (first.role, first.name, first.phone) == ("상담운영부장", "한상희", "5770")
        assert all(c.name and c.phone for c in contacts)
    else:
        assert set(births.values()) == {None}
        assert all(c.name is None and c.phone is None for c in contacts)
        assert details[0].contacts[1].role == "상담운영부장"  # the post is not personal data
    # the rest of the roster and the items are the same for everyone
    assert roster[0].title == "이사장" and "이이재" in births
    assert details[0].departments == ("상담운영부",)


def test_documents_print_personal_data_for_the_roles_that_make_them(engine: Engine) -> None:
    text = reports.build(engine, "business", actor=ACTORS["finance"]).text()
    assert "이이재\n('59. 3. 17.)" in text and "한상희 ☎ 5770" in text
    with pytest.raises(PermissionDeniedError):
        reports.build(engine, "business", actor=ACTORS["board"])


# --- work items: the department's own items, versions, conflicts ------------------------------


def test_an_items_department_is_the_unit_its_contacts_head(engine: Engine) -> None:
    with session(engine) as s:
        details = work.item_details(s, org_id(engine), 2025, actor=PLANNER)
    owners = {d.item.code: d.departments for d in details}
    assert owners["1-1"] == ("상담운영부",)
    assert owners["2-1"] == ("스마트전산부",)
    assert owners["5"] == ("기획조정실",)  # 기획조정실장 and 기획조정실 차장
    contacts = {c.role: c.department for d in details for c in d.contacts}
    assert contacts["상담본부장"] == "상담본부" and contacts["기획조정실 차장"] == "기획조정실"
    assert contacts["담당"] is None
    # the 본부 above a 부 does not own the 부's items; a department without a department name nothing
    assert not work.may_update(Actor("hq", "department", "상담본부"), owners["1-1"])
    assert not work.may_update(Actor("nobody", "department"), owners["1-1"])
    assert work.may_update(Actor("ops", "department", "상담운영부"), owners["1-1"])
    assert work.may_update(PLANNER, ()) and not work.may_update(ACTORS["auditor"], owners["1-1"])


def test_a_department_rewrites_its_items_actions_and_progress_in_one_logged_save(engine: Engine) -> None:
    own = ACTORS["department"]
    before, head = work_progress(engine), log_head(engine)
    v = before.version  # versions survive the fixture's re-seed of unchanged rows
    assert before.departments == (OWN,) and len(before.actions) == 6
    actions = [
        work.Action("스마트 상담시스템 구축", 1, "STT 기반 민원데이터 대시민 공개시스템 구축 완료"),
        work.Action("스마트 상담시스템 구축", 2, "키워드별 분석 결과 공개 (9월)"),
        work.Action("스마트 상담시스템 구축", 3, "개인정보 익명 처리 후 공개"),
    ]
    saved = progress_update(
        engine,
        own,
        v,
        highlight="  공개시스템 구축 완료  ",
        actions=actions,
        plans={before.plans[0].seq: work.PlanUpdate(" 완료 ", date(2025, 10, 15), "  10월 정식 공개  ")},
    )
    assert saved.version == v + 1 and saved.highlight == "공개시스템 구축 완료"
    assert saved.actions == actions
    first = saved.plans[0]
    assert (first.status, first.status_on, first.progress_note) == ("완료", date(2025, 10, 15), "10월 정식 공개")
    assert first.detail == before.plans[0].detail  # the document's line stays the planning office's
    assert saved.plans[1:] == before.plans[1:]  # plans not named are left alone
    with session(engine) as s:
        org = current(s).org_id
        bullets = sorted(fetch(s, WorkBullet, org, WorkBullet.item_code == WORK_ITEM), key=lambda b: b.seq)
        assert [b.seq for b in bullets] == [1, 2, 3]  # three lines updated in place, three deleted
    log = log_after(engine, head)
    assert {c.actor for c in log} == {own.username}
    assert sorted((c.table_name, c.action, c.record_key) for c in log) == [
        ("work_bullet", "delete", "2025/2-1/4"),
        ("work_bullet", "delete", "2025/2-1/5"),
        ("work_bullet", "delete", "2025/2-1/6"),
        ("work_bullet", "update", "2025/2-1/1"),
        ("work_bullet", "update", "2025/2-1/2"),
        ("work_bullet", "update", "2025/2-1/3"),
        ("work_item", "update", "2025/2-1"),
        ("work_plan", "update", f"2025/2-1/{before.plans[0].seq}"),
    ]
    # more lines than stored: new ones are added after the rest
    more = progress_update(engine, own, v + 1, actions=[*actions, work.Action("추가", 1, "민원데이터 개방 확대")])
    assert more.version == v + 2 and len(more.actions) == 4 and more.actions[-1].text == "민원데이터 개방 확대"
    # an empty headline clears it; None leaves a field alone
    cleared = progress_update(engine, PLANNER, v + 2, highlight="")
    assert cleared.highlight is None and cleared.actions == more.actions and cleared.version == v + 3


def test_another_departments_item_is_refused_and_nothing_changes(engine: Engine) -> None:
    before, v = state(engine), work_progress(engine).version
    with pytest.raises(work.ItemPermissionError, match="스마트전산부 항목을 변경할 수 없습니다") as refused:
        progress_update(engine, ACTORS["other department"], v, highlight="다른 부서")
    assert refused.value.item_code == WORK_ITEM and refused.value.field == "department"
    with pytest.raises(PermissionDeniedError):  # an auditor reads, does not update work items
        progress_update(engine, ACTORS["auditor"], v, highlight="감사")
    assert state(engine) == before
    # the other department's own item is its to update
    own = work_progress(engine, "1-1").version
    ops = progress_update(engine, ACTORS["other department"], own, code="1-1", highlight="상담 집중형 현장 구축 완료")
    assert ops.highlight == "상담 집중형 현장 구축 완료"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"actions": [work.Action("구분", 4, "수준이 없는 줄")]}, "level"),
        ({"actions": [work.Action("구분", 1, "  ")]}, "text"),
        ({"actions": [work.Action("", 1, "구분 없는 줄")]}, "section"),
        ({"plans": {99: work.PlanUpdate("예정", date(2025, 10, 1))}}, "plans"),
        ({"plans": {1: work.PlanUpdate("보류", date(2025, 10, 1))}}, "status"),
        ({"plans": {1: work.PlanUpdate("추진중", None, "기준일 없음")}}, "status_on"),
    ],
)
def test_invalid_progress_is_refused_naming_the_field(engine: Engine, changes: dict[str, Any], field: str) -> None:
    before, v = state(engine), work_progress(engine).version
    with pytest.raises(work.RefusedError) as refused:
        progress_update(engine, ACTORS["department"], v, highlight="저장되면 안 됨", **changes)
    assert refused.value.field == field and refused.value.item_code == WORK_ITEM
    assert state(engine) == before
    with pytest.raises(work.RefusedError, match="이 항목이 없습니다"):
        progress_update(engine, PLANNER, 1, code="9-9", highlight="-")


def test_a_stale_version_is_a_conflict_carrying_the_stored_values(engine: Engine) -> None:
    v = work_progress(engine).version
    first = progress_update(engine, PLANNER, v, highlight="기획조정실이 먼저 저장")
    before = state(engine)
    with pytest.raises(work.ConflictError) as conflict:
        progress_update(engine, ACTORS["department"], v, highlight="부서가 나중에 저장")
    assert conflict.value.field == "version" and conflict.value.expected_version == v
    assert conflict.value.current == first and conflict.value.current.highlight == "기획조정실이 먼저 저장"
    assert f"불러온 버전 {v}, 현재 버전 {v + 1}" in str(conflict.value)
    assert state(engine) == before


def test_a_save_racing_ours_between_read_and_write_is_a_conflict(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone saves after update_progress read the item but before it writes: its UPDATE carries
    the version it read, matches nothing, and the whole save is undone."""
    real = work._departments
    raced = threading.Event()

    def departments_then_a_rival_save(*args: Any) -> tuple[str, ...]:
        found = real(*args)
        if not raced.is_set():
            raced.set()
            with acting(engine) as rival:  # another user's transaction, committed first
                row = rival.exec(select(WorkItem).where(WorkItem.code == WORK_ITEM)).scalars().one()  # type: ignore[call-overload]
                row.highlight = "경쟁 저장"
                rival.commit()
        return found

    monkeypatch.setattr(work, "_departments", departments_then_a_rival_save)
    loaded = work_progress(engine)
    before_plans = loaded.plans
    with pytest.raises(work.ConflictError) as conflict:
        progress_update(
            engine,
            ACTORS["department"],
            loaded.version,
            highlight="늦은 저장",
            plans={before_plans[0].seq: work.PlanUpdate("지연", date(2025, 10, 1), "늦은 진행 메모")},
        )
    assert raced.is_set()
    assert conflict.value.current.highlight == "경쟁 저장" and conflict.value.current.version == loaded.version + 1
    stored = work_progress(engine)
    assert stored.highlight == "경쟁 저장" and stored.plans == before_plans  # nothing of ours was written


# --- pages: what each role is shown and offered -----------------------------------------------


def personal_values() -> tuple[set[str], set[str]]:
    """Every birth date (as the pages could print it) and every phone number in the seed data."""
    header, rows = read_csv(DATA / "board_person.csv")
    births = {date.fromisoformat(r[header.index("birth_date")]) for r in rows}
    dates = {f(d) for d in births for f in (date.isoformat, fmt.date_short, fmt.date_ko)}
    phones: set[str] = set()
    for name, columns in (("work_contact.csv", ["phone"]), ("execution_line.csv", ["manager_phone", "officer_phone"])):
        header, rows = read_csv(DATA / name)
        phones |= {r[header.index(c)] for r in rows for c in columns if r[header.index(c)]}
    return dates, phones


def leaks(text: str) -> list[str]:
    dates, phones = personal_values()
    found = [d for d in dates if d in text]
    # a 4-digit extension could be part of a figure: look for it standing alone
    found += [p for p in phones if re.search(rf"(?<![\d,.-]){re.escape(p)}(?![\d,.-])", text)]
    return found + (["☎"] if re.search(r"☎\s*\d", text) else [])  # an extension however it is spelled


@pytest.mark.parametrize("name", PAGES)
def test_a_board_member_is_never_shown_personal_data(engine: Engine, name: str) -> None:
    at = page(name, ACTORS["board"])
    assert leaks(page_text(at)) == [], name


def test_staff_see_the_personal_data_the_board_does_not(engine: Engine) -> None:
    planner = page_text(page("board", PLANNER)) + page_text(page("major_work", PLANNER))
    found = leaks(planner)
    assert "'59. 3. 17." in found and "5770" in found and "☎" in found


def test_a_finding_on_a_personal_field_hides_its_value_from_the_board(engine: Engine) -> None:
    with acting(engine) as s:
        person = s.exec(select(BoardPerson).where(BoardPerson.code == "lee-ijae")).scalars().one()  # type: ignore[call-overload]
        person.birth_date = date(2030, 1, 2)  # after the report date: an error finding names the value
        s.commit()
    assert "2030-01-02" in page_text(page("overview", PLANNER))
    text = page_text(page("overview", ACTORS["board"]))
    assert "2030-01-02" not in text and "(개인정보)" in text and "임원 인적사항" in text


@pytest.mark.parametrize("role", list(ACTORS))
def test_reports_are_offered_only_to_the_roles_that_may_generate_them(engine: Engine, role: str) -> None:
    at = page("reports", ACTORS[role])
    offered = [b for b in at.button if b.key == "report_build"]
    assert offered and not at.get("download_button")
    if role in EXPECTED["report.build"]:
        assert not at.info and at.radio(key="report_kind").options == [
            "주요업무보고 (전체)",
            "행정사무감사 처리결과 보고서",
            "예산 집행 현황 보고",
            "이사회 현황 자료 (개인정보 제외)",
        ]
    else:  # the board's document only (no personal data), every other document refused
        assert not at.radio and "이사회 현황 자료만 제공합니다" in at.info[0].value


@pytest.mark.parametrize("role", list(ACTORS))
def test_the_edit_page_offers_only_the_tables_a_role_may_edit(engine: Engine, role: str) -> None:
    at = page("edit", ACTORS[role])
    if role == "planning":
        assert "임원 인적사항" in " ".join(at.selectbox(key="edit_table").options)
    else:  # the table editor is the planning office's (issue 11); finance has the budget page's forms
        assert not at.selectbox and not at.data_editor
        notice = " ".join(i.value for i in at.info)
        assert "자료를 편집할 권한이 없습니다" in notice
        assert ("예산 화면에서 집행 현황을 기록" in notice) == (role == "finance")


@pytest.mark.parametrize("role", list(ACTORS))
def test_the_work_progress_form_is_offered_to_planning_and_the_own_department(engine: Engine, role: str) -> None:
    at = page("major_work", ACTORS[role])
    if role in EXPECTED["major_work.update_progress"] or role == "other department":
        open_work_editor(at)
    else:
        assert not at.expander
    selects = [s for s in at.selectbox if s.key == "work_progress_item"]
    if role == "planning":
        assert len(selects[0].options) == 11
    elif role == "department":
        assert [o.split()[0] for o in selects[0].options] == [WORK_ITEM]
    elif role == "other department":
        assert [o.split()[0] for o in selects[0].options] == ["1-1", "2-2", "6"]
    else:
        assert not selects and "추진 실적 수정" not in page_text(at)


def test_a_department_saves_progress_from_the_page(engine: Engine) -> None:
    at = open_work_editor(page("major_work", ACTORS["department"]))
    before, head = work_progress(engine), log_head(engine)
    plan = before.plans[0]
    box = next(t for t in at.text_input if t.key == f"wp_note_{WORK_ITEM}_{before.version}_{plan.seq}")
    box.set_value("10월 정식 공개 준비")
    next(b for b in at.button if b.label == "저장").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert f"추진 실적을 저장했습니다 (버전 {before.version + 1})" in page_text(at)
    stored = work_progress(engine)
    assert stored.plans[0].progress_note == "10월 정식 공개 준비" and stored.version == before.version + 1
    assert stored.plans[0].detail == plan.detail and stored.plans[1:] == before.plans[1:]
    assert stored.actions == before.actions and stored.highlight == before.highlight  # saved as they were
    # one logged change besides the version: the plan's note, by the department user
    (entry,) = log_after(engine, head)
    assert (entry.actor, entry.table_name, entry.fields) == (
        ACTORS["department"].username,
        "work_plan",
        {"progress_note": (None, "10월 정식 공개 준비")},
    )


def test_the_page_shows_a_conflict_with_the_stored_values(engine: Engine) -> None:
    at = open_work_editor(page("major_work", PLANNER))
    code = at.selectbox(key="work_progress_item").value
    assert code == "1-1"
    # saved by the department after the page loaded the item
    progress_update(
        engine, ACTORS["other department"], work_progress(engine, code).version, code=code, highlight="부서가 먼저 저장"
    )
    next(t for t in at.text_area if t.key.startswith("wp_hl_")).set_value("기획조정실이 나중에 저장")
    next(b for b in at.button if b.label == "저장").click()
    at.run()
    assert "다른 사용자가 먼저 저장했습니다" in shown(at.error[0].value)
    assert "부서가 먼저 저장" in page_text(at)
    assert work_progress(engine, code).highlight == "부서가 먼저 저장"
