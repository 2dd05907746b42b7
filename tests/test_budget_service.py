"""Budget execution: the document's figures, recording a snapshot, the curve and the forecast."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from sqlalchemy.engine import Engine

from budget import execution as budget_execution
from budget import forecast as budget_forecast
from budget import links as budget_links
from budget import recording as budget_recording
from budget.models import ExecutionSnapshot
from governance_app.core.auth import Actor, PermissionDeniedError, may
from governance_app.core.context import current
from governance_app.core.db import session
from governance_app.core.queries import fetch
from tests.helpers import acting
from tests.helpers.budget import AMOUNTS_1031, BUDGETS, EXECUTED_1031, FINANCE, NEW_DAY, REPORT_DAY, TODAY, record

BOARD = Actor("test-board", "board")

EXECUTED_0731 = {
    "ex.1.1.1": 1572360,
    "ex.1.1.2": 55233,
    "ex.1.2.1": 208000,
    "ex.1.2.2": 137246,
    "ex.2.1.1": 109713,
    "ex.2.1.2": 14800,
    "ex.2.2.1": 191540,
    "ex.2.2.2": 29210,
    "ex.3.1": 15438547,
    "ex.3.2": 0,
}


def half_up(value: Fraction) -> int:
    return int((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def day(on: date) -> int:
    return on.timetuple().tm_yday


def snapshots(engine: Engine) -> list[tuple]:
    with session(engine) as s:
        rows = fetch(s, ExecutionSnapshot, current(s).org_id)
    return sorted(
        (r.line_code, r.as_of, r.budget_amount, r.executed_amount, r.rate_reported, r.remaining_reported) for r in rows
    )


def test_execution_on_the_report_date_is_the_document(engine: Engine) -> None:
    with session(engine) as s:
        rows = {r.code: r for r in budget_execution.execution(s, current(s).org_id, REPORT_DAY)}
    total = rows["total"]
    assert (total.budget, total.executed, total.rate, total.remaining) == (
        32048210,
        17756649,
        Decimal("55.4"),
        14291561,
    )
    assert total.elapsed == Decimal("58.1")
    expected = {  # 집행률, 경과율 대비 %p, flag
        "ex.1.2.2": (Decimal("45.0"), Decimal("-13.1"), "부진"),  # 스마트상담시스템 운영 활성화
        "ex.2.2.2": (Decimal("49.0"), Decimal("-9.1"), "미달"),  # 악강성민원 전담 관리: behind, within 10 %p
        "ex.3.2": (Decimal("0.0"), Decimal("-58.1"), "부진"),  # 예비비
        "ex.1.2.1": (Decimal("100.0"), Decimal("41.9"), ""),
    }
    for code, (rate, gap, flag) in expected.items():
        assert (rows[code].rate, rows[code].gap, rows[code].lag_status) == (rate, gap, flag), code
    assert Decimal(10) == budget_execution.LAG_THRESHOLD
    assert [r.code for r in budget_execution.lagging(list(rows.values()))] == ["ex.1.2.2", "ex.3.2"]


def test_lag_threshold_is_strictly_more_than_ten_points(engine: Engine) -> None:
    with session(engine) as s:
        row = next(r for r in budget_execution.execution(s, current(s).org_id, REPORT_DAY) if r.code == "ex.2.2.2")
    assert (
        budget_execution.ExecutionRow(**{**row.__dict__, "rate": Decimal("48.1")}).lag_status == "미달"
    )  # exactly 10.0 behind
    assert (
        budget_execution.ExecutionRow(**{**row.__dict__, "rate": Decimal("48.0")}).lag_status == "부진"
    )  # 10.1 behind


def test_record_a_snapshot_draws_the_curve_and_the_forecast(engine: Engine) -> None:
    assert record(engine, AMOUNTS_1031) == 11  # ten lines and the computed total
    with session(engine) as s:
        assert budget_execution.execution_dates(s, current(s).org_id) == [REPORT_DAY, NEW_DAY]
        rows = {r.code: r for r in budget_execution.execution(s, current(s).org_id, NEW_DAY)}
        series = budget_forecast.execution_series(s, current(s).org_id, NEW_DAY)
        forecast = {f.code: f for f in budget_forecast.forecast(s, current(s).org_id, NEW_DAY)}

    # the total row is the sum of the lines, never typed
    assert (rows["total"].budget, rows["total"].executed) == (sum(BUDGETS.values()), sum(EXECUTED_1031.values()))
    assert rows["total"].budget == 32048210 and rows["total"].executed == 24512800
    assert rows["ex.1.2.2"].rate == Decimal("75.4")  # 230,000 / 304,857
    assert rows["total"].elapsed == Decimal("83.3")  # 304 / 365

    # the curve: both dates per line and for the total, in date order
    assert [(p.as_of, p.executed) for p in series if p.code == "ex.1.2.2"] == [(REPORT_DAY, 137246), (NEW_DAY, 230000)]
    assert [(p.as_of, p.executed) for p in series if p.is_total] == [(REPORT_DAY, 17756649), (NEW_DAY, 24512800)]
    assert len(series) == 22

    # Two dated points: the least-squares line is the line through both, read on day 365, then
    # kept between the last 집행액 and the budget.
    x1, x2, end = day(REPORT_DAY), day(NEW_DAY), 365
    assert (x1, x2) == (212, 304)
    for code, budget_amount in BUDGETS.items():
        y1, y2 = EXECUTED_0731[code], EXECUTED_1031[code]
        through = half_up(y2 + Fraction((y2 - y1) * (end - x2), x2 - x1))
        expected = min(budget_amount, max(y2, through))
        row = forecast[code]
        assert (row.forecast, row.unspent, row.points) == (expected, budget_amount - expected, 2), code
        assert row.method == budget_forecast.FORECAST_TREND
    # 스마트상담시스템 운영 활성화: 230,000 + 92,754 x 61 / 92 = 291,499.93 -> 291,500; 불용 13,357
    assert (forecast["ex.1.2.2"].forecast, forecast["ex.1.2.2"].unspent) == (291500, 13357)
    # 상담정보시스템 운영 would reach 1,651,587: capped at its budget, nothing 불용
    assert (forecast["ex.1.1.1"].forecast, forecast["ex.1.1.1"].unspent) == (1630926, 0)
    assert (forecast["ex.3.2"].forecast, forecast["ex.3.2"].unspent) == (0, 183379)  # 예비비
    # the total is the sum of the lines' forecasts
    total = forecast["total"]
    lines = [f for f in forecast.values() if not f.is_total]
    assert total.forecast == sum(f.forecast for f in lines)
    assert total.unspent == 32048210 - total.forecast == sum(f.unspent for f in lines)
    assert total.method == budget_forecast.FORECAST_SUM


def test_forecast_from_one_snapshot_is_linear_from_january(engine: Engine) -> None:
    with session(engine) as s:
        forecast = {f.code: f for f in budget_forecast.forecast(s, current(s).org_id, REPORT_DAY)}
    # 137,246 x 365 / 212 = 236,296.18 -> 236,296 (of 304,857: 68,561 불용)
    row = forecast["ex.1.2.2"]
    assert (row.forecast, row.unspent, row.points, row.method) == (236296, 68561, 1, budget_forecast.FORECAST_LINEAR)
    for code, executed in EXECUTED_0731.items():
        expected = min(BUDGETS[code], half_up(Fraction(executed * 365, 212)))
        assert forecast[code].forecast == expected, code
    assert forecast["ex.1.1.1"].forecast == 1630926  # 1,572,360 at 58 % of the year: capped
    assert forecast["total"].forecast == sum(f.forecast for f in forecast.values() if not f.is_total)


def test_forecast_as_of_an_earlier_date_ignores_later_snapshots(engine: Engine) -> None:
    record(engine, AMOUNTS_1031)
    with session(engine) as s:
        forecast = {f.code: f for f in budget_forecast.forecast(s, current(s).org_id, REPORT_DAY)}
        series = budget_forecast.execution_series(s, current(s).org_id, REPORT_DAY)
    assert forecast["ex.1.2.2"].forecast == 236296
    assert {p.as_of for p in series} == {REPORT_DAY}


def test_three_snapshots_use_least_squares_not_the_last_two(engine: Engine) -> None:
    september = date(2025, 9, 30)  # day 273
    smart = {"ex.1.2.2": (304857, 210000)}  # a lumpy September, then a slow October
    record(engine, {**AMOUNTS_1031, **smart}, as_of=september)
    record(engine, {**AMOUNTS_1031, "ex.1.2.2": (304857, 220000)})
    with session(engine) as s:
        row = next(f for f in budget_forecast.forecast(s, current(s).org_id, NEW_DAY) if f.code == "ex.1.2.2")
    xs, ys = [212, 273, 304], [137246, 210000, 220000]
    mean_x, mean_y = Fraction(sum(xs), 3), Fraction(sum(ys), 3)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum((x - mean_x) ** 2 for x in xs)
    expected = half_up(mean_y + slope * (365 - mean_x))
    last_two = half_up(220000 + Fraction((220000 - 210000) * (365 - 304), 304 - 273))
    assert expected != last_two  # the decision matters on this series
    assert (row.forecast, row.points, row.method) == (expected, 3, budget_forecast.FORECAST_TREND)
    assert row.unspent == 304857 - expected


def test_project_never_forecasts_below_what_is_spent_or_above_the_budget() -> None:
    falling = [(date(2025, 3, 31), 500), (date(2025, 6, 30), 400)]  # a refund
    assert budget_forecast.project(falling, 1000) == (400, budget_forecast.FORECAST_TREND)
    assert budget_forecast.project([(date(2025, 1, 31), 900)], 1000) == (1000, budget_forecast.FORECAST_LINEAR)
    assert budget_forecast.project([(date(2025, 12, 31), 700)], 1000) == (700, budget_forecast.FORECAST_LINEAR)
    assert budget_forecast.project([(date(2025, 6, 30), 0)], 0) == (0, budget_forecast.FORECAST_LINEAR)


def test_re_recording_a_date_replaces_its_rows(engine: Engine) -> None:
    amounts = {code: (BUDGETS[code], EXECUTED_0731[code]) for code in BUDGETS}
    amounts["ex.1.2.2"] = (304857, 150000)
    assert record(engine, amounts, as_of=REPORT_DAY) == 11
    rows = [r for r in snapshots(engine) if r[1] == REPORT_DAY]
    assert len(rows) == 11
    by_code = {r[0]: r for r in rows}
    assert by_code["ex.1.2.2"][2:] == (304857, 150000, None, None)  # no printed figures on a recorded row
    assert by_code["total"][3] == 17756649 - 137246 + 150000


RECORD = "execution.record"


def test_finance_and_planning_may_record_a_board_member_may_not(engine: Engine) -> None:
    assert may(FINANCE, RECORD) and may(Actor("p", "planning"), RECORD)
    assert not may(BOARD, RECORD) and not may(Actor("a", "auditor"), RECORD)
    before = snapshots(engine)
    with pytest.raises(PermissionDeniedError):
        record(engine, AMOUNTS_1031, actor=BOARD)
    assert snapshots(engine) == before
    assert record(engine, AMOUNTS_1031, actor=FINANCE) == 11
    assert snapshots(engine) != before


@pytest.mark.parametrize(
    ("change", "as_of", "row", "field", "words"),
    [
        ({"ex.9.9": (1, 0)}, NEW_DAY, "ex.9.9", "구분", "알 수 없는 세부사업"),
        ({"total": (32048210, 24512800)}, NEW_DAY, "합계", "구분", "합계는 세부사업 합"),
        ({"ex.1.2.2": (-1, 0)}, NEW_DAY, "스마트상담시스템 운영 활성화", "예산액", "음수"),
        ({"ex.1.2.2": (304857, -5)}, NEW_DAY, "스마트상담시스템 운영 활성화", "집행액", "음수"),
        (
            {"ex.1.2.2": (304857, 304858)},
            NEW_DAY,
            "스마트상담시스템 운영 활성화",
            "집행액",
            "예산액 304,857보다 큽니다",
        ),
        ({"ex.1.2.2": (304857, "230000")}, NEW_DAY, "스마트상담시스템 운영 활성화", "집행액", "정수가 아닙니다"),
        ({}, date(2025, 11, 4), "-", "기준일", "오늘 이후"),
        ({}, date(2024, 12, 31), "-", "기준일", "2025 회계연도 밖"),
    ],
)
def test_invalid_snapshots_are_refused_and_nothing_changes(
    engine: Engine, change: dict, as_of: date, row: str, field: str, words: str
) -> None:
    before = snapshots(engine)
    with pytest.raises(budget_recording.ExecutionRecordError) as caught:
        record(engine, {**AMOUNTS_1031, **change}, as_of=as_of)
    errors = caught.value.errors
    assert [(f.row, f.field) for f in errors] == [(row, field)]
    assert words in errors[0].message
    assert snapshots(engine) == before


def test_every_line_must_be_given(engine: Engine) -> None:
    before = snapshots(engine)
    partial = {code: value for code, value in AMOUNTS_1031.items() if code != "ex.3.2"}
    with pytest.raises(budget_recording.ExecutionRecordError) as caught:
        record(engine, partial)
    assert [(f.row, f.field) for f in caught.value.errors] == [("예비비", "구분")]
    assert snapshots(engine) == before


def test_warnings_do_not_block_recording(engine: Engine) -> None:
    amounts = {**AMOUNTS_1031, "ex.1.2.2": (310000, 100000)}  # budget changed; less than 7. 31.'s 137,246
    with session(engine) as s:
        findings = budget_recording.check_execution(
            s, current(s).org_id, NEW_DAY, amounts, fiscal_year=2025, today=TODAY
        )
    assert {(f.severity, f.row, f.field) for f in findings} == {
        ("warning", "스마트상담시스템 운영 활성화", "예산액"),
        ("warning", "스마트상담시스템 운영 활성화", "집행액"),
    }
    assert record(engine, amounts) == 11


def test_work_items_and_lines_both_ways(engine: Engine) -> None:
    with session(engine) as s:
        links = budget_links.work_links(s, current(s).org_id, 2025, REPORT_DAY)
    by_line = {line.code: line for line in links.by_line}
    assert "total" not in by_line
    assert [k.item_code for k in by_line["ex.2.1.1"].links] == ["1-2", "1-3"]  # 역량강화 교육, shared
    assert [k.item_code for k in by_line["ex.3.1"].links] == ["5"]  # 운영경비 exp.3.1.3 under 일반관리비 exp.3.1
    assert by_line["ex.3.2"].links == []
    assert by_line["ex.1.2.2"].rate == Decimal("45.0")
    by_item = {item.code: item for item in links.by_item}
    assert [k.execution_code for k in by_item["6"].links] == ["ex.2.2.1", "ex.2.2.2"]
    assert [(k.rate, k.budget_line_name) for k in by_item["6"].links] == [
        (Decimal("94.7"), "감정노동 보호 프로그램 운영"),
        (Decimal("49.0"), "악강성 민원 전담관리"),
    ]
    assert by_item["1-1"].links == [] and by_item["2-1"].cost == 208000


def test_the_total_row_adds_up_the_lines_on_its_date(engine: Engine) -> None:
    with acting(engine) as s:
        snap = next(r for r in fetch(s, ExecutionSnapshot, current(s).org_id) if r.line_code == "ex.1.1.1")
        snap.executed_amount = 1600000  # edited behind the service's back: the stored 합계 is now stale
        s.add(snap)
        s.commit()
        total = budget_execution.execution_total(s, current(s).org_id, REPORT_DAY)
        series = [p for p in budget_forecast.execution_series(s, current(s).org_id, REPORT_DAY) if p.is_total]
    assert total is not None
    assert (total.executed, total.rate, total.rate_reported) == (17756649 + 27640, Decimal("55.5"), Decimal("55.4"))
    assert [p.executed for p in series] == [17784289]


def test_execution_contacts_only_for_roles_that_may_see_personal_data(engine: Engine) -> None:
    with session(engine) as s:
        org = current(s).org_id
        seen = {
            role: next(
                r for r in budget_execution.execution(s, org, REPORT_DAY, Actor(role, role)) if r.is_total
            ).contacts
            for role in ("planning", "finance", "board")
        }
        anonymous = next(r for r in budget_execution.execution(s, org, REPORT_DAY) if r.is_total).contacts
    assert (
        seen["planning"]
        == seen["finance"]
        == {
            "manager_name": "심지현",
            "manager_phone": "3278-5712",
            "officer_name": "임종혁",
            "officer_phone": "3278-5730",
        }
    )
    assert set(seen["board"].values()) == set(anonymous.values()) == {None}
