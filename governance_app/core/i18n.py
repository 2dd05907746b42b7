"""Korean labels of the user interface (code and identifiers stay English)."""

from __future__ import annotations

PAGE_TITLES = {
    "overview": "개요",
    "institution": "연혁·비전",
    "calls": "상담 현황",
    "staffing": "조직·인력",
    "board": "이사회",
    "budget": "예산",
    "major_work": "주요업무",
    "timeline": "추진일정",
    "esg": "ESG·감정노동",
    "audit": "행정사무감사",
    "quality": "자료 검증",
    "rounds": "보고 회차",
    "reports": "보고서",
    "edit": "자료 편집",
    "history": "변경 이력",
    "signin": "로그인",
}

# auth.ROLES as the sidebar and the account list name them
ROLE_LABELS = {
    "planning": "기획조정실",
    "finance": "재무",
    "auditor": "감사",
    "department": "부서",
    "board": "이사회",
}

SEVERITY = {"error": "오류", "warning": "불일치"}

FINDING_COLUMNS = {
    "table": "표",
    "row": "행",
    "field": "항목",
    "reported": "보고값",
    "expected": "계산값",
    "severity": "구분",
    "message": "내용",
}

BUDGET_LEVEL = {"total": "총계", "item": "항목", "policy": "정책", "unit": "단위", "detail": "세부사업"}

# every table as the pages name it (자료 편집, 변경 이력), the dataset's in load order
TABLE_LABELS = {
    "round_state": "보고 회차 상태",
    "round_document": "제출 문서",
    "organisation": "기관",
    "report": "보고 회차와 기준일",
    "correction": "원문 복원 기록",
    "reported_figure": "본문에 적힌 수치",
    "history_event": "기관 연혁",
    "statement": "설립근거·미션·비전·전략",
    "channel": "상담채널",
    "ars_menu": "ARS 메뉴",
    "call_period": "상담 통계 기간",
    "channel_count": "상담채널별 상담건 수",
    "daily_average": "일평균 상담건 수",
    "phone_performance": "전화상담 실적",
    "department": "조직과 분장업무",
    "staffing_snapshot": "인력 현황 기준일",
    "staff_grade": "직급별 정원·현원",
    "board_rule": "이사회 구성 요건",
    "board_term_rule": "임원 임기 규칙",
    "board_seat": "임원 자리",
    "board_person": "임원 인적사항",
    "board_person_line": "임원 학력·경력",
    "board_term": "임원 임기",
    "budget_line": "예산 과목",
    "budget_amount": "연도별 예산액",
    "budget_change": "예산 증감(보고값)",
    "execution_line": "예산 집행 세부사업",
    "execution_snapshot": "예산 집행 현황",
    "work_area": "주요업무 분야",
    "work_item": "주요업무",
    "work_bullet": "주요업무 추진내용",
    "work_plan": "주요업무 추진계획",
    "work_contact": "주요업무 담당자",
    "work_budget_link": "주요업무와 세부사업 연결",
    "timeline_task": "사업별 추진일정",
    "esg_activity": "ESG 활동",
    "healing_programme": "힐링 프로그램",
    "esg_figure": "감정노동 보호 수치",
    "audit_session": "행정사무감사",
    "audit_summary_reported": "행정사무감사 총괄(보고값)",
    "audit_item": "행정사무감사 처리요구사항",
    "audit_status_change": "처리요구사항 상태 변경",
    "audit_progress_note": "처리요구사항 진행 메모",
    "audit_evidence": "처리요구사항 증빙 자료",
    "audit_signoff": "처리요구사항 감사 확인",
    "user_account": "사용자 계정",
}


def table_label(name: str) -> str:
    """'연도별 예산액 (budget_amount)': the Korean name with the table's own (its CSV file's) name."""
    described = TABLE_LABELS.get(name)
    return f"{described} ({name})" if described else name


ROUND_READ_ONLY = (
    "제출된 회차입니다. 읽기 전용이며 자료를 고칠 수 없습니다 (기획조정실이 사유를 적어 다시 열 수 있습니다)."
)
# --- particles (조사) -----------------------------------------------------------------------------

