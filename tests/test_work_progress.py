"""How a work plan stands (issue #5: a department updates the progress of its own work items), on
SQLite and PostgreSQL: status (예정 / 추진중 / 완료 / 지연), the date it describes and a note, set by the
item's department or the planning office through ``major_work.service.update_progress``, shown on
the 주요업무 page with a summary per area; the document's own lines stay as they were."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from governance_app.cli import load_dir, main
from governance_app.core import changelog
from governance_app.core.context import current
from governance_app.core.db import migrate, session
from major_work import service as work
from tests.helpers import DATA, PLANNER
from tests.helpers.log import log_after, log_head
from tests.helpers.pages import open_tab, open_work_editor, page, page_text
from tests.helpers.work import ACTORS, WORK_ITEM, progress_update, state, work_progress

OWN = ACTORS["department"]  # 스마트전산부: item 2-1
PLAN = 2  # 2-1/2 STT 기반 민원상담 데이터 공개시스템 구축 : 12월 (no detail line in the document)
KEY = f"2025/{WORK_ITEM}/{PLAN}"


def plan_of(p: work.ItemProgress, seq: int = PLAN) -> work.PlanProgress:
    return next(x for x in p.plans if x.seq == seq)


def summary(engine: Engine) -> dict[str, dict[str, int]]:
    with session(engine) as s:
        ctx = current(s)
        rows = work.status_summary(s, ctx.org_id, ctx.fiscal_year)
    return {str(r.area_number or r.title): {**r.counts, "계": r.total} for r in rows}


def test_the_seed_reports_no_status(engine: Engine) -> None:
    counted = summary(engine)
    assert list(counted) == ["1", "2", "3", "4", "5", "6", "7", "계"]
    assert counted["계"] == {"예정": 0, "추진중": 0, "완료": 0, "지연": 0, "미보고": 23, "계": 23}
    assert counted["2"]["미보고"] == 4 and counted["6"]["미보고"] == 3
    p = work_progress(engine)
    assert all((x.status, x.status_on, x.progress_note) == (None, None, None) for x in p.plans)


def test_a_department_reports_its_plans_status_and_the_log_holds_every_field(engine: Engine) -> None:
    before, head = work_progress(engine), log_head(engine)
    saved = progress_update(
        engine,
        OWN,
        before.version,
        plans={PLAN: work.PlanUpdate("추진중", date(2025, 10, 1), "  시범 공개 준비 중  ")},
    )
    got = plan_of(saved)
    assert (got.status, got.status_on, got.progress_note) == ("추진중", date(2025, 10, 1), "시범 공개 준비 중")
    assert (got.text, got.timing, got.detail) == (plan_of(before).text, "12월", None)  # the document's, untouched
    assert saved.version == before.version + 1 and saved.plans[0] == before.plans[0]
    assert saved.actions == before.actions and saved.highlight == before.highlight
    (entry,) = log_after(engine, head)  # the item's version bump alone is not a logged change
    assert (entry.actor, entry.role, entry.action, entry.table_name, entry.record_key) == (
        OWN.username,
        "department",
        "update",
        "work_plan",
        KEY,
    )
    assert entry.fields == {
        "status": (None, "추진중"),
        "status_on": (None, "2025-10-01"),
        "progress_note": (None, "시범 공개 준비 중"),
    }
    # the next report replaces all three: old -> new per field, the cleared note included
    head = log_head(engine)
    done = progress_update(engine, PLANNER, saved.version, plans={PLAN: work.PlanUpdate("완료", date(2025, 11, 20))})
    assert (plan_of(done).status, plan_of(done).status_on, plan_of(done).progress_note) == (
        "완료",
        date(2025, 11, 20),
        None,
    )
    (entry,) = log_after(engine, head)
    assert entry.actor == PLANNER.username and entry.fields == {
        "status": ("추진중", "완료"),
        "status_on": ("2025-10-01", "2025-11-20"),
        "progress_note": ("시범 공개 준비 중", None),
    }
    with session(engine) as s:
        assert [c.actor for c in changelog.history(s, PLANNER, "work_plan", KEY)][-2:] == [
            OWN.username,
            PLANNER.username,
        ]
    counted = summary(engine)
    assert counted["2"] == {"예정": 0, "추진중": 0, "완료": 1, "지연": 0, "미보고": 3, "계": 4}
    assert counted["계"]["완료"] == 1 and counted["계"]["미보고"] == 22
    # an empty status clears the report (with its date)
    cleared = progress_update(engine, OWN, done.version, plans={PLAN: work.PlanUpdate("", None, "")})
    assert (plan_of(cleared).status, plan_of(cleared).status_on, plan_of(cleared).progress_note) == (None, None, None)


def test_the_page_shows_each_plans_status_and_the_summary(engine: Engine) -> None:
    v = work_progress(engine).version
    progress_update(engine, OWN, v, plans={PLAN: work.PlanUpdate("지연", date(2025, 10, 15), "업체 선정 재공고")})
    for who in (ACTORS["board"], PLANNER):  # read-only viewers are shown it too; it is not personal data
        at = open_tab(page("major_work", who), "work_view", "2. ")  # item 2-1 sits under area 2
        table = next(m.value for m in at.markdown if "STT 기반 민원상담 데이터 공개시스템 구축" in m.value)
        assert (
            "| STT 기반 민원상담 데이터 공개시스템 구축 | 12월 | **지연** (2025. 10. 15.) | 업체 선정 재공고 |" in table
        )
        assert "| 스마트 상담시스템 유지보수 및 기능개선 | 연간 | 미보고 |  |" in table
        frame = summary_frame(at)
        area = frame[frame["영역"].str.startswith("2. ")].iloc[0]
        assert (area["지연"], area["미보고"], area["계"]) == (1, 3, 4)
        assert frame.iloc[-1]["영역"] == "계" and frame.iloc[-1]["미보고"] == 22


def summary_frame(at: Any) -> Any:
    """The page's 추진계획 상태 table (a read-only dataframe keeps no key in AppTest)."""
    return next(f.value for f in at.dataframe if "영역" in f.value.columns)


