"""예산: revenue, the expenditure hierarchy, execution as of a recorded date against the elapsed
share of the year, the cumulative curve and year-end forecast, recording a new snapshot (a form
or the accounting system's export) and which major-work items spend which line.

Every read goes through ``ui.frozen`` (read-only and shared) or ``ui.cached`` and every chart
through ``ui.chart``, so a rerun queries nothing an earlier run already read; the tables shown are
built once per data revision (``ui.derived``). The three tabs (예산, 집행 현황, 집행 현황 기록) are lazy: only
the open one runs and is sent. The execution section (its 기준일 selector) and the recording
section are fragments: changing their widgets reruns only that section.
"""

from datetime import date

import pandas as pd
import streamlit as st

from budget import charts, upload
from budget import execution as budget_execution
from budget import forecast as budget_forecast
from budget import links as budget_links
from budget import recording as budget_recording
from budget import service as budget
from governance_app import intake_form, ui
from governance_app.core import formatting as fmt
from governance_app.core.auth import PermissionDeniedError, may
from governance_app.core.errors import ConflictError
from governance_app.core.i18n import BUDGET_LEVEL
from governance_app.core.submitted import RoundSubmittedError

ctx = ui.current()
actor = ui.actor()
show_contacts = ui.personal_data_allowed()
years = budget.comparison_years(ctx.fiscal_year)
TAB_KEY, EXECUTION_TAB = "budget_tab", "집행 현황"
TABS = ["예산", EXECUTION_TAB, "집행 현황 기록"]
st.title(f"{ctx.fiscal_year}년 예산 현황")

# The execution date shown: the latest at first, the date just recorded after a save (set before
# the widget exists, as Streamlit requires).
flash = st.session_state.pop("budget_flash", None)
shown = st.session_state.pop("budget_show", None)


def budget_rows(rows: tuple[budget.BudgetRow, ...], years: tuple[int, int]) -> list[dict]:
    base, year = years
    return [
        {
            "구분": BUDGET_LEVEL[r.level],
            "과목": "　" * r.depth + r.name,
            f"{base}년": fmt.amount(r.amounts.get(base)),
            f"{year}년": fmt.amount(r.amounts.get(year)),
            "증감": fmt.amount(r.change),
        }
        for r in rows
    ]


def contact(name: str | None, phone: str | None) -> str:
    return f"{name} ☎ {phone}" if name and phone else name or ""


def execution_rows(rows: tuple[budget_execution.ExecutionRow, ...], show_contacts: bool) -> list[dict]:
    return [
        {
            "구분": r.label,
            "예산액": fmt.amount(r.budget),
            "집행액": fmt.amount(r.executed),
            "집행률": fmt.percent(r.rate),
            "잔액": fmt.amount(r.remaining),
            "경과율 대비(%p)": fmt.points(r.gap),
            "점검": r.lag_status,
            **(
                {
                    "부장": contact(r.contacts["manager_name"], r.contacts["manager_phone"]),
                    "담당": contact(r.contacts["officer_name"], r.contacts["officer_phone"]),
                }
                if show_contacts
                else {}
            ),
        }
        for r in rows
    ]


def forecast_rows(forecast: tuple[budget_forecast.ForecastRow, ...]) -> list[dict]:
    return [
        {
            "구분": f.label,
            "예산액": fmt.amount(f.budget),
            "집행액": fmt.amount(f.executed),
            "연말 예상 집행액": fmt.amount(f.forecast),
            "예상 집행률": fmt.percent(f.forecast_rate),
            "불용 예상액": fmt.amount(f.unspent),
            "추정 방법": f.method if f.is_total else f"{f.method} · {f.points}개 시점",
        }
        for f in forecast
    ]


def line_links_rows(links: budget_links.WorkLinks) -> list[dict]:
    return [
        {
            "세부사업": line.label,
            "예산액": fmt.amount(line.budget),
            "집행률": fmt.percent(line.rate),
            "주요업무": ", ".join(f"{k.item_code} {k.item_title}" for k in line.links) or "-",
            "비고": " / ".join(k.note for k in line.links if k.note),
        }
        for line in links.by_line
    ]


def item_links_rows(links: budget_links.WorkLinks) -> list[dict]:
    return [
        {
            "주요업무": f"{item.code} {item.title}",
            "사업비": fmt.amount(item.cost),
            "세부사업(집행률)": ", ".join(
                (k.execution_label or k.budget_line_name) + (f" ({fmt.percent(k.rate)}%)" if k.rate is not None else "")
                for k in item.links
            )
            or "-",
            "예산 과목": ", ".join(k.budget_line_name for k in item.links) or "-",
        }
        for item in links.by_item
    ]


