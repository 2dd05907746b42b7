"""Call statistics: channel mix per period, phone performance with both rates, daily averages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from calls.models import ArsMenu, CallPeriod, Channel, ChannelCount, DailyAverage, PhonePerformance
from governance_app.core.numbers import rate
from governance_app.core.queries import fetch


def channels(session: Session, org_id: int) -> list[Channel]:
    return sorted(fetch(session, Channel, org_id), key=lambda c: c.seq)


def ars_menu(session: Session, org_id: int, fiscal_year: int) -> list[ArsMenu]:
    return sorted(fetch(session, ArsMenu, org_id, ArsMenu.fiscal_year == fiscal_year), key=lambda a: a.seq)


def periods(session: Session, org_id: int) -> list[CallPeriod]:
    return sorted(fetch(session, CallPeriod, org_id), key=lambda p: p.seq)


@dataclass(frozen=True)
class ChannelRow:
    period_code: str
    label: str
    total: int
    phone: int | None
    nonphone: int
    counts: dict[str, int | None]  # channel code -> count (None = 미도입)
    start_date: date | None = None  # the statistics period, so a partial year can be marked
    end_date: date | None = None


def channel_table(session: Session, org_id: int) -> list[ChannelRow]:
    """상담채널별 상담건 수 as printed: totals as reported, channels as counted."""
    counts: dict[str, dict[str, int | None]] = {}
    for c in fetch(session, ChannelCount, org_id):
        counts.setdefault(c.period_code, {})[c.channel_code] = c.count
    return [
        ChannelRow(
            p.code,
            p.label,
            p.total_reported,
            counts.get(p.code, {}).get("phone"),
            p.nonphone_reported,
            counts.get(p.code, {}),
            p.start_date,
            p.end_date,
        )
        for p in periods(session, org_id)
    ]


@dataclass(frozen=True)
class PhoneRow:
    period_code: str
    label: str
    total_inflow: int
    inflow: int
    answered: int
    answer_rate: Decimal | None  # 응대량 / 인입량
    answer_rate_reported: Decimal
    total_answer_rate: Decimal | None  # 응대량 / 총인입량, asked for by the 2024 audit
    start_date: date | None = None
    end_date: date | None = None


def phone_performance(session: Session, org_id: int) -> list[PhoneRow]:
    known = {p.code: p for p in periods(session, org_id)}
    labels = {p.code: (p.label, p.seq) for p in known.values()}
    rows = fetch(session, PhonePerformance, org_id)
    rows.sort(key=lambda r: labels.get(r.period_code, ("", 0))[1])
    return [
        PhoneRow(
            r.period_code,
            labels.get(r.period_code, (r.period_code, 0))[0],
            r.total_inflow,
            r.inflow,
            r.answered,
            rate(r.answered, r.inflow),
            r.answer_rate_reported,
            rate(r.answered, r.total_inflow),
            known[r.period_code].start_date if r.period_code in known else None,
            known[r.period_code].end_date if r.period_code in known else None,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class DailyRow:
    line_code: str
    label: str
    average: int
    share: Decimal | None  # computed from the averages
    share_reported: Decimal


def daily_averages(session: Session, org_id: int, period_code: str) -> list[DailyRow]:
    names = {c.code: c.stats_label or c.name for c in channels(session, org_id)}
    names.update({"total": "일평균 상담건 수", "nonphone": "비전화상담 소계"})
    rows = sorted(fetch(session, DailyAverage, org_id, DailyAverage.period_code == period_code), key=lambda r: r.seq)
    total = next((r.average for r in rows if r.line_code == "total"), None)
    return [
        DailyRow(
            r.line_code,
            names.get(r.line_code, r.line_code),
            r.average,
            rate(r.average, total) if total else None,
            r.share_reported,
        )
        for r in rows
    ]


def partial_span(start: date | None, end: date | None) -> str | None:
    """'1~7월' for a statistics period shorter than its calendar year (2025년(7월) = January to
    July); None for a whole year or unknown dates."""
    if start is None or end is None:
        return None
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return None
    if start.year == end.year:
        return f"{start.month}~{end.month}월"
    return f"{start.year}. {start.month}.~{end.year}. {end.month}."
