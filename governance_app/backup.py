"""Whole-database backup and restore: ``python -m governance_app backup FILE`` / ``restore FILE``.

A backup is one zip file holding every table of ``SQLModel.metadata`` (the dataset tables with
the audit evidence bytes, the sign-in accounts, the change log and its head), so it keeps what
the CSV export does not. Each table is a JSON-lines member ``tables/<name>.jsonl``: one object
per row, columns in table order, rows in primary-key order. Values JSON cannot carry exactly are
type-tagged: ``{"date": "2025-08-02"}``, ``{"datetime": "2025-09-01T00:00:00+00:00"}`` (UTC),
``{"decimal": "96.5"}``, ``{"bytes": "<base64>"}``. ``manifest.json`` names the format version,
the Alembic revision, the time of the backup, and every member with its row count and SHA-256.

The tables are read in one transaction (REPEATABLE READ on PostgreSQL; one SQLite read
transaction), so the backup is a consistent snapshot even while the app writes. The format does
not depend on the database: a SQLite backup restores into PostgreSQL and back.

Restore migrates the target to the newest revision, then refuses unless the archive is intact
(every member matches its checksum), was made at the same revision, and the target database is
empty (no organisation, no account, no change-log entry). It inserts every row in dependency
order in ONE transaction with Core inserts: restored rows are not new changes, so the ORM's
change-log hook does not run, and the restored ``change_log`` and ``log_head`` continue the
chain (``verify-log`` passes). PostgreSQL sequences are then moved past the restored ids. Any
failure rolls the transaction back and leaves the target empty.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import os
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Integer, LargeBinary, Table, cast, column, delete, func, insert, inspect, select, table, text
from sqlalchemy.dialects.postgresql import REGCLASS
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import TableClause
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

from governance_app import domains  # noqa: F401 - every registered domain's tables on SQLModel.metadata
from governance_app.core import changelog, logkey
from governance_app.core import models as kernel_models  # noqa: F401 - the kernel's tables on SQLModel.metadata
from governance_app.core.db import MIGRATIONS, get_engine, migrate, session
from governance_app.core.errors import RefusalError

FORMAT = "seoul120-governance-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH_ROWS = 500
BATCH_BYTES = 32 * 1024 * 1024  # evidence rows carry up to 10 MB each


class BackupError(RefusalError):
    """A backup that cannot be written or an archive that must not be restored; nothing changed."""


@dataclass(frozen=True)
class Summary:
    revision: str
    created_at: datetime
    rows: dict[str, int]  # table -> rows, in dependency order
    log_head: tuple[int, str] = (0, "")  # the change log's (seq, MAC) in the backup

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def tables() -> list[Table]:
    """Every table, parents before children: the kernel's (organisation, report round, accounts,
    change log) and every domain's in the registry (``governance_app.domains``, imported above)."""
    return list(SQLModel.metadata.sorted_tables)


def member_name(table_name: str) -> str:
    return f"tables/{table_name}.jsonl"


# --- values --------------------------------------------------------------------------------


def _storage(table_: Table) -> TableClause:
    """The table as stored: a binary column decorated to hold text in Python (the evidence's
    Base64Bytes) is read and written as the raw bytes; every other type keeps its own processing
    (so datetimes come back timezone-aware UTC on both databases)."""
    columns = []
    for col in table_.columns:
        type_ = col.type
        if isinstance(type_, TypeDecorator) and isinstance(type_.impl_instance, LargeBinary):
            type_ = LargeBinary()
        columns.append(column(col.name, type_))
    return table(table_.name, *columns)


def encode(value: Any) -> Any:
    """A stored value as JSON: native where exact, type-tagged otherwise."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"bytes": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if len(value) != 1:
        raise ValueError(f"not a tagged value: {value!r}")
    [(tag, raw)] = value.items()
    if not isinstance(raw, str):
        raise ValueError(f"{tag} value must be text: {raw!r}")
    if tag == "decimal":
        return Decimal(raw)
    if tag == "datetime":
        return datetime.fromisoformat(raw)
    if tag == "date":
        return date.fromisoformat(raw)
    if tag == "bytes":
        return base64.b64decode(raw, validate=True)
    raise ValueError(f"unknown value tag {tag!r}")


def _line(names: list[str], row: Any) -> bytes:
    values = {name: encode(value) for name, value in zip(names, row, strict=True)}
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


# --- backup --------------------------------------------------------------------------------


def current_revision(connection: Connection) -> str:
    return MigrationContext.configure(connection).get_current_revision() or ""


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection inside one read transaction: every table as of the same moment."""
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            if connection.dialect.name == "sqlite":
                # pysqlite opens a transaction only before a write; reads need one explicitly
                connection.exec_driver_sql("BEGIN")
            yield connection
        finally:
            transaction.rollback()


