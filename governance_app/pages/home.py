"""오늘 할 일: the first page after sign-in, what the signed-in role has to do today, each entry a
link to the page where it is done. The auditor: items awaiting 감사 확인, overdue and stale; a
department: its own unreported plans and audit items (those sent back by the auditor, 보완 요구,
first); planning and finance: lagging budget lines,
unreported plans, overdue items; everyone: terms ending within 90 days and composition gaps, with
whether successors are recorded. The lists come from the domains' todo services."""

import streamlit as st

from audit_followup import todo as audit_todo
from board import todo as board_todo
from budget import execution as budget_execution
from governance_app import ui
from governance_app.core import clock
from governance_app.core import formatting as fmt
from governance_app.core.i18n import ROLE_LABELS, josa
from major_work import todo as work_todo

PAGES = "governance_app/pages"
AUDIT, WORK, BUDGET, BOARD = f"{PAGES}/audit.py", f"{PAGES}/major_work.py", f"{PAGES}/budget.py", f"{PAGES}/board.py"
SHOWN = 8  # entries listed per heading; the rest are counted and linked as a list

ctx = ui.current()
actor = ui.actor()
today = clock.today()
own = actor.department if actor.role == "department" else None
st.title("오늘 할 일")
who = f"{ROLE_LABELS.get(actor.role, actor.role)}" + (f" · {own}" if own else "")
st.caption(ui.markdown_lines(f"{fmt.date_ko(today)} 기준 · {who}"))  # "2026. 12. 2." is no list


def short(text: str, size: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size] + "…"


def heading(title: str, count: int, note: str = "") -> None:
    st.markdown(f"#### {title} {count}건" + (f"\n\n:gray[{note}]" if note else ""))


def listed(
    entries: list[tuple[str, str, dict[str, str]]], *, page: str, rest: str, rest_params: dict[str, str]
) -> None:
    """Up to SHOWN links (label, help, query parameters), then one link to the whole list."""
    for label, help_text, params in entries[:SHOWN]:
        st.page_link(page, label=label, help=help_text or None, query_params=params or None)
    if len(entries) > SHOWN:
        st.page_link(page, label=f"{rest} (외 {len(entries) - SHOWN}건)", query_params=rest_params or None)


done_something = False

# --- audit follow-up --------------------------------------------------------------------------
if actor.role in ("auditor", "department", "planning", "finance"):
    tasks = ui.frozen(audit_todo.audit_todo, ctx.org_id, ctx.audit_session_code, today, department=own)
    items_view = {"view": "처리요구사항"}

    def item_links(found: tuple, what: str) -> list[tuple[str, str, dict[str, str]]]:
        return [
            (
                f"{t.code} {short(t.request)} — {what}",
                " · ".join(
                    p
                    for p in (
                        t.department or "담당 부서 없음",
                        t.status,
                        f"기한 {fmt.date_ko(t.due_date)}" if t.due_date else "",
                        f"마지막 갱신 후 {t.days_since_update}일" if t.days_since_update is not None else "",
                    )
                    if p
                ),
                {"item": t.code},
            )
            for t in found
        ]

    if actor.role == "auditor":
        heading(
            "감사 확인을 기다리는 항목",
            len(tasks.awaiting_signoff),
            "완료·미반영으로 처리되었으나 아직 확인하지 않은 항목",
        )
        listed(
            item_links(tasks.awaiting_signoff, "감사 확인"),
            page=AUDIT,
            rest="처리요구사항 목록",
            rest_params=items_view,
        )
        done_something = done_something or bool(tasks.awaiting_signoff)
    if actor.role in ("department", "planning"):
        heading(
            "보완을 요구받은 항목",
            len(tasks.returned),
            "감사(윤리감사실)가 확인하지 않고 돌려보낸 항목: 보완한 뒤 다시 완료로 처리합니다",
        )
        listed(
            [
                (label, f"{help_text} · 사유: {ui.markdown_text(t.reason)}" if t.reason else help_text, params)
                for t, (label, help_text, params) in zip(
                    tasks.returned, item_links(tasks.returned, "보완하기"), strict=True
                )
            ],
            page=AUDIT,
            rest="처리요구사항 목록",
            rest_params=items_view,
        )
        done_something = done_something or bool(tasks.returned)
    heading("기한이 지난 항목", len(tasks.overdue), f"{fmt.date_ko(today)}에 기한이 지났는데 끝나지 않은 항목")
    listed(item_links(tasks.overdue, "처리 상황 적기"), page=AUDIT, rest="처리요구사항 목록", rest_params=items_view)
    if actor.role in ("auditor", "department"):
        heading("오래 갱신되지 않은 항목", len(tasks.stale), "상태 변경·진행 메모·증빙이 오래 없는 항목")
        listed(item_links(tasks.stale, "진행 메모 적기"), page=AUDIT, rest="처리요구사항 목록", rest_params=items_view)
    done_something = done_something or bool(tasks.overdue or tasks.stale)

