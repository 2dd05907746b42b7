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
from governance_app.core import changelog, clock, logkey
from governance_app.core import models as kernel_models  # noqa: F401 - the kernel's tables on SQLModel.metadata
from governance_app.core.db import MIGRATIONS, get_engine, migrate, session
from governance_app.core.errors import RefusalError
from governance_app.core.i18n import particle
from governance_app.core.settings import get_settings

FORMAT = "seoul120-governance-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH_ROWS = 500
BATCH_BYTES = 32 * 1024 * 1024  # evidence rows carry up to 10 MB each


class BackupError(RefusalError):
    """A backup that cannot be written or an archive that must not be restored; nothing changed.
    ``str()`` is the Korean message the command prints."""


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
    raise TypeError(f"{type(value).__name__} 형식의 값은 백업할 수 없습니다")


def decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if len(value) != 1:
        raise ValueError(f"형식 표시가 없는 값입니다: {value!r}")
    [(tag, raw)] = value.items()
    if not isinstance(raw, str):
        raise ValueError(f"{tag} 값은 문자열이어야 합니다: {raw!r}")
    if tag == "decimal":
        return Decimal(raw)
    if tag == "datetime":
        return datetime.fromisoformat(raw)
    if tag == "date":
        return date.fromisoformat(raw)
    if tag == "bytes":
        return base64.b64decode(raw, validate=True)
    raise ValueError(f"알 수 없는 값 형식 {tag!r}")


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
        raise BackupError(f"{path} 파일이 이미 있습니다. 백업은 있는 파일을 덮어쓰지 않으니 새 파일 이름을 지정하세요")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    try:
        with _snapshot(engine) as connection:
            created_at = clock.now_utc().replace(microsecond=0)
            revision = current_revision(connection)
            unknown = sorted(
                set(inspect(connection).get_table_names()) - {t.name for t in tables()} - {"alembic_version"}
            )
            if unknown:  # a model nobody imported: its rows would be missing from the backup
                raise BackupError(f"데이터베이스에 백업이 모르는 표가 있습니다: {', '.join(unknown)}")
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
                f"{path}: 알 수 없는 백업 형식입니다: {manifest.get('format')!r} "
                f"버전 {manifest.get('format_version')!r} (이 프로그램의 형식: {FORMAT} {FORMAT_VERSION})"
            )
        signature = manifest.get("signature")
        if not isinstance(signature, str) or not hmac.compare_digest(signature, sign(manifest)):
            raise BackupError(
                f"{path}: {MANIFEST}의 서명이 이 서버의 변경 이력 키와 맞지 않습니다. 백업 파일이 "
                "바뀌었거나 다른 키(LOG_KEY / var/log.key)로 만든 백업입니다"
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
        raise BackupError(
            f"{path}: {MANIFEST}{particle(MANIFEST, '을')} 읽을 수 없습니다 ({type(exc).__name__}: {exc})"
        ) from exc


def open_archive(path: Path) -> Archive:
    """Read the manifest and check every member against its SHA-256; BackupError names the member."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: 백업 파일이 없습니다")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if MANIFEST not in names:
                raise BackupError(
                    f"{path}: {MANIFEST}{particle(MANIFEST, '이')} 없습니다. 이 프로그램의 백업 파일이 아닙니다"
                )
            found = _manifest(path, archive.read(MANIFEST))
            unlisted = sorted(names - {m.member for m in found.members} - {MANIFEST})
            if unlisted:
                raise BackupError(f"{path}: {unlisted[0]} 항목이 {MANIFEST}에 없습니다. 백업 파일이 바뀌었습니다")
            for entry in found.members:
                if entry.member not in names:
                    raise BackupError(f"{path}: {MANIFEST}에 적힌 {entry.member} 항목이 없습니다")
                with archive.open(entry.member) as stream:
                    actual = _sha256(stream)
                if actual != entry.sha256:
                    raise BackupError(
                        f"{path}: {entry.member} 항목이 {MANIFEST}에 적힌 SHA-256과 다릅니다. "
                        "백업 파일이 바뀌었거나 손상되었습니다"
                    )
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, UnicodeDecodeError, NotImplementedError) as exc:
        # a damaged archive (bit flips end in any of these): one message, nothing read from it
        raise BackupError(
            f"{path}: 읽을 수 있는 zip 파일이 아닙니다. 손상되었거나 잘린 파일입니다 ({type(exc).__name__})"
        ) from exc
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
                    found = sorted(values) if isinstance(values, dict) else "?"
                    raise ValueError(f"열이 다릅니다: {found} (표의 열: {names})")
                yield {name: decode(values[name]) for name in names}
            except (ValueError, TypeError, InvalidOperation, binascii.Error) as exc:
                raise BackupError(f"{entry.member} 항목 {number}번째 줄: {exc}") from exc


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
    text_ = ", ".join(f"{n} {occupied[n]}행" for n in named)
    others = len(occupied) - len(named)
    return text_ + (f" 외 표 {others}개" if others else "")


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
        raise BackupError(f"데이터베이스가 {entry.member} 항목의 행을 받아들이지 않았습니다: {reason}") from exc
    if rows != entry.rows:
        raise BackupError(f"{entry.member} 항목은 {rows}행인데 {MANIFEST}에는 {entry.rows}행으로 적혀 있습니다")
    return rows


def restore(engine: Engine, path: Path) -> Summary:
    """Load the backup ``path`` into the empty database of ``engine``, all or nothing."""
    archive = open_archive(path)
    if archive.revision != _code_revision():  # before anything (the schema too) is created in the target
        raise BackupError(
            f"{archive.path}: 스키마 리비전 {archive.revision!r}에서 만든 백업인데 이 프로그램은 "
            f"{_code_revision()!r}입니다. 백업을 만든 버전의 프로그램으로 복원하세요"
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
                f"{archive.path}: 스키마 리비전 {archive.revision!r}에서 만든 백업인데 이 데이터베이스는 "
                f"{revision!r}입니다. 백업을 만든 버전의 프로그램으로 복원하세요"
            )
        if sorted(by_table) != sorted(expected):
            missing = sorted(set(expected) - set(by_table))
            unknown = sorted(set(by_table) - set(expected))
            raise BackupError(f"{archive.path}: 빠진 표 {missing}, 모르는 표 {unknown}")
        head = changelog.LogHead.__table__  # type: ignore[attr-defined]
        # wait for (and then hold off) any writer extending the log of the target
        connection.execute(select(head.c.seq).with_for_update()).all()
        occupied = _occupied(connection)
        if occupied:
            raise BackupError(
                f"데이터베이스가 비어 있지 않습니다 ({_describe(occupied)}). 복원은 빈 데이터베이스에만 "
                "합니다: 새 데이터베이스(또는 새 SQLite 파일)를 DATABASE_URL에 지정하고 restore를 다시 실행하세요"
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
        f"표 {len(rows)}개, {summary.total}행: 기관 {rows.get('organisation', 0)}곳, "
        f"계정 {rows.get('user_account', 0)}개, 증빙 파일 {rows.get('audit_evidence', 0)}개, "
        f"변경 이력 {rows.get('change_log', 0)}건"
    )


def run_backup(path: Path) -> int:
    engine = get_engine()
    migrate(engine)
    try:
        summary = backup(engine, path)
    except (BackupError, OSError) as exc:
        print(f"오류: {exc}", file=sys.stderr)
        print("백업 파일을 쓰지 않았습니다", file=sys.stderr)
        return 1
    print(f"백업을 썼습니다: {path} ({_size(Path(path))}), {_contents(summary)}; 스키마 리비전 {summary.revision}")
    return 0


def run_restore(path: Path) -> int:
    engine = get_engine()
    try:
        summary = restore(engine, path)
    except BackupError as exc:
        print(f"오류: {exc}", file=sys.stderr)
        print("아무것도 복원하지 않았습니다", file=sys.stderr)
        return 1
    target = engine.url.render_as_string(hide_password=True)
    made = f"{clock.local(summary.created_at):%Y-%m-%d %H:%M} {get_settings().timezone}"
    print(f"복원했습니다: {path} ({made}의 백업) → {target}, {_contents(summary)}")
    with session(engine) as s:
        result = changelog.verify(s, anchors=[("백업 manifest", *summary.log_head)])
    for problem in result.problems:
        print(f"경고  {problem}")
    print(result.summary() + ("" if result.intact else " — 백업에 있던 그대로입니다 (verify-log로 확인하십시오)"))
    return 0