def _member(name: str, created_at: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=created_at.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _write_table(
    archive: zipfile.ZipFile, connection: Connection, table_: Table, created_at: datetime
) -> dict[str, Any]:
    stored = _storage(table_)
    names = [c.name for c in table_.columns]
    order = [stored.c[c.name] for c in table_.primary_key.columns]
    query = select(stored).order_by(*order).execution_options(yield_per=200)
    digest, rows = hashlib.sha256(), 0
    name = member_name(table_.name)
    with archive.open(_member(name, created_at), "w", force_zip64=True) as member:
        for row in connection.execute(query):
            line = _line(names, row)
            digest.update(line)
            member.write(line)
            rows += 1
    return {"name": table_.name, "member": name, "rows": rows, "sha256": digest.hexdigest()}


def backup(engine: Engine, path: Path) -> Summary:
    """Write every table of the database to the zip file ``path`` (which must not exist yet)."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists; a backup never overwrites a file: choose a new name")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    try:
        with _snapshot(engine) as connection:
            created_at = datetime.now(UTC).replace(microsecond=0)
            revision = current_revision(connection)
            unknown = sorted(
                set(inspect(connection).get_table_names()) - {t.name for t in tables()} - {"alembic_version"}
            )
            if unknown:  # a model nobody imported: its rows would be missing from the backup
                raise BackupError(f"the database holds tables the backup does not know: {', '.join(unknown)}")
            with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                members = [_write_table(archive, connection, t, created_at) for t in tables()]
                log_head = connection.execute(select(changelog.LogHead.seq, changelog.LogHead.hash)).first()  # type: ignore[call-overload]
                manifest: dict[str, Any] = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "revision": revision,
                    "created_at": created_at.isoformat(),
                    "dialect": engine.dialect.name,
                    "tables": members,
                    # the change log's head, an anchor outside the database (verify-log checks it)
                    "log_head": {"seq": log_head.seq, "mac": log_head.hash} if log_head else None,
                }
                manifest["signature"] = sign(manifest)
                archive.writestr(_member(MANIFEST, created_at), json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    head = manifest["log_head"] or {"seq": 0, "mac": changelog.GENESIS}
    return Summary(revision, created_at, {m["name"]: m["rows"] for m in members}, (head["seq"], head["mac"]))


# --- reading an archive --------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One table's member as the manifest lists it."""

    name: str  # the table
    member: str  # tables/<name>.jsonl
    rows: int
    sha256: str


@dataclass(frozen=True)
class Archive:
    path: Path
    revision: str
    created_at: datetime
    members: list[Member]
    log_head: tuple[int, str]  # (seq, MAC) of the change log when the backup was made


def sign(manifest: dict[str, Any]) -> str:
    """HMAC-SHA256 of the manifest (without its signature) under the change log's key: whoever
    alters a member and updates its checksum and row count cannot sign the result."""
    body = {k: v for k, v in manifest.items() if k != "signature"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hmac.new(logkey.log_key(), canonical.encode(), hashlib.sha256).hexdigest()


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _manifest(path: Path, raw: bytes) -> Archive:
    try:
        manifest = json.loads(raw)
        if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"{path}: unknown backup format {manifest.get('format')!r} "
                f"version {manifest.get('format_version')!r} (expected {FORMAT} {FORMAT_VERSION})"
            )
        signature = manifest.get("signature")
        if not isinstance(signature, str) or not hmac.compare_digest(signature, sign(manifest)):
            raise BackupError(
                f"{path}: the signature of {MANIFEST} does not match this deployment's change-log key: "
                "the archive was altered, or made with another key (LOG_KEY / var/log.key)"
            )
        members = [
            Member(str(m["name"]), str(m["member"]), int(m["rows"]), str(m["sha256"])) for m in manifest["tables"]
        ]
        head = manifest.get("log_head") or {"seq": 0, "mac": changelog.GENESIS}
        return Archive(
            path,
            str(manifest["revision"]),
            datetime.fromisoformat(manifest["created_at"]),
            members,
            (int(head["seq"]), str(head["mac"])),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupError(f"{path}: {MANIFEST} cannot be read ({type(exc).__name__}: {exc})") from exc


def open_archive(path: Path) -> Archive:
    """Read the manifest and check every member against its SHA-256; BackupError names the member."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if MANIFEST not in names:
                raise BackupError(f"{path}: {MANIFEST} is missing; this is not a backup of this application")
            found = _manifest(path, archive.read(MANIFEST))
            unlisted = sorted(names - {m.member for m in found.members} - {MANIFEST})
            if unlisted:
                raise BackupError(f"{path}: member {unlisted[0]} is not listed in {MANIFEST}; the archive was altered")
            for entry in found.members:
                if entry.member not in names:
                    raise BackupError(f"{path}: member {entry.member} listed in {MANIFEST} is missing")
                with archive.open(entry.member) as stream:
                    actual = _sha256(stream)
                if actual != entry.sha256:
                    raise BackupError(
                        f"{path}: member {entry.member} does not match its SHA-256 in {MANIFEST}; "
                        "the archive was altered or damaged"
                    )
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, UnicodeDecodeError, NotImplementedError) as exc:
        # a damaged archive (bit flips end in any of these): one message, nothing read from it
        raise BackupError(f"{path}: not a readable zip file, damaged or truncated ({type(exc).__name__})") from exc
    return found


def _code_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head() or ""


def _rows(archive: zipfile.ZipFile, entry: Member, table_: Table) -> Iterator[dict[str, Any]]:
    names = [c.name for c in table_.columns]
    with archive.open(entry.member) as stream:
        for number, line in enumerate(stream, start=1):
            try:
                values = json.loads(line)
                if not isinstance(values, dict) or sorted(values) != sorted(names):
                    raise ValueError(f"columns {sorted(values) if isinstance(values, dict) else '?'} != {names}")
                yield {name: decode(values[name]) for name in names}
            except (ValueError, TypeError, InvalidOperation, binascii.Error) as exc:
                raise BackupError(f"member {entry.member} line {number}: {exc}") from exc


# --- restore -------------------------------------------------------------------------------


FIRST_NAMED = ("organisation", "user_account", "change_log")


def _occupied(connection: Connection) -> dict[str, int]:
    """Rows of every table that holds any; the log's head counts once it moved past seq 0."""
    found = {}
    for table_ in tables():
        query = select(func.count()).select_from(table_)
        if table_.name == changelog.LogHead.__tablename__:
            query = query.where(table_.c.seq != 0)
        count = connection.execute(query).scalar_one()
        if count:
            found[table_.name] = count
    return found


def _describe(occupied: dict[str, int]) -> str:
    named = [n for n in FIRST_NAMED if n in occupied] or list(occupied)[:3]
    text_ = ", ".join(f"{n} {occupied[n]} row(s)" for n in named)
    others = len(occupied) - len(named)
    return text_ + (f" and {others} other table(s)" if others else "")


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL: each integer key's sequence continues after the largest restored id."""
    if connection.dialect.name != "postgresql":
        return  # SQLite gives a new row the largest rowid + 1
    quote = connection.dialect.identifier_preparer.quote
    for table_ in tables():
        for key in table_.primary_key.columns:
            if not isinstance(key.type, Integer):
                continue
            sequence = connection.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": quote(table_.name), "column": key.name},
            ).scalar()
            if sequence:
                top = connection.execute(select(func.max(key))).scalar() or 0
                connection.execute(select(func.setval(cast(sequence, REGCLASS), top + 1, False)))


def _insert(connection: Connection, archive: zipfile.ZipFile, entry: Member, table_: Table) -> int:
    stored = _storage(table_)
    batch: list[dict[str, Any]] = []
    size = rows = 0
    try:
        for row in _rows(archive, entry, table_):
            batch.append(row)
            size += sum(len(v) for v in row.values() if isinstance(v, bytes | str))
            if len(batch) >= BATCH_ROWS or size >= BATCH_BYTES:
                connection.execute(insert(stored), batch)
                rows += len(batch)
                batch, size = [], 0
        if batch:
            connection.execute(insert(stored), batch)
            rows += len(batch)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
        raise BackupError(f"the database refused a row of member {entry.member}: {reason}") from exc
    if rows != entry.rows:
        raise BackupError(f"member {entry.member} holds {rows} rows, {MANIFEST} says {entry.rows}")
    return rows


def restore(engine: Engine, path: Path) -> Summary:
    """Load the backup ``path`` into the empty database of ``engine``, all or nothing."""
    archive = open_archive(path)
    if archive.revision != _code_revision():  # before anything (the schema too) is created in the target
        raise BackupError(
            f"{archive.path}: the backup was made at schema revision {archive.revision!r}, this "
            f"application is at {_code_revision()!r}; restore it with the application version that made it"
        )
    migrate(engine)
    by_table = {m.name: m for m in archive.members}
    expected = [t.name for t in tables()]
    restored: dict[str, int] = {}
    with engine.connect() as connection, connection.begin():
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock before the emptiness check
        revision = current_revision(connection)
        if archive.revision != revision:
            raise BackupError(
                f"{archive.path}: the backup was made at schema revision {archive.revision!r}, this "
                f"database is at {revision!r}; restore it with the application version that made it"
            )
        if sorted(by_table) != sorted(expected):
            missing = sorted(set(expected) - set(by_table))
            unknown = sorted(set(by_table) - set(expected))
            raise BackupError(f"{archive.path}: tables missing {missing}, unknown {unknown}")
        head = changelog.LogHead.__table__  # type: ignore[attr-defined]
        # wait for (and then hold off) any writer extending the log of the target
        connection.execute(select(head.c.seq).with_for_update()).all()
        occupied = _occupied(connection)
        if occupied:
            raise BackupError(
                f"the database is not empty ({_describe(occupied)}); restore loads only into an empty "
                "database: create a new one (or name a new SQLite file) in DATABASE_URL and run restore again"
            )
        connection.execute(delete(head))  # the migration's seq-0 head; the backup brings its own
        with zipfile.ZipFile(archive.path) as zipped:
            for table_ in tables():
                restored[table_.name] = _insert(connection, zipped, by_table[table_.name], table_)
        _reset_sequences(connection)
    seq, mac = archive.log_head
    with contextlib.suppress(OSError):  # the restored log's head becomes this database's anchor
        logkey.forget_anchor(changelog.database_name(engine))  # the emptied database's old head
        logkey.write_anchor(seq, mac, changelog.database_name(engine), _keyed_from(engine))
    return Summary(archive.revision, archive.created_at, restored, archive.log_head)


def _keyed_from(engine: Engine) -> int:
    with engine.connect() as connection:
        found = connection.execute(select(changelog.LogHead.keyed_from)).scalar()  # type: ignore[call-overload]
    return int(found or 1)


# --- command line --------------------------------------------------------------------------


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.1f} kB"


