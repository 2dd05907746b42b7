"""Board charts: the officers' terms on a time axis with a line at the chosen date."""

from __future__ import annotations

from datetime import date, timedelta

import plotly.graph_objects as go

from board import terms
from board.service import RosterEntry
from governance_app.core.charts import LEGEND_PX, WARNING, styled
from governance_app.core.formatting import WHILE_IN_OFFICE, date_ko

OPEN_END_DAYS = 365  # how far an ex officio term (재임시) is drawn past the chosen date


ENDED, ENDING, EX_OFFICIO, SERVING = "#7f8c8d", "#f5b041", "#48c9b0", "#2e86c1"
KEY = (("재임", SERVING), ("90일 이내 만료", ENDING), ("재임시(당연직)", EX_OFFICIO), ("임기 만료", ENDED))


def _colour(entry: RosterEntry) -> str:
    if entry.status in (terms.ENDED, terms.ENDED_EARLY):
        return ENDED
    if entry.status.endswith("일 이내 만료") or entry.status == terms.HELD_OVER:
        return ENDING
    return EX_OFFICIO if entry.end_date is None else SERVING


def terms_chart(entries: list[RosterEntry], on: date) -> go.Figure:
    fig = go.Figure()
    for entry in reversed(entries):  # first seat at the top
        end = entry.end_date or (on + timedelta(days=OPEN_END_DAYS))
        colour = _colour(entry)
        fig.add_trace(
            go.Scatter(
                x=[entry.start_date, end],
                y=[f"{entry.title} {entry.name}"] * 2,
                mode="lines+markers",
                line={"width": 14, "color": colour},
                showlegend=False,
                # an ex officio term has no end: an arrow, not a cap, at the edge
                marker={
                    "symbol": ["line-ns", "arrow-right" if entry.end_date is None else "line-ns"],
                    "size": 16,
                    "color": colour,
                    "line": {"width": 2, "color": colour},
                },
                hovertemplate=(
                    f"{entry.name}: {date_ko(entry.start_date)} ~ {date_ko(entry.end_date) or WHILE_IN_OFFICE}"
                    f" ({entry.status})<extra></extra>"
                ),
            )
        )
    fig.add_vline(x=on.isoformat(), line_color=WARNING, line_dash="dash")
    fig.add_annotation(
        x=on.isoformat(),
        y=1.0,
        yref="paper",
        yanchor="bottom",
        text=f"기준일 {date_ko(on)}",
        showarrow=False,
        font={"color": WARNING, "size": LEGEND_PX},
    )
    fig.add_annotation(
        text=" · ".join(f'<span style="color:{colour}">■</span> {label}' for label, colour in KEY),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-48,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font={"size": LEGEND_PX},
    )
    fig.update_xaxes(type="date", tickformat="'%y. %-m.", dtick="M6")
    fig = styled(fig, "임원 임기", height=max(340, 40 * len(entries) + 150))
    fig.update_layout(margin={"b": 80})
    return fig
