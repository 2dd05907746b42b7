"""Audit follow-up queries and changes.

Reads: the items, the 총괄 table computed beside the reported one, where each item's follow-up
stands on a chosen date (overdue, stale, signed off) and an item's full record.

Changes (``change_status``, ``add_note``, ``add_evidence``, ``sign_off``, ``request_rework``,
``set_due_date``) take
``session=`` and ``actor=``, check the permission (``governance_app.core.auth.require``; a department
user may change only its own department's items), validate everything first and write in one
transaction. A refused change raises ``RefusedError`` naming the item and the field and leaves
the database unchanged. Concurrent edits: a status change passes the status the user saw
(``expected_status``), a text edit (``update_item``) the item's version the user saw; both get a
``ConflictError`` with the values now stored when someone else saved first. The item row's
version column (``OrgRecord.version``) makes the second of two racing UPDATEs match nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import defer
from sqlmodel import Session, col

from audit_followup import evidence, workflow
from audit_followup.models import (
    CATEGORIES,
    STATUSES,
    AuditEvidence,
    AuditItem,
    AuditProgressNote,
    AuditSession,
    AuditSignoff,
    AuditStatusChange,
    AuditSummaryReported,
)
from audit_followup.schemas import TOTAL, summary_from_items
from governance_app.core import changelog, clock, conflicts
from governance_app.core.auth import Actor, may, require
from governance_app.core.errors import ConflictError, ItemPermissionError, RefusedError
from governance_app.core.formatting import date_ko
from governance_app.core.i18n import ROLE_LABELS, josa
from governance_app.core.models import Report
from governance_app.core.queries import fetch

UPDATE, SIGNOFF, DUE_DATE = "audit.update", "audit.signoff", "audit.due_date"
LOG_READ = "log.read"
ITEM_TABLE = "audit_item"  # the change log's table name of AuditItem

FIELD_LABELS = {
    "code": "번호",
    "status": "추진상황",
    "to_status": "변경할 상태",
    "reason": "사유",
    "changed_on": "변경일",
    "as_of": "기준일",
    "text": "진행 메모",
    "file_name": "파일 이름",
    "media_type": "파일 형식",
    "size": "파일 크기",
    "content": "파일 내용",
    "sha256": "체크섬",
    "due_date": "기한",
    "department": "부서",
    "request": "요구사항",
    "actions": "추진내용",
    "plan": "향후계획",
    "action_date": "조치일",
    "version": "버전",
    "evidence": "증빙 자료",
    "comment": "의견",
    "returned": "보완 요구",
}
# update_item: what each role may rewrite. A department updates its actions and progress;
# the request itself and who owns it change only with the planning office.
ITEM_TEXT_FIELDS = ("request", "department", "actions", "plan", "action_date")
DEPARTMENT_TEXT_FIELDS = ("actions", "plan", "action_date")


def _refused(item_code: str, field: str, message: str) -> RefusedError:
    """A refusal naming the item and the field's label."""
    return RefusedError(item_code, field, message, label=FIELD_LABELS.get(field, field))


def _conflict(
    item_code: str, field: str, expected: str, current: str, current_values: dict[str, Any] | None = None
) -> ConflictError:
    """Someone changed the item since the user loaded it; ``current`` is the value now stored."""
    return ConflictError(
        item_code,
        field,
        f"다른 사용자가 먼저 변경했습니다 (화면의 값 {expected}, 현재 값 {current})",
        label=FIELD_LABELS.get(field, field),
        expected=expected,
        current=current,
        current_values=current_values,
    )


# --- reads -------------------------------------------------------------------------------


def audit_session(session: Session, org_id: int, code: str) -> AuditSession | None:
    found = fetch(session, AuditSession, org_id, AuditSession.code == code)
    return found[0] if found else None


def items(
    session: Session,
    org_id: int,
    session_code: str,
    *,
    category: str | None = None,
    status: str | None = None,
    department: str | None = None,
) -> list[AuditItem]:
    conditions = [AuditItem.session_code == session_code]
    if category:
        conditions.append(AuditItem.category == category)
    if status:
        conditions.append(AuditItem.status == status)
    if department:
        conditions.append(AuditItem.department == department)
    return sorted(fetch(session, AuditItem, org_id, *conditions), key=lambda i: i.seq)


def departments(session: Session, org_id: int, session_code: str) -> list[str]:
    """The departments owning the session's items, by name."""
    return sorted({i.department for i in items(session, org_id, session_code) if i.department})


