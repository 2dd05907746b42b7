"""행정사무감사 처리결과: the 총괄 table (computed beside reported), the items with filters and
follow-up flags, and one item's record (status history, progress notes, evidence, sign-offs, its
text and change history) with the forms that change it. Every read goes through ``ui.frozen``
(read-only and shared) or ``ui.cached``, and every change through audit_followup.service.

Three lazy tabs (``audit_view``): only the open one runs and is sent, since Streamlit spends time
per element and per widget on every rerun.

- 총괄 (the page as it opens): the mismatches with the reported 총괄 named, the 총괄 computed from
  the items as one markdown element (a cell that differs from the reported one in red, the
  reported value beside it) and the items that need attention on the 기준일;
- 처리요구사항: the filters (구분, 추진상황, 부서, and the marks 미확인 · 기한 경과 · 장기 미갱신 ·
  확인 대기 · 보완 요구), the 기준일 of the follow-up flags and the items, one row each (요구사항
  shortened, its full text in the detail; columns sized to fit 1280 px); clicking a row opens the
  item on 항목 상세;
- 항목 상세: an item chosen among those the filters leave, its record as one markdown element (its
  tables as markdown tables), the evidence downloads and previews (images, a PDF's first page; a
  lazy expander), the change history (a lazy expander: read and sent only while open) and the
  forms (lazy tabs: only the open form runs). The auditor's 감사 확인 has a confirmation step (with
  the comment and, for an item without evidence, the question whether to sign without it); 보완
  요구 sends a closed item back to its department with a reason.

Messages the page makes are plain text (``plain``): "2025. 8. 31. 기준 …" is a sentence, not a
numbered list.

The filters, the 기준일, the chosen item and the open form keep their values while their tab is
closed (``KEPT``). The items and the item's detail are fragments: a filter, the 기준일 or another
item reruns only that tab; a saved change reruns the whole page (the 총괄 changes).
"""

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from audit_followup import evidence as files
from audit_followup import service as audit
from audit_followup.models import CATEGORIES, STATUSES, AuditItem
from audit_followup.workflow import LIST_FILTERS, OPEN_STATUSES, REWORK, SIGNABLE_STATUSES, STALE_AFTER_DAYS
from governance_app import accounts, intake_form, ui
from governance_app.core import clock
from governance_app.core import formatting as fmt
from governance_app.core.auth import PermissionDeniedError
from governance_app.core.changelog import ACTIONS
from governance_app.core.errors import ChangeError, ConflictError
from governance_app.core.i18n import ROLE_LABELS, josa, particle

ctx = ui.current()
actor = ui.actor()
session_code = ctx.audit_session_code
# read-only and shared (ui.frozen): the tables made of them are built once per data revision (ui.derived)
session_row = ui.frozen(audit.audit_session, ctx.org_id, session_code)
cells = ui.frozen(audit.summary, ctx.org_id, session_code)
title = session_row.name if session_row else session_code
st.title(f"{title} 처리결과")

VIEW_KEY = "audit_view"
SUMMARY_TAB, ITEMS_TAB, DETAIL_TAB = "총괄", "처리요구사항", "항목 상세"
ALL = "전체"
# audit.items argument -> the widget key of its filter
FILTERS = {"category": "audit_category", "status": "audit_status", "department": "audit_department"}
ON_KEY, ITEM_KEY, FORM_TAB_KEY, MARKS_KEY = "audit_on", "audit_item", "audit_form_tab", "audit_marks"
# The item list's row selection: the table's key carries a counter, so that after a click has
# opened an item the list comes back without a selected row (a click on it again opens it again).
OPEN_KEY, LIST_COUNTER_KEY = "audit_open", "audit_list_n"
# Widget values kept while their tab is closed: Streamlit drops the state of a widget a run does not
# show, unless the run sets it again before (its documented way to keep it).
KEPT = (*FILTERS.values(), MARKS_KEY, ON_KEY, ITEM_KEY, FORM_TAB_KEY)
for widget_key in KEPT:
    if widget_key in st.session_state:
        st.session_state[widget_key] = st.session_state[widget_key]
# A link from the home page opens an item (?item=R-01) or the list with a flag (?view=처리요구사항);
# a department's account sees its own items first (the filter can still be cleared).
opened = st.query_params.get("item")
if opened:
    st.session_state[ITEM_KEY], st.session_state[VIEW_KEY] = opened, DETAIL_TAB
    for widget_key in (*FILTERS.values(), MARKS_KEY):
        st.session_state.pop(widget_key, None)  # the item shows whatever the filters were
    st.query_params.clear()
elif OPEN_KEY in st.session_state:  # a row of the item list was clicked (items_section)
    st.session_state[ITEM_KEY], st.session_state[VIEW_KEY] = st.session_state.pop(OPEN_KEY), DETAIL_TAB
    st.session_state.pop(f"audit_items_{st.session_state.get(LIST_COUNTER_KEY, 0)}", None)
    st.session_state[LIST_COUNTER_KEY] = st.session_state.get(LIST_COUNTER_KEY, 0) + 1
elif st.query_params.get("view") in (SUMMARY_TAB, ITEMS_TAB, DETAIL_TAB):
    st.session_state[VIEW_KEY] = st.query_params["view"]
    st.query_params.clear()
