"""변경 이력: every change of a record, who made it and when, field by field (governance_app.core.changelog),
newest first and filtered by table and record key; and the verification of the log's hash chain.
Old values may be personal data: only roles with the "log.read" permission see the page."""

import re
from datetime import date, datetime
from typing import Any

import streamlit as st
from sqlmodel import SQLModel

from governance_app import quality, ui
from governance_app.core import changelog, clock, formatting
from governance_app.core.auth import PermissionDeniedError, require
from governance_app.core.i18n import PAGE_TITLES, ROLE_LABELS, TABLE_LABELS, field_label
from governance_app.core.settings import get_settings
from governance_app.naming import Names

ALL_TABLES = "(모든 표)"
LIMITS = (100, 200, 500, 1000)
SHOWN_CHARS = 80
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")
SEARCHED = max(LIMITS)  # the newest changes searched for a record named in words


def when(at: datetime) -> str:
    """'25. 9. 30. 14:05 in the foundation's time zone (settings.timezone): the log stores UTC."""
    local = clock.local(at)
    return f"{formatting.date_short(local.date())} {local:%H:%M}"


def shown(value: Any, table: str = "", field: str = "", names: Names | None = None) -> str:
    """A logged value as the screens write it: dates as 2025. 8. 2., yes/no, '(없음)', a code of
    another row by that row's name."""
    if value is None or value == "":
        return "(없음)"
    if names is not None and (named := names.value(table, field, value)):
        return named
    if field == "role" and value in ROLE_LABELS:  # an account's role by its Korean name
        return ROLE_LABELS[value]
    if isinstance(value, bool):
        return "예" if value else "아니요"
    text = str(value).replace("\n", " ")
    if ISO_DATE.fullmatch(text):
        return formatting.date_ko(date.fromisoformat(text))
    if ISO_TIME.fullmatch(text):  # a time stamp (an account's 만든 때): in the foundation's time zone
        return when(datetime.fromisoformat(text))
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def rows(changes: tuple[changelog.Change, ...], names: Names) -> list[dict[str, Any]]:
    return [row(c, names) for c in changes]


def row(change: changelog.Change, names: Names) -> dict[str, Any]:
    return {
        "번호": change.seq,
        "일시": when(change.at),
        "사용자": change.actor,
        "역할": ROLE_LABELS.get(change.role, change.role),
        "작업": changelog.ACTIONS.get(change.action, change.action),
        "표": TABLE_LABELS.get(change.table_name, change.table_name),
        "자료": names.describe(change.table_name, change.record_key),
        "바뀐 내용 (이전 → 이후)": "; ".join(
            f"{field_label(name, change.table_name)}: {shown(old, change.table_name, name, names)} → "
            f"{shown(new, change.table_name, name, names)}"
            for name, (old, new) in change.fields.items()
        ),
    }


def matching(
    changes: tuple[changelog.Change, ...], names: Names, typed: str, limit: int
) -> tuple[changelog.Change, ...]:
    """The changes whose record is named (or keyed) with ``typed``, the newest ``limit``."""
    return tuple(c for c in changes if typed in names.describe(c.table_name, c.record_key) or typed in c.record_key)[
        :limit
    ]


actor = ui.actor()
st.title(PAGE_TITLES["history"])
try:
    require(actor, "log.read")
except PermissionDeniedError:
    st.error(
        "변경 이력을 볼 권한이 없습니다. 변경 이력에는 바뀌기 전의 값(개인정보 포함)이 남아 있어 기획조정실·재무·감사·"
        "부서 담당자만 볼 수 있습니다."
    )
    st.stop()

st.caption(
    "자료를 바꾼 모든 저장(화면의 편집, 예산 집행 입력, 행정사무감사 처리, 가져오기)이 자료마다 한 줄로 "
    "남습니다: 누가, 언제, 어느 표의 어느 자료를, 항목별로 무엇에서 무엇으로 바꿨는지. 기록은 고치거나 지울 수 "
    "없고, 각 줄이 앞 줄의 해시를 담고 있어 누군가 데이터베이스에서 직접 바꾸면 아래 검증에서 드러납니다. "
    + (
        "일시는 한국 시간입니다."
        if get_settings().timezone == "Asia/Seoul"
        else "일시는 재단이 정한 시간대의 시간입니다."
    )
)

tables = sorted(
    (name for name in SQLModel.metadata.tables if name not in changelog.LOG_TABLES),
    key=lambda n: TABLE_LABELS.get(n, n),
)
filters = st.container(horizontal=True)  # one block, not one per column
table = filters.selectbox(
    "표", [ALL_TABLES, *tables], key="history_table", format_func=lambda n: TABLE_LABELS.get(n, n)
)
typed = filters.text_input("자료 (이름의 일부)", key="history_key", placeholder="예: 상담정보시스템 운영").strip()
limit = filters.selectbox("표시", LIMITS, index=0, format_func=lambda n: f"최근 {n}건", key="history_limit")
table_name = None if table == ALL_TABLES else table
names = ui.frozen(quality.record_names)

try:
    # read-only and shared (ui.frozen): the tables are built once per choice and data revision (ui.derived)
    if typed:  # a record named in words: searched among the newest changes
        found = ui.frozen(changelog.recent, actor, SEARCHED, table_name, None)
        changes = ui.derived(matching, found, names, typed, limit)
    else:
        changes = ui.frozen(changelog.recent, actor, limit, table_name, None)
    keys = {c.record_key for c in changes}
    key = next(iter(keys)) if table_name and typed and len(keys) == 1 else None
    record = ui.frozen(changelog.history, actor, table_name, key) if key else ()
except PermissionDeniedError:  # the role changed while the page was open
    st.error("변경 이력을 볼 권한이 없습니다.")
    st.stop()

if record:
    st.subheader(f"{names.where(table_name, key)}: 전체 이력 {len(record)}건 (오래된 순)")
    ui.table(ui.derived(rows, record, names), key="history_record")

# a heading and its note as one markdown element: Streamlit spends time per element on every run
if changes:
    st.markdown(f"#### 최근 변경\n\n:gray[{len(changes)}건, 최신 순 (번호는 검증 결과가 가리키는 항목 번호입니다)]")
    ui.table(ui.derived(rows, changes, names), key="history_recent")
else:
    st.markdown("#### 최근 변경")
    st.info("조건에 맞는 변경 이력이 없습니다.")

st.markdown(
    "#### 해시 체인 검증\n\n:gray[모든 항목의 해시를 처음부터 다시 계산해 기록이 바뀌거나, 빠지거나, 순서가 바뀌지 "
    "않았는지 확인합니다.]"
)
if st.button("해시 체인 검증", key="history_verify"):
    # never cached: the check is for changes made outside this application
    with ui.db() as s:
        result = changelog.verify(s)
    if result.intact:
        st.success(
            f"해시 체인이 온전합니다: 항목 {result.entries:,}건, 마지막 {result.head_seq}번 "
            f"(해시 {result.head_hash[:16]}…)."
        )
    else:
        st.error(
            f"변경 이력이 훼손되었습니다: 문제 {len(result.problems)}건 (항목 {result.entries:,}건 검사)\n\n"
            + "\n".join(f"- {ui.markdown_cell(problem)}" for problem in result.problems)
        )
