"""보고서: generate the business, audit and budget documents as PDF, DOCX and HWPX (roles with the
``report.generate`` permission; the documents print personal data)."""

import streamlit as st

from governance_app import ui
from governance_app.core.auth import PermissionDeniedError, may
from governance_app.report import build as reports

KINDS = {
    "business": "주요업무보고 (전체)",
    "audit": "행정사무감사 처리결과 보고서",
    "budget": "예산 집행 현황 보고",
}
FORMATS = {"pdf": "PDF", "hwpx": "HWPX (한글)", "docx": "DOCX (워드·한글에서 편집)"}

ctx = ui.current()
actor = ui.actor()
st.title("보고서 생성")
if not may(actor, reports.GENERATE):
    st.session_state.pop("report_files", None)  # never hand over a document made under another role
    st.info(
        "보고서를 만들 권한이 없습니다. 보고서에는 생년월일·내선번호 등 개인정보가 실리므로 기획조정실, 재무 담당, "
        "감사 담당만 만들고 내려받을 수 있습니다. 각 화면에서 현황을 볼 수 있습니다."
    )
    st.stop()
st.caption("보고서는 데이터베이스의 현재 자료로 만들어집니다. 자료를 고치면 다시 생성하십시오.")
kind = st.radio("보고서", list(KINDS), format_func=KINDS.__getitem__, key="report_kind")
formats = st.multiselect(
    "형식", list(FORMATS), default=list(FORMATS), format_func=FORMATS.__getitem__, key="report_formats"
)
if st.button("생성", key="report_build", type="primary", disabled=not formats):
    files = {}
    try:
        with st.status("보고서를 만드는 중…", expanded=True) as status:
            st.write("자료를 읽고 문서 구조를 만드는 중…")
            document = reports.build(ui.engine(), kind, actor=actor)
            for fmt in formats:
                st.write(f"{FORMATS[fmt]} 파일을 만드는 중… (도표 포함)")
                files[fmt] = (reports.file_name(kind, fmt, ctx.report_code), reports.render(document, fmt))
            status.update(label="보고서를 만들었습니다.", state="complete", expanded=False)
    except PermissionDeniedError:
        st.error("보고서를 만들 권한이 없습니다.")
    else:
        st.session_state["report_files"] = {"kind": kind, "files": files, "by": actor.username}

made = st.session_state.get("report_files")
if made and made["kind"] == kind and made.get("by") == actor.username:
    for fmt, (name, data) in made["files"].items():
        st.download_button(
            f"{FORMATS[fmt]} 내려받기 ({len(data) // 1024:,} KB)",
            data,
            file_name=name,
            mime=reports.MIME_TYPES[fmt],
            key=f"download_{fmt}",
        )