def links_section(as_of: date | None) -> None:
    st.subheader("주요업무와 세부사업")
    links = ui.frozen(budget_links.work_links, ctx.org_id, ctx.fiscal_year, as_of)
    st.caption(f"(단위: 천원, %) 집행률은 {fmt.date_ko(as_of)} 기준" if as_of else "(단위: 천원)")
    ui.table(ui.derived(line_links_rows, links), key="links_by_line")
    ui.table(ui.derived(item_links_rows, links), key="links_by_item")


@st.fragment
def execution_section() -> None:
    """Execution as of the chosen date, the curve, the forecast and the work links: choosing
    another 기준일 reruns this section only."""
    dates = ui.cached(budget_execution.execution_dates, ctx.org_id, ctx.fiscal_year)
    if dates and st.session_state.get("execution_as_of") not in dates:
        st.session_state["execution_as_of"] = dates[-1]
    if not dates:
        st.info(f"기록된 집행 현황이 없습니다. '{TABS[2]}'에서 기록해 주세요.")
        links_section(None)
        return
    as_of = st.selectbox("기준일", dates, format_func=fmt.date_ko, key="execution_as_of")
    rows = ui.frozen(budget_execution.execution, ctx.org_id, as_of, ui.actor())
    series = ui.frozen(budget_forecast.execution_series, ctx.org_id, as_of)
    forecast = ui.frozen(budget_forecast.forecast, ctx.org_id, as_of)
    threshold = fmt.percent(budget_execution.LAG_THRESHOLD)
    st.caption(
        f"(단위: 천원, %) 연중 경과율 {fmt.percent(rows[0].elapsed if rows else None)}% · "
        f"집행률이 경과율보다 {threshold}%p 넘게 낮으면 부진, 그보다 덜 낮으면 미달"
    )
    ui.table(ui.derived(execution_rows, rows, show_contacts), key="execution")
    behind = budget_execution.lagging(rows)
    if behind:
        st.warning(
            ui.plain(
                f"집행 부진 {len(behind)}개 세부사업 (경과율보다 {threshold}%p 넘게 낮음): "
                + ", ".join(f"{r.label} {fmt.percent(r.rate)}% ({fmt.points(r.gap)}%p)" for r in behind)
            )
        )
    ui.chart("execution_rate_chart", charts.execution_rate_chart, rows)

    st.subheader("누적 집행액과 연말 예상")
    ui.chart("execution_curve", charts.execution_curve, series, forecast)
    st.caption(
        "(단위: 천원, %) 연말 예상 집행액: 기준일까지 두 번 이상 기록된 세부사업은 시점별 누적 집행액의 "
        "추세선(기록된 시점들에 가장 가깝게 그은 직선)을 12. 31.까지 늘린 값, 한 번뿐이면 1. 1.부터 같은 속도로 "
        "본 값(집행액 ÷ 경과 일수 × 연간 일수)입니다. 이미 집행한 금액보다 작게, 예산액보다 크게 잡지 않으며, "
        "합계는 세부사업 예상액의 합입니다. 불용 예상액 = 예산액 - 연말 예상 집행액."
    )
    ui.table(ui.derived(forecast_rows, forecast), key="forecast")
    links_section(as_of)


def draft_table(draft: budget_recording.SnapshotDraft, key: str) -> None:
    ui.table(
        [
            {
                "행": d.where or "(계산)",
                "구분": d.label,
                "예산액": fmt.amount(d.budget),
                "집행액": fmt.amount(d.executed),
                "집행률": fmt.percent(d.rate),
                "잔액": fmt.amount(d.remaining),
            }
            for d in draft.lines
        ],
        key=key,
    )


# A checked draft whose date is already recorded, waiting for the user's answer: (where it came
# from: "table" or the upload's file id, the draft).
CONFIRM_KEY = "snapshot_confirm"


def save(draft: budget_recording.SnapshotDraft, origin: str, *, replace: bool = False) -> bool:
    """Record a checked draft; on success remember the message for the next run. A draft whose
    date is already recorded is saved only once the user said to replace it (``replace``): until
    then it waits under CONFIRM_KEY and the question is asked (``confirm``)."""
    try:
        with ui.db() as s:
            written = budget_recording.save_draft(
                session=s, actor=actor, org_id=ctx.org_id, fiscal_year=ctx.fiscal_year, draft=draft, replace=replace
            )
    except budget_recording.ReplaceUnconfirmedError:
        st.session_state[CONFIRM_KEY] = (origin, draft)
        return False
    except budget_recording.ExecutionRecordError as exc:
        st.error(f"저장하지 않았습니다: 오류 {len(exc.errors)}건")
        ui.findings_table(exc.findings, key="save_findings")
        return False
    except PermissionDeniedError:
        st.error("집행 현황을 기록할 권한이 없습니다.")
        return False
    except (RoundSubmittedError, ConflictError) as exc:  # ConflictError: another user saved the date first
        st.error(ui.plain(f"저장하지 않았습니다: {exc}"))
        return False
    assert draft.as_of is not None
    st.session_state.pop(CONFIRM_KEY, None)
    ui.invalidate()
    replaced = "바꿨습니다" if draft.replaces or replace else "기록했습니다"
    st.session_state["budget_flash"] = (
        f"{fmt.date_ko(draft.as_of)} 기준 집행 현황 {written}행(합계 포함)을 {replaced}.",
        draft.warnings,
    )
    st.session_state["budget_show"] = draft.as_of
    return True


