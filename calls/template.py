"""The call statistics template: channel counts and phone figures per statistics period.

Sheet ``상담 실적``: one row per period: 기간코드, 기간 (its label), 시작일, 종료일, a count per
counted channel (headed as the statistics print it; ``미도입`` where the channel did not exist
yet), 총인입량, 인입량, 응대량. Pre-filled with last year's periods and figures and with empty rows
for the closing of last year (the whole year) and the partial year the round reports (1 January
to its execution as-of date). Rows equal to what is stored are left alone; a new or changed
period is stored with its totals (총상담, 비전화 소계), 응대율 and, for a partial year, its
일평균 computed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from calls.models import CallPeriod, Channel, ChannelCount, PhonePerformance
from governance_app.core import clock, spreadsheet, workbook
from governance_app.core.context import round_dates
from governance_app.core.i18n import josa
from governance_app.core.intake import Draft, TableRows
from governance_app.core.numbers import divide_half_up, rate
from governance_app.core.queries import fetch

PERMISSION = "data.edit"
SHEET = "상담 실적"
NOT_INTRODUCED = "미도입"
FIXED = {
    "code": ("기간코드",),
    "label": ("기간",),
    "start": ("시작일",),
    "end": ("종료일",),
}
PHONE = {"total_inflow": ("총인입량",), "inflow": ("인입량",), "answered": ("응대량",)}


def _channels(session: Session, org_id: int) -> list[Channel]:
    return sorted((c for c in fetch(session, Channel, org_id) if c.stats_label), key=lambda c: c.seq)


def _headers(channels: list[Channel]) -> dict[str, tuple[str, ...]]:
    return {**FIXED, **{f"ch:{c.code}": (str(c.stats_label),) for c in channels}, **PHONE}


def _stored(session: Session, org_id: int) -> dict[str, list[Any]]:
    """Period code -> its row as the template writes it."""
    channels = _channels(session, org_id)
    counts = {(c.period_code, c.channel_code): c for c in fetch(session, ChannelCount, org_id)}
    phones = {p.period_code: p for p in fetch(session, PhonePerformance, org_id)}
    out = {}
    for p in sorted(fetch(session, CallPeriod, org_id), key=lambda x: x.seq):
        row: list[Any] = [p.code, p.label, p.start_date, p.end_date]
        for c in channels:
            count = counts.get((p.code, c.code))
            row.append(
                NOT_INTRODUCED if count is not None and not count.introduced else (count.count if count else None)
            )
        phone = phones.get(p.code)
        row += [phone.total_inflow, phone.inflow, phone.answered] if phone else [None, None, None]
        out[p.code] = row
    return out


def _partial_code(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def write(session: Session, org_id: int, year: int | None) -> bytes:
    year = year or clock.today().year
    as_of = round_dates(session, org_id, year)[1]
    channels = _channels(session, org_id)
    stored = _stored(session, org_id)
    blanks = [None] * (len(channels) + 3)
    wanted: list[list[Any]] = []
    last_year = [r for code, r in stored.items() if r[2].year == year - 1 or r[3].year == year - 2]
    wanted += last_year[-2:]  # last year's figures: the year before's closing and last year's partial year
    closing = stored.get(str(year - 1)) or [
        str(year - 1),
        f"{year - 1}년",
        date(year - 1, 1, 1),
        date(year - 1, 12, 31),
    ]
    partial_code = _partial_code(as_of)
    partial = stored.get(partial_code) or [partial_code, f"{year}년({as_of.month}월)", date(year, 1, 1), as_of]
    for row in (closing, partial):
        if row not in wanted:
            wanted.append(row if len(row) > 4 else row + blanks)
    columns = [
        workbook.Column("기간코드", "통계 기간의 코드: 한 해 전체는 2025, 일부는 2026-07(끝 달).", width=10),
        workbook.Column("기간", "문서에 찍히는 기간 이름: 2025년, 2026년(7월).", width=14),
        workbook.Column("시작일", "기간의 첫날.", "date", 12),
        workbook.Column("종료일", "기간의 마지막 날 (일평균은 시작일부터 종료일까지의 날수로 나눕니다).", "date", 12),
        *[
            workbook.Column(str(c.stats_label), f"{c.name} 상담 건수 (도입 전이면 {NOT_INTRODUCED}).", "number", 12)
            for c in channels
        ],
        workbook.Column("총인입량", "전화 총인입량(건).", "number", 12),
        workbook.Column("인입량", "전화 인입량(건).", "number", 12),
        workbook.Column("응대량", "전화 응대량(건); 응대율 = 응대량 / 인입량.", "number", 12),
    ]
    notes = [
        "총상담과 비전화 소계, 응대율, 일부 기간(연중)의 일평균은 올릴 때 계산합니다.",
        "저장된 기간과 같은 행은 그대로 두고, 새 기간이나 바뀐 기간만 저장합니다.",
        "CSV(UTF-8 또는 CP949)로 저장해 올려도 됩니다.",
    ]
    sheet = workbook.TemplateSheet(SHEET, f"상담 실적 ({year}년 보고)", columns, wanted)
    return workbook.build(sheet, notes)


def read(session: Session, org_id: int, data: bytes, filename: str, **_: Any) -> Draft:
    draft = Draft("calls", filename, PERMISSION)
    sheets, problem = spreadsheet.read_sheets(data, filename, formulas=True)
    if problem is not None:
        draft.findings.append(problem)
        return draft
    channels = _channels(session, org_id)
    table, findings = spreadsheet.TableReader.locate(sheets, SHEET, _headers(channels))
    draft.findings += findings
    if table is None:
        return draft
    stored = _stored(session, org_id)
    periods = {p.code: p for p in fetch(session, CallPeriod, org_id)}
    next_seq = max((p.seq for p in periods.values()), default=0) + 1
    seen: dict[str, int] = {}
    changes: dict[str, list[dict[str, Any]]] = {"call_period": [], "channel_count": [], "phone_performance": []}
    changes["daily_average"] = []
    for row, cells in table.rows():
        errors_before = len(table.findings)
        code = table.value(row, cells, "code", "text")
        label = table.value(row, cells, "label", "text")
        start = table.value(row, cells, "start", "date")
        end = table.value(row, cells, "end", "date")
        if isinstance(code, str):
            if code in seen:
                table.fail(row, "code", code, "한 번만", f"{josa(code, '이')} {seen[code]}행에 이미 있습니다")
            seen[code] = row
        if isinstance(start, date) and isinstance(end, date) and end < start:
            table.fail(row, "end", end, f">= {start}", f"종료일 {josa(end, '이')} 시작일 {start}보다 앞섭니다")
        counts: dict[str, int | None] = {}
        for c in channels:
            raw = table.raw(cells, f"ch:{c.code}")
            if isinstance(raw, str) and raw.strip() == NOT_INTRODUCED:
                counts[c.code] = None
            else:
                value = table.value(row, cells, f"ch:{c.code}", "count")
                counts[c.code] = value if isinstance(value, int) else None
        phone = {name: table.value(row, cells, name, "count") for name in PHONE}
        if len(table.findings) > errors_before or not isinstance(code, str):
            continue
        values = [
            code,
            label,
            start,
            end,
            *[NOT_INTRODUCED if counts[c.code] is None else counts[c.code] for c in channels],
        ]
        values += [phone[name] for name in PHONE]
        if stored.get(code) == values:
            continue  # as stored: nothing to write
        assert isinstance(start, date) and isinstance(end, date)
        _period_rows(changes, channels, code, str(label), start, end, counts, phone, periods, next_seq)
        next_seq += code not in periods
    draft.findings += table.findings
    if draft.errors:
        return draft
    loaded = {p["code"] for p in changes["call_period"]}
    in_loaded = lambda r: r["period_code"] in loaded  # noqa: E731 - the rows these periods replace
    draft.changes = (
        [
            TableRows("call_period", changes["call_period"]),
            TableRows("channel_count", changes["channel_count"], in_loaded),
            TableRows("daily_average", changes["daily_average"], in_loaded),
            TableRows("phone_performance", changes["phone_performance"], in_loaded),
        ]
        if loaded
        else []
    )
    for p in changes["call_period"]:
        draft.preview.append(
            {
                "기간": p["label"],
                "시작일": p["start_date"],
                "종료일": p["end_date"],
                "총상담": p["total_reported"],
                "비전화 소계": p["nonphone_reported"],
            }
        )
        draft.summary.append(f"{p['label']} ({p['code']}): 총상담 {p['total_reported']:,}건")
    if not loaded:
        draft.summary.append("바뀐 기간이 없습니다 (저장할 것이 없습니다)")
    return draft


def _period_rows(
    changes: dict[str, list[dict[str, Any]]],
    channels: list[Channel],
    code: str,
    label: str,
    start: date,
    end: date,
    counts: dict[str, int | None],
    phone: dict[str, Any],
    periods: dict[str, CallPeriod],
    next_seq: int,
) -> None:
    groups = {c.code: c.group for c in channels}
    phone_total = sum(v or 0 for k, v in counts.items() if groups[k] == "phone")
    nonphone = sum(v or 0 for k, v in counts.items() if groups[k] == "nonphone")
    total = phone_total + nonphone
    seq = periods[code].seq if code in periods else next_seq
    changes["call_period"].append(
        {
            "code": code,
            "label": label,
            "start_date": start,
            "end_date": end,
            "total_reported": total,
            "nonphone_reported": nonphone,
            "seq": seq,
        }
    )
    for c in channels:
        changes["channel_count"].append(
            {
                "period_code": code,
                "channel_code": c.code,
                "count": counts[c.code],
                "introduced": counts[c.code] is not None,
            }
        )
    inflow, answered = int(phone["inflow"]), int(phone["answered"])
    changes["phone_performance"].append(
        {
            "period_code": code,
            "total_inflow": phone["total_inflow"],
            "inflow": inflow,
            "answered": answered,
            "answer_rate_reported": rate(answered, inflow) or 0,
        }
    )
    if end.month == 12 and end.day == 31 and start.month == 1 and start.day == 1:
        return  # a whole year: the document prints no daily averages for it
    days = (end - start).days + 1
    total_average = divide_half_up(total, days)
    lines: list[tuple[str, int]] = [("total", total_average)]
    lines += [(c.code, divide_half_up(counts[c.code] or 0, days)) for c in channels if c.group == "phone"]
    lines.append(("nonphone", divide_half_up(nonphone, days)))
    lines += [
        (c.code, divide_half_up(counts[c.code] or 0, days))
        for c in channels
        if c.group == "nonphone" and counts[c.code] is not None
    ]
    for seq_no, (line, average) in enumerate(lines, start=1):
        changes["daily_average"].append(
            {
                "period_code": code,
                "line_code": line,
                "average": average,
                "share_reported": rate(average, total_average) or 0,
                "seq": seq_no,
            }
        )