def item(session: Session, org_id: int, session_code: str, code: str) -> AuditItem | None:
    found = fetch(session, AuditItem, org_id, AuditItem.session_code == session_code, AuditItem.code == code)
    return found[0] if found else None


@dataclass(frozen=True)
class SummaryCell:
    category: str
    status: str
    computed: int
    reported: int | None  # None where the printed cell is empty

    @property
    def matches(self) -> bool:
        return (self.reported or 0) == self.computed


def summary(session: Session, org_id: int, session_code: str) -> list[SummaryCell]:
    """총괄: every (category, status) cell, computed from the items and as printed."""
    computed = summary_from_items([i.model_dump() for i in items(session, org_id, session_code)])
    reported = {
        (c.category, c.status): c.count
        for c in fetch(session, AuditSummaryReported, org_id, AuditSummaryReported.session_code == session_code)
    }
    return [
        SummaryCell(category, status, computed[(category, status)], reported.get((category, status)))
        for category in (TOTAL, *CATEGORIES)
        for status in (TOTAL, *STATUSES)
    ]


def status_counts(session: Session, org_id: int, session_code: str) -> dict[str, int]:
    cells = summary(session, org_id, session_code)
    return {c.status: c.computed for c in cells if c.category == TOTAL}


@dataclass(frozen=True)
class Signoff:
    seq: int
    status: str
    status_change_seq: int | None
    signed_by: str
    signed_on: date
    holds: bool  # False once the item's status changed after it
    comment: str | None = None
    without_evidence: bool = False  # given although the item had no evidence file


@dataclass(frozen=True)
class FollowUp:
    """Where an item's follow-up stands on a chosen date."""

    code: str
    status: str
    due_date: date | None
    last_update: date | None  # latest status change, progress note or upload; else the report date
    days_since_update: int | None
    overdue: bool
    stale: bool
    signoff: Signoff | None  # the sign-off that holds, if any
    returned: bool = False  # sent back by the auditor (보완 요구) and not closed again
    evidence_count: int = 0

    @property
    def flags(self) -> list[str]:
        """The follow-up flags of open items (기한 경과, 장기 미갱신)."""
        return [label for label, on in ((workflow.OVERDUE, self.overdue), (workflow.STALE, self.stale)) if on]

    @property
    def awaiting_signoff(self) -> bool:
        return workflow.awaits_signoff(self.status, self.signoff is not None)

    @property
    def marks(self) -> list[str]:
        """The item list's 표시 column: the flags, 확인 대기 and 보완 요구."""
        return workflow.marks(
            overdue=self.overdue, stale=self.stale, awaiting=self.awaiting_signoff, returned=self.returned
        )


@dataclass(frozen=True)
class EvidenceInfo:
    """An attachment without its bytes (those are read on download: ``evidence_file``)."""

    seq: int
    file_name: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_on: date


@dataclass(frozen=True)
class EvidenceFile:
    file_name: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class ItemDetail:
    item: AuditItem
    follow_up: FollowUp
    reported_status: str  # the status as reported (before the first recorded change)
    reported_on: date | None  # the date of the report round that reported it
    changes: list[AuditStatusChange]
    notes: list[AuditProgressNote]  # by as-of date
    evidence: list[EvidenceInfo]
    signoffs: list[Signoff]
    next_statuses: tuple[str, ...]
    reason_required: dict[str, bool]  # next status -> whether it needs a written reason


def report_date(session: Session, org_id: int, session_code: str) -> date | None:
    """The date of the latest report round that reported this audit session's items."""
    dates = [r.report_date for r in fetch(session, Report, org_id, Report.audit_session_code == session_code)]
    return max(dates) if dates else None


def _grouped(session: Session, model: Any, org_id: int, session_code: str, *conditions: Any) -> dict[str, list[Any]]:
    """A follow-up table's rows of one audit session by item, in recorded order."""
    query = select(model).where(model.org_id == org_id, model.session_code == session_code, *conditions)
    if model is AuditEvidence:  # metadata only: the bytes are read on download
        query = query.options(defer(AuditEvidence.content))  # type: ignore[arg-type]  # SQLModel types the attribute as bytes
    rows = session.exec(query.order_by(model.seq, model.id)).scalars().all()  # type: ignore[call-overload]  # sqlmodel's Session.exec is typed for sqlmodel.select only; this is SQLAlchemy's
    out: dict[str, list[Any]] = {}
    for row in rows:
        out.setdefault(row.item_code, []).append(row)
    return out


