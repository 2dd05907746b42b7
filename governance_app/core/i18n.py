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
