"""As-of everywhere: the overview, the 보고서 page, the documents and `report --as-of` show the
latest recorded execution snapshot by default, or the 기준일 chosen, and print that date."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from budget import execution as budget
from governance_app.cli import main
from governance_app.core.context import current
from governance_app.core.db import session
from governance_app.core.settings import ROOT
from governance_app.report.build import build
from tests.helpers import PLANNER, sign_in
from tests.helpers.budget import AMOUNTS_1031, FINANCE, NEW_DAY, REPORT_DAY, record

PAGES = ROOT / "governance_app" / "pages"


def rate_1031() -> str:
    """집행률 of the 10. 31. snapshot this module records, half-up to one decimal."""
    spent = sum(e for _, e in AMOUNTS_1031.values())
    total = sum(b for b, _ in AMOUNTS_1031.values())
    tenths = Fraction(spent * 1000, total)
    return f"{int(tenths + Fraction(1, 2)) / 10:.1f}%"


def run(page: str) -> AppTest:
    at = sign_in(AppTest.from_file(str(PAGES / page), default_timeout=60), FINANCE)
    at.run()
    assert not at.exception, at.exception
    return at


def rate_metric(at: AppTest) -> tuple[str, str]:
    [metric] = [m for m in at.metric if m.label.startswith("집행률")]
    return metric.label, metric.value


def test_the_overview_shows_the_latest_snapshot_and_the_chosen_one(engine: Engine) -> None:
    at = run("overview.py")
    assert rate_metric(at) == ("집행률 ('25. 7. 31. 기준)", "55.4%")  # the seed's only snapshot
    record(engine, AMOUNTS_1031)
    at = run("overview.py")
    assert at.selectbox(key="overview_as_of").value == NEW_DAY
    assert rate_metric(at) == ("집행률 ('25. 10. 31. 기준)", rate_1031())
    assert any("예산 집행 2025. 10. 31. 기준" in c.value for c in at.caption)
    at.selectbox(key="overview_as_of").set_value(REPORT_DAY).run()
    assert rate_metric(at) == ("집행률 ('25. 7. 31. 기준)", "55.4%")


def test_documents_print_the_latest_snapshot_or_the_chosen_date(engine: Engine) -> None:
    record(engine, AMOUNTS_1031)
    latest = build(engine, "budget", actor=FINANCE)
    assert latest.blocks[0].date_label == "2025. 10. 31. 기준"
    assert "2. 예산 집행 현황 (2025. 10. 31. 기준)" in latest.text()
    chosen = build(engine, "budget", actor=FINANCE, as_of=REPORT_DAY)
    assert chosen.blocks[0].date_label == "2025. 7. 31. 기준" and "17,756,649" in chosen.text()
    business = build(engine, "business", actor=PLANNER).text()
    assert "참고 '25년 예산 현황 ('25. 10. 31. 기준)" in business
    with pytest.raises(budget.UnknownAsOfError, match="2025-09-15"):
        build(engine, "budget", actor=FINANCE, as_of=REPORT_DAY.replace(month=9, day=15))


def test_the_reports_page_offers_the_recorded_dates_latest_first_chosen(engine: Engine) -> None:
    record(engine, AMOUNTS_1031)
    at = run("reports.py")
    at.radio(key="report_kind").set_value("budget").run()
    picker = at.selectbox(key="report_as_of")
    assert picker.value == NEW_DAY and list(picker.options) == ["2025. 7. 31.", "2025. 10. 31."]
    assert any("예산 집행은 2025. 10. 31. 기준" in c.value for c in at.caption)
    picker.set_value(REPORT_DAY).run()
    assert any("예산 집행은 2025. 7. 31. 기준" in c.value for c in at.caption)


def test_report_as_of_on_the_command_line(engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record(engine, AMOUNTS_1031)
    assert (
        main(["report", "--kind", "budget", "--format", "docx", "--out", str(tmp_path), "--as-of", "2025-07-31"]) == 0
    )
    assert (
        main(["report", "--kind", "budget", "--format", "docx", "--out", str(tmp_path), "--as-of", "2025-09-15"]) == 1
    )
    err = capsys.readouterr().err
    assert "no execution snapshot as of 2025-09-15; recorded: 2025-07-31, 2025-10-31" in err
    with session(engine) as s:
        assert budget.execution_as_of(s, current(s).org_id) == NEW_DAY
