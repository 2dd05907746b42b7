"""Korean particles (조사) chosen from how a word ends when read aloud, and no placeholder such as
"(으)로" or "을(를)" anywhere in the code's messages."""

from __future__ import annotations

import re
import subprocess

import pytest

from governance_app.core.i18n import josa, particle
from governance_app.core.settings import ROOT

PLACEHOLDER = re.compile(r"\(으\)로|을\(를\)|이\(가\)|은\(는\)|와\(과\)|과\(와\)|\(이\)라|\(이\)나")


@pytest.mark.parametrize(
    ("word", "kind", "expected"),
    [
        ("완료", "을", "완료를"),  # no final consonant
        ("추진중", "을", "추진중을"),  # ㅇ
        ("없음", "으로", "없음으로"),
        ("메일", "으로", "메일로"),  # ㄹ takes 로
        ("추진중", "로", "추진중으로"),  # either form names the particle
        ("'완료'", "을", "'완료'를"),  # quotes are not read
        ("서울(Seoul)", "은", "서울(Seoul)은"),  # a parenthesis: the word outside it
        ("R-01", "이", "R-01이"),  # 일
        ("R-05", "이", "R-05가"),  # 오
        ("2025-10-31", "은", "2025-10-31은"),  # 일
        ("1,630,927", "과", "1,630,927과"),  # 칠
        ("10", "이", "10이"),  # 십
        ("20", "으로", "20으로"),  # 이십: ㅂ, not ㄹ
        ("100", "은", "100은"),  # 백
        ("1,000", "을", "1,000을"),  # 천
        ("30,000", "이", "30,000이"),  # 만
        ("55.4", "이", "55.4가"),  # 사
        ("96.5%", "로", "96.5%로"),  # 퍼센트
        ("PDF", "으로", "PDF로"),  # 에프
        ("URL", "으로", "URL로"),  # 엘: ㄹ
        ("ESG", "과", "ESG와"),  # 지
        ("admin", "은", "admin은"),  # ends in n
        ("2025. 8. 2.", "은", "2025. 8. 2.은"),  # a date is read …이일
        ("2025. 9.", "로", "2025. 9.로"),  # … 구월
    ],
)
def test_particles_follow_the_last_sound(word: str, kind: str, expected: str) -> None:
    assert josa(word, kind) == expected
    assert josa(word, kind) == word + particle(word, kind)


def test_an_unknown_particle_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown particle"):
        particle("완료", "의")


def test_no_particle_placeholder_in_the_code() -> None:
    files = subprocess.run(
        ["git", "ls-files", "*.py", "*.md"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    found = [
        f"{name}:{number}: {line.strip()}"
        for name in files
        if name != "tests/test_i18n.py"
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), start=1)
        if PLACEHOLDER.search(line)
    ]
    assert found == []