# each particle as (after a final consonant, after a vowel); 으로/로 also takes 로 after ㄹ
PARTICLES = {
    "을": ("을", "를"),
    "이": ("이", "가"),
    "은": ("은", "는"),
    "과": ("과", "와"),
    "으로": ("으로", "로"),
    "이나": ("이나", "나"),
    "이라": ("이라", "라"),
}
_ALIASES = {vowel: pair for pair in PARTICLES.values() for vowel in pair}
HANGUL_FIRST, HANGUL_LAST, FINAL_COUNT, FINAL_RIEUL = 0xAC00, 0xD7A3, 28, 8
# how a digit is read (일, 이, 삼 …): the final consonant of its reading, 0 none, 8 ㄹ
DIGIT_FINALS = {"0": 21, "1": 8, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": 8, "8": 8, "9": 0}
# a number ending in zeros is read by its last unit: 십, 백, 천, 만, 억, 조
ZERO_RUN_FINALS = {1: 17, 2: 1, 3: 4, 4: 4, 5: 4, 6: 4, 7: 4, 8: 1}
# Latin letters as their names are read (엘, 엠, 엔, 알 end in a consonant); a lowercase word by its
# last letter as English is read (…l as ㄹ; …m, …n, …k, …p, …t, …b, …d, …g with a final)
LETTER_FINALS = {"L": 8, "M": 16, "N": 4, "R": 8}
WORD_FINALS = {"l": 8, "m": 16, "n": 4, "k": 1, "p": 17, "t": 19, "b": 17, "d": 19, "g": 21}
_CLOSING = {")": "(", "]": "[", "」": "「", "』": "『"}
_QUOTES = "'\"‘’“”「」『』 .,·"


def _final(word: str) -> int | None:
    """The final consonant (jongseong index, 0: none, 8: ㄹ) of how ``word`` ends when read aloud;
    None when it cannot be told (no letter, digit or syllable at all)."""
    text = word.rstrip()
    while text:
        last = text[-1]
        if last in _CLOSING:  # '서울(Seoul)': the particle agrees with what stands outside
            opened = text.rfind(_CLOSING[last])
            text = text[:opened].rstrip() if opened > 0 else text[1:-1]
            continue
        if last in _QUOTES or last in "%":
            if last == "%":
                return 0  # 퍼센트
            text = text[:-1]
            continue
        break
    if not text:
        return None
    last = text[-1]
    if HANGUL_FIRST <= ord(last) <= HANGUL_LAST:
        return (ord(last) - HANGUL_FIRST) % FINAL_COUNT
    if last.isdigit():
        digits = "".join(c for c in text if c.isdigit() or c == ".")
        head = digits.split(".")[-1] if "." in digits else digits
        zeros = len(head) - len(head.rstrip("0"))
        if zeros and zeros < len(head) and "." not in digits:
            return ZERO_RUN_FINALS.get(zeros, 0)
        return DIGIT_FINALS[last]
    if last.isascii() and last.isalpha():
        if last.isupper() or len(text) == 1 or not text[-2:-1].isalpha():
            return LETTER_FINALS.get(last.upper(), 0)
        if text.endswith("ng"):
            return 21
        return WORD_FINALS.get(last, 0)
    return None


def particle(word: object, kind: str) -> str:
    """The form of particle ``kind`` (either form: '을' or '를', '으로' or '로') that follows ``word``:
    particle('완료', '을') -> '를'; particle('R-01', '이') -> '이' (일); particle('메일', '으로') -> '로'."""
    pair = PARTICLES.get(kind) or _ALIASES.get(kind)
    if pair is None:
        raise ValueError(f"unknown particle {kind!r}")
    final = _final(str(word))
    if final is None:
        final = 0
    if pair == PARTICLES["으로"] and final == FINAL_RIEUL:
        return pair[1]
    return pair[0] if final else pair[1]


def josa(word: object, kind: str) -> str:
    """``word`` followed by the fitting form of particle ``kind``: josa('완료', '을') -> '완료를'."""
    return f"{word}{particle(word, kind)}"
