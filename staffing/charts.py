"""Staffing chart: 정원 against 현원 by grade, with the 과부족 over each pair."""

from __future__ import annotations

import plotly.graph_objects as go

from governance_app.core.charts import WARNING, styled
from governance_app.core.formatting import amount
from staffing.service import GradeRow


def grades_chart(rows: list[GradeRow], as_of_label: str) -> go.Figure:
    labels = [g.label for g in rows]
    fig = go.Figure()
    fig.add_bar(name="정원", x=labels, y=[g.quota for g in rows], marker_color="#aed6f1")
    fig.add_bar(
        name="현원",
        x=labels,
        y=[g.current for g in rows],
        marker_color="#1f4e79",
        text=[amount(g.shortfall) if g.shortfall else "" for g in rows],
        textposition="outside",
        textfont={"color": [WARNING if g.shortfall < 0 else "#1f4e79" for g in rows]},
        hovertemplate="%{x} 현원 %{y:,}명<extra></extra>",
    )
    fig.update_layout(barmode="group", yaxis_title="명")
    fig.update_traces(cliponaxis=False)
    return styled(fig, f"직급별 정원·현원 ({as_of_label}, 막대 위 숫자: 과부족)", height=380)
