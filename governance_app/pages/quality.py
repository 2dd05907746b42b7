"""자료 검증: every finding on the stored data and the register of restored values."""

import streamlit as st

from governance_app import quality, ui

ctx = ui.current()
actor = ui.actor()
st.title("자료 검증·정정 이력")
# both withhold personal values (birth dates, names with extensions) from roles that may not see them;
# read-only and shared (ui.frozen), so the tables below are built once per data revision (ui.derived)
findings = ui.frozen(quality.findings, actor=actor)
corrections = ui.frozen(quality.corrections, ctx.org_id, actor=actor)

st.subheader("검증 결과")
st.caption(
    "보고서에 적힌 합계·비율을 세부 자료로 다시 계산한 결과입니다. 불일치는 원문 그대로 보관하고 여기에 표시합니다."
)
ui.findings_table(findings, key="quality_findings")

st.subheader(f"원문 복원 기록 ({len(corrections)}건)")
st.caption("PDF 텍스트 추출 과정에서 깨진 값을 문서 자체의 계산과 문맥으로 복원한 기록입니다.")
METHOD = {"arithmetic": "계산", "layout": "표 구조", "context": "문맥", "typo": "오탈자"}


def correction_rows(corrections: tuple) -> list[dict]:
    return [
        {
            "번호": c.seq,
            "표": c.table_name,
            "행": c.row_key,
            "항목": c.field,
            "추출값": c.extracted or "",
            "복원값": c.restored or "(복원 불가)",
            "방법": METHOD.get(c.method, c.method),
            "사유": c.reason,
        }
        for c in corrections
    ]


ui.table(ui.derived(correction_rows, corrections), key="corrections")
