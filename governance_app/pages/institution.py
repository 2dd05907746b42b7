"""연혁·비전: founding basis and purpose, history, mission, vision and strategy."""

import streamlit as st

from governance_app import ui
from institution import service as institution

ctx = ui.current()
st.title("기관 연혁 및 비전")
# read-only and shared (ui.frozen): the history table is built once per data revision (ui.derived)
statements = ui.frozen(institution.statements, ctx.org_id, ctx.fiscal_year)
events = ui.frozen(institution.history, ctx.org_id)


def section(name: str) -> list[str]:
    return [x.text for x in statements if x.section == name]


def history_rows(events: tuple) -> list[dict]:
    return [
        {
            "연월": f"{e.year}. {e.month}." + (f" {e.day}." if e.day else ""),
            "내용": e.text,
            "수상·인증": "●" if e.is_award else "",
        }
        for e in events
    ]


left, right = st.columns(2)
with left:
    st.subheader("설립근거")
    st.markdown("\n".join(f"- {t}" for t in section("basis")))
    st.subheader("설립목적")
    st.markdown("\n".join(f"- {t}" for t in section("purpose")))
    st.subheader("기관 연혁")
    ui.table(ui.derived(history_rows, events), key="history")
with right:
    st.subheader("미션")
    st.write(" · ".join(section("mission")))
    st.subheader("비전")
    st.write(" · ".join(section("vision")))
    st.write(" · ".join(f'"{t}"' for t in section("slogan")))
    st.subheader("경영목표")
    st.markdown("\n".join(f"- {t}" for t in section("goal")))
    st.subheader("전략방향")
    st.markdown("\n".join(f"- {t}" for t in section("strategy")))
    st.subheader("핵심과제")
    for task in (x for x in statements if x.section == "core_task"):
        st.markdown(f"**{task.text}**")
        st.markdown("\n".join(f"- {x.text}" for x in statements if x.parent_code == task.code))
