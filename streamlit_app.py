"""Entry point: page navigation only. Pages live in governance_app/pages/.

Every run checks the session first (governance_app.ui.signed_in_actor: expiry, and the account
read again). Before sign-in the navigation holds only the sign-in page, also under each page's
address (the home page's too), so a bookmarked page asks for sign-in (not "page not found") and
opens once signed in. An unexpected error shows a short Korean message with an incident id; the
server log (governance_app.incidents) has the id with the traceback."""

import os
import threading
from pathlib import Path

import streamlit as st

from governance_app import incidents, navigation, ui
from governance_app.core.errors import ConflictError
from governance_app.core.i18n import PAGE_TITLES
from governance_app.navigation import HOME

PAGES = Path(__file__).parent / "governance_app" / "pages"
# section -> page names (governance_app.navigation: the home page, the domains' pages from their
# registry, shown by role): governance_app/pages/<name>.py, titled PAGE_TITLES[name], at /<name>


@st.cache_resource
def _warm_chart_export() -> None:
    """Under `serve`, start the chart browser once per process in the background, so the first
    document after start is as fast as the next (tests and bare `streamlit run` skip it)."""
    if os.environ.get("GOV_WARM_CHARTS") == "1":
        from governance_app.report import images

        threading.Thread(target=images.warm_up, name="chart-warm-up", daemon=True).start()


st.set_page_config(page_title="120다산콜재단 업무보고", layout="wide")


def run() -> None:
    _warm_chart_export()
    if ui.signed_in_actor() is None:
        signin = PAGES / "signin.py"
        router = st.navigation(
            [st.Page(signin, title=PAGE_TITLES["signin"], url_path="signin", default=True)]
            + [
                st.Page(signin, title=PAGE_TITLES["signin"], url_path=name, visibility="hidden")
                for name in navigation.every_page()
            ],
            position="hidden",
        )
    else:
        # the pages this role may use (navigation.NEEDS); the pages and services check again
        actor = ui.actor()
        ui.account_sidebar()
        ui.round_sidebar()
        router = st.navigation(
            {
                section: [
                    st.Page(PAGES / f"{name}.py", title=PAGE_TITLES[name], url_path=name, default=name == HOME)
                    for name in names
                ]
                for section, names in navigation.sections_for(actor).items()
            },
            expanded=True,  # every page listed: folded, the list ends in an English "View more"
        )
    router.run()


try:
    run()
except ConflictError as exc:  # a save that lost a race with another (core.conflicts): what to do, not an incident
    st.error(f"저장하지 않았습니다: {exc}")
except Exception as exc:  # no traceback reaches a user: a short message, the incident log has the rest
    if os.environ.get("GOV_RAISE_UNEXPECTED"):  # the test suite wants to see it
        raise
    st.error(incidents.message(incidents.record(exc, "app", echo=True)))
