"""ESG charts: the emotional-labour figures over the years, one small panel per figure."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from esg.models import EsgFigure
from governance_app.core.charts import PALETTE, styled

PANELS_PER_ROW = 3


def figure_trend(series: dict[str, list[EsgFigure]]) -> go.Figure:
    """One panel per figure code (units differ, so each has its own axis), value per year.

    ``series`` is ``esg.service.trends``: codes with two or more years, rows in year order.
    """
    codes = list(series)
    cols = min(PANELS_PER_ROW, max(len(codes), 1))
    rows = max(1, -(-len(codes) // cols))
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[f"{series[c][-1].label} ({series[c][-1].unit})" for c in codes],
        horizontal_spacing=0.08,
        vertical_spacing=0.25 if rows > 1 else 0.1,
    )
    for i, code in enumerate(codes):
        points = series[code]
        fig.add_scatter(
            x=[str(f.fiscal_year) for f in points],
            y=[f.value for f in points],
            mode="lines+markers+text",
            text=[f"{f.value:,}" for f in points],
            textposition="top center",
            name=points[-1].label,
            line={"color": PALETTE[i % len(PALETTE)]},
            showlegend=False,
            hovertemplate="%{x}년 %{y:,}" + points[-1].unit + "<extra>" + points[-1].label + "</extra>",
            row=i // cols + 1,
            col=i % cols + 1,
        )
    fig.update_xaxes(type="category")
    fig.update_yaxes(rangemode="tozero")
    return styled(fig, "감정노동 보호 실적 추이", height=300 * rows + 80)
