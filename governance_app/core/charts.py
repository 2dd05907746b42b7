"""Shared chart style: every domain chart builder finishes with ``styled``.

The same plotly figure is shown in the app and exported into the documents, so the font
list starts with the Hangul font the documents embed (Debian fonts-nanum).
"""

from __future__ import annotations

import plotly.graph_objects as go

FONT = "NanumGothic, 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif"
PALETTE = ["#1f4e79", "#2e86c1", "#48c9b0", "#f5b041", "#af7ac5", "#ec7063", "#7f8c8d", "#58d68d"]
WARNING = "#c0392b"


def styled(fig: go.Figure, title: str, *, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 16}},
        font={"family": FONT, "size": 12},
        template="plotly_white",
        colorway=PALETTE,
        height=height,
        margin={"l": 60, "r": 30, "t": 60, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": -0.25, "x": 0},
    )
    fig.update_yaxes(separatethousands=True, tickformat=",")
    return fig