if actor.role == "department" and actor.department and FILTERS["department"] not in st.session_state:
    own = ui.cached(audit.departments, ctx.org_id, session_code)
    if actor.department in own and not opened:
        st.session_state[FILTERS["department"]] = actor.department

UPDATERS_ONLY = "기획조정실과 이 항목의 담당 부서만 바꿀 수 있습니다."
SIGNOFF_TAB, REWORK_TAB = "감사 확인", "보완 요구"
CONFLICT = "다른 사용자가 먼저 저장했습니다"
NONE_SHOWN = "(없음)"
# The change log names every column of the item; the labels of those the service does not name.
LOG_LABELS = {
    **audit.FIELD_LABELS,
    "session_code": "감사",
    "category": "구분",
    "seq": "순번",
    "action_date_is_month": "조치일 월 단위",
    "from_status": "이전 상태",
    "changed_by": "기록자",
    "returned": "보완 요구",
    "signed_by": "확인자",
    "signed_on": "확인일",
    "status_change_seq": "확인한 상태 변경",
    "comment": "의견",
    "without_evidence": "증빙 없이 확인",
}


def key(name: str, code: str) -> str:
    """Widget keys per item, so text typed for one item never carries over to another."""
    return f"audit_{name}_{code}"


def plain(text: str) -> str:
    """A message shown as plain text in markdown (st.success, st.error, ...): nothing in it, a
    date that starts it ("2025. 8. 31. 기준 …") or a file name, is read as markdown."""
    return ui.markdown_lines(text)


def saved(message: str, *, markdown: bool = False) -> None:
    """Rerun the page showing ``message`` (plain text unless ``markdown``) above the item."""
    st.session_state["audit_flash"] = message if markdown else plain(message)
    st.rerun()


def shown_value(value: Any) -> str:
    if isinstance(value, bool):
        return "예" if value else "아니요"
    if isinstance(value, date):
        return fmt.date_ko(value)
    return NONE_SHOWN if value in (None, "") else str(value)


def on_date() -> date:
    """The 기준일 of the follow-up flags, chosen on the 처리요구사항 tab (today until then)."""
    return st.session_state.get(ON_KEY) or clock.today()


def filter_values() -> dict[str, str | None]:
    """The 처리요구사항 tab's filters as audit.items takes them (None: 전체)."""
    chosen = {name: st.session_state.get(widget, ALL) for name, widget in FILTERS.items()}
    return {name: None if value == ALL else value for name, value in chosen.items()}


def wanted_marks() -> tuple[str, ...]:
    """The marks chosen on the 처리요구사항 tab (미확인, 기한 경과, ...), in LIST_FILTERS order."""
    chosen = st.session_state.get(MARKS_KEY) or []
    return tuple(m for m in LIST_FILTERS if m in chosen)


def listed_items(on: date) -> list[audit.ListedItem]:
    """The items every filter of the 처리요구사항 tab keeps, with their follow-up on ``on``."""
    return ui.frozen(audit.item_list, ctx.org_id, session_code, on, **filter_values(), wanted=wanted_marks())


# --- markdown ---------------------------------------------------------------------------------


def md_table(heading: str, rows: list[dict[str, Any]], empty: str) -> str:
    """A record section: its heading and a markdown table of ``rows``, or the note ``empty``."""
    if not rows:
        return f"**{heading}**  \n:gray[{empty}]"
    columns = list(rows[0])
    return "\n".join(
        [
            f"**{heading}**\n",
            "| " + " | ".join(columns) + " |",
            "|" + "---|" * len(columns),
            *("| " + " | ".join(ui.markdown_cell(r[c]) for c in columns) + " |" for r in rows),
        ]
    )


# --- 총괄 ---------------------------------------------------------------------------------------


def summary_markdown(cells: tuple[audit.SummaryCell, ...], about: str) -> str:
    """The 총괄 as one markdown element: ``about``, the note and the table, each cell computed from
    the items, a cell that differs from the reported one in red with the reported value beside it."""

    def shown(category: str, status: str) -> str:
        found = next(c for c in cells if c.category == category and c.status == status)
        return str(found.computed) if found.matches else f":red-badge[{found.computed} (보고 {found.reported or 0})]"

    statuses = ["계", *STATUSES]
    return "\n".join(
        [
            f":gray[{about}각 칸은 개별 항목의 현재 추진상황으로 집계한 값이며, 보고된 총괄표와 다른 칸은 붉은 글씨로 "
            "괄호 안의 보고값과 함께 적습니다.]\n",
            "| 구분 | " + " | ".join(statuses) + " |",
            "|---|" + "---:|" * len(statuses),
            *(
                f"| {category} | " + " | ".join(shown(category, status) for status in statuses) + " |"
                for category in ["계", *CATEGORIES]
            ),
        ]
    )