def _history(session: Session, model: Any, org_id: int, session_code: str, item_code: str) -> list[Any]:
    """One item's rows of a follow-up table, in recorded order."""
    return sorted(
        fetch(session, model, org_id, model.session_code == session_code, model.item_code == item_code),
        key=lambda r: r.seq,
    )


def _signoffs(rows: list[AuditSignoff], status: str, changes: list[AuditStatusChange]) -> list[Signoff]:
    latest = changes[-1].seq if changes else None
    return [
        Signoff(
            s.seq,
            s.status,
            s.status_change_seq,
            s.signed_by,
            s.signed_on,
            workflow.signoff_holds(s.status, s.status_change_seq, status, latest),
            s.comment,
            s.without_evidence,
        )
        for s in rows
    ]


def _follow_up(
    row: AuditItem,
    on: date,
    baseline: date | None,
    changes: list[AuditStatusChange],
    notes: list[AuditProgressNote],
    uploads: list[AuditEvidence],
    signoffs: list[Signoff],
) -> FollowUp:
    updates = [c.changed_on for c in changes] + [n.as_of for n in notes] + [e.uploaded_on for e in uploads]
    last = max(updates, default=baseline)
    return FollowUp(
        code=row.code,
        status=row.status,
        due_date=row.due_date,
        last_update=last,
        days_since_update=workflow.days_since(last, on),
        overdue=workflow.is_overdue(row.status, row.due_date, on),
        stale=workflow.is_stale(row.status, last, on),
        signoff=next((s for s in reversed(signoffs) if s.holds), None),
        returned=workflow.is_returned(row.status, bool(changes) and changes[-1].returned),
        evidence_count=len(uploads),
    )


def follow_ups(session: Session, org_id: int, session_code: str, on: date) -> dict[str, FollowUp]:
    """Every item's follow-up on ``on`` (overdue and stale flags, the sign-off that holds)."""
    baseline = report_date(session, org_id, session_code)
    changes = _grouped(session, AuditStatusChange, org_id, session_code)
    notes = _grouped(session, AuditProgressNote, org_id, session_code)
    uploads = _grouped(session, AuditEvidence, org_id, session_code)
    signoffs = _grouped(session, AuditSignoff, org_id, session_code)
    out = {}
    for row in items(session, org_id, session_code):
        history = changes.get(row.code, [])
        signed = _signoffs(signoffs.get(row.code, []), row.status, history)
        out[row.code] = _follow_up(
            row, on, baseline, history, notes.get(row.code, []), uploads.get(row.code, []), signed
        )
    return out


@dataclass(frozen=True)
class ListedItem:
    """A row of the item list: the item and where its follow-up stands."""

    item: AuditItem
    follow_up: FollowUp


def item_list(
    session: Session,
    org_id: int,
    session_code: str,
    on: date,
    *,
    category: str | None = None,
    status: str | None = None,
    department: str | None = None,
    wanted: tuple[str, ...] = (),
) -> list[ListedItem]:
    """The items the filters keep, each with its follow-up on ``on``: ``category``, ``status`` and
    ``department`` as ``items`` takes them, and ``wanted`` list filters (``workflow.LIST_FILTERS``:
    미확인, 기한 경과, 장기 미갱신, 확인 대기, 보완 요구), all of which an item must pass."""
    unknown = [w for w in wanted if w not in workflow.LIST_FILTERS]
    if unknown:
        raise ValueError(f"unknown list filter {unknown}")
    follow = follow_ups(session, org_id, session_code, on)
    chosen = items(session, org_id, session_code, category=category, status=status, department=department)
    return [
        ListedItem(row, follow[row.code])
        for row in chosen
        if workflow.passes(wanted, follow[row.code].marks, follow[row.code].signoff is not None)
    ]


def latest_changes(session: Session, org_id: int, session_code: str) -> dict[str, AuditStatusChange]:
    """Each item's latest recorded status change (items without any are left out)."""
    return {code: rows[-1] for code, rows in _grouped(session, AuditStatusChange, org_id, session_code).items()}


