"""보고서: generate the business, audit and budget documents as PDF, DOCX and HWPX (roles with the
``report.generate`` permission; the documents print personal data), and the board's document
(이사회 현황 자료, no personal data: every role, ``report.board``). A role that may make only the
board's document (the board, departments) is offered only that, as a PDF."""

import streamlit as st

from budget import execution as budget
from governance_app import rounds, ui
from governance_app.core import clock
from governance_app.core import formatting as fmt
from governance_app.core.auth import PermissionDeniedError, may
from governance_app.report import build as reports

KINDS = {
    "business": "주요업무보고 (전체)",
    "audit": "행정사무감사 처리결과 보고서",
    "budget": "예산 집행 현황 보고",
    "board": "이사회 현황 자료 (개인정보 제외)",
}
FORMATS = {"pdf": "PDF", "hwpx": "HWPX (한글)", "docx": "DOCX (워드·한글에서 편집)", "xlsx": "XLSX (표마다 한 시트)"}

ctx = ui.current()
actor = ui.actor()
st.title("보고서 생성")
allowed = [k for k in reports.kinds_for(actor) if k in KINDS]
if not allowed:
    st.session_state.pop("report_files", None)  # never hand over a document made under another role
    st.info("보고서를 만들 권한이 없습니다. 각 화면에서 현황을 볼 수 있습니다.")
    st.stop()
board_only = not may(actor, reports.GENERATE)
if board_only:
    # a document made under another role may print personal data: never hand it over here
    made = st.session_state.get("report_files")
    if made and (made.get("by") != actor.username or made.get("kind") != "board"):
        st.session_state.pop("report_files", None)
    st.info(
        "이 역할에는 개인정보(생년월일·연락처 등)를 뺀 이사회 현황 자료만 제공합니다. 주요업무보고 등 다른 "
        "보고서에는 개인정보가 실리므로 기획조정실, 재무 담당, 감사 담당만 만들 수 있습니다."
    )
    kind = "board"
    st.markdown(f"#### {KINDS[kind]}")
    st.caption("개요·예산 집행·상담 현황·이사회 구성과 임기·행정사무감사 후속조치 현황을 한 PDF로 만듭니다.")
else:
    kind = st.radio("보고서", allowed, format_func=KINDS.__getitem__, key="report_kind")
offered = ["pdf"] if board_only else list(FORMATS)
if ctx.submitted:
    # a submitted round's documents are the files stored when it was submitted, byte for byte
    st.caption(f"{ctx.report_code} 회차는 제출되었습니다. 제출할 때 저장한 문서를 그대로 내려받습니다.")
    stored = {d.format: d for d in ui.cached(rounds.stored_documents, ctx.report_code) if d.kind == kind}
    for form, label in FORMATS.items():
        doc = stored.get(form) if form in offered else None
        if doc is None:
            continue
        with ui.db() as s:
            found = rounds.stored_file(s, actor, ctx.report_code, kind, form)
        assert found is not None
        st.download_button(
            f"{label} 내려받기 ({doc.size // 1024:,} KB · 제출본 {fmt.date_short(clock.local(doc.created_at).date())} "
            f"{clock.local(doc.created_at):%H:%M})",
            found[1],
            file_name=found[0],
            mime=reports.MIME_TYPES[form],
            key=f"stored_{form}",
            help=f"SHA-256 {doc.sha256}",
        )
    st.stop()
dates = ui.cached(budget.execution_dates, ctx.org_id, ctx.fiscal_year)
as_of = None
if kind != "audit" and dates:
    if st.session_state.get("report_as_of") not in dates:
        st.session_state["report_as_of"] = dates[-1]  # the latest snapshot of the round's year at first
    as_of = st.selectbox("예산 집행 기준일", dates, format_func=fmt.date_ko, key="report_as_of")
st.caption(
    f"보고서는 {ctx.report_code} 회차의 데이터베이스 자료로 지금 만들어집니다"
    + (f"(예산 집행은 {fmt.date_ko(as_of)} 기준)" if as_of else "")
    + ". 자료를 고치면 다시 생성하십시오."
)
if board_only:
    formats = ["pdf"]
else:
    formats = st.multiselect(
        "형식", list(FORMATS), default=list(FORMATS), format_func=FORMATS.__getitem__, key="report_formats"
    )
if st.button("생성", key="report_build", type="primary", disabled=not formats):
    files = {}
    try:
        with st.status("보고서를 만드는 중…", expanded=True) as status:
            st.write("자료를 읽고 문서 구조를 만드는 중…")
            document = reports.build(ui.engine(), kind, actor=actor, round_code=ctx.report_code, as_of=as_of)
            for form in formats:
                st.write(f"{FORMATS[form]} 파일을 만드는 중… (도표 포함)")
                files[form] = (reports.file_name(kind, form, ctx.report_code), reports.render(document, form))
            status.update(label="보고서를 만들었습니다.", state="complete", expanded=False)
    except PermissionDeniedError:
        st.error("보고서를 만들 권한이 없습니다.")
    else:
        st.session_state["report_files"] = {
            "kind": kind,
            "files": files,
            "by": actor.username,
            "round": ctx.report_code,
            "as_of": as_of,
        }

made = st.session_state.get("report_files")
if (
    made
    and made["kind"] == kind
    and made.get("by") == actor.username
    and made.get("round") == ctx.report_code
    and made.get("as_of") == as_of
):
    for form, (name, data) in made["files"].items():
        st.download_button(
            f"{FORMATS[form]} 내려받기 ({len(data) // 1024:,} KB)",
            data,
            file_name=name,
            mime=reports.MIME_TYPES[form],
            key=f"download_{form}",
        )
