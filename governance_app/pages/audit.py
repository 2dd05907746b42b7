"""행정사무감사: the 총괄 table (computed beside reported), the items with filters and follow-up
flags, and one item's record (status history, progress notes, evidence, sign-offs) with the
forms that change it. Every read and change goes through audit_followup.service."""

from datetime import date

import streamlit as st

from audit_followup import evidence as files
from audit_followup import service as audit
from audit_followup.models import CATEGORIES, STATUSES
from audit_followup.workflow import OPEN_STATUSES, SIGNABLE_STATUSES, STALE_AFTER_DAYS
from governance_app import formatting as fmt
from governance_app import ui
from governance_app.auth import PermissionDeniedError

ctx = ui.current()
actor = ui.actor()
session_code = ctx.audit_session_code
with ui.db() as s:
    session_row = audit.audit_session(s, ctx.org_id, session_code)
    cells = audit.summary(s, ctx.org_id, session_code)
title = session_row.name if session_row else session_code
st.title(f"{title} 처리결과")
if session_row:
    st.caption(f"{session_row.committee} · {session_row.audited_body}")

st.subheader("총괄")
st.caption("각 칸은 개별 항목의 현재 추진상황으로 집계한 값이며, 보고된 총괄표와 다르면 괄호 안에 보고값을 적습니다.")
mismatches = [c for c in cells if not c.matches]
if mismatches:
    st.error(
        "보고된 총괄표가 개별 항목과 다릅니다: "
        + "; ".join(f"{c.category}·{c.status} 보고 {c.reported or 0} / 항목 {c.computed}" for c in mismatches)
    )
statuses = ["계", *STATUSES]
ui.table(
    [
        {
            "구분": category,
            **{
                status: f"{cell.computed}" + ("" if cell.matches else f" (보고 {cell.reported or 0})")
                for status in statuses
                for cell in [next(c for c in cells if c.category == category and c.status == status)]
            },
        }
        for category in ["계", *CATEGORIES]
    ],
    key="audit_summary",
)

st.subheader("처리요구사항")
f1, f2, f3, f4 = st.columns(4)
category = f1.selectbox("구분", ["전체", *CATEGORIES], key="audit_category")
status = f2.selectbox("추진상황", ["전체", *STATUSES], key="audit_status")
with ui.db() as s:
    all_items = audit.items(s, ctx.org_id, session_code)
departments = sorted({i.department for i in all_items if i.department})
department = f3.selectbox("부서", ["전체", *departments], key="audit_department")
on = f4.date_input("기준일", value=date.today(), key="audit_on", format="YYYY-MM-DD")
with ui.db() as s:
    chosen = audit.items(
        s,
        ctx.org_id,
        session_code,
        category=None if category == "전체" else category,
        status=None if status == "전체" else status,
        department=None if department == "전체" else department,
    )
    follow = audit.follow_ups(s, ctx.org_id, session_code, on)
st.write(f"{len(chosen)}건")
st.caption(
    f"{'·'.join(OPEN_STATUSES)} 항목 중 기준일({fmt.date_ko(on)})에 기한이 지난 항목은 '기한 경과', 마지막 갱신"
    f"(상태 변경·진행 메모·증빙, 없으면 보고일) 후 {STALE_AFTER_DAYS}일이 넘은 항목은 '장기 미갱신'으로 표시합니다."
)
flagged = [follow[i.code] for i in chosen if follow[i.code].flags]
if flagged:
    st.warning("확인이 필요한 항목: " + ", ".join(f"{f.code} ({'·'.join(f.flags)})" for f in flagged))
ui.table(
    [
        {
            "번호": i.code,
            "구분": i.category,
            "요구사항": i.request,
            "부서": i.department or "-",
            "추진상황": i.status,
            "조치일": fmt.date_short(i.action_date, month_only=i.action_date_is_month),
            "기한": fmt.date_short(i.due_date),
            "최근 갱신": fmt.date_short(follow[i.code].last_update),
            "표시": " · ".join(follow[i.code].flags),
            "감사 확인": fmt.date_short(follow[i.code].signoff.signed_on) if follow[i.code].signoff else "",
        }
        for i in chosen
    ],
    key="audit_items",
)

if not chosen:
    st.info("조건에 맞는 항목이 없습니다.")
    st.stop()

labels = {i.code: f"{i.code} {i.request[:50]}" for i in chosen}
item_code = st.selectbox("항목 상세", list(labels), format_func=labels.__getitem__, key="audit_item")
with ui.db() as s:
    detail = audit.item_detail(s, ctx.org_id, session_code, item_code, on)
if detail is None:  # removed by an import meanwhile
    st.stop()
item = detail.item
fu = detail.follow_up


def key(name: str) -> str:
    """Widget keys per item, so text typed for one item never carries over to another."""
    return f"audit_{name}_{item.code}"


