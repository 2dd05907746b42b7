"""The Hangul TrueType fonts both renderers use (Debian fonts-nanum)."""

from __future__ import annotations

from pathlib import Path

FONT_NAME = "NanumGothic"
FONT_DIRS = [Path("/usr/share/fonts/truetype/nanum"), Path("/usr/share/fonts/nanum")]


def font_file(bold: bool = False) -> Path:
    name = "NanumGothicBold.ttf" if bold else "NanumGothic.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"{name} not found: install Debian's fonts-nanum (make run does)")
