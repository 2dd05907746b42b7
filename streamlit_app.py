"""Entry point: page navigation only. Pages live in governance_app/pages/."""

from pathlib import Path

import streamlit as st

from governance_app.i18n import PAGE_TITLES

PAGES = Path(__file__).parent / "governance_app" / "pages"

st.set_page_config(page_title="120다산콜재단 업무보고", layout="wide")
navigation = st.navigation(
    {
        "현황": [
            st.Page(PAGES / "overview.py", title=PAGE_TITLES["overview"], default=True),
            st.Page(PAGES / "institution.py", title=PAGE_TITLES["institution"], url_path="institution"),
            st.Page(PAGES / "calls.py", title=PAGE_TITLES["calls"], url_path="calls"),
            st.Page(PAGES / "staffing.py", title=PAGE_TITLES["staffing"], url_path="staffing"),
            st.Page(PAGES / "board.py", title=PAGE_TITLES["board"], url_path="board"),
        ],
        "예산·사업": [
            st.Page(PAGES / "budget.py", title=PAGE_TITLES["budget"], url_path="budget"),
            st.Page(PAGES / "major_work.py", title=PAGE_TITLES["major_work"], url_path="major_work"),
            st.Page(PAGES / "timeline.py", title=PAGE_TITLES["timeline"], url_path="timeline"),
            st.Page(PAGES / "esg.py", title=PAGE_TITLES["esg"], url_path="esg"),
        ],
        "감사·검증": [
            st.Page(PAGES / "audit.py", title=PAGE_TITLES["audit"], url_path="audit"),
            st.Page(PAGES / "quality.py", title=PAGE_TITLES["quality"], url_path="quality"),
            st.Page(PAGES / "reports.py", title=PAGE_TITLES["reports"], url_path="reports"),
            st.Page(PAGES / "edit.py", title=PAGE_TITLES["edit"], url_path="edit"),
        ],
    }
)
navigation.run()
