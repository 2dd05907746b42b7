"""Plotly figures of the budget and its execution: pure functions of service rows.

The page shows them with ``st.plotly_chart``; the report generator exports the same figures
(image export happens there, not here). Labels are Korean, money is 천원, and the font list
starts with NanumGothic (Debian's fonts-nanum) so exported images render Hangul.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from budget.execution import LAG_THRESHOLD, ExecutionRow
from budget.forecast import CurvePoint, ForecastRow
from budget.service import BudgetRow
from governance_app.core import formatting as fmt

FONT_FAMILY = "NanumGothic, 'Nanum Gothic', 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif"
BAR_COLOUR = "#3b6fb6"
WARNING_COLOUR = "#d1495b"  # lines lagging more than LAG_THRESHOLD behind the elapsed share
ELAPSED_COLOUR = "#555555"
TOTAL_COLOUR = "#1b2a41"
PALETTE = (
    "#3b6fb6",
    "#e07b39",
    "#4c9a5a",
    "#8e5ea2",
    "#c9a227",
    "#2a9d8f",
    "#b5651d",
    "#d1495b",
    "#6c757d",
    "#7d8ec4",
)
SUNBURST_LEVELS = ("total", "policy", "unit", "detail")
CURVE_HEADROOM = 1.1  # the cumulative chart's axes reach 10 % above the highest value drawn


def _style(fig: go.Figure, title: str, *, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT_FAMILY, "size": 13},
        height=height,
        margin={"l": 10, "r": 30, "t": 60, "b": 40},
        plot_bgcolor="white",
        separators=".,",
    )
    return fig


def _bar_text(row: ExecutionRow) -> str:
    if row.rate is None:
        return "-"
    text = f"{fmt.percent(row.rate)}%"
    return f"{text} ({fmt.points(row.gap)}%p)" if row.lagging else text


def execution_rate_chart(rows: list[ExecutionRow]) -> go.Figure:
    """Horizontal bars of 집행률 per execution line (not the total), in table order, with the
    elapsed share of the year as a vertical line; lines lagging more than LAG_THRESHOLD %p
    behind it are drawn in the warning colour."""
    lines = [r for r in rows if not r.is_total]
    as_of = rows[0].as_of if rows else None
    elapsed = rows[0].elapsed if rows else None
    fig = go.Figure(
        go.Bar(
            x=[float(r.rate) if r.rate is not None else 0.0 for r in lines],
            y=[r.label for r in lines],
            orientation="h",
            marker={"color": [WARNING_COLOUR if r.lagging else BAR_COLOUR for r in lines]},
            text=[_bar_text(r) for r in lines],
            textposition="outside",
            cliponaxis=False,
            customdata=[
                [fmt.amount(r.budget), fmt.amount(r.executed), fmt.points(r.gap), r.lag_status or "-"] for r in lines
            ],
            hovertemplate=(
                "%{y}<br>집행률 %{x:.1f}%<br>예산액 %{customdata[0]}천원<br>집행액 %{customdata[1]}천원"
                "<br>경과율 대비 %{customdata[2]}%p (%{customdata[3]})<extra></extra>"
            ),
            name="집행률",
        )
    )
    if elapsed is not None:
        fig.add_vline(x=float(elapsed), line={"color": ELAPSED_COLOUR, "dash": "dash", "width": 1.5})
        # labelled above the plot's edge, clear of the bars' own labels
        fig.add_annotation(
            x=float(elapsed),
            y=1.0,
            yref="paper",
            yanchor="bottom",
            text=f"연중 경과율 {fmt.percent(elapsed)}%",
            showarrow=False,
            font={"color": ELAPSED_COLOUR, "size": 14},
        )
    fig.update_xaxes(title="집행률 (%)", range=[0, 125], ticksuffix="%", gridcolor="#e5e5e5", zeroline=False)
    fig.update_yaxes(
        autorange="reversed", categoryorder="array", categoryarray=[r.label for r in lines], automargin=True
    )
    fig.update_layout(showlegend=False)
    suffix = f" ({fmt.date_short(as_of)} 기준)" if as_of else ""
    fig.add_annotation(
        text=f"붉은 막대: 연중 경과율보다 {fmt.percent(LAG_THRESHOLD)}%p 넘게 낮음",
        xref="paper",
        yref="paper",
        x=1,
        y=-0.12,
        xanchor="right",
        yanchor="top",
        showarrow=False,
        font={"size": 14, "color": WARNING_COLOUR},
    )
    fig = _style(fig, f"세부사업별 집행률{suffix}", height=max(320, 42 * len(lines) + 140))
    # every 세부사업 name whole beside its bar: the left margin fits the longest (an exported image
    # does not widen its margin for the labels, so the names were cut to their last syllable)
    fig.update_layout(margin={"l": label_margin(r.label for r in lines)})
    return fig


LABEL_PX = 14  # a Hangul syllable at the charts' 13 px font, with its spacing
LABEL_MAX_PX = 320


def label_margin(labels: Iterable[str]) -> int:
    """The left margin (px) that shows the longest category label whole: 14 px a character, 20 px of air."""
    return min(LABEL_MAX_PX, 20 + LABEL_PX * max((len(label) for label in labels), default=0))


def budget_sunburst(rows: list[BudgetRow], year: int) -> go.Figure:
    """정책 > 단위 > 세부사업 of one year's expenditure around the 총계, values in 천원."""
    shown = [r for r in rows if r.level in SUNBURST_LEVELS and year in r.amounts]
    codes = {r.code for r in shown}
    fig = go.Figure(
        go.Sunburst(
            ids=[r.code for r in shown],
            labels=[r.name for r in shown],
            parents=[r.parent_code if r.parent_code in codes else "" for r in shown],
            values=[r.amounts[year] for r in shown],
            branchvalues="total",
            customdata=[fmt.amount(r.amounts[year]) for r in shown],
            hovertemplate="%{label}<br>%{customdata}천원<br>상위 대비 %{percentParent:.1%}<extra></extra>",
            texttemplate="%{label}<br>%{customdata}",
            insidetextorientation="radial",
            sort=False,
        )
    )
    return _style(fig, f"{year}년 세출예산 구성 (단위: 천원)", height=560)