def item_detail(session: Session, org_id: int, session_code: str, code: str, on: date) -> ItemDetail | None:
    """An item with its status history, progress notes, evidence and sign-offs."""
    row = item(session, org_id, session_code, code)
    if row is None:
        return None
    changes = _history(session, AuditStatusChange, org_id, session_code, code)
    notes = sorted(_history(session, AuditProgressNote, org_id, session_code, code), key=lambda n: (n.as_of, n.seq))
    uploads = _grouped(session, AuditEvidence, org_id, session_code, AuditEvidence.item_code == code).get(code, [])
    signoffs = _signoffs(_history(session, AuditSignoff, org_id, session_code, code), row.status, changes)
    baseline = report_date(session, org_id, session_code)
    next_statuses = workflow.next_statuses(row.status)
    return ItemDetail(
        item=row,
        follow_up=_follow_up(row, on, baseline, changes, notes, uploads, signoffs),
        reported_status=changes[0].from_status if changes else row.status,
        reported_on=baseline,
        changes=changes,
        notes=notes,
        evidence=[
            EvidenceInfo(e.seq, e.file_name, e.media_type, e.size, e.sha256, e.uploaded_by, e.uploaded_on)
            for e in uploads
        ],
        signoffs=signoffs,
        next_statuses=next_statuses,
        reason_required={s: workflow.reason_required(row.status, s) for s in next_statuses},
    )


def evidence_file(session: Session, org_id: int, session_code: str, item_code: str, seq: int) -> EvidenceFile:
    """An attachment's bytes, checked against the stored SHA-256 and size."""
    found = fetch(
        session,
        AuditEvidence,
        org_id,
        AuditEvidence.session_code == session_code,
        AuditEvidence.item_code == item_code,
        AuditEvidence.seq == seq,
    )
    if not found:
        raise _refused(item_code, "file_name", f"증빙 {josa(seq, '이')} 없습니다")
    row = found[0]
    data = evidence.decode(row.content)
    if evidence.sha256_hex(data) != row.sha256 or len(data) != row.size:
        raise _refused(item_code, "sha256", f"{row.file_name}의 내용이 저장된 체크섬과 다릅니다")
    return EvidenceFile(row.file_name, row.media_type, data)


@dataclass(frozen=True)
class EvidencePreview:
    """How an attachment is shown on the page: a PNG or JPEG image (a photo as stored, a PDF's
    first page rendered), or why it is not (``note``)."""

    file_name: str
    image: bytes | None
    note: str | None = None


def evidence_preview(session: Session, org_id: int, session_code: str, item_code: str, seq: int) -> EvidencePreview:
    """An attachment's preview: images as they are, a PDF's first page as PNG (pdftoppm, no
    network); other types (hwp, hwpx, docx, xlsx) are downloaded only."""
    found = evidence_file(session, org_id, session_code, item_code, seq)
    if found.media_type.startswith("image/"):
        return EvidencePreview(found.file_name, found.data)
    if found.media_type == evidence.MEDIA_TYPES["pdf"]:
        page = evidence.pdf_first_page_png(found.data)
        if page is None:
            return EvidencePreview(found.file_name, None, "PDF의 첫 쪽을 그리지 못했습니다. 내려받아 확인하세요.")
        return EvidencePreview(found.file_name, page)
    return EvidencePreview(found.file_name, None, "이 형식은 미리 볼 수 없습니다. 내려받아 확인하세요.")


def item_text(row: AuditItem) -> dict[str, Any]:
    """The item's editable text fields (``ITEM_TEXT_FIELDS``) as stored."""
    return {name: getattr(row, name) for name in ITEM_TEXT_FIELDS}


def cleaned_text(value: Any) -> Any:
    """A field value as ``update_item`` stores it: text stripped, empty text None."""
    return (value.strip() or None) if isinstance(value, str) else value


