"""주요업무: the seven areas and their items with contents, plans and contacts."""

import streamlit as st

from governance_app import formatting as fmt
from governance_app import ui
from major_work import service as work

ctx = ui.current()
st.title("주요업무 추진 실적")
areas = ui.cached(work.areas, ctx.org_id, ctx.fiscal_year)
details = ui.cached(work.item_details, ctx.org_id, ctx.fiscal_year)
personal = ui.personal_data_allowed()
MARKER = {1: "○ ", 2: "- ", 3: "※ "}

for area in areas:
    st.header(f"{area.number}. {area.title}")
    for d in (d for d in details if d.item.area_number == area.number):
        with st.expander(f"{d.item.code} {d.item.title}", expanded=False):
            # One element per block (the lines as the document prints them): elements cost time on every rerun.
            cost = f"  \n**사업비** {fmt.amount(d.item.cost_thousand)}천원" if d.item.cost_thousand is not None else ""
            st.markdown(f"{d.item.lead}\n\n**목적** {d.item.purpose}  \n**내용** {d.item.content}{cost}")
            if d.item.highlight:
                st.info(d.item.highlight)
            body: list[str] = []
            section = None
            for b in d.bullets:
                if b.section != section:
                    section = b.section
                    body.append(f"【{section}】")
                body.append(("    " * (b.level - 1)) + MARKER.get(b.level, "") + b.text)
            body.append("【추진계획】")
            body += [f"○ {p.text} : {p.timing}" + (f"\n    - {p.detail}" if p.detail else "") for p in d.plans]
            st.text("\n".join(body))
            if personal and d.contacts:
                st.caption("담당자 " + " · ".join(f"{c.role} {c.name} ☎ {c.phone}" for c in d.contacts))