def execution_curve(points: Sequence[CurvePoint], forecasts: Sequence[ForecastRow] = ()) -> go.Figure:
    """Cumulative 집행액 on each snapshot date: the total above, every line below (천원).

    With ``forecasts`` each series continues as a dotted line to its year-end forecast.
    """
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        row_heights=[0.4, 0.6],
        subplot_titles=("합계", "세부사업별"),
    )
    order: list[str] = []
    for p in points:
        if p.code not in order:
            order.append(p.code)
    ahead = {f.code: f for f in forecasts}
    highest = {1: 0, 2: 0}  # the largest value each panel draws (snapshots and forecasts)
    lines = [c for c in order if not any(p.is_total for p in points if p.code == c)]
    colours = {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(lines)}
    for code in order:
        series = [p for p in points if p.code == code]
        total = series[0].is_total
        colour = TOTAL_COLOUR if total else colours[code]
        row = 1 if total else 2
        highest[row] = max(highest[row], *(p.executed for p in series))
        fig.add_trace(
            go.Scatter(
                x=[p.as_of for p in series],
                y=[p.executed for p in series],
                mode="lines+markers",
                name=series[0].label,
                legendgroup=code,
                line={"color": colour, "width": 3 if total else 2},
                customdata=[[fmt.amount(p.executed), fmt.amount(p.budget), fmt.percent(p.rate)] for p in series],
                hovertemplate=(
                    f"{series[0].label}<br>%{{x|%Y. %-m. %-d.}}<br>집행액 %{{customdata[0]}}천원"
                    "<br>예산액 %{customdata[1]}천원 (집행률 %{customdata[2]}%)<extra></extra>"
                ),
            ),
            row=row,
            col=1,
        )
        end = ahead.get(code)
        if end is not None:
            last = series[-1]
            year_end = date(end.as_of.year, 12, 31)
            highest[row] = max(highest[row], end.forecast)
            fig.add_trace(
                go.Scatter(
                    x=[last.as_of, year_end],
                    y=[last.executed, end.forecast],
                    mode="lines+markers",
                    name=f"{series[0].label} 연말 예상",
                    legendgroup=code,
                    showlegend=False,
                    line={"color": colour, "dash": "dot", "width": 1.5},
                    marker={"symbol": "circle-open"},
                    hovertemplate=(
                        f"{series[0].label} 연말 예상 %{{y:,.0f}}천원 (불용 예상 {fmt.amount(end.unspent)}천원)"
                        "<extra></extra>"
                    ),
                ),
                row=row,
                col=1,
            )
    # each panel's axis holds every line and marker it draws, with room above the highest one (plotly's
    # own range left the 합계 forecast's marker on the top edge, half outside the plot)
    for row, top in highest.items():
        fig.update_yaxes(range=[0, max(top, 1) * CURVE_HEADROOM], row=row, col=1)
    fig.update_yaxes(title="누적 집행액 (천원)", tickformat=",d", gridcolor="#e5e5e5", automargin=True)
    year = points[0].as_of.year if points else None
    if year:
        months = [date(year, m, 1) for m in range(1, 13)]
        fig.update_xaxes(
            range=[date(year, 1, 1) - timedelta(days=5), date(year, 12, 31) + timedelta(days=8)],
            tickvals=months,
            ticktext=[f"{m.month}월" for m in months],
        )
    fig.update_xaxes(gridcolor="#e5e5e5")
    fig = _style(fig, f"{year}년 누적 집행액 추이" if year else "누적 집행액 추이", height=720)
    fig.update_layout(margin={"l": 90})  # room for the 천원 figures (29,000,000) and the axis title
    return fig
