"""보고 회차: every round with its state; for the planning office the yearly steps as forms (open
the next round, submit one with a confirmation, reopen one with a reason); for everyone the
comparison of two rounds as one table (governance_app.rounds.diff)."""

from datetime import date

import streamlit as st

from audit_followup import service as audit
from governance_app import rounds, ui
from governance_app.core import formatting as fmt
from governance_app.core.auth import PermissionDeniedError, may
from governance_app.core.i18n import josa
from governance_app.core.submitted import RoundSubmittedError
from governance_app.round_commands import cell

actor = ui.actor()
known = ui.rounds()


def session_name(code: str | None) -> str:
    """An audit session by its name ("2024 행정사무감사"); a session not loaded yet by its code."""
    if not code:
        return ""
    found = ui.frozen(audit.audit_session, ui.current().org_id, code)
    return found.name if found is not None else code


st.title("보고 회차")
st.caption("회차마다 회계연도와 기준일이 있습니다. 제출한 회차는 제출할 때의 문서가 저장되고 자료를 고칠 수 없습니다.")
ui.table(
    [
        {
            "코드": r.report_code,
            "제목": r.report_title,
            "회계연도": str(r.fiscal_year),
            "보고일": fmt.month_ko(r.report_date),
            "집행 기준일": fmt.date_ko(r.execution_as_of),
            "감사 회기": session_name(r.audit_session_code),
            "상태": r.state,
            "현재": "●" if r.is_current else "",
        }
        for r in known
    ],
    key="rounds_list",
)
flash = st.session_state.pop("rounds_flash", None)
if flash:
    st.success(ui.plain(flash))


def done(message: str) -> None:
    ui.invalidate()
    st.session_state["rounds_flash"] = message
    st.rerun()


def refused(exc: Exception) -> None:
    st.error(ui.plain(f"저장하지 않았습니다: {exc}"))


codes = [r.report_code for r in known]
if may(actor, rounds.MANAGE):
    latest = known[-1]
    new_tab, freeze_tab, reopen_tab = st.tabs(["새 회차", "제출", "다시 열기"])
    with new_tab, st.form("round_new"):
        st.markdown(
            "원본 회차의 연도별 구조(설립근거·비전, 조직, ARS, 주요업무, 추진일정, ESG)를 새 회계연도로 복사합니다."
        )
        year = latest.fiscal_year + 1
        row = st.container(horizontal=True)
        code = row.text_input("회차 코드", value=f"{year}-{latest.report_date.month:02d}", key="round_new_code")
        fiscal_year = row.number_input("회계연도", value=year, step=1, key="round_new_year")
        source = row.selectbox("원본 회차", codes, index=codes.index(latest.report_code), key="round_new_source")
        row = st.container(horizontal=True)
        report_date = row.date_input(
            "보고일", value=latest.report_date.replace(year=year), format="YYYY-MM-DD", key="round_new_report_date"
        )
        as_of = row.date_input(
            "집행 기준일",
            value=latest.execution_as_of.replace(year=year),
            format="YYYY-MM-DD",
            key="round_new_as_of",
        )
        if st.form_submit_button("새 회차 만들기", type="primary"):
            try:
                with ui.db() as s:
                    made = rounds.new_round(
                        session=s,
                        actor=actor,
                        code=code,
                        fiscal_year=int(fiscal_year),
                        report_date=report_date if isinstance(report_date, date) else latest.report_date,
                        execution_as_of=as_of if isinstance(as_of, date) else latest.execution_as_of,
                        source=source,
                    )
            except (rounds.RoundError, RoundSubmittedError, LookupError, PermissionDeniedError) as exc:
                refused(exc)
            else:
                st.session_state[ui.ROUND_KEY] = made.report_code
                done(f"회차 {josa(made.report_code, '을')} 만들었습니다. 이제 현재 회차입니다.")
    drafts = [r.report_code for r in known if not r.submitted]
    with freeze_tab:
        if not drafts:
            st.info("제출할 회차(작성중)가 없습니다.")
        else:
            with st.form("round_freeze"):
                chosen = st.selectbox("제출할 회차", drafts, key="round_freeze_code")
                sure = st.checkbox(
                    "제출하면 지금의 보고서(주요업무보고, 감사 처리결과, 예산 집행)가 저장되고, "
                    "이 회차의 자료는 다시 열기 전까지 고칠 수 없습니다.",
                    key="round_freeze_confirm",
                )
                if st.form_submit_button("제출", type="primary"):
                    if not sure:
                        st.error("제출하려면 확인란을 선택하십시오.")
                    else:
                        try:
                            with st.spinner("보고서를 만들어 저장하는 중…"), ui.db() as s:
                                docs = rounds.freeze(session=s, actor=actor, code=chosen)
                        except (rounds.RoundError, LookupError, PermissionDeniedError) as exc:
                            refused(exc)
                        else:
                            done(f"회차 {josa(chosen, '을')} 제출했습니다. 문서 {len(docs)}건을 저장했습니다.")
    submitted = [r.report_code for r in known if r.submitted]
    with reopen_tab:
        if not submitted:
            st.info("제출된 회차가 없습니다.")
        else:
            with st.form("round_reopen"):
                chosen = st.selectbox("다시 열 회차", submitted, key="round_reopen_code")
                reason = st.text_area("사유 (필수, 변경 이력에 남습니다)", key="round_reopen_reason")
                if st.form_submit_button("다시 열기"):
                    try:
                        with ui.db() as s:
                            rounds.reopen(session=s, actor=actor, code=chosen, reason=reason)
                    except (rounds.RoundError, LookupError, PermissionDeniedError) as exc:
                        refused(exc)
                    else:
                        done(f"회차 {josa(chosen, '을')} 다시 열었습니다 (작성중).")
else:
    st.info("회차를 만들고 제출하는 일은 기획조정실이 합니다.")

st.subheader("회차 비교")
if len(codes) < 2:
    st.info("비교할 회차가 둘 이상 있어야 합니다.")
else:
    row = st.container(horizontal=True)
    a = row.selectbox("기준 회차", codes, index=len(codes) - 2, key="round_diff_a")
    b = row.selectbox("비교 회차", codes, index=len(codes) - 1, key="round_diff_b")
    changes = ui.frozen(rounds.diff, a, b)
    ui.table(
        [{"구분": r.group, "항목": r.label, a: cell(r.a), b: cell(r.b), "증감": cell(r.change)} for r in changes],
        key="round_diff",
    )
