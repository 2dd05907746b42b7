"""The change log: who changed which record, when, field by field; append-only and hash-chained.

Every ORM flush that creates, updates or deletes a record writes one entry per record in the
same transaction (SQLAlchemy's ``after_flush`` event), so a change and its entry commit or roll
back together. A flush with changes but no actor attached to the session (``attribute``) raises
UnattributedChangeError: every change is traced to a person.

Entries form a chain: entry n stores the MAC of entry n-1 and its own MAC over its content and
that previous MAC, an HMAC-SHA256 under the deployment's key, which lives outside the database
(``core.logkey``: LOG_KEY or a key file), so a database writer cannot forge or recompute the
chain; ``log_head`` holds the newest seq and MAC, and the anchor file outside the database (and
every backup) records them again, so a tail cut together with ``log_head`` is seen. Entries
written before the keyed chain (seq < ``log_head.keyed_from``, set by migration 0008) keep their
plain SHA-256 and are verified so; the first keyed entry's MAC covers the last of them. ``verify`` recomputes the chain:
an altered entry no longer matches its hash, a removed one leaves a gap in seq, a reordered pair
breaks the prev_hash links, a removed tail disagrees with the head. The database refuses UPDATE
and DELETE on change_log (triggers, migration 0003), so the log is append-only for the app; the
chain is what catches someone who edits the database file or disables the triggers.

Appending locks the head row (SELECT ... FOR UPDATE on PostgreSQL; SQLite has one writer at a
time), so concurrent transactions extend the chain one after the other, never fork it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import LargeBinary, UniqueConstraint, event, insert, inspect, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, Session, SQLModel, col

from governance_app.core import clock, logkey
from governance_app.core.auth import Actor, require
from governance_app.core.models import RoundState

GENESIS = "0" * 64
HEAD_ID = 1
# Fields whose values never enter the log: only that they changed.
REDACTED = {("user_account", "password_hash")}
REDACTED_VALUE = "(비공개)"
ACTIONS = {"create": "생성", "update": "수정", "delete": "삭제"}


class ChangeLogEntry(SQLModel, table=True):
    __tablename__ = "change_log"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: datetime  # UTC, whole seconds
    actor: str  # username (or "cli:<os user>" at the command line)
    role: str
    action: str  # create | update | delete
    table_name: str = Field(index=True)
    record_id: int | None = None
    record_key: str = Field(index=True)  # the natural key, e.g. "2024-admin/3"
    changes: str  # JSON {field: [old, new]}
    prev_hash: str
    hash: str


class LogHead(SQLModel, table=True):
    """The newest entry's seq and hash (one row, id 1): catches a removed tail."""

    __tablename__ = "log_head"

    id: int = Field(default=HEAD_ID, primary_key=True)
    seq: int
    hash: str
    # the first seq chained with the key; older entries (before migration 0008) carry SHA-256
    keyed_from: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class UnattributedChangeError(RuntimeError):
    pass


LOG_TABLES = frozenset({"change_log", "log_head"})
# session.info key: the head seq the session's flushes moved the log to (until commit or rollback)
COMMITTED_HEAD = "log_head_seq"

# The triggers migration 0003 creates (its frozen copy is the one that runs); tests that wipe
# the database drop and recreate them.
APPEND_ONLY = {
    "sqlite": [
        "CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log "
        "BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END",
        "CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log "
        "BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION change_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'change_log is append-only'; END $$",
        "CREATE TRIGGER change_log_no_update BEFORE UPDATE OR DELETE ON change_log "
        "FOR EACH ROW EXECUTE FUNCTION change_log_append_only()",
        "CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON change_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION change_log_append_only()",
    ],
}
DROP_APPEND_ONLY = {
    "sqlite": ["DROP TRIGGER change_log_no_update", "DROP TRIGGER change_log_no_delete"],
    "postgresql": ["DROP FUNCTION change_log_append_only() CASCADE"],
}


def attribute(session: OrmSession, actor: Actor) -> None:
    """Name the person behind the changes this session will flush."""
    session.info["actor"] = actor


# --- writing -------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return f"sha256:{hashlib.sha256(bytes(value)).hexdigest()}"  # the content, not the bytes
    return str(value)