def _contents(summary: Summary) -> str:
    rows = summary.rows
    return (
        f"{len(rows)} tables, {summary.total} rows: {rows.get('organisation', 0)} organisation(s), "
        f"{rows.get('user_account', 0)} account(s), {rows.get('audit_evidence', 0)} evidence file(s), "
        f"{rows.get('change_log', 0)} change-log entries"
    )


def run_backup(path: Path) -> int:
    engine = get_engine()
    migrate(engine)
    try:
        summary = backup(engine, path)
    except (BackupError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("no backup was written", file=sys.stderr)
        return 1
    print(f"wrote {path} ({_size(Path(path))}): {_contents(summary)}; schema revision {summary.revision}")
    return 0


def run_restore(path: Path) -> int:
    engine = get_engine()
    try:
        summary = restore(engine, path)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was restored", file=sys.stderr)
        return 1
    target = engine.url.render_as_string(hide_password=True)
    print(f"restored {path} (backup of {summary.created_at.isoformat()}) into {target}: {_contents(summary)}")
    with session(engine) as s:
        result = changelog.verify(s, anchors=[("백업 manifest", *summary.log_head)])
    if result.intact:
        print(f"change log: {result.entries} entries, chain intact; head {result.head_seq} {result.head_hash[:16]}")
    else:
        for problem in result.problems:
            print(f"WARNING {problem}")
        print(f"change log: {result.entries} entries, chain BROKEN as it was in the backup (see verify-log)")
    return 0
