"""The 예산 page in AppTest: execution with lag flags, charts, forecast, links, recording."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from budget.models import ExecutionSnapshot
from governance_app.core.auth import Actor
from governance_app.core.context import current
from governance_app.core.db import session
from governance_app.core.queries import fetch
from governance_app.core.settings import ROOT
from tests.helpers import PLANNER, sign_in
from tests.helpers.pages import shown

PAGE = str(ROOT / "governance_app" / "pages" / "budget.py")
NEW_DAY = date(2025, 10, 31)
EDITOR = "snapshot_editor"
# rows of the entry table (hidden index, 0-based): 3 = 스마트상담시스템 운영 활성화, 9 = 예비비
SMART, RESERVE = 3, 9
# the page's tabs: only the open one runs (the first, 예산, at first)
BUDGET, EXECUTION, RECORD = "예산", "집행 현황", "집행 현황 기록"


def run(actor: Actor = PLANNER) -> AppTest:
    at = sign_in(AppTest.from_file(PAGE, default_timeout=60), actor)
    at.run()
    assert not at.exception, at.exception
    return at


def open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["budget_tab"] = label
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    kinds = ("title", "subheader", "markdown", "caption", "success", "error", "warning", "info")
    return "\n".join(shown(e.value) for kind in kinds for e in getattr(at, kind))


def frame(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first read-only table having all of ``columns``."""
    for element in at.dataframe:
        if element.editing_mode == "read_only" and set(columns) <= set(element.value.columns):
            return element.value
    raise AssertionError(f"no table with {columns}")


