"""The budget figures: built from service rows, Korean labels, NanumGothic first."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image
from sqlalchemy.engine import Engine

from budget import charts
from budget import execution as budget_execution
from budget import forecast as budget_forecast
from budget import recording as budget_recording
from budget import service as budget
from governance_app.core.auth import Actor
from governance_app.core.context import current
from governance_app.core.db import session
from governance_app.report import images

REPORT_DAY = date(2025, 7, 31)
NEW_DAY = date(2025, 10, 31)


def test_execution_rate_chart_marks_lagging_lines_and_the_elapsed_share(engine: Engine) -> None:
    with session(engine) as s:
        rows = budget_execution.execution(s, current(s).org_id, REPORT_DAY)
    fig = charts.execution_rate_chart(rows)
    bar = fig.data[0]
    assert bar.orientation == "h"
    assert "합계" not in bar.y and len(bar.y) == 10
    rates = dict(zip(bar.y, bar.x, strict=True))
    assert rates["스마트상담시스템 운영 활성화"] == 45.0
    assert rates["악강성민원 전담 관리"] == 49.0
    assert rates["예비비"] == 0.0
    colours = dict(zip(bar.y, bar.marker.color, strict=True))
    warned = {label for label, colour in colours.items() if colour == charts.WARNING_COLOUR}
    assert warned == {"스마트상담시스템 운영 활성화", "예비비"}  # more than 10 %p behind; 악강성민원 is 9.1 behind
    assert "45.0% (△13.1%p)" in bar.text
    (line,) = fig.layout.shapes
    assert (line.x0, line.x1) == (58.1, 58.1)
    assert [a.text for a in fig.layout.annotations if a.text.startswith("연중")] == ["연중 경과율 58.1%"]
    assert fig.layout.title.text == "세부사업별 집행률 ('25. 7. 31. 기준)"
    assert fig.layout.font.family.startswith("NanumGothic")


def test_sunburst_is_the_hierarchy_of_one_year(engine: Engine) -> None:
    with session(engine) as s:
        rows = budget.budget_table(s, current(s).org_id, "expenditure", (2024, 2025))
    fig = charts.budget_sunburst(rows, 2025)
    sun = fig.data[0]
    assert sun.branchvalues == "total"
    values = dict(zip(sun.ids, sun.values, strict=True))
    parents = dict(zip(sun.ids, sun.parents, strict=True))
    labels = dict(zip(sun.ids, sun.labels, strict=True))
    assert values["exp"] == 32048210 and parents["exp"] == ""
    assert (parents["exp.1.2.2"], parents["exp.1.2"], parents["exp.1"]) == ("exp.1.2", "exp.1", "exp")
    assert labels["exp.3.2"] == "예비비" and values["exp.3.2"] == 183379
    # branchvalues="total" draws nothing under a parent smaller than its children
    for code, value in values.items():
        assert value >= sum(v for c, v in values.items() if parents[c] == code), code
    assert not any(code.startswith("rev") for code in sun.ids)
    assert "2025년" in fig.layout.title.text and fig.layout.font.family.startswith("NanumGothic")
    assert charts.budget_sunburst(rows, 2024).data[0].values[0] == 31973379


def test_execution_curve_follows_the_snapshots(engine: Engine) -> None:
    amounts = {}  # 1,000 more executed on 10. 31. on every line that has that much left
    with session(engine) as s:
        for row in budget_execution.execution(s, current(s).org_id, REPORT_DAY):
            if not row.is_total:
                amounts[row.code] = (row.budget, row.executed + 1000 if row.remaining >= 1000 else row.executed)
        budget_recording.record_execution(
            session=s, actor=Actor("f", "finance"), as_of=NEW_DAY, amounts=amounts, today=date(2025, 11, 3)
        )
        points = budget_forecast.execution_series(s, current(s).org_id, NEW_DAY)
        forecast = budget_forecast.forecast(s, current(s).org_id, NEW_DAY)
    fig = charts.execution_curve(points, forecast)
    traces = {t.name: t for t in fig.data}
    total = traces["합계"]
    assert [date.fromisoformat(str(x)[:10]) for x in total.x] == [REPORT_DAY, NEW_DAY]
    assert list(total.y) == [17756649, sum(e for _, e in amounts.values())]
    assert list(traces["예비비"].y) == [0, 1000]
    ahead = traces["합계 연말 예상"]
    assert ahead.line.dash == "dot"
    assert list(ahead.y) == [total.y[-1], next(f.forecast for f in forecast if f.is_total)]
    assert str(ahead.x[-1])[:10] == "2025-12-31"
    assert fig.layout.font.family.startswith("NanumGothic")
    assert fig.layout.title.text == "2025년 누적 집행액 추이"


def test_the_curve_axes_hold_every_line_and_forecast(engine: Engine) -> None:
    with session(engine) as s:
        points = budget_forecast.execution_series(s, current(s).org_id, REPORT_DAY)
        forecast = budget_forecast.forecast(s, current(s).org_id, REPORT_DAY)
    fig = charts.execution_curve(points, forecast)
    total_forecast = next(f.forecast for f in forecast if f.is_total)
    for axis, panel in (("yaxis", "y"), ("yaxis2", "y2")):
        low, high = fig.layout[axis].range
        drawn = [y for t in fig.data if (t.yaxis or "y") == panel for y in t.y]
        assert low == 0 and max(drawn) < high, (axis, max(drawn), high)
        assert max(drawn) * 1.05 <= high  # room above the highest marker: not on the plot's edge
    assert max(fig.data[1].y) == total_forecast  # the 합계 forecast is the top panel's highest point


def test_the_rate_chart_shows_each_line_name_whole_in_the_exported_image(engine: Engine) -> None:
    with session(engine) as s:
        rows = budget_execution.execution(s, current(s).org_id, REPORT_DAY)
    fig = charts.execution_rate_chart(rows)
    longest = max((r.label for r in rows if not r.is_total), key=len)
    assert longest == "스마트상담시스템 운영 활성화"
    assert fig.layout.margin.l >= 14 * len(longest)
    # the image as the documents embed it: a name cut at the image's left edge leaves ink there
    image = Image.open(io.BytesIO(images.png(fig, 900, 400, scale=1))).convert("L")
    _, height = image.size
    edge = [image.getpixel((x, y)) for x in range(4) for y in range(60, height - 60)]
    assert min(edge) > 200, "a label touches the left edge of the image"
    # and the names do stand left of the bars: ink between the edge and the plot area
    names = [image.getpixel((x, y)) for x in range(20, fig.layout.margin.l - 10) for y in range(60, height - 60)]
    assert min(names) < 100
