"""Rules for evidence attachments: allowed types, size limit, checksum and the CSV text form.

The database holds an attachment's bytes (``audit_evidence.content``, a binary column). The
dataset's CSV files hold them as one base64 cell, so ``export`` and ``import`` carry the files
with their SHA-256 and size, and ``validate`` rejects a file whose bytes do not match them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import shutil
import subprocess
from pathlib import PurePath

MAX_BYTES = 10 * 1024 * 1024  # 10 MB per file
MAX_MB = MAX_BYTES // (1024 * 1024)
MAX_FILE_NAME = 200

# Extension -> media type. The media type is derived from the extension, never taken from the browser.
MEDIA_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "hwp": "application/x-hwp",
    "hwpx": "application/hwp+zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
EXTENSIONS: tuple[str, ...] = tuple(MEDIA_TYPES)

_ZIP = (b"PK\x03\x04",)  # docx, xlsx and hwpx are ZIP packages
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # HWP 5 is an OLE compound file
# The first bytes each type must start with: a renamed program or text file is refused.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "hwp": (_OLE, b"HWP Document File"),
    "hwpx": _ZIP,
    "docx": _ZIP,
    "xlsx": _ZIP,
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}

# The allowed types as the page and the refusal name them (jpeg is jpg).
ALLOWED_TEXT = "PDF, 한글(HWP·HWPX), 워드(DOCX), 엑셀(XLSX), 그림(PNG·JPG)"

SHA256 = re.compile(r"^[0-9a-f]{64}$")

# An attachment's base64 cell is up to 4/3 of MAX_BYTES; governance_app.dataset.CELL_LIMIT admits
# it (tests/test_audit_evidence.py checks).


def extension(file_name: str) -> str:
    return PurePath(file_name).suffix.lower().lstrip(".")


def base_name(file_name: str) -> str:
    """The name without any folder part (some browsers send C:\\...\\name.pdf)."""
    return re.split(r"[\\/]", file_name.strip())[-1].strip()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encode(data: bytes) -> str:
    """Bytes -> the canonical base64 text of a CSV cell (no line breaks)."""
    return base64.b64encode(data).decode("ascii")


def decode(text: str) -> bytes:
    """Canonical base64 text -> bytes; raises ValueError for anything else."""
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"base64가 아닙니다 ({exc})") from exc
    if encode(data) != text:
        raise ValueError("base64가 표준 형식이 아닙니다")
    return data


def is_canonical_base64(text: object) -> bool:
    if not isinstance(text, str):
        return False
    try:
        decode(text)
    except ValueError:
        return False
    return True


def problems(file_name: str, data: bytes) -> list[tuple[str, str]]:
    """(field, message) for each rule a file breaks; empty when it may be stored."""
    out: list[tuple[str, str]] = []
    ext = extension(file_name)
    if not file_name:
        out.append(("file_name", "파일 이름이 없습니다"))
    elif len(file_name) > MAX_FILE_NAME:
        out.append(("file_name", f"파일 이름이 {MAX_FILE_NAME}자를 넘습니다"))
    if ext not in MEDIA_TYPES:
        shown = f".{ext} 파일" if ext else "확장자가 없는 파일"
        out.append(("media_type", f"{shown}은 올릴 수 없습니다. 올릴 수 있는 형식: {ALLOWED_TEXT}"))
    if not data:
        out.append(("size", "빈 파일입니다"))
    elif len(data) > MAX_BYTES:
        out.append(("size", f"파일이 {MAX_MB}MB를 넘습니다 ({len(data):,}바이트)"))
    elif ext in SIGNATURES and not data.startswith(SIGNATURES[ext]):
        out.append(("content", f"파일 내용이 .{ext} 형식이 아닙니다"))
    return out


PREVIEW_DPI = 60  # a first page about 500 px wide: enough to recognise a document
PREVIEW_TIMEOUT_SECONDS = 20


def pdf_first_page_png(data: bytes, *, dpi: int = PREVIEW_DPI) -> bytes | None:
    """The first page of a PDF as PNG bytes, drawn by poppler's pdftoppm (Debian poppler-utils)
    from standard input to standard output; None when pdftoppm is missing or cannot draw it."""
    program = shutil.which("pdftoppm")
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, "-png", "-f", "1", "-l", "1", "-r", str(dpi), "-singlefile", "-"],
            input=data,
            capture_output=True,
            timeout=PREVIEW_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    png = done.stdout
    return png if done.returncode == 0 and png.startswith(b"\x89PNG") else None
