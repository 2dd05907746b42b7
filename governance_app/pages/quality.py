"""자료 검증: every finding on the stored data (those printed in the report apart from those later
changes brought) and, for the planning office only, the register of values restored from the
report's text."""

import streamlit as st

from governance_app import quality, ui
from governance_app.core.i18n import field_label
from governance_app.correction_reasons import reason_ko

ctx = ui.current()
actor = ui.actor()
st.title("자료 검증·정정 이력")
# both withhold personal values (birth dates, names with extensions) from roles that may not see them;
# read-only and shared (ui.frozen), so the tables below are built once per data revision (ui.derived)
review = ui.frozen(quality.review, actor=actor)
names = ui.frozen(quality.record_names)

st.markdown(
    f"#### 보고서에 인쇄된 불일치 {len(review.printed)}건\n\n"
    ":gray[보고서에 적힌 합계·비율을 세부 자료로 다시 계산한 결과입니다. 불일치는 원문 그대로 보관하고 여기에 "
    "표시합니다.]"
)
ui.findings_table(review.printed, names=names, key="quality_findings")
st.markdown(f"#### 보고서 이후 변경으로 생긴 차이 {len(review.since)}건")
if review.since:
    ui.findings_table(review.since, names=names, key="quality_changes")
else:
    st.caption("보고서 이후 바뀐 자료로 생긴 차이가 없습니다.")

# how the seed was restored from the report's text concerns whoever keeps the data: the planning office
if actor.role == "planning":
    corrections = ui.frozen(quality.corrections, ctx.org_id, actor=actor)
    st.markdown(
        f"#### 원문 복원 기록 ({len(corrections)}건)\n\n"
        ":gray[보고서 파일에서 글자를 옮기며 깨진 값을 문서 자체의 계산과 문맥으로 되살린 기록입니다.]"
    )
    METHOD = {"arithmetic": "계산", "layout": "표 구조", "context": "문맥", "typo": "오탈자"}
    NOT_PRINTED = "(인쇄되지 않음)"  # the seed writes "(not printed)" where the report prints nothing

    def correction_rows(corrections: tuple, names: object) -> list[dict]:
        return [
            {
                "번호": c.seq,
                "위치": names.where(c.table_name, c.row_key),  # type: ignore[attr-defined]
                "항목": field_label(c.field, c.table_name),
                "추출값": NOT_PRINTED if c.extracted in (None, "", "(not printed)") else c.extracted,
                "복원값": c.restored or "(복원 불가)",
                "방법": METHOD.get(c.method, c.method),
                "사유": reason_ko(c.reason),  # the seed writes reasons in English
            }
            for c in corrections
        ]

    ui.table(ui.derived(correction_rows, corrections, names), key="corrections")