def _key_columns(table: Any) -> list[str]:
    """The record's natural key: the first unique constraint (without org_id), else unique columns."""
    for constraint in sorted(table.constraints, key=lambda c: c.name or ""):
        if isinstance(constraint, UniqueConstraint):
            cols = [c.name for c in constraint.columns if c.name != "org_id"]
            if cols:
                return cols
    unique = [c.name for c in table.columns if c.unique]
    return unique or [c.name for c in table.primary_key.columns]


def record_key(table: Any, values: dict[str, Any]) -> str:
    return "/".join(str(_json_value(values.get(c))) for c in _key_columns(table))


_SKIPPED_FIELDS = frozenset({"id", "org_id", "version"})


def _stored_bytes(column: Any, value: Any, dialect: Dialect) -> Any:
    """A binary column's value as the bytes the database holds (a TypeDecorator such as the
    evidence's Base64Bytes holds text in Python), so the log keeps their SHA-256, not the file."""
    type_ = column.type
    if value is None:
        return None
    if isinstance(type_, TypeDecorator) and isinstance(type_.impl_instance, LargeBinary):
        return bytes(type_.process_bind_param(value, dialect))
    if isinstance(type_, LargeBinary):
        return bytes(value)
    return value


def _changes(obj: Any, action: str, dialect: Dialect) -> tuple[str, int | None, str, dict[str, list[Any]]]:
    state = inspect(obj)
    table = state.mapper.local_table
    diffs: dict[str, list[Any]] = {}
    current: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        name = attr.key
        column = attr.columns[0]
        history = state.attrs[name].history
        value = _stored_bytes(column, getattr(obj, name), dialect) if action != "update" else None
        if action == "update":
            if not history.has_changes():
                current[name] = history.unchanged[0] if history.unchanged else getattr(obj, name)
                continue
            old = _stored_bytes(column, history.deleted[0], dialect) if history.deleted else None
            new = _stored_bytes(column, history.added[0], dialect) if history.added else None
            current[name] = new
            if name not in _SKIPPED_FIELDS and _json_value(old) != _json_value(new):
                diffs[name] = [old, new]
        else:
            current[name] = value
            if name not in _SKIPPED_FIELDS and value is not None:
                diffs[name] = [None, value] if action == "create" else [value, None]
    out = {}
    for name, (old, new) in diffs.items():
        if (table.name, name) in REDACTED:
            out[name] = [REDACTED_VALUE if old is not None else None, REDACTED_VALUE if new is not None else None]
        else:
            out[name] = [_json_value(old), _json_value(new)]
    record_id = current.get("id") if isinstance(current.get("id"), int) else None
    return table.name, record_id, record_key(table, current), out


def _collect(session: OrmSession) -> list[tuple[str, str, int | None, str, dict[str, list[Any]]]]:
    found = []
    dialect = session.get_bind().dialect
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if inspect(obj).mapper.local_table.name in LOG_TABLES:
                continue
            table_name, record_id, key, diffs = _changes(obj, action, dialect)
            if action == "update" and not diffs:
                continue
            found.append((action, table_name, record_id, key, diffs))
    order = {"delete": 0, "update": 1, "create": 2}
    found.sort(key=lambda f: (order[f[0]], f[1], f[2] or 0, f[3]))
    return found


