"""Board charts: the officers' terms on a time axis with a line at the chosen date."""

from __future__ import annotations

from datetime import date, timedelta

import plotly.graph_objects as go

from board.service import RosterEntry
from governance_app.charts import WARNING, styled
from governance_app.formatting import date_ko

OPEN_END_DAYS = 365  # how far an ex officio term (재임시) is drawn past the chosen date


def terms_chart(entries: list[RosterEntry], on: date) -> go.Figure:
    fig = go.Figure()
    for entry in reversed(entries):  # first seat at the top
        end = entry.end_date or (on + timedelta(days=OPEN_END_DAYS))
        colour = "#7f8c8d" if entry.status == "임기 만료" else ("#48c9b0" if entry.end_date is None else "#2e86c1")
        fig.add_trace(
            go.Scatter(
                x=[entry.start_date, end],
                y=[f"{entry.title} {entry.name}"] * 2,
                mode="lines",
                line={"width": 14, "color": colour},
                showlegend=False,
                hovertemplate=f"{entry.name}: {entry.start_date} ~ {entry.end_date or '재임시'}<extra></extra>",
            )
        )
    fig.add_vline(x=on.isoformat(), line_color=WARNING, line_dash="dash")
    fig.add_annotation(
        x=on.isoformat(), y=1.02, yref="paper", text=f"기준일 {date_ko(on)}", showarrow=False, font={"color": WARNING}
    )
    fig.update_xaxes(type="date", tickformat="%Y.%m")
    return styled(fig, "임원 임기", height=max(320, 40 * len(entries) + 120))
