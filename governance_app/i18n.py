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