def saved(message: str) -> None:
    st.session_state["audit_flash"] = message
    st.rerun()


st.subheader(f"{item.code} {item.category}")
flash = st.session_state.pop("audit_flash", None)
if flash:
    st.success(flash)
st.markdown(f"**요구사항** {item.request}")
st.markdown(
    f"**부서** {item.department or '-'} · **추진상황** {item.status} · **기한** {fmt.date_ko(item.due_date) or '없음'}"
    f" · **최근 갱신** {fmt.date_ko(fu.last_update) or '-'}"
)
st.caption(f"보고 당시({fmt.date_ko(detail.reported_on)}) 추진상황: {detail.reported_status}")
if fu.flags:
    st.warning(
        f"{' · '.join(fu.flags)} ({fmt.date_ko(on)} 기준; 기한 {fmt.date_ko(fu.due_date) or '없음'}, "
        f"마지막 갱신 후 {fu.days_since_update}일)"
    )
if fu.signoff:
    st.success(f"감사 확인: {fu.signoff.status} ({fu.signoff.signed_by}, {fmt.date_ko(fu.signoff.signed_on)})")
if item.actions:
    st.markdown("**조치결과**")
    st.text(item.actions)
if item.plan:
    st.markdown("**향후계획**")
    st.text(item.plan)

st.markdown("**상태 변경 이력**")
if detail.changes:
    ui.table(
        [
            {
                "순번": str(c.seq),
                "변경일": fmt.date_short(c.changed_on),
                "이전": c.from_status,
                "변경": c.to_status,
                "사유": c.reason or "",
                "기록자": c.changed_by,
            }
            for c in detail.changes
        ],
        key="audit_history",
    )
else:
    st.caption("기록된 상태 변경이 없습니다 (보고 당시 상태 그대로).")

st.markdown("**진행 메모**")
if detail.notes:
    ui.table(
        [{"기준일": fmt.date_short(n.as_of), "내용": n.text, "작성자": n.author} for n in detail.notes],
        key="audit_notes",
    )
else:
    st.caption("진행 메모가 없습니다.")

st.markdown("**증빙 자료**")
if not detail.evidence:
    st.caption("첨부된 증빙이 없습니다.")


def _download(seq: int) -> bytes:
    with ui.db() as s:
        return audit.evidence_file(s, ctx.org_id, session_code, item.code, seq).data


for e in detail.evidence:
    left, right = st.columns([4, 1])
    left.markdown(
        f"**{e.file_name}** ({fmt.count(e.size)}바이트) · {e.uploaded_by}, {fmt.date_short(e.uploaded_on)}  \n"
        f"SHA-256 `{e.sha256}`"
    )
    right.download_button(
        "내려받기",
        data=lambda seq=e.seq: _download(seq),
        file_name=e.file_name,
        mime=e.media_type,
        key=f"audit_download_{item.code}_{e.seq}",
        on_click="ignore",
    )

st.markdown("**감사 확인 이력**")
if detail.signoffs:
    ui.table(
        [
            {
                "순번": str(x.seq),
                "확인한 상태": x.status,
                "확인자": x.signed_by,
                "확인일": fmt.date_short(x.signed_on),
                "효력": "유효" if x.holds else "무효 (이후 상태 변경)",
            }
            for x in detail.signoffs
        ],
        key="audit_signoffs",
    )
else:
    st.caption("감사 확인이 없습니다.")

# --- changes -------------------------------------------------------------------------------
# The status the user was shown: a change made by someone else in between is a conflict.
seen_key = key("seen_status")
expected = st.session_state.get(seen_key, item.status)
st.session_state[seen_key] = item.status
may_update = audit.may_update(actor, item)
UPDATERS_ONLY = "기획조정실과 이 항목의 담당 부서만 바꿀 수 있습니다."

status_tab, note_tab, evidence_tab, due_tab, signoff_tab = st.tabs(
    ["추진상황 변경", "진행 메모 추가", "증빙 첨부", "기한", "감사 확인"]
)

with status_tab:
    if not may_update:
        st.caption(UPDATERS_ONLY)
    else:
        with st.form(key("status_form")):
            to_status = st.selectbox(
                "변경할 상태",
                list(detail.next_statuses),
                format_func=lambda x: f"{x} (사유 필수)" if detail.reason_required[x] else x,
                key=key("to_status"),
            )
            changed_on = st.date_input(
                "변경일", value=date.today(), max_value=date.today(), key=key("changed_on"), format="YYYY-MM-DD"
            )
            reason = st.text_area("사유", key=key("reason"), help="미반영과 되돌리는 변경에는 반드시 적습니다.")
            if st.form_submit_button("상태 변경", key=key("status_submit")):
                try:
                    with ui.db() as s:
                        audit.change_status(
                            session=s,
                            actor=actor,
                            org_id=ctx.org_id,
                            session_code=session_code,
                            item_code=item.code,
                            expected_status=expected,
                            to_status=to_status,
                            changed_on=changed_on,
                            reason=reason,
                        )
                except (audit.FollowUpError, PermissionDeniedError) as exc:
                    st.error(str(exc))
                else:
                    st.session_state.pop(key("reason"), None)
                    saved(f"{item.code} 추진상황을 {expected} → {to_status}(으)로 변경했습니다.")