def charts(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def snapshots(engine: Engine) -> list[tuple]:
    with session(engine) as s:
        return sorted(
            (r.line_code, r.as_of, r.budget_amount, r.executed_amount)
            for r in fetch(s, ExecutionSnapshot, current(s).org_id)
        )


def edit(at: AppTest, on: date, rows: dict[int, dict[str, object]]) -> AppTest:
    open_tab(at, RECORD)
    at.date_input(key="snapshot_as_of").set_value(on)
    at.session_state[EDITOR] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.button(key="snapshot_save").click().run()
    assert not at.exception, at.exception
    return at


def test_page_shows_lag_charts_forecast_and_links(engine: Engine) -> None:
    at = run()
    assert at.session_state["budget_tab"] == BUDGET
    (sunburst,) = charts(at)
    assert sunburst["data"][0]["type"] == "sunburst" and sunburst["data"][0]["branchvalues"] == "total"
    assert not [f for f in at.dataframe if "점검" in f.value.columns]  # the other tabs do not run

    open_tab(at, EXECUTION)
    execution = frame(at, "점검", "경과율 대비(%p)").set_index("구분")
    assert execution.loc["합계", ["예산액", "집행액", "집행률"]].tolist() == ["32,048,210", "17,756,649", "55.4"]
    assert execution.loc["스마트상담시스템 운영 활성화", ["집행률", "경과율 대비(%p)", "점검"]].tolist() == [
        "45.0",
        "△13.1",
        "부진",
    ]
    assert execution.loc["악강성민원 전담 관리", ["집행률", "경과율 대비(%p)", "점검"]].tolist() == [
        "49.0",
        "△9.1",
        "미달",
    ]
    assert execution.loc["예비비", ["경과율 대비(%p)", "점검"]].tolist() == ["△58.1", "부진"]
    assert execution.loc["상담체계 운영", "부장"] == "차형철 ☎ 3278-5742"  # the planning office sees contacts
    text = texts(at)
    assert "연중 경과율 58.1%" in text
    assert (
        "집행 부진 2개 세부사업" in text
        and "스마트상담시스템 운영 활성화 45.0% (△13.1%p), 예비비 0.0% (△58.1%p)" in text
    )

    rate, curve = charts(at)
    assert rate["layout"]["title"]["text"] == "세부사업별 집행률 ('25. 7. 31. 기준)"
    assert "연중 경과율 58.1%" in [a["text"] for a in rate["layout"]["annotations"]]
    assert curve["data"][0]["name"] == "합계"

    forecast = frame(at, "연말 예상 집행액", "불용 예상액").set_index("구분")
    assert forecast.loc["스마트상담시스템 운영 활성화", ["연말 예상 집행액", "불용 예상액"]].tolist() == [
        "236,296",
        "68,561",
    ]
    assert forecast.loc["예비비", "불용 예상액"] == "183,379"

    by_line = frame(at, "세부사업", "주요업무").set_index("세부사업")
    assert by_line.loc["역량강화 교육", "주요업무"].startswith("1-2 ")
    assert ", 1-3 " in by_line.loc["역량강화 교육", "주요업무"]
    by_item = frame(at, "주요업무", "세부사업(집행률)").set_index("주요업무")
    row = next(i for i in by_item.index if i.startswith("6 "))
    assert by_item.loc[row, "세부사업(집행률)"] == "감정노동 보호프로그램 운영 (94.7%), 악강성민원 전담 관리 (49.0%)"


def test_a_board_member_sees_no_contacts_and_cannot_record(engine: Engine) -> None:
    at = open_tab(run(Actor("test-board", "board")), EXECUTION)
    execution = frame(at, "점검")
    assert "부장" not in execution.columns and "담당" not in execution.columns
    assert not any("차형철" in e.value.to_csv() for e in at.dataframe)
    open_tab(at, RECORD)
    assert len(at.data_editor) == 0 and len(at.file_uploader) == 0
    assert "기획조정실과 재무 담당만 기록할 수 있습니다" in texts(at)


def test_the_form_records_a_snapshot(engine: Engine) -> None:
    before = snapshots(engine)
    at = edit(run(), NEW_DAY, {SMART: {"집행액": 230000}, RESERVE: {"집행액": 1000}})
    assert "2025. 10. 31. 기준 집행 현황 11행(합계 포함)을 기록했습니다." in texts(at)
    added = sorted(set(snapshots(engine)) - set(before))
    assert len(added) == 11 and {r[1] for r in added} == {NEW_DAY}
    by_code = {r[0]: r for r in added}
    # the table started from 7. 31.'s figures; the two edited cells changed
    assert by_code["ex.1.2.2"][2:] == (304857, 230000)
    assert by_code["ex.3.2"][2:] == (183379, 1000)
    assert by_code["ex.1.1.1"][2:] == (1630926, 1572360)
    assert by_code["total"][2:] == (32048210, 17756649 - 137246 + 230000 + 1000)
    # the page now shows the execution tab at the new date, and the form's edits are cleared
    assert at.session_state["budget_tab"] == EXECUTION
    assert at.selectbox(key="execution_as_of").value == NEW_DAY
    assert frame(at, "점검").set_index("구분").loc["스마트상담시스템 운영 활성화", "집행률"] == "75.4"
    open_tab(at, RECORD)
    assert at.session_state[EDITOR]["edited_rows"] == {}


def test_an_invalid_edit_is_refused_and_nothing_changes(engine: Engine) -> None:
    before = snapshots(engine)
    at = edit(run(), NEW_DAY, {SMART: {"집행액": 304858}, RESERVE: {"예산액": -1}})
    assert "저장하지 않았습니다: 오류 2건" in texts(at)
    findings = frame(at, "위치", "항목", "내용")
    rows = [where.split(" · ")[-1] for where in findings["위치"]]  # "예산 집행 현황 · 10행"
    assert sorted(zip(rows, findings["항목"], strict=True)) == [("10행", "예산액"), ("4행", "집행액")]
    assert snapshots(engine) == before
    assert at.session_state[EDITOR]["edited_rows"] != {}  # the user's edits stay for correcting


def test_choosing_a_recorded_date_says_it_will_be_replaced(engine: Engine) -> None:
    at = open_tab(run(), RECORD)
    at.date_input(key="snapshot_as_of").set_value(date(2025, 7, 31)).run()
    text = texts(at)
    assert "2025. 7. 31. 기준 집행 현황이 이미 있습니다. 저장하면 이 날짜의 기록을 모두 새 값으로 바꿉니다" in text
    assert "보고서 수치도 바뀝니다" in text


def test_the_date_starts_empty_and_a_save_without_one_is_refused(engine: Engine) -> None:
    before = snapshots(engine)
    at = open_tab(run(), RECORD)
    assert at.date_input(key="snapshot_as_of").value is None
    at.session_state[EDITOR] = {"edited_rows": {SMART: {"집행액": 230000}}, "added_rows": [], "deleted_rows": []}
    at.button(key="snapshot_save").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [
        "기준일을 고르지 않아 저장하지 않았습니다. 위에서 기록할 기준일을 골라 주세요."
    ]
    assert snapshots(engine) == before
    assert at.session_state[EDITOR]["edited_rows"] != {}  # the typed figures stay


def test_saving_over_a_recorded_date_asks_first(engine: Engine) -> None:
    before = snapshots(engine)
    at = edit(run(), date(2025, 7, 31), {SMART: {"집행액": 140000}})
    question = "'25. 7. 31. 기준 집행 현황이 이미 있습니다. 바꾸시겠습니까?"
    assert question in [shown(w.value) for w in at.warning]
    assert snapshots(engine) == before  # asked, not saved
    at.button(key="snapshot_keep_table").click().run()  # 그만두기
    assert not at.exception, at.exception
    assert question not in texts(at) and snapshots(engine) == before
    at.button(key="snapshot_save").click().run()
    assert question in texts(at)
    at.button(key="snapshot_replace_table").click().run()  # 바꾸기
    assert not at.exception, at.exception
    assert "2025. 7. 31. 기준 집행 현황 11행(합계 포함)을 바꿨습니다." in texts(at)
    after = dict(((code, on), (b, e)) for code, on, b, e in snapshots(engine))
    assert after[("ex.1.2.2", date(2025, 7, 31))] == (304857, 140000)
    assert len(after) == len(before)  # the date's rows replaced, none added


def test_an_upload_without_a_date_asks_for_one_and_says_how_it_read_the_headings(engine: Engine) -> None:
    csv = UPLOAD.replace("구분,예산액,집행액,기준일", "세부사업명,예산현액,지출액,비고").replace(",2025-10-31", ",")
    at = open_tab(run(), RECORD)
    at.file_uploader(key="execution_upload").set_value(("export.csv", csv.encode(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    text = texts(at)
    assert "읽은 머리글: 세부사업명 → 세부사업, 예산현액 → 예산액, 지출액 → 집행액, 비고 → 읽지 않음" in text
    findings = frame(at, "위치", "항목", "내용")
    assert list(findings["항목"]) == ["기준일"] and "'기준일' 또는 '기준일자' 열을 두세요" in findings["내용"][0]
    assert not [b for b in at.button if b.key == "upload_save"]
    at.date_input(key="snapshot_as_of").set_value(NEW_DAY).run()
    assert "**기준일** 2025. 10. 31. (위에서 고른 기준일)" in texts(at)
    at.button(key="upload_save").click().run()
    assert not at.exception, at.exception
    assert ("total", NEW_DAY, 32048210, 24512800) in snapshots(engine)


def test_an_upload_with_a_wrong_header_names_the_expected_ones(engine: Engine) -> None:
    csv = UPLOAD.replace("구분,예산액,집행액,기준일", "세부사업,예산,지급액,기준일")
    at = open_tab(run(), RECORD)
    at.file_uploader(key="execution_upload").set_value(("export.csv", csv.encode(), "text/csv"))
    at.run()
    findings = frame(at, "위치", "항목", "내용")
    (message,) = findings["내용"]
    assert message.startswith("export.csv 1행 머리글: 집행액 열이 없습니다 (알 수 없는 머리글: '지급액')")
    assert "필요한 머리글:" in message


def test_a_file_of_another_kind_or_too_large_is_refused_in_korean(engine: Engine) -> None:
    at = open_tab(run(), RECORD)
    at.file_uploader(key="execution_upload").set_value(("export.pdf", b"%PDF-1.4", "application/pdf"))
    at.run()
    assert [e.value for e in at.error] == ["export.pdf: 올릴 수 없는 형식입니다. CSV·XLSX 파일만 올릴 수 있습니다."]
    big = UPLOAD.encode() + b" " * (2 * 1024 * 1024)
    at.file_uploader(key="execution_upload").set_value(("export.csv", big, "text/csv"))
    at.run()
    assert [e.value for e in at.error] == ["export.csv: 파일이 너무 큽니다 (2.0MB). 2MB까지 올릴 수 있습니다."]
    assert not [f for f in at.dataframe if "잔액" in f.value.columns]  # not read


UPLOAD = "\n".join(
    [
        "구분,예산액,집행액,기준일",
        *(
            f'{label},"{b:,}","{e:,}",2025-10-31'
            for label, b, e in [
                ("상담정보시스템 운영", 1630926, 1620000),
                ("상담체계 운영", 68798, 60000),
                ("스마트상담시스템 구축", 208000, 208000),
                ("스마트상담시스템 운영 활성화", 304857, 230000),
                ("역량강화 교육", 166199, 140000),
                ("상담지식정보 현행화", 14800, 14800),
                ("감정노동 보호프로그램 운영", 202338, 200000),
                ("악강성민원 전담 관리", 59600, 40000),
                ("일반관리비", 29209313, 22000000),
                ("예비비", 183379, 0),
            ]
        ),
    ]
)


def test_an_upload_is_previewed_then_saved(engine: Engine) -> None:
    at = open_tab(run(), RECORD)
    at.file_uploader(key="execution_upload").set_value(("export.csv", UPLOAD.encode(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert "**기준일** 2025. 10. 31. (파일의 기준일)" in texts(at)
    preview = frame(at, "행", "잔액").set_index("구분")
    assert preview.loc["합계", ["행", "집행액"]].tolist() == ["(계산)", "24,512,800"]
    at.button(key="upload_save").click().run()
    assert not at.exception, at.exception
    assert "2025. 10. 31. 기준 집행 현황 11행(합계 포함)을 기록했습니다." in texts(at)
    assert ("total", NEW_DAY, 32048210, 24512800) in snapshots(engine)


def test_an_invalid_upload_is_refused_on_the_page(engine: Engine) -> None:
    before = snapshots(engine)
    bad = UPLOAD.replace('"60,000"', "육만").replace("역량강화 교육", "역량강화 교육비")
    at = open_tab(run(), RECORD)
    at.file_uploader(key="execution_upload").set_value(("export.csv", bad.encode(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert "export.csv: 오류 2건이 있어 저장할 수 없습니다" in texts(at)
    findings = frame(at, "위치", "항목", "내용")
    assert sorted(zip(findings["위치"], findings["항목"], strict=True)) == [
        ("export.csv · 3행", "집행액"),
        ("export.csv · 6행", "구분"),
    ]
    assert not [b for b in at.button if b.key == "upload_save"]
    assert snapshots(engine) == before
