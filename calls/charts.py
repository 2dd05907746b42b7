"""Call-statistics charts (the app and the documents use the same figures)."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from calls.models import Channel
from calls.service import ChannelRow, DailyRow, PhoneRow, partial_span
from governance_app.core.charts import styled
from governance_app.core.i18n import josa

PARTIAL_PATTERN = "/"  # hatching marks the bars of a partial year


def _partial(rows: list[ChannelRow] | list[PhoneRow]) -> list[bool]:
    return [partial_span(r.start_date, r.end_date) is not None for r in rows]


def _note_partial(fig: go.Figure, rows: list[ChannelRow] | list[PhoneRow]) -> None:
    """Say in the chart which periods are not whole years: '빗금: 2025년(7월)은 1~7월 누계'."""
    spans = [(r.label, partial_span(r.start_date, r.end_date)) for r in rows]
    notes = [f"{josa(label, '은')} {span} 누계" for label, span in spans if span]
    if notes:
        fig.add_annotation(
            text="빗금: " + ", ".join(notes),
            xref="paper",
            yref="paper",
            x=1,
            y=1.02,
            xanchor="right",
            yanchor="bottom",
            showarrow=False,
            font={"size": 14, "color": "#555555"},
        )


def channel_mix_chart(rows: list[ChannelRow], channels: list[Channel]) -> go.Figure:
    """Stacked counts per channel and period; a partial year keeps its label (2025년(7월)),
    is hatched and named in a note above the plot."""
    fig = go.Figure()
    labels = [r.label for r in rows]
    patterns = [PARTIAL_PATTERN if p else "" for p in _partial(rows)]
    counted = [c for c in channels if c.group in ("phone", "nonphone")]
    for channel in counted:
        fig.add_bar(
            name=channel.stats_label or channel.name,
            x=labels,
            y=[r.counts.get(channel.code) for r in rows],
            marker_pattern_shape=patterns,
        )
    fig.update_layout(barmode="stack", yaxis_title="건")
    _note_partial(fig, rows)
    return styled(fig, "상담채널별 상담건 수")


def phone_chart(rows: list[PhoneRow]) -> go.Figure:
    """인입량 and 응대량 as bars below; 응대율 and 총인입 대비 응대율 as lines in a band above,
    so the rate labels never sit on the bars."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.35, 0.65], vertical_spacing=0.06)
    labels = [r.label for r in rows]
    patterns = [PARTIAL_PATTERN if p else "" for p in _partial(rows)]
    for name, values, colour in (
        ("총인입량", [r.total_inflow for r in rows], "#aed6f1"),
        ("인입량", [r.inflow for r in rows], "#2e86c1"),
        ("응대량", [r.answered for r in rows], "#1f4e79"),
    ):
        fig.add_bar(name=name, x=labels, y=values, marker_color=colour, marker_pattern_shape=patterns, row=2, col=1)
    fig.add_scatter(
        name="응대율(%)",
        x=labels,
        y=[float(r.answer_rate or 0) for r in rows],
        mode="lines+markers+text",
        text=[f"{r.answer_rate}" for r in rows],
        textposition="top center",
        line={"color": "#e67e22"},
        row=1,
        col=1,
    )
    fig.add_scatter(
        name="총인입 대비 응대율(%)",
        x=labels,
        y=[float(r.total_answer_rate or 0) for r in rows],
        mode="lines+markers+text",
        text=[f"{r.total_answer_rate}" for r in rows],
        textposition="bottom center",
        line={"color": "#c0392b", "dash": "dot"},
        row=1,
        col=1,
    )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="건", row=2, col=1)
    fig.update_yaxes(title_text="%", range=[0, 115], dtick=50, tickformat="d", row=1, col=1)
    _note_partial(fig, rows)
    return styled(fig, "연도별 전화상담 실적")


def daily_share_chart(rows: list[DailyRow], period_label: str) -> go.Figure:
    """Shares of the daily average by channel (the subtotal and total rows left out)."""
    parts = [r for r in rows if r.line_code not in ("total", "nonphone")]
    fig = go.Figure(
        go.Pie(
            labels=[r.label for r in parts],
            values=[r.average for r in parts],
            hole=0.45,
            sort=False,
            # large slices carry their share; every channel is named with its count in the legend
            texttemplate=[f"{r.share_reported}%" if (r.share_reported or 0) >= 5 else "" for r in parts],
            textposition="inside",
        )
    )
    fig.update_traces(
        labels=[f"{r.label} {r.average:,}건 ({r.share_reported}%)" for r in parts], selector={"type": "pie"}
    )
    fig.update_layout(showlegend=True, legend={"orientation": "v", "x": 1.0, "y": 0.5, "yanchor": "middle"})
    return styled(fig, f"일평균 상담건 수 채널별 비중 ({period_label})")
