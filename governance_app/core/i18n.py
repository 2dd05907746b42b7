"""Korean labels of the user interface (code and identifiers stay English)."""

from __future__ import annotations

PAGE_TITLES = {
    "home": "오늘 할 일",
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
    "where": "위치",
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
    "budget_revision": "추경 예산과 변경일",
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
    "signin_failure": "로그인 실패 기록",
}


def table_label(name: str) -> str:
    """'연도별 예산액 (budget_amount)': the Korean name with the table's own (its CSV file's) name."""
    described = TABLE_LABELS.get(name)
    return f"{described} ({name})" if described else name


# The command line's closing lines after a refusal: what was not done.
NOTHING_SAVED = "아무것도 저장하지 않았습니다."
CLI_SEVERITY = {"error": "오류", "warning": "경고"}

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
            if last == "." and text[-2:-1].isdigit():
                return FINAL_RIEUL  # '2025. 8. 2.' is read 이일, '2025. 9.' 구월
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


# --- field names ------------------------------------------------------------------------------

# every stored column as the screens name it (변경 이력, 자료 검증, 자료 편집); TABLE_FIELD_LABELS
# where one table means something else by the same name
FIELD_LABELS = {
    "version": "버전",
    "code": "코드",
    "seq": "순번",
    "fiscal_year": "회계연도",
    "year": "연도",
    "month": "월",
    "day": "일",
    "key": "번호",
    "label": "이름",
    "name": "이름",
    "name_ko": "기관명",
    "name_en": "영문 기관명",
    "phone_prefix": "대표번호",
    "title": "제목",
    "text": "내용",
    "content": "내용",
    "detail": "세부 내용",
    "note": "비고",
    "kind": "구분",
    "group": "분류",
    "group_label": "분류",
    "category": "구분",
    "section": "구분",
    "level": "수준",
    "side": "세입·세출",
    "status": "추진상황",
    "status_on": "상태 기준일",
    "status_reported": "추진상태(보고값)",
    "progress_note": "진행 메모",
    "as_of": "기준일",
    "start_date": "시작일",
    "end_date": "종료일",
    "start_month": "시작 월",
    "end_month": "종료 월",
    "event_date": "일자",
    "report_date": "보고일",
    "execution_as_of": "예산 집행 기준일",
    "is_current": "현재 여부",
    "is_total": "합계 행 여부",
    "is_award": "수상 여부",
    "parent_code": "상위 코드",
    "amount": "금액",
    "count": "건수",
    "value": "값",
    "unit": "단위",
    "qualifier": "조건",
    "average": "일평균",
    "share_reported": "비율(보고값)",
    "total_reported": "합계(보고값)",
    "nonphone_reported": "비전화 소계(보고값)",
    "introduced": "도입 연도",
    "stats_label": "통계 명칭",
    "period_code": "기간",
    "channel_code": "상담채널",
    "line_code": "과목",
    "call_period_code": "상담 통계 기간",
    "audit_session_code": "행정사무감사",
    "session_code": "행정사무감사",
    "total_inflow": "총인입",
    "inflow": "인입",
    "answered": "응대",
    "answer_rate_reported": "응대율(보고값)",
    "duties": "분장업무",
    "snapshot_code": "인력 현황 기준일",
    "in_quota": "정원 내 여부",
    "quota": "정원",
    "current": "현원",
    "shortfall_reported": "과부족(보고값)",
    "quota_total_reported": "정원 계(보고값)",
    "current_total_reported": "현원 계(보고값)",
    "shortfall_total_reported": "과부족 계(보고값)",
    "seat_class": "임원 구분",
    "seat_code": "임원 자리",
    "person_code": "임원",
    "min_count": "최소 인원",
    "max_count": "최대 인원",
    "legal_basis": "근거",
    "appointment": "선임 방법",
    "birth_date": "생년월일",
    "while_in_office": "재임 기간 중",
    "budget_line_code": "예산 과목",
    "base_year": "비교 연도",
    "change_reported": "증감(보고값)",
    "budget_amount": "예산액",
    "executed_amount": "집행액",
    "rate_reported": "집행률(보고값)",
    "remaining_reported": "잔액(보고값)",
    "manager_name": "담당 팀장",
    "manager_phone": "팀장 전화",
    "officer_name": "담당자",
    "officer_phone": "담당자 전화",
    "area_number": "분야 번호",
    "number": "번호",
    "lead": "주관 부서",
    "purpose": "목적",
    "cost_thousand": "사업비(천원)",
    "highlight": "추진내용 요약",
    "item_code": "항목",
    "work_item_code": "주요업무",
    "timing": "시기",
    "role": "역할",
    "phone": "전화",
    "derivation": "상태 판단 근거",
    "request": "요구사항",
    "department": "부서",
    "actions": "추진내용",
    "plan": "향후계획",
    "action_date": "조치일",
    "action_date_is_month": "조치일 월 단위",
    "due_date": "기한",
    "from_status": "이전 상태",
    "to_status": "변경한 상태",
    "changed_on": "변경일",
    "changed_by": "변경한 사람",
    "reason": "사유",
    "author": "작성자",
    "file_name": "파일 이름",
    "media_type": "파일 형식",
    "size": "파일 크기",
    "sha256": "체크섬",
    "uploaded_by": "올린 사람",
    "uploaded_on": "올린 날",
    "status_change_seq": "확인한 상태 변경",
    "signed_by": "확인한 사람",
    "signed_on": "확인일",
    "comment": "의견",
    "without_evidence": "증빙 없이 확인",
    "returned": "보완 요구",
    "committee": "위원회",
    "audited_body": "피감기관",
    "report_title": "보고서 제목",
    "table_name": "표",
    "row_key": "행",
    "field": "항목",
    "extracted": "추출값",
    "restored": "복원값",
    "method": "방법",
    "username": "아이디",
    "display_name": "이름",
    "password_hash": "비밀번호(암호화)",
    "active": "사용 여부",
    "demo": "시연용",
    "created_at": "만든 때",
    "password_changed_at": "비밀번호 바꾼 때",
    "failures": "연속 실패 횟수",
    "last_failure_at": "마지막 실패",
    "locked_until": "로그인 대기 끝",
    "*": "행 전체",
    "-": "",
}
TABLE_FIELD_LABELS = {
    ("work_plan", "status"): "추진 상태",
    ("work_plan", "text"): "추진계획",
    ("work_bullet", "text"): "추진내용",
    ("audit_progress_note", "text"): "진행 메모",
    ("audit_signoff", "status"): "확인한 상태",
    ("audit_evidence", "content"): "파일 내용",
    ("budget_line", "name"): "과목명",
    ("execution_line", "label"): "세부사업명",
    ("channel", "name"): "채널명",
    ("board_person", "name"): "성명",
    ("work_contact", "name"): "성명",
    ("work_contact", "role"): "구분",
    ("department", "name"): "부서명",
    ("healing_programme", "name"): "프로그램명",
    ("timeline_task", "name"): "과제명",
    ("daily_average", "line_code"): "구분",
    ("staff_grade", "label"): "직급",
    ("work_area", "title"): "분야",
    ("work_item", "title"): "업무명",
}


def field_label(field: str, table: str | None = None) -> str:
    """A column as the screens name it: field_label('executed_amount') -> '집행액'. Several fields
    ('manager_phone/officer_phone') are named one by one; an unknown field keeps its own name."""
    if "/" in field or "," in field:
        parts = [p.strip() for p in field.replace(",", "/").split("/") if p.strip()]
        return "·".join(field_label(p, table) for p in parts)
    if table is not None and (table, field) in TABLE_FIELD_LABELS:
        return TABLE_FIELD_LABELS[(table, field)]
    return FIELD_LABELS.get(field, field)


# key values that are words, not codes of another table (daily_average.line_code, budget sides …)
KEY_WORDS = {
    "total": "총계",
    "phone": "전화",
    "nonphone": "비전화 소계",
    "other": "기타",
    "revenue": "세입",
    "expenditure": "세출",
}
