"""자료 편집: one dataset table at a time, shown as the cells of its CSV file and saved under the
same checks as an import (governance_app.editing): an edit with any error is refused with every
finding and nothing is saved; one save is one transaction.

Until a table is chosen the page lists the tables the user may edit (a user comes to edit one
table, not the first in load order), so opening the page loads no table and builds no editor."""

import re

import pandas as pd
import streamlit as st

from governance_app import editing, quality, ui
from governance_app.core.auth import PermissionDeniedError
from governance_app.core.findings import Finding
from governance_app.core.i18n import TABLE_LABELS, field_label
from governance_app.core.submitted import RoundSubmittedError


def korean(name: str) -> str:
    """A table by its Korean name (i18n.TABLE_LABELS), never its file name."""
    return TABLE_LABELS.get(name, name)


def table_list(tables: tuple[str, ...]) -> list[dict]:
    return [
        {
            "표": TABLE_LABELS.get(n, n),
            "이름(CSV 파일)": n,
            "행을 구분하는 키": ", ".join(editing.spec_of(n).key),
            "개인정보 열": ", ".join(editing.personal_columns(n)),
        }
        for n in tables
    ]


# "budget_amount.csv 15행 amount: 정수가 아닙니다": the file, the line and the column as the parser names them
_PARSED = re.compile(r"^\S+\.csv (?P<line>\d+행) (?P<field>[^:]+): (?P<problem>.*)$", re.DOTALL)


def finding_line(f: Finding) -> str:
    """A refusal in words: '연도별 예산액 15행 금액: 정수가 아닙니다' (table and column by their Korean names)."""
    table = TABLE_LABELS.get(f.table, f.table)
    parsed = _PARSED.match(f.message)
    if parsed:
        return f"{table} {parsed['line']} {field_label(parsed['field'], f.table)}: {parsed['problem']}"
    return f"{table} · {field_label(f.field, f.table)}: {f.message}"


def finding_lines(findings: list[Finding]) -> str:
    return "\n".join(f"- {ui.markdown_cell(finding_line(f))}" for f in findings)


actor = ui.actor()
st.title("자료 편집")
tables = editing.editable_tables(actor)
if tables:
    st.caption(
        "자주 하는 일은 각 화면의 입력란에서 합니다: 이사회(임원 선임·연임·퇴임), 주요업무(항목·추진계획 편집, "
        "추진 실적), ESG(활동·프로그램·실적). 이 화면은 표를 CSV 모양 그대로 고치는 전문가용 도구입니다."
    )
st.caption(
    "표 하나를 CSV 파일과 같은 모양으로 고칩니다. 금액은 천원 단위 정수, 날짜는 2025-08-02, 참·거짓은 true·false로 "
    "적고, 빈 칸은 빈 값입니다. 저장하면 자료 가져오기와 똑같이 자료 전체를 검사하며, 오류가 하나라도 있으면 "
    "아무것도 저장하지 않습니다. 합계·비율이 맞지 않는 불일치는 저장을 막지 않고 알려 드립니다."
    + (
        "  \n행정사무감사 표는 상태 변경 이력과 확인 규칙을 지키도록 행정사무감사 화면에서만 바꿉니다."
        if tables
        else ""
    )
)

withheld = editing.withheld_tables(actor)
if withheld:
    st.info(
        "개인정보 열이 있는 표("
        + ", ".join(TABLE_LABELS.get(n, n) for n in withheld)
        + ")는 개인정보를 볼 수 있는 역할만 편집할 수 있어 목록에 없습니다. "
        "이 역할에게는 다른 화면에서도 개인정보 열이 보이지 않습니다."
    )

if not tables:
    st.info(
        "자료를 편집할 권한이 없습니다. 표 편집은 기획조정실의 전문가용 도구입니다. "
        "이 화면의 표는 각 화면에서 볼 수 있습니다."
        + (" 재무 담당은 예산 화면에서 집행 현황을 기록하고 예산 파일을 올립니다." if actor.role == "finance" else "")
        + (
            " 부서 사용자는 자기 부서의 항목을 행정사무감사 화면(추진내용·진행 메모·증빙)과 주요업무 화면"
            "(추진 실적)에서 수정합니다."
            if actor.role == "department"
            else ""
        )
    )