def form(at: Any, version: int, seq: int = PLAN) -> tuple[Any, Any, Any]:
    stamp = f"{WORK_ITEM}_{version}_{seq}"
    return (
        at.selectbox(key=f"wp_status_{stamp}"),
        at.date_input(key=f"wp_on_{stamp}"),
        at.text_input(key=f"wp_note_{stamp}"),
    )


def test_a_department_sets_a_status_from_the_page(engine: Engine) -> None:
    at = open_work_editor(page("major_work", OWN))
    before, head = work_progress(engine), log_head(engine)
    status, on, note = form(at, before.version)
    assert (status.value, on.value, note.value) == ("", None, "")
    assert status.options == ["(미보고)", "예정", "추진중", "완료", "지연"]
    status.set_value("추진중")
    on.set_value(date(2025, 10, 1))
    note.set_value("시범 공개 준비 중")
    next(b for b in at.button if b.label == "저장").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert f"추진 실적을 저장했습니다 (버전 {before.version + 1})" in page_text(at)
    got = plan_of(work_progress(engine))
    assert (got.status, got.status_on, got.progress_note) == ("추진중", date(2025, 10, 1), "시범 공개 준비 중")
    (entry,) = log_after(engine, head)
    assert entry.actor == OWN.username and set(entry.fields) == {"status", "status_on", "progress_note"}
    # the page shows it at once: the summary and the reloaded form, then the item's plans under its area
    frame = summary_frame(at)
    assert frame[frame["영역"].str.startswith("2. ")].iloc[0]["추진중"] == 1
    status, on, note = form(at, before.version + 1)
    assert (status.value, on.value, note.value) == ("추진중", date(2025, 10, 1), "시범 공개 준비 중")
    assert "| 12월 | **추진중** (2025. 10. 1.) | 시범 공개 준비 중 |" in page_text(open_tab(at, "work_view", "2. "))


