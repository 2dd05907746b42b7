"""Reporting rounds: round list/new/freeze/reopen/diff at the command line and as services, the
freeze guard on every write path (import, table editor, form, upload), each refusal leaving the
database as it was (an export before and after), and a submitted round's stored documents."""

from __future__ import annotations

import csv
import hashlib
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from budget import recording as budget_recording
from governance_app import editing, rounds, store
from governance_app.cli import main
from governance_app.core import context
from governance_app.core.auth import Actor, PermissionDeniedError
from governance_app.core.db import session
from governance_app.core.models import RoundDocument, RoundState
from governance_app.core.queries import fetch
from governance_app.core.submitted import RoundSubmittedError
from major_work import service as work
from tests.helpers import DATA, PLANNER, acting
from tests.helpers.rounds import submit_state_only

FINANCE = Actor("test-finance", "finance")
NEXT = ["--fiscal-year", "2026", "--report-date", "2026-09-01", "--execution-as-of", "2026-07-31"]


def new_args(code: str, year: int, report_date: str, as_of: str) -> list[str]:
    return ["round", "new", code, "--fiscal-year", str(year), "--report-date", report_date, "--execution-as-of", as_of]


def exported(engine: Engine, path: Path) -> dict[str, bytes]:
    """The whole dataset as its CSV files (name -> bytes)."""
    with session(engine) as s:
        files = store.export_dir(session=s, actor=PLANNER, path=path)
    return {f.name: f.read_bytes() for f in files}


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_round_new_copies_the_year_and_makes_it_current(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["round", "new", "2026-09", *NEXT]) == 0
    assert "2026-09" in capsys.readouterr().out
    assert main(["round", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split("\t") == [
        "2025-09",
        "주요업무보고",
        "2025",
        "2025-09-01",
        "2025-07-31",
        "2025-07",
        "2024-admin",
        "작성중",
        "",
    ]
    assert lines[2].split("\t") == [
        "2026-09",
        "주요업무보고",
        "2026",
        "2026-09-01",
        "2026-07-31",
        "2026-07",
        "2025-admin",
        "작성중",
        "*",
    ]
    out = tmp_path / "out"
    assert main(["export", str(out)]) == 0
    for name in ("statement", "department", "ars_menu", "work_area", "work_item", "work_bullet", "work_contact"):
        seed = csv_rows(DATA / f"{name}.csv")
        rows = csv_rows(out / f"{name}.csv")
        copied = [r for r in rows if r["fiscal_year"] == "2026"]
        assert len(copied) == len(seed) > 0, name
        assert [{**r, "fiscal_year": "2025"} for r in copied] == seed, name  # everything else kept
    plans = [r for r in csv_rows(out / "work_plan.csv") if r["fiscal_year"] == "2026"]
    assert len(plans) == len(csv_rows(DATA / "work_plan.csv"))
    assert all(r["status"] == r["status_on"] == r["progress_note"] == "" for r in plans)
    tasks = [r for r in csv_rows(out / "timeline_task.csv") if r["fiscal_year"] == "2026"]
    seed_tasks = csv_rows(DATA / "timeline_task.csv")
    assert [(t["code"], t["start_month"], t["end_month"]) for t in tasks] == [
        (t["code"], t["start_month"], t["end_month"]) for t in seed_tasks
    ]
    assert {t["status_reported"] for t in seed_tasks} == {"완료", "추진", "예정"}
    assert {t["status_reported"] for t in tasks} == {"예정"}
    figures = [r for r in csv_rows(out / "esg_figure.csv") if r["fiscal_year"] == "2026"]
    assert figures and all(r["value"] == "" for r in figures)
    assert not [r for r in csv_rows(out / "budget_amount.csv") if r["fiscal_year"] == "2026"]
    # the exported dataset (with the 2026 round) loads again
    assert main(["validate", str(out)]) == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["round", "new", "2025-09", *NEXT], "회차 2025-09가 이미 있습니다"),
        (
            [
                "round",
                "new",
                "2024-09",
                "--fiscal-year",
                "2024",
                "--report-date",
                "2024-09-01",
                "--execution-as-of",
                "2024-07-31",
            ],
            "회계연도 2024년은 원본 회차 2025-09의 2025년 뒤여야 합니다",
        ),
        (
            [
                "round",
                "new",
                "2026-09",
                "--fiscal-year",
                "2026",
                "--report-date",
                "2026-07-01",
                "--execution-as-of",
                "2026-07-31",
            ],
            "보고일 2026. 7. 1.보다 늦습니다",
        ),
        (
            [
                "round",
                "new",
                "2026-09",
                "--fiscal-year",
                "2026",
                "--report-date",
                "2026-09-01",
                "--execution-as-of",
                "2025-12-31",
            ],
            "2026년 안의 날짜여야 합니다",
        ),
    ],
)
def test_round_new_refusals_write_nothing(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    before = exported(engine, tmp_path / "before")
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and "아무것도 저장하지 않았습니다." in err
    assert exported(engine, tmp_path / "after") == before


def test_round_new_impossible_date_is_refused_by_the_parser(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = exported(engine, tmp_path / "before")
    with pytest.raises(SystemExit):
        main(["round", "new", "2026-09", "--fiscal-year", "2026", "--report-date", "2026-02-30"])
    assert "'2026-02-30'은 없는 날짜입니다" in capsys.readouterr().err
    assert exported(engine, tmp_path / "after") == before


def test_round_new_refuses_a_year_that_already_has_rows(engine: Engine, tmp_path: Path) -> None:
    with session(engine) as s:
        rounds.new_round(
            session=s,
            actor=PLANNER,
            code="2026-09",
            fiscal_year=2026,
            report_date=date(2026, 9, 1),
            execution_as_of=date(2026, 7, 31),
        )
    before = exported(engine, tmp_path / "before")
    with session(engine) as s, pytest.raises(rounds.RoundError, match="2026년 자료가 이미 있습니다"):
        rounds.new_round(
            session=s,
            actor=PLANNER,
            code="2026-10",
            fiscal_year=2026,
            report_date=date(2026, 10, 1),
            execution_as_of=date(2026, 8, 31),
            source="2025-09",
        )
    assert exported(engine, tmp_path / "after") == before


def test_only_the_planning_office_manages_rounds(engine: Engine) -> None:
    with session(engine) as s, pytest.raises(PermissionDeniedError):
        rounds.new_round(
            session=s,
            actor=FINANCE,
            code="2026-09",
            fiscal_year=2026,
            report_date=date(2026, 9, 1),
            execution_as_of=date(2026, 7, 31),
        )


def test_freeze_stores_the_documents_and_report_returns_them_byte_for_byte(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["round", "freeze", "2025-09"]) == 0
    assert "문서 12건" in capsys.readouterr().out  # 4 kinds x PDF, DOCX, HWPX
    with session(engine) as s:
        docs = fetch(s, RoundDocument, context.current(s).org_id)
        assert context.current(s, "2025-09").submitted
    assert {(d.kind, d.format) for d in docs} == {
        (k, f) for k in ("business", "audit", "budget", "board") for f in ("pdf", "docx", "hwpx")
    }
    assert all(d.sha256 == hashlib.sha256(d.content).hexdigest() and d.size == len(d.content) for d in docs)
    for kind in ("business", "audit", "budget", "board"):
        out = tmp_path / kind
        assert main(["report", "--round", "2025-09", "--kind", kind, "--out", str(out)]) == 0
        for d in docs:
            if d.kind == kind:
                assert (out / d.file_name).read_bytes() == d.content
    # freezing again is refused; reopening needs a reason, then the round is 작성중 and editable
    assert main(["round", "freeze", "2025-09"]) == 1
    assert "이미 제출되었습니다" in capsys.readouterr().err
    assert main(["round", "reopen", "2025-09", "--reason", "  "]) == 1
    assert "사유를 적어야 합니다" in capsys.readouterr().err
    assert main(["round", "reopen", "2025-09", "--reason", "예산 오기 정정"]) == 0
    with session(engine) as s:
        state = fetch(s, RoundState, context.current(s).org_id)[0]
        assert (state.state, state.reason) == ("작성중", "예산 오기 정정")
    assert main(["round", "reopen", "2025-09", "--reason", "again"]) == 1


def edit_a_2025_item(engine: Engine) -> None:
    with session(engine) as s:
        _, rows = editing.table_rows(s, "work_item")
        rows[0]["title"] = rows[0]["title"] + " (수정)"
        editing.apply_edit(session=s, actor=PLANNER, table_name="work_item", edited=rows)


def test_a_submitted_round_refuses_the_table_editor(engine: Engine, tmp_path: Path) -> None:
    submit_state_only(engine)
    before = exported(engine, tmp_path / "before")
    with pytest.raises(RoundSubmittedError, match=r"2025-09 회차는 제출되었습니다.*주요업무.*2025년 자료"):
        edit_a_2025_item(engine)
    assert exported(engine, tmp_path / "after") == before
    # a board row is not year-scoped: still editable; after reopening, the item is too
    with session(engine) as s:
        rounds.reopen(session=s, actor=PLANNER, code="2025-09", reason="정정")
    edit_a_2025_item(engine)
    assert exported(engine, tmp_path / "edited") != before


def test_a_submitted_round_refuses_an_import(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    submit_state_only(engine)
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    amounts = data / "budget_amount.csv"
    text = amounts.read_text(encoding="utf-8")
    assert "exp.3.2,2025,183379" in text
    amounts.write_text(text.replace("exp.3.2,2025,183379", "exp.3.2,2025,183380"), encoding="utf-8")
    before = exported(engine, tmp_path / "before")
    assert main(["import", str(data)]) == 1
    err = capsys.readouterr().err
    assert "2025-09 회차는 제출되었습니다" in err and "아무것도 저장하지 않았습니다." in err
    assert exported(engine, tmp_path / "after") == before
    # an import that leaves the submitted year alone goes through
    assert main(["import", str(DATA)]) == 0


def test_a_submitted_round_refuses_a_form(engine: Engine, tmp_path: Path) -> None:
    submit_state_only(engine)
    before = exported(engine, tmp_path / "before")
    with session(engine) as s:
        ctx = context.current(s)
        item = work.item_details(s, ctx.org_id, 2025, actor=PLANNER)[0].item
        with pytest.raises(RoundSubmittedError, match="2025-09 회차는 제출되었습니다"):
            work.update_progress(
                session=s,
                actor=PLANNER,
                org_id=ctx.org_id,
                fiscal_year=2025,
                item_code=item.code,
                expected_version=item.version,
                highlight="바뀐 요약",
            )
    assert exported(engine, tmp_path / "after") == before


def test_a_submitted_round_refuses_an_upload_of_its_as_of_snapshot(engine: Engine, tmp_path: Path) -> None:
    submit_state_only(engine)
    before = exported(engine, tmp_path / "before")
    lines = ["구분,예산액(천원),집행액(천원),기준일"] + [
        f'{label},"{budget:,}","{budget // 2:,}",2025-07-31'
        for label, budget in [
            ("상담정보시스템 운영", 1630926),
            ("상담체계 운영", 68798),
            ("스마트상담시스템 구축", 208000),
            ("스마트상담시스템 운영 활성화", 304857),
            ("역량강화 교육", 166199),
            ("상담지식정보 현행화", 14800),
            ("감정노동 보호 프로그램 운영", 202338),
            ("악강성 민원 전담관리", 59600),
            ("일반관리비", 29209313),
            ("예비비", 183379),
        ]
    ]
    with session(engine) as s:
        org_id = context.current(s).org_id
        draft = budget_recording.draft_from_upload(
            s,
            org_id,
            "\r\n".join(lines).encode("utf-8-sig"),
            "집행.csv",
            as_of=None,
            fiscal_year=2025,
            today=date(2025, 11, 3),
        )
        assert draft.ok and draft.replaces, draft.findings
        with pytest.raises(RoundSubmittedError, match=r"예산 집행.*2025\. 7\. 31\. 이전 기준 자료"):
            budget_recording.save_draft(
                session=s, actor=FINANCE, org_id=org_id, fiscal_year=2025, draft=draft, replace=True
            )
    assert exported(engine, tmp_path / "after") == before


def test_the_guard_leaves_the_next_year_and_later_terms_free(engine: Engine) -> None:
    """After submitting 2025-09 a 2026 round is opened and its rows change freely; a successor to a
    term that ended after the report date is appointed; the 2025 term history stays closed."""
    submit_state_only(engine)
    with session(engine) as s:
        rounds.new_round(
            session=s,
            actor=PLANNER,
            code="2026-09",
            fiscal_year=2026,
            report_date=date(2026, 9, 1),
            execution_as_of=date(2026, 7, 31),
        )
    from board.models import BoardTerm

    with acting(engine) as s:
        org_id = context.current(s).org_id
        term = next(t for t in fetch(s, BoardTerm, org_id) if t.end_date == date(2026, 8, 1))
        term.end_date = date(2026, 3, 31)  # ended early, after the submitted report date: allowed
        s.commit()
    with acting(engine) as s:
        term = next(t for t in fetch(s, BoardTerm, org_id) if t.end_date == date(2026, 3, 31))
        term.start_date = date(2023, 1, 1)  # rewrites who held the seat on 2025. 9. 1.
        with pytest.raises(RoundSubmittedError, match="임기"):
            s.commit()


def test_round_diff_compares_two_rounds(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    with session(engine) as s:
        rounds.new_round(
            session=s,
            actor=PLANNER,
            code="2026-09",
            fiscal_year=2026,
            report_date=date(2026, 9, 1),
            execution_as_of=date(2026, 7, 31),
        )
        rows = {(r.group, r.label.strip()): r for r in rounds.diff(s, "2025-09", "2026-09")}
    seed_total = next(
        int(r["amount"])
        for r in csv_rows(DATA / "budget_amount.csv")
        if r["line_code"] == "exp" and r["fiscal_year"] == "2025"
    )
    total = rows[("세출예산", "총계")]
    assert (total.a, total.b, total.change) == (seed_total, None, None)
    rate = rows[("집행", "집행률 (%)")]
    assert rate.a is not None and rate.b is None  # no 2026 snapshot yet
    # three terms ended on 2026. 8. 1.: 이사장, one 비상임이사 and the 감사 are missing on 2026. 9. 1.
    assert (rows[("이사회", "이사장 (명)")].a, rows[("이사회", "이사장 (명)")].b) == (1, 0)
    assert rows[("이사회", "비상임이사 (명)")].change == -1
    assert (rows[("이사회", "감사 정관 충족")].a, rows[("이사회", "감사 정관 충족")].b) == ("충족", "미달")
    assert (rows[("감사", "계 (건)")].a, rows[("감사", "계 (건)")].b) == (23, 0)
    assert main(["round", "diff", "2025-09", "2026-09"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "구분\t항목\t2025-09\t2026-09\t증감"
    assert f"세출예산\t총계\t{seed_total:,}\t-\t-" in out
    assert "감사\t계 (건)\t23\t0\t△23" in out


def test_the_new_round_carries_unfinished_audit_items_with_their_history(engine: Engine) -> None:
    from audit_followup import service as audit
    from governance_app.report.build import build

    with session(engine) as s:
        org_id = context.current(s).org_id
        audit.change_status(
            session=s,
            actor=PLANNER,
            org_id=org_id,
            session_code="2024-admin",
            item_code="R-01",
            expected_status="완료",
            to_status="추진중",
            changed_on=date(2025, 10, 15),
            reason="만족도 조사 문항 보완이 2026년 조사로 미뤄짐",
        )
        rounds.new_round(
            session=s,
            actor=PLANNER,
            code="2026-09",
            fiscal_year=2026,
            report_date=date(2026, 9, 1),
            execution_as_of=date(2026, 7, 31),
        )
        carried = audit.carried_items(s, org_id, "2024-admin", date(2025, 9, 1))
    assert [(c.item.code, c.reported_status, c.item.status) for c in carried] == [("R-01", "완료", "추진중")]
    assert [(h.from_status, h.to_status, h.changed_on) for h in carried[0].changes] == [
        ("완료", "추진중", date(2025, 10, 15))
    ]
    text = " ".join(build(engine, "audit", actor=PLANNER).text().split())
    assert "□ 계속 추진 (2024 행정사무감사 미완료 과제)" in text
    assert "□ 추진상황 : 추진중 (계속 추진, 2025. 9. 보고 완료)" in text
    assert "2025. 10. 15. 완료 → 추진중" in text
    # the 2025 round itself carries nothing (no round before it)
    assert "계속 추진" not in build(engine, "audit", actor=PLANNER, round_code="2025-09").text()
