"""Shared chart style: every domain chart builder finishes with ``styled``.

The same plotly figure is shown in the app and exported into the documents, so the font
list starts with the Hangul font the documents embed (Debian fonts-nanum).
"""

from __future__ import annotations

import plotly.graph_objects as go

FONT = "NanumGothic, 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif"
PALETTE = ["#1f4e79", "#2e86c1", "#48c9b0", "#f5b041", "#af7ac5", "#ec7063", "#7f8c8d", "#58d68d"]
WARNING = "#c0392b"
LEGEND_PX = 15  # at least 8 pt when a 900 px chart fills the A4 text width


def styled(fig: go.Figure, title: str, *, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 16}},
        font={"family": FONT, "size": 12},
        template="plotly_white",
        colorway=PALETTE,
        height=height,
        margin={"l": 60, "r": 30, "t": 60, "b": 50},
        # 15 px in a 900 px image printed 174 mm wide is 8 pt
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "font": {"size": LEGEND_PX}},
    )
    fig.update_yaxes(separatethousands=True, tickformat=",")
    return fig