def summary_view() -> None:
    mismatches = [c for c in cells if not c.matches]
    if mismatches:
        st.error(
            plain(
                "보고된 총괄표가 개별 항목과 다릅니다: "
                + "; ".join(f"{c.category}·{c.status} 보고 {c.reported or 0} / 항목 {c.computed}" for c in mismatches)
            )
        )
    about = (
        f"{ui.markdown_cell(session_row.committee)} · {ui.markdown_cell(session_row.audited_body)}  \n"
        if session_row
        else ""
    )
    st.markdown(ui.derived(summary_markdown, cells, about))
    on = on_date()
    follow = ui.frozen(audit.follow_ups, ctx.org_id, session_code, on)
    flagged = [f for f in follow.values() if f.flags]
    if flagged:
        st.warning(
            plain(
                f"확인이 필요한 항목 {len(flagged)}건 ({fmt.date_ko(on)} 기준): "
                + ", ".join(f"{f.code} ({'·'.join(f.flags)})" for f in flagged)
                + f" — '{ITEMS_TAB}' 탭에서 기준일을 바꿔 볼 수 있습니다."
            )
        )


# --- the items --------------------------------------------------------------------------------


REQUEST_SHOWN = 14  # characters of 요구사항 in the list; the full text is in the item's detail
# Column widths in pixels: together (766, with the selection column about 800) within the 820 px a
# 1280 px wide window leaves beside the sidebar (1280 - 300 - 2 × 80 padding), so 기한 and 최근 갱신
# show without scrolling sideways; 14 characters of 요구사항 fit its 200 px.
LIST_COLUMNS: dict[str, int] = {
    "번호": 48,
    "요구사항": 200,
    "부서": 92,
    "추진상황": 62,
    "기한": 80,
    "최근 갱신": 80,
    "표시": 104,
    "감사 확인": 100,
}
SIGNED, UNSIGNED = "확인됨", "미확인"


