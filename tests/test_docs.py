"""Documentation that cannot drift: every file, column and command is described."""

from __future__ import annotations

import pytest

from governance_app.cli import main
from governance_app.core.settings import ROOT
from governance_app.dataset import ALL_TABLES


def test_data_readme_describes_every_file_and_column() -> None:
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for spec in ALL_TABLES:
        row = next((line for line in text.splitlines() if line.startswith(f"| `{spec.file_name}`")), None)
        assert row is not None, f"{spec.file_name} is not described in data/README.md"
        for column in spec.columns:
            assert f"`{column}`" in row, f"{spec.file_name}: column {column} is not described"


def test_readme_describes_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    commands = capsys.readouterr().out.split("{", 1)[1].split("}", 1)[0].split(",")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in commands:
        assert f"| `{command}" in readme, f"command {command} is not in README.md"
    assert "make run" in readme and "make test" in readme
