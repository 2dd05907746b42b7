"""The project timeline as a Gantt chart: one bar per task over its planned months."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from governance_app.core.charts import WARNING, styled
from governance_app.core.formatting import date_ko
from timeline.service import TaskRow

COLOURS = {"완료": "#1f4e79", "추진": "#48c9b0", "예정": "#bfc9ca"}


def gantt_chart(tasks: list[TaskRow], on: date, fiscal_year: int) -> go.Figure:
    fig = go.Figure()
    labels = [f"{t.area_number}. {t.name}" for t in tasks]
    for status, colour in COLOURS.items():
        chosen = [t for t in tasks if t.status == status]
        fig.add_bar(
            name=status,
            orientation="h",
            marker_color=colour,
            y=[f"{t.area_number}. {t.name}" for t in chosen],
            base=[t.start_month - 0.5 for t in chosen],
            x=[t.end_month - t.start_month + 1 for t in chosen],
            hovertemplate="%{y}: %{base}~%{x}<extra></extra>",
        )
    position = (
        on.month - 0.5 + (on.day - 1) / 31 if on.year == fiscal_year else (12.5 if on.year > fiscal_year else 0.5)
    )
    fig.add_vline(x=position, line_color=WARNING, line_dash="dash")
    fig.add_annotation(
        x=position, y=1.02, yref="paper", text=f"기준일 {date_ko(on)}", showarrow=False, font={"color": WARNING}
    )
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)))
    fig.update_xaxes(range=[0.5, 12.5], tickvals=list(range(1, 13)), ticktext=[f"{m}월" for m in range(1, 13)])
    fig.update_layout(barmode="overlay")
    return styled(fig, f"{fiscal_year}년 사업별 추진 일정", height=60 + 24 * len(tasks) + 80)