def shortened(text: str, size: int = REQUEST_SHOWN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def signoff_cell(fu: audit.FollowUp) -> str:
    return f"{SIGNED} {fmt.date_short(fu.signoff.signed_on)}" if fu.signoff else UNSIGNED


def item_rows(listed: tuple) -> list[dict]:
    return [
        {
            "번호": x.item.code,
            "요구사항": shortened(x.item.request),
            "부서": x.item.department or "-",
            "추진상황": x.item.status,
            "기한": fmt.date_short(x.item.due_date),
            "최근 갱신": fmt.date_short(x.follow_up.last_update),
            "표시": "·".join(x.follow_up.marks),
            "감사 확인": signoff_cell(x.follow_up),
        }
        for x in listed
    ]


def list_frame(rows: tuple) -> Any:
    """The list's Arrow table, made once per distinct rows."""
    return ui._table_parts(rows)[0]


def list_config() -> dict[str, Any]:
    return {
        name: st.column_config.TextColumn(
            name,
            width=width,
            help="전체 내용은 행을 눌러 '항목 상세'에서 봅니다." if name == "요구사항" else None,
        )
        for name, width in LIST_COLUMNS.items()
    }


@st.fragment
def items_section() -> None:
    row = st.container(horizontal=True)  # one block where st.columns(4) makes five
    row.selectbox("구분", [ALL, *CATEGORIES], key=FILTERS["category"])
    row.selectbox("추진상황", [ALL, *STATUSES], key=FILTERS["status"])
    departments = ui.cached(audit.departments, ctx.org_id, session_code)
    row.selectbox("부서", [ALL, *departments], key=FILTERS["department"])
    if ON_KEY not in st.session_state:  # today where the foundation is, not the server's date
        st.session_state[ON_KEY] = clock.today()
    on = row.date_input("기준일", key=ON_KEY, format="YYYY-MM-DD")
    st.pills(
        "표시로 거르기",
        list(LIST_FILTERS),
        selection_mode="multi",
        key=MARKS_KEY,
        help="고른 표시를 모두 가진 항목만 봅니다. 미확인: 유효한 감사 확인이 없는 항목.",
    )
    # read-only and shared (ui.frozen), as is the item's record: the page and the services' checks
    # (may_update, editable_fields, item_text) only read them; every change goes by code
    listed = listed_items(on)
    follow = ui.frozen(audit.follow_ups, ctx.org_id, session_code, on)
    st.markdown(
        f"**{len(listed)}건**  \n:gray[{'·'.join(OPEN_STATUSES)} 항목 중 기준일({fmt.date_ko(on)})에 기한이 지난 "
        f"항목은 '기한 경과', 마지막 갱신(상태 변경·진행 메모·증빙, 없으면 보고일) 후 {STALE_AFTER_DAYS}일이 넘은 "
        f"항목은 '장기 미갱신', 감사 확인을 기다리는 완료·미반영 항목은 '확인 대기', 감사가 돌려보낸 항목은 "
        f"'보완 요구'로 표시합니다. 행을 누르면 '{DETAIL_TAB}' 탭에서 항목의 기록과 처리를 봅니다.]"
    )
    if not listed:
        st.info("조건에 맞는 항목이 없습니다.")
        return
    flagged = [follow[x.item.code] for x in listed if follow[x.item.code].flags]
    if flagged:
        st.warning(plain("확인이 필요한 항목: " + ", ".join(f"{f.code} ({'·'.join(f.flags)})" for f in flagged)))
    rows = ui.derived(item_rows, listed)
    event = st.dataframe(
        ui.derived(list_frame, rows),
        hide_index=True,
        width="stretch",
        height=ui.ROW_PX * (len(rows) + 1) + 3,
        column_config=list_config(),
        key=f"audit_items_{st.session_state.get(LIST_COUNTER_KEY, 0)}",
        on_select="rerun",
        selection_mode="single-row",
    )
    picked = event.selection.rows if event else []
    if picked and picked[0] < len(rows):
        st.session_state[OPEN_KEY] = rows[picked[0]]["번호"]
        st.rerun()  # the whole page: the view tabs are drawn before this fragment


# --- the item's record --------------------------------------------------------------------------


def record_markdown(detail: audit.ItemDetail, on: date) -> str:
    """The item's record as one markdown text: what it asks, where it stands, what was done and
    planned, and its status changes, progress notes, sign-offs and evidence as tables."""
    item, fu = detail.item, detail.follow_up
    head = [
        f"**요구사항** {ui.markdown_lines(item.request, after_label=True)}",
        f"**부서** {ui.markdown_cell(item.department or '-')} · **추진상황** {item.status}"
        f" · **기한** {fmt.date_ko(item.due_date) or '없음'} · **최근 갱신** {fmt.date_ko(fu.last_update) or '-'}",
        f":gray[보고 당시({fmt.date_ko(detail.reported_on)}) 추진상황: {detail.reported_status}]",
    ]
    if fu.flags:
        head.append(
            " ".join(f":orange-badge[:material/warning: {flag}]" for flag in fu.flags)
            + f" {fmt.date_ko(on)} 기준; 기한 {fmt.date_ko(fu.due_date) or '없음'},"
            f" 마지막 갱신 후 {fu.days_since_update}일"
        )
    if fu.signoff:
        head.append(
            f":green-badge[:material/verified: 감사 확인: {fu.signoff.status}] "
            f"{ui.markdown_cell(fu.signoff.signed_by)}, {fmt.date_ko(fu.signoff.signed_on)}"
            + (f" — {ui.markdown_cell(fu.signoff.comment)}" if fu.signoff.comment else "")
        )
    if fu.returned and detail.changes:
        back = detail.changes[-1]
        head.append(
            f":orange-badge[:material/undo: 보완 요구] {ui.markdown_cell(back.changed_by)}, "
            f"{fmt.date_ko(back.changed_on)} — {ui.markdown_cell(back.reason)}"
        )
    parts = [f"#### {item.code} {item.category}", "  \n".join(head)]
    if item.actions:
        parts.append(f"**조치결과**  \n{ui.markdown_lines(item.actions)}")
    if item.plan:
        parts.append(f"**향후계획**  \n{ui.markdown_lines(item.plan)}")
    parts.append(
        md_table(
            "상태 변경 이력",
            [
                {
                    "순번": str(c.seq),
                    "변경일": fmt.date_short(c.changed_on),
                    "이전": c.from_status,
                    "변경": c.to_status,
                    "사유": f"보완 요구: {c.reason or ''}" if c.returned else c.reason or "",
                    "기록자": c.changed_by,
                }
                for c in detail.changes
            ],
            "기록된 상태 변경이 없습니다 (보고 당시 상태 그대로).",
        )
    )
    parts.append(
        md_table(
            "진행 메모",
            [{"기준일": fmt.date_short(n.as_of), "내용": n.text, "작성자": n.author} for n in detail.notes],
            "진행 메모가 없습니다.",
        )
    )
    parts.append(
        md_table(
            "감사 확인 이력",
            [
                {
                    "순번": str(x.seq),
                    "확인한 상태": x.status,
                    "확인자": x.signed_by,
                    "확인일": fmt.date_short(x.signed_on),
                    "의견": x.comment or "",
                    "증빙": "없이 확인" if x.without_evidence else "있음",
                    "효력": "유효" if x.holds else "무효 (이후 상태 변경)",
                }
                for x in detail.signoffs
            ],
            "감사 확인이 없습니다.",
        )
    )
    parts.append(
        md_table(
            "증빙 자료",
            [
                {
                    "파일": e.file_name,
                    "크기(바이트)": fmt.count(e.size),
                    "올린 사람": e.uploaded_by,
                    "올린 날": fmt.date_short(e.uploaded_on),
                    "SHA-256": e.sha256,
                }
                for e in detail.evidence
            ],
            "첨부된 증빙이 없습니다.",
        )
    )
    return "\n\n".join(parts)


def downloads(detail: audit.ItemDetail) -> None:
    """One button per attachment; its bytes are read (and their checksum checked) when clicked."""
    code = detail.item.code

    def download(seq: int) -> bytes:
        with ui.db() as s:
            return audit.evidence_file(s, ctx.org_id, session_code, code, seq).data

    row = st.container(horizontal=True)
    for e in detail.evidence:
        row.download_button(
            f"{ui.markdown_text(e.file_name)} 내려받기",  # a label is markdown
            data=lambda seq=e.seq: download(seq),
            file_name=e.file_name,
            mime=e.media_type,
            key=f"audit_download_{code}_{e.seq}",
            on_click="ignore",
        )


PREVIEWED = ("image/", "application/pdf")


def previews(detail: audit.ItemDetail) -> None:
    """Images and the first page of each PDF, in a lazy expander (read, drawn and sent only while
    open; open at first for the auditor, who looks at them before signing off)."""
    shown = [e for e in detail.evidence if e.media_type.startswith(PREVIEWED)]
    if not shown:
        return
    expander = st.expander(
        f"증빙 미리 보기 ({len(shown)}건)",
        expanded=audit.may_sign_off(actor),
        key=key("preview", detail.item.code),
        on_change="rerun",
    )
    if not expander.open:
        return
    with expander:
        for e in shown:
            try:
                found = ui.cached(audit.evidence_preview, ctx.org_id, session_code, detail.item.code, e.seq)
            except ChangeError as exc:  # the stored bytes no longer match their checksum
                st.error(plain(str(exc)))
                continue
            caption = f"{e.file_name}" + (" (첫 쪽)" if e.media_type == "application/pdf" else "")
            if found.image is None:
                st.caption(plain(f"{e.file_name}: {found.note}"))
            else:
                st.image(found.image, caption=plain(caption), width=480)


HISTORY_TABLES = {"audit_item": "항목", "audit_status_change": "상태 변경", "audit_signoff": "감사 확인"}
# fields of a follow-up row that name the row itself, not what was recorded
ROW_FIELDS = frozenset({"session_code", "item_code", "seq", "org_id", "id", "version"})


def logged_change(c: audit.ItemChange) -> str:
    if c.action == "create" and c.table == "audit_item":
        return "등록"
    if c.action == "create":
        return " / ".join(
            f"{LOG_LABELS.get(name, name)}: {shown_value(new)}"
            for name, (_old, new) in c.fields.items()
            if name not in ROW_FIELDS and new not in (None, "", False)
        )
    return " / ".join(
        f"{LOG_LABELS.get(name, name)}: {shown_value(old)} → {shown_value(new)}"
        for name, (old, new) in c.fields.items()
    )


def history_expander(item: AuditItem) -> None:
    """The item's change log (status and text), for roles that may read the log; read and sent
    only while the expander is open."""
    if not audit.may_read_history(actor):
        return
    expander = st.expander("변경 기록", key="audit_changelog", on_change="rerun")
    if not expander.open:
        return
    changes = ui.cached(audit.item_history, actor, session_code, item.code)
    with expander:
        if not changes:
            st.caption("기록된 변경이 없습니다.")
            return
        ui.table(
            [
                {
                    "순번": str(c.seq),
                    "일시": f"{fmt.date_ko(c.at.date())} {c.at:%H:%M}",
                    "사용자": c.actor,
                    "역할": ROLE_LABELS.get(c.role, c.role),
                    "기록": HISTORY_TABLES.get(c.table, c.table),
                    "구분": ACTIONS.get(c.action, c.action),
                    "변경 내용": logged_change(c),
                }
                for c in changes
            ],
            key=key("changelog", item.code),
        )


@st.fragment
def detail_section() -> None:
    filters = filter_values()
    on = on_date()
    chosen = [x.item for x in listed_items(on)]
    if not chosen:
        st.info(f"'{ITEMS_TAB}' 탭의 조건에 맞는 항목이 없습니다.")
        return
    narrowed = " · ".join([*(v for v in filters.values() if v), *wanted_marks()])
    label = f"항목 ('{ITEMS_TAB}' 탭의 조건 {narrowed}: {len(chosen)}건)" if narrowed else "항목"
    labels = {i.code: f"{i.code} {i.request[:50]}" for i in chosen}
    item_code = st.selectbox(label, list(labels), format_func=labels.__getitem__, key=ITEM_KEY)
    detail = ui.frozen(audit.item_detail, ctx.org_id, session_code, item_code, on)
    if detail is None:  # removed by an import meanwhile
        return
    flash = st.session_state.pop("audit_flash", None)
    if flash:
        st.success(flash)
    st.markdown(ui.derived(record_markdown, detail, on))
    if detail.evidence:
        downloads(detail)
        previews(detail)
    history_expander(detail.item)
    change_forms(detail)


# --- the item's text ----------------------------------------------------------------------
#
# The form shows the values of the version the user loaded and sends that version with the
# changes, so a save made by someone else meanwhile is a conflict (ConflictError), not a silent
# overwrite. Its state per item: the loaded version and values (``edit_base``) and the widgets.


def _widget_value(name: str, value: Any) -> Any:
    """A stored value as its widget holds it (text widgets hold '' for nothing)."""
    return value if name == "action_date" else (value or "")


def _load_form(item: AuditItem, fields: tuple[str, ...]) -> dict[str, Any]:
    """The loaded version and values; refreshed from the stored item when the form is new or still
    holds only what was loaded (so the user's own status change, which moves the version, or a
    save by someone else while nothing was typed, does not end in a conflict)."""
    base_key = key("edit_base", item.code)
    widgets = {name: key(f"edit_{name}", item.code) for name in fields}
    base = st.session_state.get(base_key)
    fresh = base is None or any(k not in st.session_state for k in widgets.values())
    untouched = not fresh and all(st.session_state[k] == base["values"][n] for n, k in widgets.items())
    if fresh or (base["version"] != item.version and untouched):
        stored = audit.item_text(item)
        base = {"version": item.version, "values": {n: _widget_value(n, stored[n]) for n in fields}}
        st.session_state[base_key] = base
        for name, widget in widgets.items():
            st.session_state[widget] = base["values"][name]
    return base


def text_form(item: AuditItem) -> None:
    fields = audit.editable_fields(actor, item)
    if not fields:
        st.caption(UPDATERS_ONLY)
        return
    base = _load_form(item, fields)
    labels = audit.FIELD_LABELS
    with st.form(key("edit_form", item.code)):
        typed: dict[str, Any] = {}
        if "request" in fields:
            typed["request"] = st.text_area(labels["request"], key=key("edit_request", item.code))
        if "department" in fields:
            choices = sorted(ui.cached(accounts.known_departments) | {base["values"]["department"]} - {""})
            typed["department"] = st.selectbox(
                labels["department"],
                ["", *choices],
                format_func=lambda d: d or NONE_SHOWN,
                key=key("edit_department", item.code),
            )
        typed["actions"] = st.text_area(labels["actions"], key=key("edit_actions", item.code), height=160)
        typed["plan"] = st.text_area(labels["plan"], key=key("edit_plan", item.code))
        typed["action_date"] = st.date_input(
            labels["action_date"],
            key=key("edit_action_date", item.code),
            format="YYYY-MM-DD",
            help="보고서에 월만 적힌 조치일은 그달 1일로 보입니다. 날짜를 바꾸면 그 날짜로 저장됩니다."
            if item.action_date_is_month
            else None,
        )
        submitted = st.form_submit_button(
            "내용 저장",
            key=key("edit_submit", item.code),
            help="불러온 뒤 다른 사용자가 먼저 저장했으면 저장하지 않고 두 값을 나란히 보여 드립니다.",
        )
    if not submitted:
        return
    changes = audit.text_changes(base["values"], typed)
    if not changes:
        st.info("바뀐 내용이 없습니다.")
        return
    try:
        with ui.db() as s:
            row = audit.update_item(
                session=s,
                actor=actor,
                org_id=ctx.org_id,
                session_code=session_code,
                item_code=item.code,
                expected_version=base["version"],
                changes=changes,
            )
            stored = audit.item_text(row)
    except ConflictError as exc:
        ui.invalidate()  # what this process read is older than the database: read it again
        current = exc.current_values
        st.error(
            f"{CONFLICT}. 저장하지 않았습니다. 아래의 저장된 값을 확인하고, 입력한 내용으로 바꾸려면 다시 저장하세요."
        )
        ui.table(
            [
                {
                    "항목": labels[name],
                    "저장된 값": shown_value(current.get(name)),
                    "입력한 값": shown_value(audit.cleaned_text(typed[name])),
                    "다름": "" if audit.cleaned_text(typed[name]) == current.get(name) else "●",
                }
                for name in fields
            ],
            key=key("edit_conflict", item.code),
        )
        # The stored values are now what the user has seen: a second save is a deliberate overwrite.
        st.session_state[key("edit_base", item.code)] = {
            "version": int(exc.current),
            "values": {n: _widget_value(n, current.get(n)) for n in fields},
        }
    except (ChangeError, PermissionDeniedError) as exc:
        st.error(plain(str(exc)))
    else:
        for name in fields:  # the next run loads the saved version into the form
            st.session_state.pop(key(f"edit_{name}", item.code), None)
        st.session_state.pop(key("edit_base", item.code), None)
        values = "  \n".join(
            f"**{labels[n]}** {ui.markdown_lines(shown_value(stored[n]), after_label=True)}" for n in changes
        )
        saved(f"{ui.markdown_text(item.code)} 내용을 저장했습니다.  \n{values}", markdown=True)


# --- the item's forms -----------------------------------------------------------------------


def apply(code: str, change: Callable[..., Any], values: dict[str, Any]) -> tuple[bool, Any]:
    """``change`` (an audit service) in one short session with the item and ``values``; its
    refusal shown as plain text. (True, result) when it was made."""
    try:
        with ui.db() as s:
            result = change(
                session=s, actor=actor, org_id=ctx.org_id, session_code=session_code, item_code=code, **values
            )
    except (ChangeError, PermissionDeniedError) as exc:
        st.error(plain(str(exc)))
        return False, None
    return True, result


def item_form(
    name: str,
    code: str,
    button: str,
    inputs: Callable[[], dict[str, Any]],
    change: Callable[..., Any],
    done: Callable[[dict[str, Any], Any], str],
    *,
    forget: tuple[str, ...] = (),
    refuse: Callable[[dict[str, Any]], str | None] = lambda _values: None,
    clear_on_submit: bool = False,
) -> None:
    """One of the item's change forms (keys ``audit_<name>_form_<code>`` and ``..._submit_...``):
    ``inputs()`` draws its widgets and returns what they hold; on submit, unless ``refuse`` names
    a problem, ``change`` runs (``apply``). After a save the widgets named in ``forget`` are
    cleared and the page reruns with the plain-text message ``done(values, result)``."""
    with st.form(key(f"{name}_form", code), clear_on_submit=clear_on_submit):
        values = inputs()
        if not st.form_submit_button(button, key=key(f"{name}_submit", code)):
            return
        problem = refuse(values)
        if problem:
            st.error(plain(problem))
            return
        made, result = apply(code, change, values)
        if made:
            for widget in forget:
                st.session_state.pop(key(widget, code), None)
            saved(done(values, result))


def status_form(detail: audit.ItemDetail, expected: str) -> None:
    item = detail.item
    code = item.code
    if not audit.may_update(actor, item):
        st.caption(UPDATERS_ONLY)
        return

    def inputs() -> dict[str, Any]:
        to_status = st.selectbox(
            "변경할 상태",
            list(detail.next_statuses),
            format_func=lambda x: f"{x} (사유 필수)" if detail.reason_required[x] else x,
            key=key("to_status", code),
        )
        changed_on = st.date_input(
            "변경일", value=clock.today(), max_value=clock.today(), key=key("changed_on", code), format="YYYY-MM-DD"
        )
        reason = st.text_area("사유", key=key("reason", code), help="미반영과 되돌리는 변경에는 반드시 적습니다.")
        return {"expected_status": expected, "to_status": to_status, "changed_on": changed_on, "reason": reason}

    item_form(
        "status",
        code,
        "상태 변경",
        inputs,
        audit.change_status,
        lambda v, _: f"{code} 추진상황을 {expected} → {josa(v['to_status'], '으로')} 변경했습니다.",
        forget=("reason",),
    )


def note_form(detail: audit.ItemDetail, expected: str) -> None:
    code = detail.item.code
    if not audit.may_update(actor, detail.item):
        st.caption(UPDATERS_ONLY)
        return

    def inputs() -> dict[str, Any]:
        as_of = st.date_input("기준일", value=clock.today(), key=key("note_as_of", code), format="YYYY-MM-DD")
        return {"as_of": as_of, "text": st.text_area("내용", key=key("note_text", code))}

    item_form(
        "note",
        code,
        "메모 저장",
        inputs,
        audit.add_note,
        lambda v, _r: f"{fmt.date_ko(v['as_of'])} 기준 진행 메모를 저장했습니다 ({code}).",
        forget=("note_text",),
    )


def attach_upload(*, upload: Any, **item: Any) -> Any:
    """audit.add_evidence with the uploaded file's name and bytes."""
    return audit.add_evidence(file_name=upload.name, data=upload.getvalue(), **item)


def evidence_form(detail: audit.ItemDetail, expected: str) -> None:
    code = detail.item.code
    if not audit.may_update(actor, detail.item):
        st.caption(UPDATERS_ONLY)
        return

    def inputs() -> dict[str, Any]:
        # Any file is accepted here: audit.add_evidence checks the type and says in Korean which
        # types are allowed (Streamlit's own check would only show its English tooltip).
        ui.korean_uploader(key("evidence_file", code), f"{files.ALLOWED_TEXT}, {files.MAX_MB}MB까지")
        upload = st.file_uploader(
            f"{files.ALLOWED_TEXT} 파일, {files.MAX_MB}MB 이하",
            max_upload_size=files.MAX_MB,
            key=key("evidence_file", code),
            help="파일은 SHA-256 체크섬과 함께 데이터베이스에 저장되고, 내려받을 때 체크섬을 다시 확인합니다.",
        )
        return {"upload": upload}

    item_form(
        "evidence",
        code,
        "첨부",
        inputs,
        attach_upload,
        lambda _v, added: (
            f"{code} 증빙 {added.file_name}{particle(added.file_name, '을')} 첨부했습니다 (SHA-256 {added.sha256})."
        ),
        refuse=lambda v: "첨부할 파일을 고르세요." if v["upload"] is None else None,
        clear_on_submit=True,
    )


def due_form(detail: audit.ItemDetail, expected: str) -> None:
    """기한 and 기한 없음 outside a form, so that each reacts to the other: typing or choosing a date
    unticks 기한 없음 (the date is what the user meant), ticking it keeps the date shown but saves
    none. Their keys hold the stored value until the user changes them."""
    item = detail.item
    code = item.code
    if not audit.may_set_due_date(actor):
        st.caption("기한은 기획조정실이 정합니다.")
        return
    due_key, none_key = key("due_date", code), key("no_due", code)
    if due_key not in st.session_state:
        st.session_state[due_key] = item.due_date
        st.session_state[none_key] = item.due_date is None

    def dated() -> None:  # a date typed or chosen: 기한 없음 no longer holds
        if st.session_state.get(due_key) is not None:
            st.session_state[none_key] = False

    row = st.container(horizontal=True, vertical_alignment="bottom")
    row.date_input("기한", key=due_key, format="YYYY-MM-DD", on_change=dated)
    row.checkbox("기한 없음", key=none_key)
    if not st.button("기한 저장", key=key("due_submit", code)):
        return
    due = None if st.session_state[none_key] else st.session_state[due_key]
    if due is None and not st.session_state[none_key]:
        st.error(plain("기한을 고르거나 '기한 없음'을 선택하세요."))
        return
    made, _ = apply(code, audit.set_due_date, {"due_date": due})
    if made:
        st.session_state.pop(due_key, None)
        st.session_state.pop(none_key, None)
        saved(f"{code} 기한을 {josa(fmt.date_ko(due) or '없음', '으로')} 정했습니다.")


def signoff_form(detail: audit.ItemDetail, expected: str) -> None:
    """감사 확인 in two steps: the comment, then a confirmation showing what will be signed (and,
    for an item without evidence, the warning and the choice to sign without it)."""
    item = detail.item
    code = item.code
    pending_key = key("signoff_pending", code)
    if not audit.may_sign_off(actor):
        st.caption("감사 확인은 감사(auditor) 역할만 할 수 있습니다.")
        return
    if item.status not in SIGNABLE_STATUSES:
        st.caption(f"{'·'.join(SIGNABLE_STATUSES)} 항목만 확인할 수 있습니다 (현재 {item.status}).")
        return
    if detail.follow_up.signoff:
        st.caption("현재 상태는 이미 확인되었습니다.")
        return
    no_evidence = not detail.evidence
    if no_evidence:
        st.warning(plain(f"{code}에는 첨부된 증빙 자료가 없습니다. 증빙 없이 확인하려면 확인 단계에서 선택하세요."))
    pending = st.session_state.get(pending_key)
    if pending is None or pending["status"] != expected:
        with st.form(key("signoff_form", code)):
            st.write(plain(f"{code}의 추진상황 '{item.status}'{particle(item.status, '을')} 확인합니다."))
            comment = st.text_area("의견", key=key("signoff_comment", code), help="확인 기록과 변경 기록에 남습니다.")
            if st.form_submit_button("감사 확인…", key=key("signoff_submit", code)):
                st.session_state[pending_key] = {"status": expected, "comment": comment.strip()}
                st.rerun()
        return
    with st.container(border=True):
        st.markdown(
            plain(
                f"{code} 추진상황 '{item.status}'{particle(item.status, '을')} 확인합니다. "
                f"의견: {pending['comment'] or '없음'}"
            )
        )
        without = False
        if no_evidence:
            without = st.checkbox("증빙 없이 확인합니다", key=key("signoff_without_evidence", code))
        row = st.container(horizontal=True)
        confirm = row.button("확인", type="primary", key=key("signoff_confirm", code))
        cancel = row.button("취소", key=key("signoff_cancel", code))
    if cancel:
        st.session_state.pop(pending_key, None)
        st.rerun()
    if not confirm:
        return
    made, _ = apply(
        code,
        audit.sign_off,
        {"expected_status": expected, "comment": pending["comment"] or None, "without_evidence": without},
    )
    if made:
        st.session_state.pop(pending_key, None)
        st.session_state.pop(key("signoff_comment", code), None)
        saved(f"{code} 추진상황 '{item.status}'{particle(item.status, '을')} 확인했습니다.")


def rework_form(detail: audit.ItemDetail, expected: str) -> None:
    """보완 요구: the auditor sends a closed item back to its department with a reason."""
    item = detail.item
    code = item.code
    if not audit.may_sign_off(actor):
        st.caption("보완 요구는 감사(auditor) 역할만 할 수 있습니다.")
        return
    back = REWORK.get(item.status)
    if back is None:
        st.caption(f"{'·'.join(REWORK)} 항목에만 보완을 요구할 수 있습니다 (현재 {item.status}).")
        return

    def inputs() -> dict[str, Any]:
        st.write(
            plain(
                f"{code}{particle(code, '을')} {item.status} → {josa(back, '으로')} 되돌려 "
                f"{item.department or '기획조정실'}에 보냅니다. 이 항목의 감사 확인은 무효가 됩니다."
            )
        )
        reason = st.text_area("보완 요구 사유", key=key("rework_reason", code), help="반드시 적습니다.")
        return {"expected_status": expected, "reason": reason}

    item_form(
        "rework",
        code,
        "보완 요구",
        inputs,
        audit.request_rework,
        lambda _v, _r: f"{code} 보완을 요구했습니다: {item.status} → {back}.",
        forget=("rework_reason",),
    )


def change_forms(detail: audit.ItemDetail) -> None:
    """The forms, one per tab. Only the open tab runs and is sent; each role starts on the form it
    uses (auditors on 감사 확인)."""
    # The status the user was shown: a change made by someone else in between is a conflict.
    seen_key = key("seen_status", detail.item.code)
    expected = st.session_state.get(seen_key, detail.item.status)
    st.session_state[seen_key] = detail.item.status
    forms = {
        "추진상황 변경": status_form,
        "내용 수정": lambda d, _expected: text_form(d.item),
        "진행 메모 추가": note_form,
        "증빙 첨부": evidence_form,
        "기한": due_form,
        SIGNOFF_TAB: signoff_form,
        REWORK_TAB: rework_form,
    }
    tabs = st.tabs(
        list(forms),
        key=FORM_TAB_KEY,
        on_change="rerun",
        default=SIGNOFF_TAB if audit.may_sign_off(actor) else next(iter(forms)),
    )
    for tab, form in zip(tabs, forms.values(), strict=True):
        if tab.open:
            with tab:
                form(detail, expected)


# --- the page -----------------------------------------------------------------------------------

summary_tab, items_tab, detail_tab = st.tabs([SUMMARY_TAB, ITEMS_TAB, DETAIL_TAB], key=VIEW_KEY, on_change="rerun")
if summary_tab.open:
    with summary_tab:
        summary_view()
if items_tab.open:
    with items_tab:
        items_section()
if detail_tab.open:
    with detail_tab:
        detail_section()

intake_form.expander("audit")