def test_typed_values_survive_closing_and_reopening_the_form(engine: Engine) -> None:
    at = open_work_editor(page("major_work", OWN))
    before = state(engine)
    version = work_progress(engine).version
    stamp = f"{WORK_ITEM}_{version}"
    status, on, note = form(at, version)
    status.set_value("지연")
    on.set_value(date(2025, 10, 15))
    note.set_value("업체 선정 재공고")
    at.text_area(key=f"wp_hl_{stamp}").set_value("요약을 고치는 중")
    at.session_state[f"wpt_editor_{stamp}"] = {
        "edited_rows": {0: {"text": "고쳐 쓴 첫 줄"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, at.exception
    at.session_state["work_edit"] = False  # the expander closed: its widgets are not drawn
    at.run()
    assert not at.exception and not at.text_input, at.exception
    at.session_state["work_edit"] = True
    at.run()
    assert not at.exception, at.exception
    status, on, note = form(at, version)
    assert (status.value, on.value, note.value) == ("지연", date(2025, 10, 15), "업체 선정 재공고")
    assert at.text_area(key=f"wp_hl_{stamp}").value == "요약을 고치는 중"
    (table,) = [e for e in at.dataframe if e.editing_mode != "read_only"]
    assert table.value.iloc[0]["text"] == "고쳐 쓴 첫 줄"
    assert state(engine) == before  # nothing was saved
    # and 다시 불러오기 forgets it all
    at.button(key="work_progress_reload").click().run()
    status, on, note = form(at, version)
    assert (status.value, on.value, note.value) == ("", None, "")


def test_a_status_without_a_date_is_refused_from_the_page_and_nothing_is_saved(engine: Engine) -> None:
    at = open_work_editor(page("major_work", OWN))
    before = state(engine)
    status, _, note = form(at, work_progress(engine).version)
    status.set_value("완료")
    note.set_value("저장되면 안 됨")
    next(b for b in at.button if b.label == "저장").click()
    at.run()
    assert not at.exception
    message = at.error[0].value
    assert "저장하지 않았습니다" in message and "상태 기준일" in message and "추진계획 2번" in message, message
    assert state(engine) == before


@pytest.mark.parametrize(
    ("wanted", "field", "says"),
    [
        (work.PlanUpdate("추진중", None, "기준일 없음"), "status_on", "상태(추진중)의 기준일이 없습니다"),
        (work.PlanUpdate("보류", date(2025, 10, 1)), "status", "'보류'는 예정·추진중·완료·지연 중 하나여야"),
        (work.PlanUpdate(None, date(2025, 10, 1)), "status", "기준일(2025-10-01)만 있고 상태가 없습니다"),
        (work.PlanUpdate("예정", "2025-13-01"), "status_on", "날짜(2025-10-01 형식)가 아닙니다"),  # type: ignore[arg-type]
    ],
)
def test_an_invalid_status_is_refused_naming_the_plan_and_the_field(
    engine: Engine, wanted: work.PlanUpdate, field: str, says: str
) -> None:
    before, v = state(engine), work_progress(engine).version
    with pytest.raises(work.RefusedError) as refused:
        # a valid change to another plan and the headline in the same save: none of it is written
        progress_update(
            engine,
            OWN,
            v,
            highlight="저장되면 안 됨",
            plans={1: work.PlanUpdate("추진중", date(2025, 10, 1)), PLAN: wanted},
        )
    error = refused.value
    assert (error.item_code, error.field, error.plan_seq) == (WORK_ITEM, field, PLAN)
    assert f"추진계획 {PLAN}번 「STT 기반 민원상담 데이터 공개시스템 구축」" in str(error) and says in str(error)
    assert state(engine) == before


def test_another_departments_plan_is_refused_and_nothing_changes(engine: Engine) -> None:
    before, v = state(engine), work_progress(engine).version
    with pytest.raises(work.ItemPermissionError, match="스마트전산부 항목을 변경할 수 없습니다") as refused:
        progress_update(engine, ACTORS["other department"], v, plans={PLAN: work.PlanUpdate("완료", date(2025, 10, 1))})
    assert (refused.value.item_code, refused.value.field) == (WORK_ITEM, "department")
    assert state(engine) == before


def test_a_stale_version_is_a_conflict_carrying_the_current_status(engine: Engine) -> None:
    v = work_progress(engine).version
    first = progress_update(engine, PLANNER, v, plans={PLAN: work.PlanUpdate("추진중", date(2025, 10, 1), "먼저")})
    before = state(engine)
    with pytest.raises(work.ConflictError) as conflict:
        progress_update(engine, OWN, v, plans={PLAN: work.PlanUpdate("지연", date(2025, 10, 2), "나중")})
    current_plan = plan_of(conflict.value.current)
    assert conflict.value.current == first and conflict.value.current.version == v + 1
    assert (current_plan.status, current_plan.status_on, current_plan.progress_note) == (
        "추진중",
        date(2025, 10, 1),
        "먼저",
    )
    assert f"불러온 버전 {v}, 현재 버전 {v + 1}" in str(conflict.value)
    assert state(engine) == before


# --- the dataset: value rules, import and export ----------------------------------------------


def with_plan(tmp_path: Path, status: str, status_on: str, note: str = "") -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "work_plan.csv"
    text = path.read_text(encoding="utf-8")
    row = "2025,2-1,2,STT 기반 민원상담 데이터 공개시스템 구축,12월,12,,,,\n"
    assert row in text
    path.write_text(text.replace(row, row[:-4] + f",{status},{status_on},{note}\n"), encoding="utf-8")
    return data


@pytest.mark.parametrize(
    ("status", "status_on", "field", "says"),
    [
        ("추진중", "", "status_on", "9행 추진계획 2-1/2: 상태(추진중)를 적으면 기준일(status_on)도 적어야 합니다"),
        ("", "2025-10-01", "status", "9행 추진계획 2-1/2: 상태(status) 없이 기준일(2025-10-01)만 있습니다"),
        ("보류", "2025-10-01", "status", "9행 status: 허용 범위를 벗어남"),
    ],
)
def test_the_files_are_checked_naming_the_row_and_the_field(
    tmp_path: Path, status: str, status_on: str, field: str, says: str
) -> None:
    _, findings = load_dir(with_plan(tmp_path, status, status_on))
    errors = [f for f in findings if f.severity == "error"]
    assert [(f.table, f.row, f.field) for f in errors] == [("work_plan", KEY, field)]
    assert says in errors[0].message


def test_a_reported_status_travels_through_import_and_export(empty_engine: Engine, tmp_path: Path) -> None:
    data = with_plan(tmp_path, "완료", "2025-09-30", "시범 공개 완료")
    assert main(["validate", str(data)]) == 0
    assert main(["import", str(data)]) == 0
    with session(empty_engine) as s:
        got = plan_of(work.progress(s, current(s).org_id, 2025, WORK_ITEM))  # type: ignore[arg-type]
    assert (got.status, got.status_on, got.progress_note) == ("완료", date(2025, 9, 30), "시범 공개 완료")
    out = tmp_path / "out"
    assert main(["export", str(out)]) == 0
    assert (out / "work_plan.csv").read_bytes() == (data / "work_plan.csv").read_bytes()


def test_migration_0004_adds_and_drops_the_columns(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    from governance_app.core.db import MIGRATIONS

    def columns() -> set[str]:
        return {c["name"] for c in inspect(engine).get_columns("work_plan")}

    added = {"status", "status_on", "progress_note"}
    assert added <= columns()
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    assert not added & columns()
    migrate(engine)
    assert added <= columns()
    assert work_progress(engine).plans[1].status is None  # the rows survived, not yet reported
