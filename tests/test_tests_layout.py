"""The tests' own house rule: shared helpers live in tests/helpers, so no test module imports
another (a test module's import would run its tests' module-level set-up and tie the files)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def imported_test_modules(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
        found += [n for n in names if n.startswith("tests.test_") or n.startswith("test_")]
    return found


def test_no_test_module_imports_another() -> None:
    offenders = {p.name: imported_test_modules(p) for p in sorted(TESTS.glob("test_*.py"))}
    assert {name: found for name, found in offenders.items() if found} == {}
    assert len(offenders) > 40  # the scan saw the suite


def test_the_scan_finds_such_an_import(tmp_path: Path) -> None:
    module = tmp_path / "test_example.py"
    module.write_text("from tests.test_changelog import verify_log\nimport tests.test_roles\n")
    assert imported_test_modules(module) == ["tests.test_changelog", "tests.test_roles"]
