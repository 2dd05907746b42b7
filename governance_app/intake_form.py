"""The template intake on a page: download the template, upload it filled, see every finding
before anything is saved, then save (``governance_app.intake``). One lazy expander per page, only
for the roles that may load the kind; its widgets rerun the section alone (a fragment)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from governance_app import intake, ui
from governance_app.core import clock, spreadsheet
from governance_app.core.auth import PermissionDeniedError
from governance_app.core.intake import IntakeRefusedError

TITLE = "양식으로 올리기 (엑셀)"
HELP = {
    "budget": "한 해의 본예산을 올립니다. 추경이면 변경일을 고르세요: 본예산과 각 추경이 날짜와 함께 보관되고, "
    "집행률은 기준일에 시행 중인 예산으로 계산합니다. 금액은 세입 항목과 세출 세부사업만 적습니다.",
    "calls": "통계 기간마다 채널별 상담 건수와 전화 실적을 올립니다: 지난해 마감(한 해 전체)과 올해 보고 기간.",
    "staffing": "기준일의 직급별 정원과 현원을 올립니다. 계와 과부족은 계산합니다.",
    "audit": "새 행정사무감사와 시의회가 보낸 요구사항을 올립니다. 항목은 검토중으로 시작합니다.",
}


def expander(kind: str) -> None:
    """The intake expander of ``kind`` for a user who may load it; nothing for other users."""
    actor = ui.actor()
    if not intake.may_load(actor, kind):
        return
    section = st.expander(TITLE, key=f"intake_{kind}_open", on_change="rerun")
    if section.open:
        with section:
            form(kind)


@st.fragment
def form(kind: str) -> None:
    ctx = ui.current()
    st.caption(HELP[kind])
    default = ctx.fiscal_year - 1 if kind == "audit" else ctx.fiscal_year
    year = int(
        st.number_input(
            "감사연도" if kind == "audit" else "회계연도",
            min_value=2000,
            max_value=2100,
            value=default,
            step=1,
            key=f"intake_{kind}_year",
        )
    )
    st.download_button(
        "양식 받기 (xlsx)",
        ui.cached(intake.template, kind, year),
        file_name=intake.file_name(kind, year),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"intake_{kind}_download",
    )
    options: dict[str, object] = {}
    if kind == "budget" and st.checkbox("추경 (변경일부터 시행)", key="intake_budget_supplement"):
        options["change_date"] = st.date_input(
            "변경일",
            value=date(year, 1, 1) if year != clock.today().year else clock.today(),
            min_value=date(year, 1, 1),
            max_value=date(year, 12, 31),
            format="YYYY.MM.DD",
            key="intake_budget_change_date",
        )
        options["label"] = st.text_input("추경 이름 (비우면 제N회 추경)", key="intake_budget_label") or None
    file = ui.file_upload(
        "채운 양식 (xlsx 또는 csv)",
        kinds=("xlsx", "csv"),
        max_bytes=spreadsheet.MAX_UPLOAD_BYTES,
        key=f"intake_{kind}_file",
    )
    if file is None:
        return
    if st.session_state.get(f"intake_{kind}_saved") == (file.file_id, repr(options)):
        st.success(ui.plain(f"{file.name}의 내용을 저장했습니다."))
        return
    data = file.getvalue()
    # checked once per file and options (the whole dataset is validated): kept for the reruns
    token = (file.file_id, repr(options), ui.revision())
    kept = st.session_state.get(f"intake_{kind}_draft")
    if kept is not None and kept[0] == token:
        draft = kept[1]
    else:
        with ui.db() as s:
            draft = intake.check(s, kind, data, file.name, **options)
        st.session_state[f"intake_{kind}_draft"] = (token, draft)
    if draft.errors:
        st.error(
            ui.plain(
                f"{file.name}: 오류 {len(draft.errors)}건이 있어 저장하지 않았습니다. 파일을 고쳐 다시 올려 주세요."
            )
        )
    for line in draft.summary:
        st.markdown(f"**{ui.markdown_text(line)}**")
    if draft.preview and not draft.errors:
        ui.table(draft.preview, key=f"intake_{kind}_preview")
    if draft.findings:
        ui.findings_table(draft.findings, key=f"intake_{kind}_findings")
    if not draft.ok:
        return
    if st.button("이 내용으로 저장", key=f"intake_{kind}_save", type="primary"):
        try:
            with ui.db() as s:
                intake.save(session=s, actor=ui.actor(), kind=kind, data=data, filename=file.name, **options)
        except IntakeRefusedError as exc:
            st.error(f"저장하지 않았습니다: 오류 {len(exc.draft.errors)}건")
            ui.findings_table(exc.draft.findings, key=f"intake_{kind}_refused")
            return
        except PermissionDeniedError:
            st.error("이 자료를 올릴 권한이 없습니다.")
            return
        ui.invalidate()
        st.session_state[f"intake_{kind}_saved"] = (file.file_id, repr(options))
        st.rerun()
