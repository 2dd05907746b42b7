"""The accounting system's export (CSV, XLSX): parsing, resolving lines, refusing bad files."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy.engine import Engine

from budget import recording as budget_recording
from budget.upload import parse_upload
from governance_app.core.context import current
from governance_app.core.db import session
from tests.helpers.budget import CODES, FINANCE, LINES, csv_bytes, draft, good_rows, save, snapshots


def test_parse_a_csv_with_a_title_line_separators_and_a_date() -> None:
    parsed = parse_upload(csv_bytes(good_rows()), "집행현황.csv")
    assert parsed.findings == [] and parsed.ok
    assert parsed.as_of == date(2025, 10, 31)
    first = parsed.rows[0]
    assert (first.row, first.line, first.field, first.budget, first.executed) == (
        4,
        "상담정보시스템 운영",
        "label",
        1630926,
        1620000,
    )
    assert len(parsed.rows) == 10


def test_cp949_csv_as_korean_excel_saves_it() -> None:
    parsed = parse_upload(csv_bytes(good_rows(), encoding="cp949"), "export.csv")
    assert parsed.ok and parsed.rows[3].line == "스마트상담시스템 운영 활성화"


def test_upload_resolves_labels_budget_names_and_codes_and_records(engine: Engine) -> None:
    rows = good_rows()
    rows[3] = ("exp.1.2.2", "304,857", "230,000", "2025-10-31")  # a budget line code in the label column
    rows.append(("합계", "32,048,210", "24,512,800", "2025-10-31"))  # checked, not stored as typed
    d = draft(engine, csv_bytes(rows), "export.csv")
    assert d.ok, d.findings
    assert d.as_of == date(2025, 10, 31) and d.as_of_from_file and not d.replaces
    assert d.amounts == {code: (b, e) for code, (_, b, e) in zip(CODES, LINES, strict=True)}
    assert d.where["ex.1.2.2"] == "7행"
    assert d.lines[0].is_total and (d.lines[0].budget, d.lines[0].executed) == (32048210, 24512800)
    assert save(engine, d) == 11
    assert ("total", date(2025, 10, 31), 32048210, 24512800) in snapshots(engine)


def test_xlsx_with_numbers_a_date_cell_and_a_code_column(engine: Engine) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["코드", "세부사업명", "예산액", "집행액", "기준일자"])
    for code, (label, b, e) in zip(CODES, LINES, strict=True):
        sheet.append([code, label, b, float(e), datetime(2025, 10, 31)])
    buffer = io.BytesIO()
    book.save(buffer)
    d = draft(engine, buffer.getvalue(), "export.xlsx")
    assert d.ok, d.findings
    assert d.as_of == date(2025, 10, 31)
    assert d.amounts["ex.3.1"] == (29209313, 22000000)
    assert d.where["ex.1.1.1"] == "2행"


def test_the_date_chosen_on_the_page_applies_when_the_file_has_none(engine: Engine) -> None:
    data = csv_bytes([row[:3] for row in good_rows()], header="세부사업,예산액,집행액")
    d = draft(engine, data, "export.csv", as_of=date(2025, 7, 31))
    assert d.ok and d.as_of == date(2025, 7, 31) and not d.as_of_from_file
    assert d.replaces  # 7. 31. is recorded already: saving replaces it
    assert not draft(engine, data, "export.csv").ok  # and without any date it cannot be saved


def test_invalid_upload_names_row_and_field_and_saves_nothing(engine: Engine) -> None:
    rows = good_rows()
    rows[1] = ("상담체계 운영", "68,798", "육만", "2025-10-31")  # text in an amount: 5행
    rows[4] = ("역량 강화 교육 훈련", "166,199", "140,000", "2025-10-31")  # unknown line: 8행
    rows[6] = ("감정노동 보호 프로그램 운영", "202,338", "200,000", "2025-02-30")  # impossible date: 10행
    before = snapshots(engine)
    d = draft(engine, csv_bytes(rows), "export.csv", as_of=date(2025, 10, 31))
    assert not d.ok
    assert {(f.row, f.field) for f in d.errors} == {("5행", "집행액"), ("8행", "구분"), ("10행", "기준일")}
    messages = " ".join(f.message for f in d.errors)
    assert "'육만'" in messages and "'역량 강화 교육 훈련'" in messages and "존재하지 않는 날짜" in messages
    assert all(f.table == "export.csv" for f in d.errors)
    with pytest.raises(budget_recording.ExecutionRecordError), session(engine) as s:
        budget_recording.save_draft(session=s, actor=FINANCE, org_id=current(s).org_id, fiscal_year=2025, draft=d)
    assert snapshots(engine) == before


def test_rows_beyond_the_budget_or_negative_are_named_by_their_file_row(engine: Engine) -> None:
    rows = good_rows()
    rows[3] = ("스마트상담시스템 운영 활성화", "304,857", "404,857", "2025-10-31")
    rows[9] = ("예비비", "-1", "0", "2025-10-31")
    d = draft(engine, csv_bytes(rows), "export.csv")
    assert {(f.row, f.field) for f in d.errors} == {("7행", "집행액"), ("13행", "예산액")}
    assert any(f.message.startswith("7행 (스마트상담시스템 운영 활성화) 집행액") for f in d.errors)


def test_a_total_row_that_disagrees_is_an_error(engine: Engine) -> None:
    rows = [*good_rows(), ("합계", "32,048,210", "24,512,801", "2025-10-31")]
    d = draft(engine, csv_bytes(rows), "export.csv")
    assert [(f.row, f.field, f.expected) for f in d.errors] == [("14행", "집행액", "24512800")]


def test_duplicate_missing_and_mixed_dates(engine: Engine) -> None:
    rows = good_rows()
    rows[9] = ("상담정보시스템 운영", "1,630,926", "1,620,000", "2025-10-31")  # twice, and 예비비 left out
    rows[2] = ("스마트상담시스템 구축", "208,000", "208,000", "2025-09-30")
    d = draft(engine, csv_bytes(rows), "export.csv")
    assert {(f.row, f.field) for f in d.errors} == {("13행", "구분"), ("6행", "기준일")}
    d = draft(engine, csv_bytes(rows[:9]), "export.csv")
    assert [(f.row, f.field) for f in d.errors] == [("6행", "기준일")]
    rows[2] = ("스마트상담시스템 구축", "208,000", "208,000", "2025-10-31")
    d = draft(engine, csv_bytes(rows[:9]), "export.csv")
    assert [(f.row, f.field) for f in d.errors] == [("예비비", "구분")]  # a line left out


@pytest.mark.parametrize(
    ("data", "filename", "field"),
    [
        (b"anything", "export.xls", "파일"),
        (b"not a zip", "export.xlsx", "파일"),
        ("구분,금액\n상담체계 운영,1\n".encode(), "export.csv", "*"),  # no 예산액/집행액 header
        ("구분,예산액,집행액\n".encode(), "export.csv", "*"),  # a header and nothing else
    ],
)
def test_unreadable_files_are_refused(data: bytes, filename: str, field: str) -> None:
    parsed = parse_upload(data, filename)
    assert not parsed.ok and parsed.rows == []
    assert [f.field for f in parsed.findings] == [field]


def test_the_upload_says_how_each_heading_was_read() -> None:
    data = csv_bytes([(*row[:3], "") for row in good_rows()], header="세부사업명,예산현액,지출액,비고")
    parsed = parse_upload(data, "export.csv")
    assert parsed.ok, parsed.findings
    assert parsed.read_as == (
        ("세부사업명", "세부사업"),
        ("예산현액", "예산액"),
        ("지출액", "집행액"),
        ("비고", "읽지 않음"),
    )
    assert parse_upload(csv_bytes(good_rows()), "export.csv").read_as == (
        ("구분", "세부사업"),
        ("예산액(천원)", "예산액"),
        ("집행액(천원)", "집행액"),
        ("기준일", "기준일"),
    )


def test_a_wrong_header_is_refused_naming_what_is_missing_and_the_expected_headers() -> None:
    # a header row that names 세부사업 and 예산 but spells 집행액 its own way
    parsed = parse_upload(csv_bytes(good_rows(), header="세부사업,예산,지급액,기준일"), "export.csv")
    (finding,) = parsed.findings
    assert (finding.row, finding.field) == ("3행", "머리글")
    assert finding.message.startswith("export.csv 3행 머리글: 집행액 열이 없습니다 (알 수 없는 머리글: '지급액')")
    assert "필요한 머리글: 구분(또는 세부사업·세부사업명·사업명) 또는 코드(또는 사업코드)" in finding.message
    assert "집행액(또는 집행·지출액)" in finding.message and "머리글 행이 없습니다" not in finding.message
    # nothing like a header at all: the expected headers, not "there is no header row"
    (finding,) = parse_upload("이름,금액\n상담체계 운영,1\n".encode(), "export.csv").findings
    assert finding.message == (
        "export.csv: 알맞은 머리글을 찾지 못했습니다. 필요한 머리글: 구분(또는 세부사업·세부사업명·사업명) 또는 "
        "코드(또는 사업코드), 예산액(또는 예산·예산현액), 집행액(또는 집행·지출액), 선택으로 기준일(또는 기준일자)"
    )


def test_an_upload_without_a_date_is_not_saved_under_a_default_one(engine: Engine) -> None:
    data = csv_bytes([row[:3] for row in good_rows()], header="세부사업,예산액,집행액")
    d = draft(engine, data, "export.csv")
    assert d.as_of is None and not d.ok
    (finding,) = d.errors
    assert finding.field == "기준일"
    assert (
        finding.message
        == "파일에 기준일이 없습니다. 기록할 기준일을 고르거나 파일에 '기준일' 또는 '기준일자' 열을 두세요"
    )
    before = snapshots(engine)
    with pytest.raises(budget_recording.ExecutionRecordError), session(engine) as s:
        budget_recording.save_draft(session=s, actor=FINANCE, org_id=current(s).org_id, fiscal_year=2025, draft=d)
    assert snapshots(engine) == before


def test_a_recorded_date_is_replaced_only_when_the_user_said_so(engine: Engine) -> None:
    data = csv_bytes(good_rows("2025-07-31"))
    d = draft(engine, data, "export.csv")
    assert d.ok and d.replaces, d.findings
    before = snapshots(engine)
    with pytest.raises(budget_recording.ReplaceUnconfirmedError) as asked, session(engine) as s:
        budget_recording.save_draft(session=s, actor=FINANCE, org_id=current(s).org_id, fiscal_year=2025, draft=d)
    assert asked.value.detail == "'25. 7. 31. 기준 집행 현황이 이미 있습니다. 바꾸시겠습니까?"
    assert snapshots(engine) == before
    with session(engine) as s:
        written = budget_recording.save_draft(
            session=s, actor=FINANCE, org_id=current(s).org_id, fiscal_year=2025, draft=d, replace=True
        )
    assert written == 11
    after = snapshots(engine)
    assert ("total", date(2025, 7, 31), 32048210, 24512800) in after and after != before
