"""이사회: the roster on a chosen date, term status, the terms on a time axis and the
statutory composition check (also for future dates, assuming no reappointment). The roster and
the terms chart are lazy tabs. The planning office records appointments, 연임, early ends and ex
officio changes in forms (board.appointments), in a lazy expander above the roster."""

from collections import Counter
from datetime import date

import streamlit as st

from board import appointments as upkeep
from board import service as board
from board.charts import terms_chart
from board.terms import ENDED, ENDED_EARLY, EX_OFFICIO, HELD_OVER, WARNING_DAYS
from governance_app import ui
from governance_app.core import clock
from governance_app.core import formatting as fmt
from governance_app.core.auth import may
from governance_app.core.i18n import josa

STATUS_ORDER = [
    "재임",
    "90일 이내 만료",
    "60일 이내 만료",
    "30일 이내 만료",
    EX_OFFICIO,
    HELD_OVER,
    ENDED,
    ENDED_EARLY,
    "임기 전",
]

ctx = ui.current()
st.title("이사회 현황")
today = clock.today()
on = st.date_input("기준일", value=today, key="board_on", format="YYYY-MM-DD")
on = on if isinstance(on, date) else today
actor = ui.actor()
personal = ui.personal_data_allowed()
# the service withholds birth dates from roles that may not see personal data (None); read-only
# and shared (ui.frozen), so the roster table and the chart are built once per date and revision
entries = ui.frozen(board.roster, ctx.org_id, on, actor=actor)
checks = ui.frozen(board.composition, ctx.org_id, on)


def roster_rows(entries: tuple, personal: bool) -> list[dict]:
    return [
        {
            "구분": e.section,
            "직책": e.title,
            "성명": e.name,
            **({"생년월일": fmt.date_short(e.birth_date)} if personal else {}),
            "임기": fmt.term_range(e.start_date, e.end_date),
            "상태": e.status,
            "학력": " / ".join(e.education),
            "주요 경력": " / ".join(e.career),
        }
        for e in entries
    ]


ended = [e for e in entries if e.status == ENDED]
held = [e for e in entries if e.status == HELD_OVER]
ending = [e for e in entries if e.status.endswith("일 이내 만료")]
if ended:
    st.error(
        ui.plain(
            f"임기가 끝난 임원 {len(ended)}명 ({fmt.date_ko(on)} 기준): "
            + ", ".join(f"{e.title} {e.name}({fmt.date_ko(e.end_date)} 만료)" for e in ended)
        )
    )
if held:
    st.warning(
        ui.plain(
            f"임기가 끝났으나 후임 선임 전까지 직무를 수행하는 임원 {len(held)}명 "
            f"({fmt.date_ko(on)} 기준, 정관의 임기 규칙): "
            + ", ".join(f"{e.title} {e.name}({fmt.date_ko(e.end_date)} 만료)" for e in held)
        )
    )
if ending:
    st.warning(
        ui.plain(
            f"임기 만료가 다가오는 임원 {len(ending)}명 ({fmt.date_ko(on)} 기준): "
            + ", ".join(f"{e.title} {e.name}({fmt.date_ko(e.end_date)} 만료, {e.status})" for e in ending)
        )
    )

# Terms that ended after the report's date may have been renewed without the data knowing it.
assumed = "(재위촉 없을 때)" if any(e.end_date and e.end_date >= ctx.report_date for e in ended) else ""
heads = ", ".join(f"{c.seat_class} {c.count}명" for c in checks)
if checks:
    ok = all(c.ok for c in checks)
    # "구성 점검" first: a line starting "2026. 8." would be read as a numbered list
    (st.success if ok else st.error)(
        f"구성 점검: {fmt.date_ko(on)} 기준{assumed} 이사회는 {josa(heads, '으로')} "
        + ("정관 요건을 충족합니다." if ok else "정관 요건에 미달합니다.")
    )
# each section one markdown element (heading, lines, note): Streamlit spends time per element
requirement = "\n".join(
    f"- {c.seat_class}: {c.count}명 (요건 {fmt.head_range(c.min_count, c.max_count)})"
    + ("" if c.ok else " — 요건 미충족")
    for c in checks
)
legal = f"\n\n:gray[{ui.markdown_text(checks[0].legal_basis)}]" if checks else ""
st.markdown(f"#### 정관상 구성 요건\n\n{requirement}{legal}")

counts = Counter(e.status for e in entries)
st.markdown(
    f"#### 임기 현황 ({fmt.date_ko(on)} 기준)\n\n"
    + " · ".join(f"{s} {counts[s]}명" for s in STATUS_ORDER if counts[s])
    + f"\n\n:gray[{'·'.join(f'{d}일' for d in sorted(WARNING_DAYS, reverse=True))} 이내 만료: 기준일부터 "
    f"임기 만료일까지 남은 날이 그 일수 이하 · {EX_OFFICIO}: 그 직위에 있는 동안(재임 기간 동안) 재임 · "
    "선임·연임·중도 퇴임은 기록된 것만 반영됩니다(기획조정실: 아래 '임원 선임·연임·퇴임').]"
)
if may(actor, upkeep.APPOINT):
    # collapsed and lazy: its forms run only while it is open
    editor = st.expander("임원 선임·연임·퇴임", key="board_edit", on_change="rerun")
    if editor.open:
        with editor:
            from governance_app.forms.board import upkeep_section

            upkeep_section(ctx.org_id, actor)
# the roster and the terms chart as lazy tabs: only the open one runs and is sent
roster_tab, chart_tab = st.tabs(["임원 명단", "임기 차트"], key="board_view", on_change="rerun")
if roster_tab.open:
    with roster_tab:
        if not personal:
            st.caption("생년월일 등 개인정보는 이 역할에 표시하지 않습니다.")
        ui.table(ui.derived(roster_rows, entries, personal), key="roster")
if chart_tab.open:
    with chart_tab:
        ui.chart("board_terms", terms_chart, entries, on)
