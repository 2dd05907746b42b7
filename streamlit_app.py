"""Entry point: page navigation only. Pages live in governance_app/pages/.

Every run checks the session first (governance_app.ui.signed_in_actor: expiry, and the account
read again). Before sign-in the navigation holds only the sign-in page, also under each page's
address, so a bookmarked page asks for sign-in (not "page not found") and opens once signed in."""

from pathlib import Path

import streamlit as st

from governance_app import domains, ui
from governance_app.core.i18n import PAGE_TITLES

PAGES = Path(__file__).parent / "governance_app" / "pages"
HOME = "overview"
# section -> page names (the domains' pages from the registry): governance_app/pages/<name>.py,
# titled PAGE_TITLES[name], at /<name>
SECTIONS = domains.navigation()

st.set_page_config(page_title="120다산콜재단 업무보고", layout="wide")
if ui.signed_in_actor() is None:
    signin = PAGES / "signin.py"
    navigation = st.navigation(
        [st.Page(signin, title=PAGE_TITLES["signin"], url_path="signin", default=True)]
        + [
            st.Page(signin, title=PAGE_TITLES["signin"], url_path=name, visibility="hidden")
            for names in SECTIONS.values()
            for name in names
            if name != HOME
        ],
        position="hidden",
    )
else:
    ui.account_sidebar()
    ui.round_sidebar()
    navigation = st.navigation(
        {
            section: [
                st.Page(PAGES / f"{name}.py", title=PAGE_TITLES[name], url_path=name, default=name == HOME)
                for name in names
            ]
            for section, names in SECTIONS.items()
        }
    )
navigation.run()