def _canonical(entry: dict[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(
    *,
    seq: int,
    at: datetime,
    actor: str,
    role: str,
    action: str,
    table_name: str,
    record_id: int | None,
    record_key: str,
    changes: str,
    prev_hash: str,
    keyed: bool = True,
) -> str:
    """The entry's MAC (HMAC-SHA256 under the log key); ``keyed=False``: the plain SHA-256 of
    entries written before migration 0008."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    content = {
        "seq": seq,
        "at": at.isoformat(),
        "actor": actor,
        "role": role,
        "action": action,
        "table_name": table_name,
        "record_id": record_id,
        "record_key": record_key,
        "changes": changes,
        "prev_hash": prev_hash,
    }
    data = _canonical(content).encode()
    if not keyed:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(logkey.log_key(), data, hashlib.sha256).hexdigest()


@event.listens_for(OrmSession, "after_flush")
def _log_flush(session: OrmSession, _context: Any) -> None:
    found = _collect(session)
    if not found:
        return
    actor = session.info.get("actor")
    if not isinstance(actor, Actor):
        tables = sorted({f[1] for f in found})
        raise UnattributedChangeError(f"changes to {', '.join(tables)} without an actor (changelog.attribute)")
    connection = session.connection()
    head = connection.execute(
        select(col(LogHead.seq), col(LogHead.hash), col(LogHead.keyed_from))
        .where(col(LogHead.id) == HEAD_ID)
        .with_for_update()
    ).one()
    seq, prev = head.seq, head.hash
    at = clock.now_utc().replace(microsecond=0)
    rows = []
    for action, table_name, record_id, key, diffs in found:
        seq += 1
        row = {
            "seq": seq,
            "at": at,
            "actor": actor.username,
            "role": actor.role,
            "action": action,
            "table_name": table_name,
            "record_id": record_id,
            "record_key": key,
            "changes": _canonical(diffs),
            "prev_hash": prev,
        }
        row["hash"] = prev = entry_hash(**row)
        rows.append(row)
    connection.execute(insert(ChangeLogEntry), rows)
    connection.execute(update(LogHead).where(col(LogHead.id) == HEAD_ID).values(seq=seq, hash=prev))
    session.info["log_anchor"] = (seq, prev, database_name(connection.engine), head.keyed_from)
    session.info[COMMITTED_HEAD] = seq  # read (and dropped) after the commit: ui.cache's revision


def database_name(engine: Any) -> str:
    """How the anchor file names a database (its URL without the password)."""
    return str(engine.url.render_as_string(hide_password=True))


@event.listens_for(OrmSession, "after_commit")
def _anchor(session: OrmSession) -> None:
    anchor = session.info.pop("log_anchor", None)
    if anchor is not None:
        # a read-only disk loses the local anchor, not the change; verify then says it is behind
        with contextlib.suppress(OSError):
            logkey.write_anchor(*anchor)


@event.listens_for(OrmSession, "after_rollback")
def _no_anchor(session: OrmSession) -> None:
    session.info.pop("log_anchor", None)
    session.info.pop(COMMITTED_HEAD, None)


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    seq: int
    at: datetime
    actor: str
    role: str
    action: str
    table_name: str
    record_key: str
    fields: dict[str, tuple[Any, Any]]


def _change(entry: ChangeLogEntry) -> Change:
    fields = {k: (v[0], v[1]) for k, v in json.loads(entry.changes).items()}
    return Change(
        entry.seq, entry.at, entry.actor, entry.role, entry.action, entry.table_name, entry.record_key, fields
    )


def history(session: Session, actor: Actor, table_name: str, key: str) -> list[Change]:
    """Every change of one record (by natural key, so a deleted and re-created row keeps its
    history), oldest first. Old values may be personal data: only roles allowed to read the log."""
    require(actor, "log.read")
    query = (
        select(ChangeLogEntry)
        .where(col(ChangeLogEntry.table_name) == table_name, col(ChangeLogEntry.record_key) == key)
        .order_by(col(ChangeLogEntry.seq))
    )
    return [_change(e) for e in session.exec(query).scalars()]  # type: ignore[call-overload]  # sqlmodel's Session.exec is typed for sqlmodel.select only; this is SQLAlchemy's


def recent(
    session: Session, actor: Actor, limit: int = 200, table_name: str | None = None, key: str | None = None
) -> list[Change]:
    """The newest changes, newest first; ``key`` keeps the records whose natural key contains it."""
    require(actor, "log.read")
    query = select(ChangeLogEntry).order_by(col(ChangeLogEntry.seq).desc()).limit(limit)
    if table_name:
        query = query.where(col(ChangeLogEntry.table_name) == table_name)
    if key:
        query = query.where(col(ChangeLogEntry.record_key).contains(key, autoescape=True))
    return [_change(e) for e in session.exec(query).scalars()]  # type: ignore[call-overload]  # sqlmodel's Session.exec is typed for sqlmodel.select only; this is SQLAlchemy's


@dataclass(frozen=True)
class Verification:
    entries: int
    head_seq: int
    head_hash: str
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """The line verify-log and restore print last: '변경 이력: 770건, 연결 정상; 마지막 770번 587edda7…'."""
        state = "연결 정상" if self.intact else f"연결 손상 (문제 {len(self.problems)}건)"
        return f"변경 이력: {self.entries}건, {state}; 마지막 {self.head_seq}번 {self.head_hash[:16]}"


def _entries(session: Session) -> Iterator[ChangeLogEntry]:
    query = select(ChangeLogEntry).order_by(col(ChangeLogEntry.seq)).execution_options(yield_per=2000)
    yield from session.exec(query).scalars()  # type: ignore[call-overload]  # sqlmodel's Session.exec is typed for sqlmodel.select only; this is SQLAlchemy's


def head(session: Session) -> tuple[int, str]:
    """The newest entry's (seq, MAC): (0, GENESIS) for an empty log."""
    row = session.get(LogHead, HEAD_ID)
    return (row.seq, row.hash) if row else (0, GENESIS)


def _submitted_round_anchors(session: Session) -> list[tuple[str, int, str]]:
    """The head each submitted round recorded (rounds.freeze)."""
    rows = session.exec(  # type: ignore[call-overload]  # SQLAlchemy's select through sqlmodel's Session.exec
        select(col(RoundState.report_code), col(RoundState.log_seq), col(RoundState.log_mac)).where(
            col(RoundState.log_seq).is_not(None)
        )
    ).all()
    return [(f"제출 회차 {code}", int(seq), str(mac)) for code, seq, mac in rows if mac]


def verify(session: Session, anchors: list[tuple[str, int, str]] | None = None) -> Verification:
    """Recompute the chain from the first entry; every break is a problem naming the entry and
    the check that failed. ``anchors`` (where, seq, MAC) are heads recorded outside the database
    (a backup's manifest); the local anchor file is always checked."""
    problems: list[str] = []
    head = session.get(LogHead, HEAD_ID)
    keyed_from = head.keyed_from if head else 1
    anchor = logkey.read_anchor(database_name(session.get_bind()))
    if anchor and "unreadable" in anchor:
        problems.append(f"[기준점] 기준점 파일 {anchor['unreadable']}을 읽을 수 없습니다")
    elif anchor:
        anchors = [("기준점 파일", int(anchor["seq"]), str(anchor["mac"])), *(anchors or [])]
        if int(anchor.get("keyed_from", keyed_from)) != keyed_from:
            problems.append(
                f"[키 시작점] keyed_from({keyed_from})이 기준점 파일의 값({anchor.get('keyed_from')})과 다릅니다: "
                "바뀌었습니다"
            )
    anchors = [*(anchors or []), *_submitted_round_anchors(session)]
    wanted = {seq: (where, mac) for where, seq, mac in anchors}
    prev, expected, count = GENESIS, 1, 0
    for entry in _entries(session):
        count += 1
        if entry.seq != expected:
            problems.append(f"[순번] {expected}번 항목이 없습니다 (다음은 {entry.seq}번): 삭제되었습니다")
        if entry.prev_hash != prev:
            problems.append(
                f"[연결] {entry.seq}번 항목이 앞 항목과 이어지지 않습니다: 삭제되었거나 순서가 바뀌었습니다"
            )
        values = {c: getattr(entry, c) for c in ChangeLogEntry.model_fields if c != "hash"}
        if not hmac.compare_digest(entry_hash(**values, keyed=entry.seq >= keyed_from), entry.hash):
            check = "MAC(키)" if entry.seq >= keyed_from else "해시(0008 이전 항목)"
            problems.append(
                f"[{check}] {entry.seq}번 항목의 내용이 {check}와 맞지 않습니다: 변경되었거나 위조되었습니다"
            )
        if entry.seq in wanted and not hmac.compare_digest(wanted[entry.seq][1], entry.hash):
            where = wanted[entry.seq][0]
            problems.append(f"[기준점] {entry.seq}번 항목이 {where}에 기록된 MAC과 다릅니다: 다시 쓰였습니다")
        prev, expected = entry.hash, entry.seq + 1
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head is None:
        problems.append("[머리] log_head 행이 없습니다")
    elif (head_seq, head_hash) != (expected - 1, prev):
        problems.append(
            f"[머리] 마지막 항목이 기록({head_seq}번)과 다릅니다 (현재 {expected - 1}번): "
            "끝부분이 삭제되었거나 바뀌었습니다"
        )
    for where, seq, _mac in anchors or []:
        if seq > expected - 1:
            problems.append(
                f"[기준점] {where}에는 {seq}번 항목까지 기록되어 있는데 로그는 {expected - 1}번에서 끝납니다: "
                "끝부분이 잘렸습니다"
            )
    if head is not None and keyed_from > head_seq + 1:
        problems.append(f"[키 시작점] keyed_from({keyed_from})이 마지막 항목({head_seq}번) 뒤입니다: 바뀌었습니다")
    return Verification(count, head_seq, head_hash, problems)
