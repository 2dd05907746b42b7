"""The keyed change log (issue 13, 6.): a database writer without the key cannot rewrite it.

The two rewrites that left the unkeyed chain "intact": cutting the last 5 entries with
log_head moved back, and changing entry 100's actor with every later hash and the head
recomputed. Both are now detected and named, as is lowering ``keyed_from`` to pass keyed
entries off as old unkeyed ones."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine

from governance_app import rounds
from governance_app.core import changelog, logkey
from governance_app.core.changelog import LogHead
from governance_app.core.db import session
from governance_app.core.settings import get_settings
from governance_app.report import build as reports
from tests.helpers import PLANNER
from tests.helpers.log import LOG, head, head_entry, tamper, verify_log

HEAD = LogHead.__table__  # type: ignore[attr-defined]


def rows(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(r) for r in connection.execute(select(LOG).order_by(LOG.c.seq)).mappings()]


def test_cutting_the_tail_and_moving_the_head_back_is_seen_by_the_anchor(
    engine: Engine,
    capsys: pytest.CaptureFixture[str],
) -> None:
    last = head(engine)
    kept = rows(engine)[last - 6]
    tamper(
        engine,
        delete(LOG).where(LOG.c.seq > last - 5),
        update(HEAD).values(seq=kept["seq"], hash=kept["hash"]),
    )
    code, lines = verify_log(capsys)
    assert code == 1
    assert lines[:-1] == [
        f"오류  [기준점] 기준점 파일에는 {last}번 항목까지 기록되어 있는데 로그는 {last - 5}번에서 끝납니다: "
        "끝부분이 잘렸습니다"
    ]


def test_a_rewritten_entry_with_every_later_hash_recomputed_is_seen_by_the_mac(
    engine: Engine,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The attacker knows the algorithm but not the key: recomputing with SHA-256 (the old
    scheme) or with a guessed key gives MACs that do not verify."""
    entries = rows(engine)
    statements = []
    prev = entries[98]["hash"]
    for entry in entries[99:]:
        values = {k: v for k, v in entry.items() if k != "hash"}
        if entry["seq"] == 100:
            values["actor"] = "someone-else"
        values["prev_hash"] = prev
        canonical = json.dumps(
            {**values, "at": values["at"].isoformat()}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        prev = hashlib.sha256(canonical.encode()).hexdigest()
        statements.append(
            update(LOG)
            .where(LOG.c.seq == entry["seq"])
            .values(actor=values["actor"], prev_hash=values["prev_hash"], hash=prev)
        )
    statements.append(update(HEAD).values(hash=prev))
    tamper(engine, *statements)
    code, lines = verify_log(capsys)
    assert code == 1
    assert lines[0] == "오류  [MAC(키)] 100번 항목의 내용이 MAC(키)와 맞지 않습니다: 변경되었거나 위조되었습니다"
    assert all("[MAC(키)]" in line or "[기준점]" in line for line in lines[:-1])
    assert any(f"[기준점] {len(entries)}번 항목이 기준점 파일에 기록된 MAC과 다릅니다" in line for line in lines)


def test_lowering_keyed_from_is_seen(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    last = head(engine)
    tamper(engine, update(HEAD).values(keyed_from=last + 1))
    code, lines = verify_log(capsys)
    assert code == 1 and any(line.startswith("오류  [키 시작점]") for line in lines)


def test_the_key_file_is_created_once_with_mode_600(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOG_KEY", raising=False)
    monkeypatch.setenv("LOG_KEY_FILE", str(tmp_path / "var" / "log.key"))
    get_settings.cache_clear()
    try:
        first = logkey.log_key()
        assert len(first) == 64 and os.stat(tmp_path / "var" / "log.key").st_mode & 0o777 == 0o600
        logkey._key_for.cache_clear()
        assert logkey.log_key() == first  # read back, not replaced
    finally:
        get_settings.cache_clear()
        logkey._key_for.cache_clear()


def test_a_short_log_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_KEY", "short")
    get_settings.cache_clear()
    try:
        with pytest.raises(logkey.LogKeyError, match="at least 32"):
            changelog.entry_hash(
                seq=1,
                at=__import__("datetime").datetime(2025, 1, 1),
                actor="a",
                role="r",
                action="create",
                table_name="t",
                record_id=None,
                record_key="k",
                changes="{}",
                prev_hash=changelog.GENESIS,
            )
    finally:
        get_settings.cache_clear()


def test_a_submitted_round_anchors_the_head_it_was_made_at(
    engine: Engine, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer who can also delete the local anchor file, cutting the log back behind a
    submission, is still seen: the submitted round recorded the head."""
    monkeypatch.setattr(reports, "KINDS", {"audit": reports.KINDS["audit"]})  # one document kind: faster
    seq, mac = head_entry(engine)
    with session(engine) as s:
        rounds.freeze(session=s, actor=PLANNER, code="2025-09")
    with session(engine) as s:
        assert rounds.log_anchor(s, "2025-09") == (seq, mac)  # the head before the submission's own entries
    assert verify_log(capsys)[0] == 0
    kept = rows(engine)[seq - 4]  # entry seq - 3
    logkey.forget_anchor(changelog.database_name(engine))
    tamper(
        engine,
        delete(LOG).where(LOG.c.seq > kept["seq"]),
        update(HEAD).values(seq=kept["seq"], hash=kept["hash"]),
    )
    code, lines = verify_log(capsys)
    assert code == 1
    assert (
        f"오류  [기준점] 제출 회차 2025-09에는 {seq}번 항목까지 기록되어 있는데 로그는 {seq - 3}번에서 끝납니다: "
        "끝부분이 잘렸습니다"
    ) in lines
