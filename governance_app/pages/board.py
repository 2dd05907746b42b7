"""이사회: the roster on a chosen date and the statutory composition check."""

from datetime import date

import streamlit as st

from board import service as board
from governance_app import formatting as fmt
from governance_app import ui

ctx = ui.current()
st.title("이사회 현황")
on = st.date_input("기준일", value=date.today(), key="board_on", format="YYYY-MM-DD")
personal = ui.personal_data_allowed()
with ui.db() as s:
    entries = board.roster(s, ctx.org_id, on, include_personal=personal)
    checks = board.composition(s, ctx.org_id, on)

ended = [e for e in entries if e.status == "임기 만료"]
if ended:
    st.error(
        f"임기가 끝난 임원 {len(ended)}명 ({fmt.date_ko(on)} 기준): "
        + ", ".join(f"{e.title} {e.name}({fmt.date_ko(e.end_date)} 만료)" for e in ended)
    )
st.subheader("정관상 구성 요건")
for c in checks:
    line = f"{c.seat_class}: {c.count}명 (요건 {c.min_count}~{c.max_count}명)"
    (st.success if c.ok else st.error)(line if c.ok else f"{line} — 요건 미충족")
st.caption(checks[0].legal_basis if checks else "")

st.subheader(f"임원 명단 ({fmt.date_ko(on)} 기준)")
ui.table(
    [
        {
            "구분": e.group,
            "직책": e.title,
            "성명": e.name,
            **({"생년월일": fmt.date_short(e.birth_date)} if personal else {}),
            "임기": fmt.term_range(e.start_date, e.end_date),
            "상태": e.status,
            "학력": " / ".join(e.education),
            "주요 경력": " / ".join(e.career),
        }
        for e in entries
    ],
    key="roster",
)