def confirm(origin: str) -> bool:
    """Ask before a draft of ``origin`` replaces the snapshot of its date; True once it was saved."""
    pending = st.session_state.get(CONFIRM_KEY)
    if pending is None or pending[0] != origin:
        return False
    draft = pending[1]
    st.warning(ui.plain(budget_recording.replace_question(draft.as_of)))
    row = st.container(horizontal=True)
    if row.button("바꾸기", key=f"snapshot_replace_{origin}", type="primary"):
        return save(draft, origin, replace=True)
    if row.button("그만두기", key=f"snapshot_keep_{origin}"):
        st.session_state.pop(CONFIRM_KEY, None)
        st.rerun()
    return False


@st.fragment
def record_section() -> None:
    """The entry table and the upload: their widgets rerun this section only; a save reruns the
    page, so the execution section shows the date just recorded. The date starts empty: nothing
    is saved under a date the user did not choose (or the file did not give)."""
    dates = ui.cached(budget_execution.execution_dates, ctx.org_id, ctx.fiscal_year)
    first, last = budget_recording.record_dates(ctx.fiscal_year)
    record_on = st.date_input(
        "기록할 기준일", value=None, min_value=first, max_value=last, format="YYYY.MM.DD", key="snapshot_as_of"
    )
    pending = st.session_state.get(CONFIRM_KEY)
    if pending is not None and not pending[1].as_of_from_file and pending[1].as_of != record_on:
        st.session_state.pop(CONFIRM_KEY, None)  # another date chosen: the question no longer stands
    if record_on is None:
        st.caption(
            "기준일을 먼저 고르세요 (파일에 기준일 열이 있으면 그 날짜로 기록합니다). "
            "합계는 세부사업의 합으로 계산합니다."
        )
    elif record_on in dates:
        also = " 보고서의 기준일이므로 보고서 수치도 바뀝니다." if record_on == ctx.execution_as_of else ""
        st.warning(
            ui.plain(
                f"{fmt.date_ko(record_on)} 기준 집행 현황이 이미 있습니다. 저장하면 이 날짜의 기록을 모두 새 값으로 "
                f"바꿉니다 (저장 전에 한 번 더 묻습니다).{also}"
            )
        )
    else:
        st.caption("같은 기준일로 다시 저장하면 그 날짜의 기록을 바꿉니다. 합계는 세부사업의 합으로 계산합니다.")
    by_hand, by_file = st.tabs(["직접 입력", "회계시스템 파일 올리기"])
    with by_hand:
        # the table starts from the chosen date's figures (before a date is chosen: the latest)
        template = ui.cached(budget_recording.snapshot_template, ctx.org_id, record_on or last)
        frame = pd.DataFrame(
            [{"코드": t.code, "구분": t.label, "예산액": t.budget, "집행액": t.executed} for t in template],
            columns=["코드", "구분", "예산액", "집행액"],
        )
        st.caption("(단위: 천원) 세부사업마다 기준일의 예산액과 누적 집행액을 적습니다. 합계는 적지 않습니다.")
        with st.form("snapshot_form"):
            edited = st.data_editor(
                frame,
                key="snapshot_editor",
                hide_index=True,
                width="stretch",
                num_rows="fixed",
                disabled=["코드", "구분"],
                column_config={
                    "코드": None,  # kept in the data to match the rows, not shown: lines go by their names
                    "예산액": st.column_config.NumberColumn(min_value=0, step=1, format="localized"),
                    "집행액": st.column_config.NumberColumn(min_value=0, step=1, format="localized"),
                },
            )
            submitted = st.form_submit_button("저장", key="snapshot_save")
        if submitted:
            st.session_state.pop(CONFIRM_KEY, None)
            draft = ui.cached(
                budget_recording.draft_from_table,
                ctx.org_id,
                edited.to_dict("records"),
                as_of=record_on,
                fiscal_year=ctx.fiscal_year,
            )
            if record_on is None:
                st.error("기준일을 고르지 않아 저장하지 않았습니다. 위에서 기록할 기준일을 골라 주세요.")
            elif not draft.ok:
                st.error(f"저장하지 않았습니다: 오류 {len(draft.errors)}건. 고친 뒤 다시 저장해 주세요.")
                ui.findings_table(draft.findings, key="snapshot_findings")
            elif save(draft, "table"):
                st.session_state.pop("snapshot_editor", None)
                st.rerun()
        if confirm("table"):
            st.session_state.pop("snapshot_editor", None)
            st.rerun()
    with by_file:
        st.markdown(upload.ACCEPTED_LAYOUT)
        file = ui.file_upload(
            "집행 자료 파일", kinds=("csv", "xlsx"), max_bytes=upload.MAX_UPLOAD_BYTES, key="execution_upload"
        )
        if file is not None and st.session_state.get("upload_saved") == file.file_id:
            st.success(ui.plain(f"{file.name}의 내용을 저장했습니다."))
        elif file is not None:
            draft = ui.cached(
                budget_recording.draft_from_upload,
                ctx.org_id,
                file.getvalue(),
                file.name,
                as_of=record_on,
                fiscal_year=ctx.fiscal_year,
            )
            if draft.read_as:
                st.caption(
                    "읽은 머리글: "
                    + ui.markdown_text(", ".join(f"{heading} → {read}" for heading, read in draft.read_as))
                )
            if draft.as_of is not None:
                origin = "파일의 기준일" if draft.as_of_from_file else "위에서 고른 기준일"
                note = " · 이 날짜의 기존 기록을 바꿉니다" if draft.replaces else ""
                st.markdown(f"**기준일** {fmt.date_ko(draft.as_of)} ({origin}){note}")
            if draft.lines:
                draft_table(draft, key="upload_preview")
            if draft.errors:
                st.error(
                    ui.plain(
                        f"{file.name}: 오류 {len(draft.errors)}건이 있어 저장할 수 없습니다. "
                        "파일을 고쳐 다시 올려 주세요."
                    )
                )
            if draft.findings:
                ui.findings_table(draft.findings, key="upload_findings")
            if (
                draft.ok and st.button("이 파일 내용으로 저장", key="upload_save") and save(draft, file.file_id)
            ) or confirm(file.file_id):
                st.session_state["upload_saved"] = file.file_id
                st.rerun()


