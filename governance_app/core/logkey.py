"""The change log's key (HMAC-SHA256), kept outside the database, and the local head anchor.

The key is ``LOG_KEY`` (at least 32 characters) when set, else the file ``LOG_KEY_FILE``
(default ``var/log.key``), created with 32 random bytes and mode 600 at the first start. Whoever
can write the database but not read the key cannot write an entry that verifies, nor recompute
the chain after changing one. Without the key nothing verifies any more: keep it with the
backups, apart from the database (docs/deployment.md).

The anchor file (``LOG_ANCHOR_FILE``, default ``var/log-anchor.json``) records the newest seq
and MAC after every commit that wrote entries, so a tail cut in the database together with its
``log_head`` row is still seen; backups and submitted rounds record the head as well.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from governance_app.core.settings import get_settings

MIN_KEY_CHARS = 32


class LogKeyError(RuntimeError):
    """The key cannot be read or is too short; the message says what to do."""


def _key_file() -> Path:
    return get_settings().log_key_file


@cache
def _key_for(env_key: str | None, path: str) -> bytes:
    if env_key:
        if len(env_key) < MIN_KEY_CHARS:
            raise LogKeyError(f"LOG_KEY must be at least {MIN_KEY_CHARS} characters")
        return env_key.encode()
    file = Path(path)
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        # written whole under another name, then linked into place (fails if it exists): a second
        # process starting at the same moment reads the first's key, never a half-written file
        temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        try:
            os.link(temporary, file)
        except FileExistsError:
            pass  # another process created it first: read theirs
        finally:
            temporary.unlink()
    text = file.read_text().strip()
    if len(text) < MIN_KEY_CHARS:
        raise LogKeyError(f"the change-log key file {file} is shorter than {MIN_KEY_CHARS} characters")
    return text.encode()


def log_key() -> bytes:
    """The key of this deployment (LOG_KEY, or the key file, created on first use)."""
    return _key_for(get_settings().log_key, str(_key_file()))


def _read_all() -> dict[str, Any]:
    path = get_settings().log_anchor_file
    try:
        found = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {"unreadable": str(path)}
    return found if isinstance(found, dict) else {"unreadable": str(path)}


def read_anchor(database: str) -> dict[str, Any] | None:
    """The recorded head of ``database`` ({"seq", "mac", "keyed_from"}), {"unreadable": path} when
    the file cannot be read, None when nothing was recorded for it."""
    found = _read_all()
    if "unreadable" in found:
        return found
    entry = found.get(database)
    return entry if isinstance(entry, dict) else None


@contextlib.contextmanager
def _changing_anchors() -> Iterator[Path]:
    """Hold the anchor file's lock while it is read, changed and replaced: several processes
    (app processes, the CLI, test workers) write one file, and a read-change-write without the
    lock would lose another process's head."""
    path = get_settings().log_anchor_file
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield path
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _replace(path: Path, heads: dict[str, Any]) -> None:
    """Write the whole file anew and rename it into place, so a reader never sees half of it."""
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(heads, handle, indent=1)
    os.replace(temporary, path)


def write_anchor(seq: int, mac: str, database: str, keyed_from: int) -> None:
    """Record the head of ``database`` (never moving it back: another process may have written a
    newer one). One file holds the heads of every database this host writes, by URL."""
    with _changing_anchors() as path:
        heads = _read_all()
        if "unreadable" in heads:
            return  # verify-log reports the unreadable file; never overwrite the evidence
        current = heads.get(database)
        if isinstance(current, dict) and int(current.get("seq", 0)) >= seq:
            return
        heads[database] = {"seq": seq, "mac": mac, "keyed_from": keyed_from}
        _replace(path, heads)


def forget_anchor(database: str) -> None:
    """Drop ``database``'s recorded head (a test that empties its log, a restore into it)."""
    with _changing_anchors() as path:
        heads = _read_all()
        if database in heads:
            del heads[database]
            _replace(path, heads)
