"""Budget figures of the seed (예산액 per line) and of a 10. 31. execution snapshot, and the
accounting system's CSV export as tests build it."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine

from budget import recording as budget_recording
from budget.models import ExecutionSnapshot
from governance_app.core.auth import Actor
from governance_app.core.context import current
from governance_app.core.db import session
from governance_app.core.queries import fetch

TODAY = date(2025, 11, 3)


# label as the accounting system writes it (spacing differs from the table), 예산액, 집행액 on 10. 31.
LINES = [
    ("상담정보시스템 운영", 1630926, 1620000),
    ("상담체계 운영", 68798, 60000),
    ("스마트상담시스템 구축", 208000, 208000),
    ("스마트상담시스템 운영 활성화", 304857, 230000),
    ("역량강화 교육", 166199, 140000),
    ("상담지식정보 현행화", 14800, 14800),
    ("감정노동 보호 프로그램 운영", 202338, 200000),  # the budget line's spelling
    ("악강성 민원 전담관리", 59600, 40000),  # the budget line's spelling
    ("일반관리비", 29209313, 22000000),
    ("예비비", 183379, 0),
]


def csv_bytes(
    rows: list[tuple], header: str = "구분,예산액(천원),집행액(천원),기준일", encoding: str = "utf-8-sig"
) -> bytes:
    lines = ["세부사업별 예산 집행 현황", "", header]
    lines += [",".join(f'"{c}"' if "," in str(c) else str(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def good_rows(on: str = "2025-10-31") -> list[tuple]:
    return [(label, f"{b:,}", f"{e:,}", on) for label, b, e in LINES]


# The year's budgets (as of 7. 31.) and cumulative 집행액 chosen for 10. 31.
BUDGETS = {
    "ex.1.1.1": 1630926,
    "ex.1.1.2": 68798,
    "ex.1.2.1": 208000,
    "ex.1.2.2": 304857,
    "ex.2.1.1": 166199,
    "ex.2.1.2": 14800,
    "ex.2.2.1": 202338,
    "ex.2.2.2": 59600,
    "ex.3.1": 29209313,
    "ex.3.2": 183379,
}


EXECUTED_1031 = {
    "ex.1.1.1": 1620000,  # the trend passes the budget: capped
    "ex.1.1.2": 60000,
    "ex.1.2.1": 208000,  # fully executed already: stays
    "ex.1.2.2": 230000,
    "ex.2.1.1": 140000,
    "ex.2.1.2": 14800,
    "ex.2.2.1": 200000,  # the trend passes the budget: capped
    "ex.2.2.2": 40000,
    "ex.3.1": 22000000,
    "ex.3.2": 0,  # 예비비 untouched: all of it 불용
}


AMOUNTS_1031 = {code: (BUDGETS[code], EXECUTED_1031[code]) for code in BUDGETS}


REPORT_DAY = date(2025, 7, 31)  # day 212 of 365
NEW_DAY = date(2025, 10, 31)  # day 304 of 365
FINANCE = Actor("test-finance", "finance")


def record(engine: Engine, amounts: dict, as_of: date = NEW_DAY, actor: Actor = FINANCE) -> int:
    with session(engine) as s:
        return budget_recording.record_execution(session=s, actor=actor, as_of=as_of, amounts=amounts, today=TODAY)


# the accounting system's export as the upload tests read and save it
CODES = [
    "ex.1.1.1",
    "ex.1.1.2",
    "ex.1.2.1",
    "ex.1.2.2",
    "ex.2.1.1",
    "ex.2.1.2",
    "ex.2.2.1",
    "ex.2.2.2",
    "ex.3.1",
    "ex.3.2",
]


def snapshots(engine: Engine) -> list[tuple[object, ...]]:
    with session(engine) as s:
        return sorted(
            (r.line_code, r.as_of, r.budget_amount, r.executed_amount)
            for r in fetch(s, ExecutionSnapshot, current(s).org_id)
        )


def draft(engine: Engine, data: bytes, filename: str, as_of: date | None = None) -> budget_recording.SnapshotDraft:
    with session(engine) as s:
        return budget_recording.draft_from_upload(
            s, current(s).org_id, data, filename, as_of=as_of, fiscal_year=2025, today=TODAY
        )


def save(engine: Engine, d: budget_recording.SnapshotDraft) -> int:
    with session(engine) as s:
        return budget_recording.record_execution(
            session=s,
            actor=FINANCE,
            as_of=d.as_of,
            amounts=d.amounts,
            org_id=current(s).org_id,
            fiscal_year=2025,
            today=TODAY,
        )
