"""Evidence attachments on SQLite and PostgreSQL: bytes in the database with their SHA-256,
type and size rules, and the dataset round trip that carries them as base64."""

from __future__ import annotations

import filecmp
import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from audit_followup import evidence
from audit_followup import service as audit
from governance_app.cli import main
from governance_app.core import clock
from governance_app.core.auth import Actor, PermissionDeniedError
from governance_app.core.db import session
from governance_app.dataset import ALL_TABLES, read_csv, write_csv
from tests.helpers import wipe
from tests.helpers.audit import PDF, PNG, SESSION, change, download, note, org_id, sign, snapshot, upload

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
ZIP = b"PK\x03\x04" + b"\x14\x00" * 200
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x02" * 64


def test_evidence_is_stored_as_bytes_with_its_checksum(engine: Engine) -> None:
    before = clock.today()
    stored = upload(engine, "R-01", "만족도조사_결과보고.pdf", PDF)
    assert (stored.seq, stored.file_name, stored.media_type, stored.size) == (
        1,
        "만족도조사_결과보고.pdf",
        "application/pdf",
        len(PDF),
    )
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.uploaded_by == "planner-park" and before <= stored.uploaded_on <= clock.today()
    with engine.connect() as connection:  # the column holds the file's bytes, not text
        raw = connection.execute(text("SELECT content, sha256 FROM audit_evidence")).one()
    assert bytes(raw[0]) == PDF and raw[1] == hashlib.sha256(PDF).hexdigest()
    assert download(engine, "R-01", 1) == audit.EvidenceFile("만족도조사_결과보고.pdf", "application/pdf", PDF)
    with session(engine) as s:
        found = audit.item_detail(s, org_id(engine), SESSION, "R-01", date(2025, 9, 1))
    assert found is not None and found.evidence == [stored]


def test_a_file_changed_in_the_database_fails_its_checksum(engine: Engine) -> None:
    upload(engine, "R-01", "결과.pdf", PDF)
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_evidence SET content = :data"), {"data": PDF.replace(b"%%EOF", b"%%EOX")})
    with pytest.raises(audit.RefusedError) as refused:
        download(engine, "R-01", 1)
    assert (refused.value.item_code, refused.value.field) == ("R-01", "sha256")