# --- budget: lagging lines ----------------------------------------------------------------------
if actor.role in ("planning", "finance"):
    as_of = ui.cached(budget_execution.execution_as_of, ctx.org_id)
    behind = budget_execution.lagging(ui.frozen(budget_execution.execution, ctx.org_id, as_of)) if as_of else []
    heading(
        "집행이 부진한 세부사업",
        len(behind),
        f"{fmt.date_ko(as_of)} 기준 집행률이 연중 경과율보다 많이 낮은 사업"
        if as_of
        else "기록된 집행 현황이 없습니다",
    )
    listed(
        [(f"{r.label} — 집행률 {fmt.percent(r.rate)}% (경과율 대비 {fmt.points(r.gap)}%p)", "", {}) for r in behind],
        page=BUDGET,
        rest="예산 집행 현황",
        rest_params={},
    )
    done_something = done_something or bool(behind)

# --- major work: unreported plans ----------------------------------------------------------------
if actor.role in ("department", "planning", "finance"):
    plans = ui.frozen(work_todo.unreported_plans, ctx.org_id, ctx.fiscal_year, department=own)
    heading(
        "추진 상황을 보고하지 않은 추진계획", len(plans), "상태(예정·추진중·완료·지연)와 기준일을 아직 적지 않은 계획"
    )
    listed(
        [
            (
                f"{p.item_code} {short(p.item_title, 30)} · {short(p.plan_text, 30)} — 추진 상황 적기",
                " · ".join(p.departments) or "담당 부서 없음",
                {"item": p.item_code},
            )
            for p in plans
        ],
        page=WORK,
        rest="주요업무",
        rest_params={},
    )
    done_something = done_something or bool(plans)

# --- board: terms and composition, for everyone ----------------------------------------------------
ending = ui.frozen(board_todo.ending_terms, ctx.org_id, today)
gaps = ui.frozen(board_todo.composition_gaps, ctx.org_id, today)
heading(f"{board_todo.WITHIN_DAYS}일 안에 끝나는 임기", len(ending))
listed(
    [
        (
            f"{e.seat_title} {e.name} — {fmt.date_ko(e.end_date)} 만료 ({e.days_left}일 남음), "
            + (f"후임 {e.successor} 기록됨" if e.successor else "후임 기록 없음"),
            "",
            {},
        )
        for e in ending
    ],
    page=BOARD,
    rest="이사회 임기 현황",
    rest_params={},
)
heading("정관 요건에 못 미치는 임원 구성", len(gaps))
for g in gaps:
    need = fmt.head_range(g.min_count, g.max_count)
    vacant = ", ".join(g.vacant_titles)
    state = (
        "후임 임기가 기록되어 있습니다 (시작 전)"
        if g.successors_recorded
        else (f"빈 자리 {vacant}: 후임 기록 없음" if vacant else "후임 기록 없음")
    )
    st.page_link(BOARD, label=f"{josa(g.seat_class, '이')} {g.count}명 (요건 {need}) — {state}")
done_something = done_something or bool(ending or gaps)

if not done_something:
    st.success("오늘 처리할 일이 없습니다.")