# Only the open tab runs and is sent (on_change="rerun" makes the tab choice state); after a
# save the execution tab opens on the date just recorded.
if shown is not None:
    st.session_state[TAB_KEY] = EXECUTION_TAB
budget_tab, execution_tab, record_tab = st.tabs(TABS, key=TAB_KEY, on_change="rerun")

if budget_tab.open:
    with budget_tab:
        revenue = ui.frozen(budget.budget_table, ctx.org_id, "revenue", years)
        expenditure = ui.frozen(budget.budget_table, ctx.org_id, "expenditure", years)
        # a heading and its unit line as one markdown element: Streamlit spends time per element
        st.markdown("#### 세입예산\n\n:gray[(단위: 천원)]")
        ui.table(ui.derived(budget_rows, revenue, years), key="revenue")
        st.markdown("#### 세출예산\n\n:gray[(단위: 천원) 정책 > 단위 > 세부사업]")
        ui.table(ui.derived(budget_rows, expenditure, years), key="expenditure")
        ui.chart("budget_sunburst", charts.budget_sunburst, expenditure, ctx.fiscal_year)
        history = ui.frozen(budget.budget_history, ctx.org_id, ctx.fiscal_year)
        if len(history) > 1:  # a 추경: the figures above are the budget as it stands
            steps = " · ".join(
                f"{v.label} ({fmt.date_ko(v.effective_on)}부터) {fmt.amount(v.total) if v.total is not None else '-'}"
                for v in history
            )
            st.caption(f"{ctx.fiscal_year}년 예산 이력 (세출 총계, 천원): {steps}")

if execution_tab.open:
    with execution_tab:
        st.subheader("예산 집행 현황")
        if flash:
            message, warnings = flash
            st.success(ui.plain(message))
            if warnings:
                st.warning(f"확인할 점 {len(warnings)}건 (저장은 되었습니다)")
                ui.findings_table(warnings, key="saved_warnings")
        if shown is not None:
            st.session_state["execution_as_of"] = shown
        execution_section()

if record_tab.open:
    with record_tab:
        st.subheader("집행 현황 기록")
        if ui.read_only_notice():
            pass
        elif not may(actor, "execution.record"):
            st.info("집행 현황은 기획조정실과 재무 담당만 기록할 수 있습니다.")
        else:
            record_section()

intake_form.expander("budget")
