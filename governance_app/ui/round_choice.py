"""The round the app shows: chosen in the sidebar, the current round until then.

``st.session_state[ROUND_KEY]`` holds the chosen round's code (the sidebar's select box writes
it); ``current()`` gives that round's context and every page reads the round through it, so every
page shows the chosen round. A submitted round (제출) is shown read-only: ``read_only()`` tells the
pages to offer no form, and the freeze guard (core.submitted) refuses any write that gets through.
"""

from __future__ import annotations

import streamlit as st

from governance_app.core import context
from governance_app.core import formatting as fmt
from governance_app.core.i18n import ROUND_READ_ONLY
from governance_app.ui.cache import frozen
from governance_app.ui.markdown import markdown_text

ROUND_KEY = "round"


def rounds() -> tuple[context.Context, ...]:
    found: tuple[context.Context, ...] = frozen(context.rounds)
    return found


def current() -> context.Context:
    """The chosen round (``ROUND_KEY``), else the current one."""
    found = rounds()
    if not found:
        raise LookupError("the dataset holds no report round")
    code = st.session_state.get(ROUND_KEY)
    chosen = next((r for r in found if r.report_code == code), None)
    return chosen or next((r for r in found if r.is_current), found[-1])


def read_only() -> bool:
    return current().submitted


def round_label(ctx: context.Context, *, with_code: bool = False) -> str:
    """'2025. 9. 보고 · 작성중 · 현재': short enough for the sidebar's box (the title is below it);
    with the code first when two rounds report in the same month."""
    flags = [ctx.state] + (["현재"] if ctx.is_current else [])
    return " · ".join([*([ctx.report_code] if with_code else []), f"{fmt.month_ko(ctx.report_date)} 보고", *flags])


def round_sidebar() -> None:
    """The round selector; the chosen round and, when submitted, that it is read-only."""
    found = rounds()
    if not found:
        return
    months = [fmt.month_ko(r.report_date) for r in found]
    labels = {r.report_code: round_label(r, with_code=months.count(m) > 1) for r, m in zip(found, months, strict=True)}
    if st.session_state.get(ROUND_KEY) not in labels:
        st.session_state[ROUND_KEY] = current().report_code
    st.sidebar.selectbox("보고 회차", list(labels), format_func=labels.__getitem__, key=ROUND_KEY)
    ctx = current()
    as_of = fmt.unbroken(f"{fmt.date_ko(ctx.execution_as_of)} 기준")
    st.sidebar.caption(markdown_text(f"{ctx.report_title} ({ctx.report_code}) · {ctx.fiscal_year}년 · 집행 {as_of}"))
    if ctx.submitted:
        st.sidebar.warning(ROUND_READ_ONLY)


def read_only_notice() -> bool:
    """On a page with forms: when the chosen round is submitted, say so and return True (offer no form)."""
    if read_only():
        st.info(f"{current().report_code} 회차: {ROUND_READ_ONLY}")
        return True
    return False