with note_tab:
    if not may_update:
        st.caption(UPDATERS_ONLY)
    else:
        with st.form(key("note_form")):
            as_of = st.date_input("기준일", value=date.today(), key=key("note_as_of"), format="YYYY-MM-DD")
            text = st.text_area("내용", key=key("note_text"))
            if st.form_submit_button("메모 저장", key=key("note_submit")):
                try:
                    with ui.db() as s:
                        audit.add_note(
                            session=s,
                            actor=actor,
                            org_id=ctx.org_id,
                            session_code=session_code,
                            item_code=item.code,
                            as_of=as_of,
                            text=text,
                        )
                except (audit.FollowUpError, PermissionDeniedError) as exc:
                    st.error(str(exc))
                else:
                    st.session_state.pop(key("note_text"), None)
                    saved(f"{item.code} 진행 메모를 저장했습니다.")

with evidence_tab:
    if not may_update:
        st.caption(UPDATERS_ONLY)
    else:
        with st.form(key("evidence_form"), clear_on_submit=True):
            upload = st.file_uploader(
                f"{', '.join(files.EXTENSIONS)} 파일, {files.MAX_MB}MB 이하",
                type=list(files.EXTENSIONS),
                max_upload_size=files.MAX_MB,
                key=key("evidence_file"),
                help="파일은 SHA-256 체크섬과 함께 데이터베이스에 저장되고, 내려받을 때 체크섬을 다시 확인합니다.",
            )
            if st.form_submit_button("첨부", key=key("evidence_submit")):
                if upload is None:
                    st.error("첨부할 파일을 고르세요.")
                else:
                    try:
                        with ui.db() as s:
                            added = audit.add_evidence(
                                session=s,
                                actor=actor,
                                org_id=ctx.org_id,
                                session_code=session_code,
                                item_code=item.code,
                                file_name=upload.name,
                                data=upload.getvalue(),
                            )
                    except (audit.FollowUpError, PermissionDeniedError) as exc:
                        st.error(str(exc))
                    else:
                        saved(f"{item.code} 증빙 {added.file_name}을(를) 첨부했습니다 (SHA-256 {added.sha256}).")

with due_tab:
    if not audit.may_set_due_date(actor):
        st.caption("기한은 기획조정실이 정합니다.")
    else:
        with st.form(key("due_form")):
            due = st.date_input("기한", value=item.due_date, key=key("due_date"), format="YYYY-MM-DD")
            no_due = st.checkbox("기한 없음", value=item.due_date is None, key=key("no_due"))
            if st.form_submit_button("기한 저장", key=key("due_submit")):
                try:
                    with ui.db() as s:
                        audit.set_due_date(
                            session=s,
                            actor=actor,
                            org_id=ctx.org_id,
                            session_code=session_code,
                            item_code=item.code,
                            due_date=None if no_due else due,
                        )
                except (audit.FollowUpError, PermissionDeniedError) as exc:
                    st.error(str(exc))
                else:
                    saved(f"{item.code} 기한을 {fmt.date_ko(None if no_due else due) or '없음'}(으)로 정했습니다.")

with signoff_tab:
    if not audit.may_sign_off(actor):
        st.caption("감사 확인은 감사(auditor) 역할만 할 수 있습니다.")
    elif item.status not in SIGNABLE_STATUSES:
        st.caption(f"{'·'.join(SIGNABLE_STATUSES)} 항목만 확인할 수 있습니다 (현재 {item.status}).")
    elif fu.signoff:
        st.caption("현재 상태는 이미 확인되었습니다.")
    else:
        with st.form(key("signoff_form")):
            st.write(f"{item.code}의 추진상황 '{item.status}'을(를) 확인합니다.")
            if st.form_submit_button("감사 확인", key=key("signoff_submit")):
                try:
                    with ui.db() as s:
                        audit.sign_off(
                            session=s,
                            actor=actor,
                            org_id=ctx.org_id,
                            session_code=session_code,
                            item_code=item.code,
                            expected_status=expected,
                        )
                except (audit.FollowUpError, PermissionDeniedError) as exc:
                    st.error(str(exc))
                else:
                    saved(f"{item.code} 추진상황 '{item.status}'을(를) 확인했습니다.")
