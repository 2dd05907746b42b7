"""The reasons of the seed's 원문 복원 기록 (data/correction.csv) in Korean, for the 자료 검증 page.

The seed writes each reason in English, as it was noted while restoring the report's text; the
data stays as written and the page shows these Korean sentences instead (a reason without one here
is shown as stored). Keyed by the English reason, so a reason shared by several rows is translated
once."""

# ruff: noqa: E501  (the keys are the seed's sentences, as long as they are)

from __future__ import annotations

REASONS_KO: dict[str, str] = {
    "Two history lines were merged into one; split into events 22 and 23.": (
        "연혁 두 줄이 한 줄로 합쳐져 있어 22번과 23번 연혁으로 나눴습니다."
    ),
    "The second event lost its own date in the merge; it is kept under 2025. 4., the line it was merged into.": (
        "합쳐지며 둘째 연혁의 날짜가 사라져, 합쳐진 줄의 날짜(2025. 4.)로 두었습니다."
    ),
    "OCR typo; section II item 6 reads 감정노동 보호 평가결과: 4년 연속 최우수기관.": (
        "글자 인식 오류입니다. Ⅱ장 6번 항목에 '감정노동 보호 평가결과: 4년 연속 최우수기관'으로 적혀 있습니다."
    ),
    "Law title written as in the board section (출자·출연 기관).": "법률 이름을 이사회 부분의 표기(출자·출연 기관)대로 적었습니다.",
    "OCR typo.": "글자 인식 오류입니다.",
    "OCR typo of the foundation's name.": "재단 이름의 글자 인식 오류입니다.",
    "The strategy boxes were flattened into one line; read as three directions, two with a subtitle.": (
        "전략 상자들이 한 줄로 이어져 있어 세 방향(둘은 부제 포함)으로 나눠 읽었습니다."
    ),
    "Letter-spaced box heading reassembled.": "글자마다 띄어진 상자 제목을 이어 붙였습니다.",
    "Merged cell split: 4급 현원 16 - 정원 24 = △8.": "병합된 칸을 나눴습니다: 4급 현원 16 - 정원 24 = △8.",
    "Merged cell split: 5급 현원 227 - 정원 292 = △65.": "병합된 칸을 나눴습니다: 5급 현원 227 - 정원 292 = △65.",
    "Garbled header restored from the column layout; 이사장 is its own column.": (
        "깨진 머리글을 열 배치로 되살렸습니다. 이사장은 따로 한 열입니다."
    ),
    "계 excludes the (정원外) column: 1+1+1+4+24+292+100 = 423 and 현원 1+1+1+2+16+227+158 = 406.": (
        "계에는 (정원外) 열이 빠집니다: 정원 1+1+1+4+24+292+100 = 423, 현원 1+1+1+2+16+227+158 = 406."
    ),
    "Separator misread.": "구분 기호를 잘못 읽었습니다.",
    "Merged-cell OCR garble.": "병합된 칸의 글자가 깨졌습니다.",
    "OCR typo; 1,473,635 + 62,612 = 1,536,247.": "글자 인식 오류입니다. 1,473,635 + 62,612 = 1,536,247.",
    "Garbled; the unit holds 스마트상담시스템 구축 and 운영 활성화 (1,500,000 + 135,656 = 1,635,656).": (
        "글자가 깨졌습니다. 이 단위사업은 스마트상담시스템 구축과 운영 활성화로 이루어집니다 "
        "(1,500,000 + 135,656 = 1,635,656)."
    ),
    "Named as in the execution table, which shows the same 2025 amount 304,857.": (
        "같은 2025년 금액 304,857을 적은 집행 현황 표의 이름을 따랐습니다."
    ),
    "OCR typo; 164,899 + 14,800 = 179,699.": "글자 인식 오류입니다. 164,899 + 14,800 = 179,699.",
    "OCR garble; 19,951,711 + 2,097,759 + 5,444,878 + 540,682 = 28,035,030.": (
        "글자가 깨졌습니다. 19,951,711 + 2,097,759 + 5,444,878 + 540,682 = 28,035,030."
    ),
    "28,335,030 - 28,035,030 = 300,000 is the reserve (예비비).": "28,335,030 - 28,035,030 = 300,000이 예비비입니다.",
    "The header row swallowed figures of several rows; every figure is taken from its own clean row, which repeats them.": (
        "머리글 행에 여러 행의 수치가 섞여 들어가, 같은 수치를 다시 적은 각 행에서 수치를 가져왔습니다."
    ),
    "Budget 183,379 equals the 2025 예비비 line.": "예산액 183,379는 2025년 예비비와 같습니다.",
    "일반관리비 29,209,313 equals the 2025 unit 운영경비, whose four 세부사업 are executed as one line.": (
        "일반관리비 29,209,313은 2025년 단위사업 운영경비와 같습니다. 그 세부사업 넷을 한 줄로 집행합니다."
    ),
    "The ☎ sign was read as 2 in several cells.": "여러 칸에서 ☎ 기호를 숫자 2로 읽었습니다.",
    "Final full stop missing.": "마지막 마침표가 빠졌습니다.",
    "Middle dot dropped in the list; the area page prints 분석 · 환류.": (
        "목록에서 가운뎃점이 빠졌습니다. 분야 쪽에는 '분석 · 환류'로 인쇄되어 있습니다."
    ),
    "Lower-case l misread for capital I in AI.": "AI의 대문자 '아이'를 소문자 '엘'로 읽었습니다.",
    "The 내용 label was split around the value by the extraction.": "추출하며 '내용' 표제가 값의 앞뒤로 갈라졌습니다.",
    "Quoted banner line of the 추진내용 box taken as the item's headline, quotes dropped.": (
        "추진내용 상자의 따옴표 문장을 항목의 요약으로 삼고 따옴표는 뺐습니다."
    ),
    "Spaces around the middle dot are an extraction artefact.": "가운뎃점 앞뒤의 띄어쓰기는 추출 과정에서 생긴 것입니다.",
    "Label 목 저 is a misread of 목 적 (purpose).": "표제 '목 저'는 '목 적'을 잘못 읽은 것입니다.",
    "Single-item area pages 5-7 print no item code; the area number is used.": (
        "항목이 하나뿐인 5~7 분야 쪽에는 항목 번호가 없어 분야 번호를 썼습니다."
    ),
    "Vertical heading split letter by letter in the extraction; reassembled with natural spacing.": (
        "세로 제목이 추출하며 글자마다 갈라져, 자연스러운 띄어쓰기로 이어 붙였습니다."
    ),
    "Highlight markup from the extraction removed.": "추출하며 붙은 강조 표시를 지웠습니다.",
    "Bold markup from the extraction removed.": "추출하며 붙은 굵은 글씨 표시를 지웠습니다.",
    "Letters of the vertical heading 지식정보 were merged into the bullet text.": (
        "세로 제목 '지식정보'의 글자가 항목 글에 섞여 들어갔습니다."
    ),
    "Stray space before the comma removed.": "쉼표 앞의 불필요한 띄어쓰기를 지웠습니다.",
    "Misread of 안전보험; matches the case-study title on the same page.": (
        "'안전보험'을 잘못 읽었습니다. 같은 쪽 사례 제목과 같습니다."
    ),
    "The ※ note was run onto the bullet line; split into its own note line.": (
        "※ 참고 줄이 항목 줄에 이어져 있어 따로 한 줄로 나눴습니다."
    ),
    "The ○ marker was misread as 이 and merged with the heading letters.": (
        "○ 기호를 '이'로 읽어 제목 글자와 합쳐졌습니다."
    ),
    "Spacing around the middle dot and after the parenthesis normalised.": "가운뎃점 앞뒤와 괄호 뒤의 띄어쓰기를 바로잡았습니다.",
    "Garbled case title restored to match the other bracketed case titles and the 안전보험 case.": (
        "깨진 사례 제목을 다른 [ ] 사례 제목과 안전보험 사례에 맞춰 되살렸습니다."
    ),
    "Columns interleaved; 6.1~7.10 is 40 days so the fact belongs to 전기화재; commas fixed to dots.": (
        "열이 뒤섞였습니다. 6. 1.~7. 10.은 40일이므로 전기화재의 내용이며, 쉼표를 마침표로 고쳤습니다."
    ),
    "Two columns on one line; the 전선/실외기 types belong to 전기화재; full stop after 20.8% is a comma.": (
        "두 열이 한 줄에 있습니다. 전선·실외기 유형은 전기화재의 것이며, 20.8% 뒤의 마침표는 쉼표입니다."
    ),
    "Two columns on one line; 방역요청 belongs to the 러브버그 case.": "두 열이 한 줄에 있습니다. 방역요청은 러브버그 사례의 것입니다.",
    "6.1~6.30 is 30 days so the fact belongs to 러브버그; commas fixed to dots.": (
        "6. 1.~6. 30.은 30일이므로 러브버그의 내용이며, 쉼표를 마침표로 고쳤습니다."
    ),
    "Three columns on one line untangled; 괴열 is a misread of 과열.": (
        "한 줄에 섞인 세 열을 풀었습니다. '괴열'은 '과열'을 잘못 읽은 것입니다."
    ),
    "Three columns on one line untangled by subject.": "한 줄에 섞인 세 열을 주제별로 풀었습니다.",
    "59+91 = 150 days matches 1.1~2.28 plus 4.1~6.30; year and dots restored.": (
        "59+91 = 150일은 1. 1.~2. 28.과 4. 1.~6. 30.을 더한 날수와 같습니다. 연도와 마침표를 되살렸습니다."
    ),
    "Insurance claim types belong to the 안전보험 case.": "보험 청구 유형은 안전보험 사례의 것입니다.",
    "Sibling codes print circled digits 120-③ and 120-⑤; the circle on 4 was lost.": (
        "이웃 번호가 120-③, 120-⑤로 원문자이므로, 4의 동그라미가 빠진 것입니다."
    ),
    "Heading letters, a ○ line and a - line were run together on one line.": (
        "제목 글자, ○ 줄과 - 줄이 한 줄로 이어져 있었습니다."
    ),
    "Thousands separator misread as a full stop.": "천 단위 쉼표를 마침표로 읽었습니다.",
    "The colon before the timing was lost; 매월 split off as the timing.": (
        "시기 앞의 쌍점이 빠져, '매월'을 시기로 떼어 냈습니다."
    ),
    "Bullet-like glyph is a middle dot.": "글머리표처럼 보이는 글자는 가운뎃점입니다.",
    "Three plan lines were run together on one line; split at each ㅇ marker.": (
        "추진계획 세 줄이 한 줄로 이어져 있어 ㅇ 기호마다 나눴습니다."
    ),
    "Hangul araea glyph normalised to the middle dot.": "아래아 글자(ㆍ)를 가운뎃점으로 바꿨습니다.",
    "Spaced bullet glyph is a middle dot.": "띄어 쓴 글머리표 글자는 가운뎃점입니다.",
    "Colon between role and name missing; role and name separated.": "직위와 이름 사이의 쌍점이 빠져 둘을 나눴습니다.",
    "Spaced-out two-syllable name joined.": "띄어 쓴 두 글자 이름을 붙였습니다.",
    "The two contact lines were interleaved with the 담당자 label; restored to print order.": (
        "담당자 두 줄이 '담당자' 표제와 뒤섞여 있어 인쇄된 순서로 되돌렸습니다."
    ),
    "Phone glyph misread as an emoji; stray dash dropped.": "전화 기호를 그림 문자로 읽었습니다. 불필요한 줄표는 지웠습니다.",
    "Phone glyph misread as an emoji.": "전화 기호를 그림 문자로 읽었습니다.",
    "The Gantt bars did not survive extraction; months derived from each item's 추진계획.": (
        "일정표의 막대가 추출되지 않아, 각 항목의 추진계획에서 월을 정했습니다."
    ),
    "Spacing fixed to match the programme name 안심돌봄120.": "사업 이름 '안심돌봄120'에 맞춰 띄어쓰기를 고쳤습니다.",
    "Spacing fixed to match the programme name 외로움안녕120.": "사업 이름 '외로움안녕120'에 맞춰 띄어쓰기를 고쳤습니다.",
    "Date taken from the bullet and written in ISO form; bold markup removed.": (
        "항목 글의 날짜를 가져와 연-월-일 형식으로 적고, 굵은 글씨 표시를 지웠습니다."
    ),
    "Stray space before the parenthesis removed.": "괄호 앞의 불필요한 띄어쓰기를 지웠습니다.",
    "Spaced-out merged-cell label joined.": "띄어 쓴 병합 칸의 표제를 붙였습니다.",
    "Merged cell label sits in the middle of its rows; applied to all five rows.": (
        "병합 칸의 표제가 가운데 행에만 있어 다섯 행 모두에 적용했습니다."
    ),
    "Merged cell label split across two rows; joined and applied to both.": (
        "병합 칸의 표제가 두 행에 갈라져 있어 이어 붙이고 두 행 모두에 적용했습니다."
    ),
    "Merged cell label sits in the middle of its rows; applied to all three rows.": (
        "병합 칸의 표제가 가운데 행에만 있어 세 행 모두에 적용했습니다."
    ),
    "Merged cell label split across three rows; joined and applied to all three.": (
        "병합 칸의 표제가 세 행에 갈라져 있어 이어 붙이고 세 행 모두에 적용했습니다."
    ),
    "Content cell lost in extraction and the department shifted left; content left empty.": (
        "추출하며 내용 칸이 사라지고 부서가 왼쪽으로 밀려, 내용은 비워 두었습니다."
    ),
    "Row duplicated the 대사증후군 row before its own cells; the duplicate was dropped.": (
        "이 행의 앞에 대사증후군 행이 한 번 더 들어가 있어 중복을 지웠습니다."
    ),
    "Letter-spaced department names joined.": "글자마다 띄어진 부서 이름을 붙였습니다.",
    "A line break inside the word was extracted as a space.": "낱말 안의 줄바꿈이 띄어쓰기로 추출되었습니다.",
    "OCR misread of 만족도 (satisfaction).": "'만족도'를 잘못 읽었습니다.",
    "OCR misread of 조사설계 (survey design).": "'조사설계'를 잘못 읽었습니다.",
    "Closing parenthesis of the last sub bullet was lost in extraction.": "추출하며 마지막 세부 항목의 닫는 괄호가 빠졌습니다.",
    "Main bullet extracted as letter o; normalised to the ○ bullet.": "주 글머리표가 영문자 '오'로 추출되어 ○로 바꿨습니다.",
    "OCR misread; the clean text spilled into the next row reads 지속적인.": (
        "잘못 읽었습니다. 다음 행에 넘어간 깨끗한 글에는 '지속적인'으로 적혀 있습니다."
    ),
    "OCR misread; the clean text spilled into the next row reads 상담사.": (
        "잘못 읽었습니다. 다음 행에 넘어간 깨끗한 글에는 '상담사'로 적혀 있습니다."
    ),
    "OCR misread; the clean text spilled into the next row reads 시행.": (
        "잘못 읽었습니다. 다음 행에 넘어간 깨끗한 글에는 '시행'으로 적혀 있습니다."
    ),
    "A line break between words was extracted without a space.": "낱말 사이의 줄바꿈이 띄어쓰기 없이 추출되었습니다.",
    "Action cell is merged with R-05 in the PDF, so R-06 shares R-05's actions.": (
        "원문에서 조치 칸이 R-05와 병합되어 있어, R-06의 추진내용은 R-05와 같습니다."
    ),
    "Action cell is merged with R-05 in the PDF, so R-06 shares R-05's plan.": (
        "원문에서 조치 칸이 R-05와 병합되어 있어, R-06의 향후 계획은 R-05와 같습니다."
    ),
    "Action cell is merged with R-05 in the PDF, so R-06 shares R-05's status.": (
        "원문에서 조치 칸이 R-05와 병합되어 있어, R-06의 추진상황은 R-05와 같습니다."
    ),
    "Action cell is merged with R-05 in the PDF, so R-06 shares R-05's action date.": (
        "원문에서 조치 칸이 R-05와 병합되어 있어, R-06의 조치일은 R-05와 같습니다."
    ),
    "Two bullets were glued across a line break; split into separate sub bullets.": (
        "두 항목이 줄바꿈을 건너 붙어 있어 세부 항목 둘로 나눴습니다."
    ),
    "Bullet markers were lost in extraction; restored a main bullet and its first sub bullet, matching the plan cell's structure.": (
        "추출하며 글머리표가 빠져, 계획 칸의 짜임에 맞춰 주 항목과 첫 세부 항목을 되살렸습니다."
    ),
    "Two sub bullets were run together after the bullet markers were lost; split them.": (
        "글머리표가 빠지며 세부 항목 둘이 이어져 있어 나눴습니다."
    ),
    "OCR misread of 사원증 (employee ID card), which appears earlier in the same sentence.": (
        "'사원증'을 잘못 읽었습니다. 같은 문장 앞부분에 같은 낱말이 있습니다."
    ),
    "Main bullet marker was lost in extraction; restored as ○ like the other action cells.": (
        "추출하며 주 글머리표가 빠져, 다른 조치 칸처럼 ○로 되살렸습니다."
    ),
    "Stray OCR character in a merged cell.": "병합 칸에 잘못 읽힌 글자가 끼어 있었습니다.",
    "A fragment of the merged policy cell above (상딤) was repeated before the name.": (
        "위쪽 정책사업 병합 칸의 조각(상딤)이 이름 앞에 되풀이되었습니다."
    ),
}


def reason_ko(reason: str) -> str:
    """A correction's reason in Korean (as stored when there is no Korean sentence for it)."""
    return REASONS_KO.get(reason, reason)