@pytest.mark.parametrize(
    ("file_name", "data", "media_type"),
    [
        ("보고서.pdf", PDF, "application/pdf"),
        ("개정 지침.hwp", OLE, "application/x-hwp"),
        ("개정 지침.HWPX", ZIP, "application/hwp+zip"),
        ("회의록.docx", ZIP, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("실적.xlsx", ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("누리집 화면.png", PNG, "image/png"),
        ("현장.jpg", JPG, "image/jpeg"),
    ],
)
def test_allowed_types_are_accepted(engine: Engine, file_name: str, data: bytes, media_type: str) -> None:
    assert upload(engine, "S-06", file_name, data).media_type == media_type
    assert download(engine, "S-06", 1).data == data


@pytest.mark.parametrize(
    ("file_name", "data", "field"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 100, "media_type"),
        ("메모.txt", b"plain text", "media_type"),
        ("animation.gif", b"GIF89a" + b"\x00" * 10, "media_type"),
        ("확장자없음", PDF, "media_type"),
        ("위장.pdf", b"MZ\x90\x00" + b"\x00" * 100, "content"),  # a program renamed to .pdf
        ("사진.png", JPG, "content"),
        ("빈파일.pdf", b"", "size"),
        ("대용량.pdf", b"%PDF-" + b"0" * evidence.MAX_BYTES, "size"),  # one part over 10 MB
        ("", PDF, "file_name"),
    ],
)
def test_wrong_type_empty_or_oversize_files_are_refused(
    engine: Engine, file_name: str, data: bytes, field: str
) -> None:
    before = snapshot(engine)
    with pytest.raises(audit.RefusedError) as refused:
        upload(engine, "S-06", file_name, data)
    assert (refused.value.item_code, refused.value.field) == ("S-06", field)
    assert snapshot(engine) == before


def test_duplicates_folders_and_other_departments(engine: Engine) -> None:
    assert upload(engine, "R-01", "C:\\Users\\kim\\Desktop\\결과.pdf", PDF).file_name == "결과.pdf"
    before = snapshot(engine)
    with pytest.raises(audit.RefusedError) as duplicate:
        upload(engine, "R-01", "결과(사본).pdf", PDF)
    assert duplicate.value.field == "content" and "결과.pdf" in str(duplicate.value)
    with pytest.raises(PermissionDeniedError):
        upload(engine, "R-01", "결과2.pdf", PDF + b"2", actor=Actor("ethics-lee", "department", "윤리감사실"))
    with pytest.raises(PermissionDeniedError):
        upload(engine, "R-01", "결과2.pdf", PDF + b"2", actor=Actor("auditor-kim", "auditor"))
    assert snapshot(engine) == before
    assert upload(engine, "R-01", "결과2.pdf", PDF + b"2").seq == 2
    assert upload(engine, "R-02", "결과.pdf", PDF).seq == 1  # the same file may back another item


def test_export_import_export_carries_the_follow_up_record(engine: Engine, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    largest = b"%PDF-" + bytes(range(256)) * (evidence.MAX_BYTES // 256 - 1) + b"0" * 251  # exactly 10 MB
    assert len(largest) == evidence.MAX_BYTES
    change(engine, "R-01", "완료", "추진중", date(2025, 10, 1), '조사 설계 보완, "재조사"\n필요')
    note(engine, "R-01", date(2025, 12, 31), "문항 보완안 작성,\n검토 중")
    upload(engine, "R-01", "보완안.pdf", PDF)
    upload(engine, "R-01", "원본 스캔.pdf", largest)
    upload(engine, "S-06", "화면.png", PNG)
    sign(engine, "S-06", "완료")
    change(engine, "R-01", "추진중", "완료", date(2026, 1, 5))
    sign(engine, "R-01", "완료")
    before = snapshot(engine)

    assert main(["export", str(first)]) == 0
    header, rows = read_csv(first / "audit_evidence.csv")
    cells = [dict(zip(header, row, strict=True)) for row in rows]
    assert [evidence.decode(c["content"]) for c in cells] == [PDF, largest, PNG]
    assert [c["sha256"] for c in cells] == [hashlib.sha256(d).hexdigest() for d in (PDF, largest, PNG)]

    wipe(engine)
    assert main(["import", str(first)]) == 0
    assert snapshot(engine) == before
    assert download(engine, "R-01", 2).data == largest
    assert main(["export", str(second)]) == 0
    _, different, missing = filecmp.cmpfiles(first, second, [s.file_name for s in ALL_TABLES], shallow=False)
    assert (different, missing) == ([], [])


def _edit_evidence(path: Path, field: str, value: str) -> None:
    header, rows = read_csv(path / "audit_evidence.csv")
    rows[0][header.index(field)] = value
    write_csv(path / "audit_evidence.csv", header, rows)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sha256", hashlib.sha256(b"another file").hexdigest(), "audit_evidence | 2024-admin/S-06/1 | sha256"),
        ("size", "999", "audit_evidence | 2024-admin/S-06/1 | size"),
        ("content", evidence.encode(PDF), "audit_evidence | 2024-admin/S-06/1 | sha256"),
        ("content", "이건 base64가 아님", "audit_evidence | 2024-admin/S-06/1 | content"),
        ("media_type", "application/pdf", "audit_evidence | 2024-admin/S-06/1 | media_type"),
        ("file_name", "화면.exe", "audit_evidence | 2024-admin/S-06/1 | file_name"),
    ],
)
def test_import_refuses_evidence_that_does_not_match_its_checksum(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str, value: str, message: str
) -> None:
    upload(engine, "S-06", "화면.png", PNG)
    assert main(["export", str(tmp_path)]) == 0
    _edit_evidence(tmp_path, field, value)
    before = snapshot(engine)
    capsys.readouterr()
    assert main(["validate", str(tmp_path)]) == 1
    assert message in capsys.readouterr().out
    assert main(["import", str(tmp_path)]) == 1
    assert message in capsys.readouterr().out
    assert snapshot(engine) == before


def test_csv_cell_limit_admits_the_largest_attachment() -> None:
    from audit_followup.evidence import MAX_BYTES
    from governance_app.dataset import CELL_LIMIT

    assert (MAX_BYTES // 3 + 1) * 4 < CELL_LIMIT
