"""The round selector and the 보고 회차 page's forms in AppTest: new round, freeze with its
confirmation, reopen with a reason, the diff view; a submitted round shown read-only and its stored
documents on the reports page."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from governance_app import rounds, store
from governance_app.core import context
from governance_app.core.db import session
from governance_app.core.models import SUBMITTED, RoundDocument, RoundState
from governance_app.core.queries import fetch
from governance_app.core.settings import ROOT
from tests.helpers import PLANNER, acting, sign_in
from tests.helpers.pages import shown

APP = str(ROOT / "streamlit_app.py")
PAGE = str(ROOT / "governance_app" / "pages" / "rounds.py")


def open_round_2026(engine: Engine) -> None:
    with session(engine) as s:
        rounds.new_round(
            session=s,
            actor=PLANNER,
            code="2026-09",
            fiscal_year=2026,
            report_date=date(2026, 9, 1),
            execution_as_of=date(2026, 7, 31),
        )


def submit_state_only(engine: Engine, code: str = "2025-09") -> None:
    with acting(engine) as s:
        s.add(
            RoundState(
                org_id=context.current(s).org_id,
                report_code=code,
                state=SUBMITTED,
                changed_at=datetime.now(UTC),
                changed_by="test",
            )
        )
        s.commit()


def exported(engine: Engine, path: Path) -> dict[str, bytes]:
    with session(engine) as s:
        return {f.name: f.read_bytes() for f in store.export_dir(session=s, actor=PLANNER, path=path)}


def texts(at: AppTest) -> str:
    kinds = ("title", "markdown", "caption", "success", "error", "warning", "info")
    parts = [shown(e.value) for kind in kinds for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    return "\n".join(str(p) for p in parts)


def run_page(path: str = PAGE, timeout: int = 30) -> AppTest:
    at = sign_in(AppTest.from_file(path, default_timeout=timeout))
    at.run()
    assert not at.exception, at.exception
    return at


def test_round_selector_shows_the_chosen_round_on_every_page(engine: Engine) -> None:
    open_round_2026(engine)
    submit_state_only(engine)
    at = run_page(APP)
    at.switch_page("governance_app/pages/overview.py").run()  # the app opens on the home page
    assert not at.exception, at.exception
    selector = at.sidebar.selectbox(key="round")
    assert selector.value == "2026-09"  # the current round first
    assert selector.options == ["2025. 9. 보고 · 제출", "2026. 9. 보고 · 작성중 · 현재"]
    assert "2026년 예산 -천원" in texts(at)  # the new year's budget is not loaded yet
    selector.set_value("2025-09").run()
    assert not at.exception, at.exception
    assert "2025년 예산 32,048,210천원" in texts(at)
    assert any("읽기 전용" in w.value for w in at.sidebar.warning)
    at.switch_page("governance_app/pages/major_work.py").run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="round").value == "2025-09"  # kept across pages
    at.session_state["work_edit"] = True  # open the progress form's lazy expander
    at.run()
    assert "2025-09 회차: 제출된 회차입니다" in texts(at)
    at.sidebar.selectbox(key="round").set_value("2026-09").run()
    assert not at.exception, at.exception
    assert not any("읽기 전용" in w.value for w in at.sidebar.warning)


def test_new_round_form_opens_the_next_year_and_refuses_an_existing_code(engine: Engine, tmp_path: Path) -> None:
    at = run_page()
    assert at.text_input(key="round_new_code").value == "2026-09"
    before = exported(engine, tmp_path / "before")
    at.text_input(key="round_new_code").input("2025-09")
    at.button(key="FormSubmitter:round_new-새 회차 만들기").click().run()
    assert [shown(e.value) for e in at.error] == [
        "저장하지 않았습니다: 회차 2025-09가 이미 있습니다. 다른 코드를 적으십시오."
    ]
    assert exported(engine, tmp_path / "after") == before
    at.text_input(key="round_new_code").input("2026-09")
    at.button(key="FormSubmitter:round_new-새 회차 만들기").click().run()
    assert not at.exception and not at.error
    assert "회차 2026-09를 만들었습니다" in texts(at)
    with session(engine) as s:
        ctx = context.current(s)
    assert (ctx.report_code, ctx.fiscal_year, ctx.report_date, ctx.execution_as_of) == (
        "2026-09",
        2026,
        date(2026, 9, 1),
        date(2026, 7, 31),
    )


def test_freeze_form_asks_for_confirmation_then_stores_the_documents(engine: Engine) -> None:
    at = run_page(timeout=180)
    at.button(key="FormSubmitter:round_freeze-제출").click().run()
    assert [shown(e.value) for e in at.error] == ["제출하려면 확인란을 선택하십시오."]
    with session(engine) as s:
        assert not context.current(s, "2025-09").submitted
    at.checkbox(key="round_freeze_confirm").check()
    at.button(key="FormSubmitter:round_freeze-제출").click().run()
    assert not at.exception and not at.error, at.error
    assert "회차 2025-09를 제출했습니다. 문서 12건을 저장했습니다." in texts(at)
    with session(engine) as s:
        assert context.current(s, "2025-09").submitted
        docs = {(d.kind, d.format): d for d in fetch(s, RoundDocument, context.current(s).org_id)}
    # the reports page now hands out the stored files
    reports = run_page(str(ROOT / "governance_app" / "pages" / "reports.py"))
    buttons = reports.download_button
    assert len(buttons) == 3  # PDF, HWPX and DOCX, in the page's order
    assert [b.proto.help for b in buttons] == [
        f"SHA-256 {docs[('business', 'pdf')].sha256}",
        f"SHA-256 {docs[('business', 'hwpx')].sha256}",
        f"SHA-256 {docs[('business', 'docx')].sha256}",
    ]
    assert not [b for b in reports.button if b.key == "report_build"]  # nothing is generated anew


def test_reopen_form_requires_a_reason(engine: Engine) -> None:
    submit_state_only(engine)
    at = run_page()
    at.button(key="FormSubmitter:round_reopen-다시 열기").click().run()
    assert [shown(e.value) for e in at.error] == ["저장하지 않았습니다: 회차를 다시 열려면 사유를 적어야 합니다."]
    at.text_area(key="round_reopen_reason").input("집행액 정정")
    at.button(key="FormSubmitter:round_reopen-다시 열기").click().run()
    assert not at.exception and not at.error
    assert "회차 2025-09를 다시 열었습니다 (작성중)." in texts(at)
    with session(engine) as s:
        state = fetch(s, RoundState, context.current(s).org_id)[0]
    assert (state.state, state.reason, state.changed_by) == ("작성중", "집행액 정정", PLANNER.username)


def test_diff_view_compares_two_rounds(engine: Engine) -> None:
    open_round_2026(engine)
    at = run_page()
    frame = at.dataframe[-1].value
    assert list(frame.columns) == ["구분", "항목", "2025-09", "2026-09", "증감"]
    rows = {(r["구분"], r["항목"].strip()): r for r in frame.to_dict("records")}
    assert rows[("세출예산", "총계")]["2025-09"] == "32,048,210"
    assert (rows[("이사회", "감사 정관 충족")]["2025-09"], rows[("이사회", "감사 정관 충족")]["2026-09"]) == (
        "충족",
        "미달",
    )


def test_other_roles_see_the_rounds_but_no_forms(engine: Engine) -> None:
    from governance_app.core.auth import Actor

    at = sign_in(AppTest.from_file(PAGE, default_timeout=30), Actor("test-finance", "finance"))
    at.run()
    assert not at.exception
    assert "회차를 만들고 제출하는 일은 기획조정실이 합니다." in texts(at)
    assert not at.get("form")