else:
    flash = st.session_state.pop("edit_flash", None)
    if flash:
        message, new_warnings, remaining = flash
        st.success(ui.plain(message))
        if new_warnings:
            st.warning(f"이 수정으로 생긴 불일치 {len(new_warnings)}건 (저장은 되었습니다)")
            ui.findings_table(new_warnings, names=ui.frozen(quality.record_names), key="edit_warnings")
        st.caption(f"저장 후 남은 불일치는 모두 {remaining}건입니다 (자료 검증 화면에서 볼 수 있습니다).")

    name = st.selectbox(
        "편집할 표",
        tables,
        index=None,
        format_func=lambda n: TABLE_LABELS.get(n, n),
        key="edit_table",
        placeholder="편집할 표를 고르세요",
    )
    if name is None:
        st.caption(f"편집할 수 있는 표 {len(tables)}개")
        ui.table(ui.derived(table_list, tuple(tables)), key="edit_tables")
        st.stop()
    loaded = st.session_state.get("edit_loaded")
    if loaded is None or loaded["table"] != name:
        # a fresh copy of the table: the editor starts from it and the save checks it is still current
        with ui.db() as s:
            columns, rows = editing.table_rows(s, name)
        # the editor's starting frame too, made once (st.data_editor copies what it is given)
        frame = pd.DataFrame(rows, columns=columns, dtype=object)
        loaded = {"table": name, "columns": columns, "rows": rows, "frame": frame}
        st.session_state["edit_loaded"] = loaded
        st.session_state.pop("edit_editor", None)

    personal = editing.personal_columns(name)
    if personal:
        st.caption(
            f"개인정보 열({', '.join(personal)})이 있는 표입니다. 개인정보를 볼 수 없는 역할에게는 이 열이 "
            "보이지 않고, 그 역할은 이 표를 편집할 수 없습니다."
        )
    key = ", ".join(editing.spec_of(name).key)
    st.caption(
        f"{len(loaded['rows'])}행 · 행을 구분하는 키: {key}. 키를 고치면 그 행을 지우고 새 행을 추가한 것으로 "
        "저장하므로 표의 끝으로 옮겨집니다. 새 행은 표 아래 +로 추가되어 끝에 저장되고, 행을 골라 삭제할 수 "
        "있습니다. 오류의 'N행'은 CSV 파일처럼 머리글을 1행으로 센 번호입니다 (표의 첫 줄이 2행)."
    )
    edited = st.data_editor(
        loaded["frame"],
        key="edit_editor",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={c: st.column_config.TextColumn(c) for c in loaded["columns"]},
    )
    buttons = st.container(horizontal=True)
    save = buttons.button("저장", key="edit_save", type="primary")
    if buttons.button("고친 내용을 버리고 다시 불러오기", key="edit_reload"):
        st.session_state.pop("edit_loaded", None)
        st.session_state.pop("edit_editor", None)
        st.rerun()
    if save:
        try:
            with ui.db() as s:
                result = editing.apply_edit(
                    session=s,
                    actor=actor,
                    table_name=name,
                    edited=edited.to_dict("records"),
                    expected=loaded["rows"],
                )
        except editing.EditRefusedError as exc:
            st.error(
                f"저장하지 않았습니다: 오류 {len(exc.errors)}건. 고친 뒤 다시 저장해 주세요.\n\n"
                + finding_lines(exc.errors)
            )
        except editing.EditConflictError as exc:
            st.error(
                "불러온 뒤에 다른 사용자가 이 표를 바꿨으므로 저장하지 않았습니다. 지금 저장된 내용은 아래와 "
                "같습니다. '다시 불러오기'를 누른 뒤 다시 고쳐 주세요."
            )
            ui.table(exc.current, key="edit_current")
        except PermissionDeniedError:
            st.error("이 표를 편집할 권한이 없습니다.")
        except RoundSubmittedError as exc:
            st.error(ui.plain(f"저장하지 않았습니다: {exc}"))
        else:
            if result.changed:
                message = (
                    f"{TABLE_LABELS.get(name, name)}: {result.updated}행 수정, {result.inserted}행 추가, "
                    f"{result.deleted}행 삭제를 저장했습니다."
                )
            else:
                message = f"{TABLE_LABELS.get(name, name)}: 바뀐 내용이 없습니다."
            st.session_state["edit_flash"] = (message, result.new_warnings, len(result.warnings))
            st.session_state.pop("edit_loaded", None)
            st.session_state.pop("edit_editor", None)
            st.rerun()
