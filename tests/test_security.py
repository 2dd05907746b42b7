"""Security settings that must not drift: XSRF, upload limits and types, no secret in the
repository, queries built with bound parameters only."""

from __future__ import annotations

import ast
import re
import subprocess
import tomllib

from audit_followup import evidence
from budget.upload import MAX_UPLOAD_BYTES, parse_upload
from governance_app.core.settings import ROOT


def _tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line]


def test_streamlit_protects_forms_and_limits_uploads() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    # the largest thing anyone uploads is an evidence file of evidence.MAX_MB; Streamlit refuses above this
    assert evidence.MAX_MB <= config["server"]["maxUploadSize"] <= 20


def test_every_upload_is_checked_in_korean_by_our_code() -> None:
    """Streamlit's own type check answers only with an English tooltip, so no page relies on it:
    a page uploads through ``ui.file_upload`` (kind and size checked, in Korean), or calls
    ``st.file_uploader`` beside ``ui.korean_uploader`` with the service checking the file (the
    audit evidence: audit_followup.evidence.problems)."""
    direct, shared = [], []
    for path in (ROOT / "governance_app" / "pages").glob("*.py"):
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, ast.FunctionDef | ast.Module):
                continue
            called = {getattr(n.func, "attr", None) for n in ast.walk(function) if isinstance(n, ast.Call)}
            if isinstance(function, ast.FunctionDef) and "file_uploader" in called:
                direct.append((path.name, function.name, "korean_uploader" in called))
            if "file_upload" in called:
                shared.append(path.name)
    assert direct and shared, "the pages upload audit evidence and execution exports"
    assert all(korean for *_, korean in direct), direct
    # ui.file_upload itself leaves the type to its own check, never to Streamlit's
    widgets = ast.parse((ROOT / "governance_app" / "ui" / "widgets.py").read_text(encoding="utf-8"))
    uploader = next(
        n for n in ast.walk(widgets) if isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "file_uploader"
    )
    assert any(
        k.arg == "type" and isinstance(k.value, ast.Constant) and k.value.value is None for k in uploader.keywords
    )


def test_uploads_are_refused_by_size_and_type_in_the_services() -> None:
    too_big = parse_upload(b"x" * (MAX_UPLOAD_BYTES + 1), "집행.csv")
    assert not too_big.ok and too_big.findings[0].field == "파일 크기"
    wrong_type = parse_upload(b"MZ\x90\x00", "집행.exe")
    assert not wrong_type.ok and "CSV 또는 XLSX" in wrong_type.findings[0].message
    assert evidence.problems("악성.exe", b"MZ")
    assert evidence.problems("큰파일.pdf", b"%PDF" + b"0" * evidence.MAX_BYTES)


SECRET_PATTERNS = [
    # a real password hash (argon2's 16-byte salt and 32-byte hash in base64), not a test's stand-in
    re.compile(r"\$argon2(id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]{16,}\$[A-Za-z0-9+/]{32,}"),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"(?i)(client_secret|cookie_secret|password)\s*=\s*['\"][^'\"]{6,}['\"]"),
]


def test_no_secret_is_committed() -> None:
    found = []
    for name in _tracked_files():
        path = ROOT / name
        if path.suffix in (".png", ".pdf", ".ttf", ".xlsx", ".docx") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        found += [f"{name}: {p.pattern}" for p in SECRET_PATTERNS if p.search(text)]
    assert found == []
    assert not (ROOT / ".streamlit" / "secrets.toml").exists()
    assert ".env" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def _is_st(func: ast.Attribute) -> bool:
    return isinstance(func.value, ast.Name) and func.value.id in ("st", "streamlit")


def _sql_built_from_strings(tree: ast.AST) -> list[int]:
    """Lines where text()/exec_driver_sql()/execute() get an f-string, % or + built string."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        # sqlalchemy's text(...) is called by name; st.text(...) is a page element, not SQL
        sql = (isinstance(func, ast.Name) and func.id == "text") or (
            isinstance(func, ast.Attribute) and func.attr in ("exec_driver_sql", "execute", "text") and not _is_st(func)
        )
        if sql and isinstance(node.args[0], ast.JoinedStr | ast.BinOp):
            lines.append(node.lineno)
    return lines


def test_queries_are_built_with_bound_parameters() -> None:
    """Application code never pastes values into SQL text: SQLAlchemy expressions bind them."""
    offenders = {}
    for name in _tracked_files():
        if not name.endswith(".py") or name.startswith(("tests/", "bench/")):
            continue
        lines = _sql_built_from_strings(ast.parse((ROOT / name).read_text(encoding="utf-8")))
        if lines:
            offenders[name] = lines
    assert offenders == {}