def text_changes(loaded: dict[str, Any], typed: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``typed`` whose value, cleaned as ``update_item`` cleans it, differs from the
    value the user loaded (``loaded``, as ``item_text`` gives it): what an edit form should send."""
    return {
        name: cleaned_text(value)
        for name, value in typed.items()
        if cleaned_text(value) != cleaned_text(loaded.get(name))
    }


@dataclass(frozen=True)
class ItemChange:
    """One change-log entry of an item: who changed which fields, old and new values."""

    seq: int
    at: datetime  # Korea Standard Time
    actor: str
    role: str
    action: str  # create | update | delete
    fields: dict[str, tuple[Any, Any]]  # field -> (old, new), values as logged (dates ISO text)
    table: str = ITEM_TABLE  # audit_item, or the follow-up table of the row (sign-off, status change)


# The follow-up rows shown in the item's change log beside the item's own row.
LOGGED_WITH_ITEM: tuple[Any, ...] = (AuditStatusChange, AuditSignoff)
HISTORY_LIMIT = 500  # follow-up rows of one item read from the log, newest first


def item_history(session: Session, actor: Actor, session_code: str, code: str) -> list[ItemChange]:
    """Every logged change of an item's row (status and text, by natural key ``session/code``) and
    of its status changes and sign-offs (with the reasons and the auditor's comments), oldest
    first. Requires ``log.read`` (``may_read_history``)."""
    entries = [(ITEM_TABLE, e) for e in changelog.history(session, actor, ITEM_TABLE, f"{session_code}/{code}")]
    prefix = f"{session_code}/{code}/"  # session/item/seq
    for model in LOGGED_WITH_ITEM:
        table = str(model.__tablename__)
        logged = changelog.recent(session, actor, limit=HISTORY_LIMIT, table_name=table, key=prefix)
        entries += [(table, e) for e in logged if e.record_key.startswith(prefix)]
    entries.sort(key=lambda pair: pair[1].seq)
    return [
        ItemChange(e.seq, clock.local(e.at), e.actor, e.role, e.action, dict(e.fields), table) for table, e in entries
    ]


# --- permissions -------------------------------------------------------------------------


def may_update(actor: Actor, row: AuditItem) -> bool:
    """Planning: every item; a department: its own department's items only."""
    return may(actor, UPDATE) and (actor.role != "department" or _own_item(actor, row))


def may_sign_off(actor: Actor) -> bool:
    return may(actor, SIGNOFF)


def may_set_due_date(actor: Actor) -> bool:
    return may(actor, DUE_DATE)


def editable_fields(actor: Actor, row: AuditItem) -> tuple[str, ...]:
    """The text fields ``actor`` may change on ``row`` through ``update_item`` (none if it may
    not update the item): a department its 추진내용, 향후계획 and 조치일, the planning office also
    요구사항 and 부서."""
    if not may_update(actor, row):
        return ()
    return DEPARTMENT_TEXT_FIELDS if actor.role == "department" else ITEM_TEXT_FIELDS


def may_read_history(actor: Actor) -> bool:
    """The change log may hold personal data: board members do not read it."""
    return may(actor, LOG_READ)


def _own_item(actor: Actor, row: AuditItem) -> bool:
    return actor.department is not None and actor.department == row.department


def _require_update(actor: Actor, row: AuditItem) -> None:
    require(actor, UPDATE)
    if actor.role == "department" and not _own_item(actor, row):
        raise ItemPermissionError(
            row.code,
            f"{actor.department or '부서 미지정'} 소속 계정({actor.username})으로는 "
            f"{row.department or '담당 부서가 없는'} 항목을 변경할 수 없습니다",
            label=FIELD_LABELS["department"],
        )


# --- changes -----------------------------------------------------------------------------


def _item_for_change(session: Session, actor: Actor, org_id: int, session_code: str, code: str) -> AuditItem:
    changelog.attribute(session, actor)
    row = item(session, org_id, session_code, code)
    if row is None:
        raise _refused(code, "code", f"{session_code}에 이 항목이 없습니다")
    return row


def _expect_status(row: AuditItem, expected_status: str) -> None:
    if row.status != expected_status:
        raise _conflict(row.code, "status", expected_status, row.status)


def _next_seq(session: Session, model: Any, org_id: int, session_code: str, item_code: str) -> int:
    query = select(func.max(model.seq)).where(
        model.org_id == org_id, model.session_code == session_code, model.item_code == item_code
    )
    return int(session.exec(query).scalar() or 0) + 1  # type: ignore[call-overload]  # sqlmodel's Session.exec is typed for sqlmodel.select only; this is SQLAlchemy's


def _current_status(session: Session, row: AuditItem) -> str:
    query = select(col(AuditItem.status)).where(col(AuditItem.id) == row.id)
    return str(session.exec(query).scalar())  # type: ignore[call-overload]  # sqlmodel's Session.exec is typed for sqlmodel.select only; this is SQLAlchemy's


def _append_lock(session: Session, row: AuditItem) -> None:
    """Notes, evidence and sign-offs only append: two added to one item at once both land (or,
    for a sign-off, the second sees the first). The item is not changed (no version compared or
    bumped); its row is locked until the commit (``conflicts.lock_parent``) so that the second
    reads the first's seq instead of taking the same one. Call before reading the next seq; the
    item is read again (a status changed meanwhile is seen)."""
    assert row.id is not None
    conflicts.lock_parent(session, AuditItem.__table__, row.id)  # type: ignore[attr-defined]  # SQLModel's stubs declare no __table__
    session.refresh(row)


def _commit(session: Session, row: AuditItem, expected_status: str | None, *records: Any) -> None:
    """Add ``records`` and commit once; a concurrent change of the item becomes a ConflictError."""
    try:
        session.add_all(records)
        session.flush()
        session.commit()
    except conflicts.RACES as exc:  # another user saved the item or the same seq first
        session.rollback()
        current = _current_status(session, row)
        raise _conflict(row.code, "status", expected_status or current, current) from exc
    except Exception:
        session.rollback()
        raise


def change_status(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    session_code: str,
    item_code: str,
    expected_status: str,
    to_status: str,
    changed_on: date,
    reason: str | None = None,
) -> AuditStatusChange:
    """Move an item to ``to_status`` (see ``audit_followup.workflow``) and record the change."""
    row = _item_for_change(session, actor, org_id, session_code, item_code)
    _require_update(actor, row)
    _expect_status(row, expected_status)
    from_status = row.status
    if to_status not in STATUSES:
        raise _refused(item_code, "to_status", f"알 수 없는 상태 '{to_status}'")
    if not workflow.allowed(from_status, to_status):
        choices = ", ".join(workflow.next_statuses(from_status))
        raise _refused(
            item_code,
            "to_status",
            f"{from_status} → {josa(to_status, '은')} 허용되지 않습니다 (가능: {choices})",
        )
    reason = (reason or "").strip() or None
    if reason is None and workflow.reason_required(from_status, to_status):
        why = "미반영" if to_status == workflow.NOT_REFLECTED else "되돌리는 변경"
        raise _refused(item_code, "reason", f"{from_status} → {to_status}: {why}에는 사유를 적어야 합니다")
    history = _history(session, AuditStatusChange, org_id, session_code, item_code)
    latest = history[-1] if history else None
    if latest is not None and changed_on < latest.changed_on:
        raise _refused(item_code, "changed_on", f"이전 변경일({date_ko(latest.changed_on)})보다 앞설 수 없습니다")
    change = AuditStatusChange(
        org_id=org_id,
        session_code=session_code,
        item_code=item_code,
        seq=_next_seq(session, AuditStatusChange, org_id, session_code, item_code),
        from_status=from_status,
        to_status=to_status,
        changed_on=changed_on,
        changed_by=actor.username,
        reason=reason,
    )
    # The UPDATE carries the version read above: if another user moved the item meanwhile it
    # matches nothing and _commit turns that into a ConflictError.
    row.status = to_status
    _commit(session, row, expected_status, change)
    return change


def add_note(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    session_code: str,
    item_code: str,
    as_of: date,
    text: str,
) -> AuditProgressNote:
    """Record a progress note on the item as of a date (a reporting round's as-of date)."""
    row = _item_for_change(session, actor, org_id, session_code, item_code)
    _require_update(actor, row)
    text = (text or "").strip()
    if not text:
        raise _refused(item_code, "text", "내용이 비어 있습니다")
    _append_lock(session, row)
    note = AuditProgressNote(
        org_id=org_id,
        session_code=session_code,
        item_code=item_code,
        seq=_next_seq(session, AuditProgressNote, org_id, session_code, item_code),
        as_of=as_of,
        text=text,
        author=actor.username,
    )
    _commit(session, row, None, note)
    return note


def add_evidence(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    session_code: str,
    item_code: str,
    file_name: str,
    data: bytes,
) -> EvidenceInfo:
    """Store an attachment (pdf, hwp, hwpx, docx, xlsx, png, jpg; at most 10 MB) with its SHA-256."""
    row = _item_for_change(session, actor, org_id, session_code, item_code)
    _require_update(actor, row)
    name = evidence.base_name(file_name)
    found = evidence.problems(name, data)
    if found:
        field, message = found[0]
        raise _refused(item_code, field, f"{name or '(이름 없음)'}: {message}")
    digest = evidence.sha256_hex(data)
    _append_lock(session, row)
    same = fetch(
        session,
        AuditEvidence,
        org_id,
        AuditEvidence.session_code == session_code,
        AuditEvidence.item_code == item_code,
        AuditEvidence.sha256 == digest,
    )
    if same:
        raise _refused(item_code, "content", f"같은 파일이 이미 있습니다 ({same[0].file_name})")
    attachment = AuditEvidence(
        org_id=org_id,
        session_code=session_code,
        item_code=item_code,
        seq=_next_seq(session, AuditEvidence, org_id, session_code, item_code),
        file_name=name,
        media_type=evidence.MEDIA_TYPES[evidence.extension(name)],
        size=len(data),
        sha256=digest,
        content=evidence.encode(data),
        uploaded_by=actor.username,
        uploaded_on=clock.today(),
    )
    _commit(session, row, None, attachment)
    return EvidenceInfo(
        attachment.seq,
        attachment.file_name,
        attachment.media_type,
        attachment.size,
        attachment.sha256,
        attachment.uploaded_by,
        attachment.uploaded_on,
    )


def sign_off(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    session_code: str,
    item_code: str,
    expected_status: str,
    comment: str | None = None,
    without_evidence: bool = False,
) -> AuditSignoff:
    """An auditor confirms a closed item's status (완료 or 미반영) as it stands now, with an
    optional comment. An item without any evidence file is signed off only when the auditor
    confirms it (``without_evidence``; ``workflow.signoff_needs_confirmation``), and the sign-off
    records that it was so given."""
    require(actor, SIGNOFF)
    row = _item_for_change(session, actor, org_id, session_code, item_code)
    _append_lock(session, row)
    _expect_status(row, expected_status)
    if row.status not in workflow.SIGNABLE_STATUSES:
        raise _refused(
            item_code,
            "status",
            f"{'·'.join(workflow.SIGNABLE_STATUSES)} 항목만 확인할 수 있습니다 (현재 {row.status})",
        )
    changes = _history(session, AuditStatusChange, org_id, session_code, item_code)
    signed = _signoffs(_history(session, AuditSignoff, org_id, session_code, item_code), row.status, changes)
    holding = next((x for x in signed if x.holds), None)
    if holding is not None:
        raise _refused(
            item_code,
            "status",
            f"{row.status} 상태는 이미 확인되었습니다 ({holding.signed_by}, {date_ko(holding.signed_on)})",
        )
    no_evidence = workflow.signoff_needs_confirmation(_evidence_count(session, org_id, session_code, item_code))
    if no_evidence and not without_evidence:
        raise _refused(
            item_code,
            "evidence",
            "첨부된 증빙 자료가 없습니다. 증빙 없이 확인하려면 '증빙 없이 확인합니다'를 선택하세요",
        )
    signoff = AuditSignoff(
        org_id=org_id,
        session_code=session_code,
        item_code=item_code,
        seq=_next_seq(session, AuditSignoff, org_id, session_code, item_code),
        status=row.status,
        status_change_seq=changes[-1].seq if changes else None,
        signed_by=actor.username,
        signed_on=clock.today(),
        comment=(comment or "").strip() or None,
        without_evidence=no_evidence,
    )
    _commit(session, row, expected_status, signoff)
    return signoff


def request_rework(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    session_code: str,
    item_code: str,
    expected_status: str,
    reason: str,
) -> AuditStatusChange:
    """보완 요구: the auditor sends a closed item (완료 or 미반영) back to its department with a
    written reason. The item moves back by its step back (``workflow.REWORK``: 완료 → 추진중,
    미반영 → 검토중), dated today and marked ``returned``; a sign-off it had is void from then."""
    require(actor, SIGNOFF)
    row = _item_for_change(session, actor, org_id, session_code, item_code)
    _expect_status(row, expected_status)
    to_status = workflow.returned_to(row.status)
    if to_status is None:
        raise _refused(
            item_code,
            "status",
            f"{'·'.join(workflow.REWORK)} 항목만 보완을 요구할 수 있습니다 (현재 {row.status})",
        )
    reason = (reason or "").strip()
    if not reason:
        raise _refused(item_code, "reason", "보완 요구에는 사유를 적어야 합니다")
    history = _history(session, AuditStatusChange, org_id, session_code, item_code)
    today = clock.today()
    if history and today < history[-1].changed_on:
        raise _refused(item_code, "changed_on", f"이전 변경일({date_ko(history[-1].changed_on)})보다 앞설 수 없습니다")
    change = AuditStatusChange(
        org_id=org_id,
        session_code=session_code,
        item_code=item_code,
        seq=_next_seq(session, AuditStatusChange, org_id, session_code, item_code),
        from_status=row.status,
        to_status=to_status,
        changed_on=today,
        changed_by=actor.username,
        reason=reason,
        returned=True,
    )
    row.status = to_status
    _commit(session, row, expected_status, change)
    return change


def _evidence_count(session: Session, org_id: int, session_code: str, item_code: str) -> int:
    query = select(func.count()).where(
        col(AuditEvidence.org_id) == org_id,
        col(AuditEvidence.session_code) == session_code,
        col(AuditEvidence.item_code) == item_code,
    )
    return int(session.exec(query).scalar() or 0)  # type: ignore[call-overload]  # sqlmodel's Session.exec is typed for sqlmodel.select only; this is SQLAlchemy's


def set_due_date(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    session_code: str,
    item_code: str,
    due_date: date | None,
) -> AuditItem:
    """Set (or clear, with None) the date by which an item's follow-up is due."""
    require(actor, DUE_DATE)
    row = _item_for_change(session, actor, org_id, session_code, item_code)
    row.due_date = due_date
    _commit(session, row, None, row)
    return row


def update_item(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    session_code: str,
    item_code: str,
    expected_version: int,
    changes: dict[str, Any],
) -> AuditItem:
    """Rewrite an item's text: 추진내용, 향후계획, 조치일 (its department or the planning office),
    요구사항 and 부서 (the planning office). ``expected_version`` is the version the user loaded;
    if someone saved the item since, ConflictError carries the stored values and nothing is saved."""
    row = _item_for_change(session, actor, org_id, session_code, item_code)
    _require_update(actor, row)
    allowed = DEPARTMENT_TEXT_FIELDS if actor.role == "department" else ITEM_TEXT_FIELDS
    for name in changes:
        if name not in allowed:
            raise ItemPermissionError(
                item_code,
                f"{ROLE_LABELS.get(actor.role, actor.role)} 계정({actor.username})으로는 "
                f"{josa(FIELD_LABELS.get(name, name), '을')} 바꿀 수 없습니다",
                label=FIELD_LABELS["department"],
            )
    if row.version != expected_version:
        raise _version_conflict(row, expected_version)
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip() or None
        if name == "request" and not value:
            raise _refused(item_code, name, "요구사항은 비워 둘 수 없습니다")
        if name == "action_date" and value is not None and not isinstance(value, date):
            raise _refused(item_code, name, f"날짜가 아닙니다: {value!r}")
        cleaned[name] = value
    for name, value in cleaned.items():
        setattr(row, name, value)
    if "action_date" in cleaned:
        row.action_date_is_month = False  # a date entered in the app is a day, not a month
    try:
        session.flush()
        session.commit()
    except conflicts.RACES as exc:  # saved by someone else between our read and our write
        session.rollback()
        fresh = item(session, org_id, session_code, item_code)
        raise _version_conflict(fresh or row, expected_version) from exc
    except Exception:
        session.rollback()
        raise
    return row


def _version_conflict(row: AuditItem, expected_version: int) -> ConflictError:
    values = {name: getattr(row, name) for name in (*ITEM_TEXT_FIELDS, "status")}
    return _conflict(row.code, "version", str(expected_version), str(row.version), values)


# --- carried into the next round ---------------------------------------------------------


def status_on(row: AuditItem, changes: list[AuditStatusChange], on: date) -> str:
    """An item's status on ``on`` from its history: the last change made by then, else the status
    as reported (the first change's ``from_status``; the current status when none was recorded)."""
    ordered = sorted(changes, key=lambda c: c.seq)
    made = [c for c in ordered if c.changed_on <= on]
    if made:
        return made[-1].to_status
    return ordered[0].from_status if ordered else row.status


@dataclass(frozen=True)
class CarriedItem:
    """An item of an earlier session reported again as 계속 추진, with its status history."""

    item: AuditItem
    reported_status: str  # the status the earlier round reported
    changes: list[AuditStatusChange]


def carried_items(session: Session, org_id: int, session_code: str, reported_on: date) -> list[CarriedItem]:
    """Items of ``session_code`` that were not 완료 on ``reported_on`` (the date of the round that
    reported them) or are not 완료 now: the next round carries them as 계속 추진."""
    history = _grouped(session, AuditStatusChange, org_id, session_code)
    out = []
    for row in items(session, org_id, session_code):
        changes = sorted(history.get(row.code, []), key=lambda c: c.seq)
        reported = status_on(row, changes, reported_on)
        if reported != "완료" or row.status != "완료":
            out.append(CarriedItem(row, reported, changes))
    return out
