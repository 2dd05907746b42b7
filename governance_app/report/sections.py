"""Section builders shared by the documents: each reads services and returns tree blocks."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from audit_followup import service as audit
from audit_followup.models import CATEGORIES, STATUSES
from budget import execution as budget_execution
from budget import service as budget
from budget.charts import execution_rate_chart
from governance_app.core import formatting as fmt
from governance_app.core.auth import Actor, may_see_personal_data
from governance_app.core.context import Context
from governance_app.report.tree import Block, Chart, Column, Heading, Paragraph, Table

AUDIT_HEADINGS = {
    "시정·처리요구사항": ("시정·처리 요구사항", "시정 및 처리 요구사항", "조치결과 및 향후추진계획"),
    "건의사항": ("건의사항", "건의사항", "조치결과"),
    "기타": ("기타사항", "자료제출 등 기타사항", "조치결과"),
}


def budget_tables(s: Session, ctx: Context) -> list[Block]:
    """□ 세입예산 and □ 세출예산 with 증감, in 천원."""
    years = (ctx.fiscal_year - 1, ctx.fiscal_year)
    base, year = years
    blocks: list[Block] = [Heading("□ 세입예산", 4)]
    revenue = budget.budget_table(s, ctx.org_id, "revenue", years)
    blocks.append(
        Table(
            [Column("구분", width=3), *(Column(f"{y}년", "number") for y in years), Column("증감", "number")],
            [
                [r.name, fmt.amount(r.amounts.get(base)), fmt.amount(r.amounts.get(year)), fmt.amount(r.change)]
                for r in revenue
            ],
            unit="(단위: 천원)",
            total_rows=frozenset(i for i, r in enumerate(revenue) if r.level == "total"),
        )
    )
    blocks.append(Heading("□ 세출예산", 4))
    expenditure = budget.budget_table(s, ctx.org_id, "expenditure", years)
    rows = []
    for r in expenditure:
        columns = {
            "total": ["총계", "", ""],
            "policy": [r.name, "", ""],
            "unit": ["", r.name, ""],
            "detail": ["", "", r.name],
        }[r.level]
        rows.append([*columns, fmt.amount(r.amounts.get(base)), fmt.amount(r.amounts.get(year)), fmt.amount(r.change)])
    blocks.append(
        Table(
            [
                Column("정책", width=2.6),
                Column("단위", width=2.6),
                Column("세부사업", width=3.0),
                Column(f"{base}년 (A)", "number"),
                Column(f"{year}년 (B)", "number"),
                Column("증감 (B-A)", "number"),
            ],
            rows,
            unit="(단위: 천원)",
            total_rows=frozenset(i for i, r in enumerate(expenditure) if r.level in ("total", "policy")),
            font_size=8,
        )
    )
    return blocks


def execution_blocks(s: Session, ctx: Context, as_of: date, *, actor: Actor | None = None) -> list[Block]:
    """집행 현황 and 세부사업별 예산 현황 as of a date, with the chart against the elapsed year;
    the 부장/담당 columns only for an ``actor`` who may see personal data."""
    contacts = actor is not None and may_see_personal_data(actor)
    rows = budget_execution.execution(s, ctx.org_id, as_of, actor)
    total = next((r for r in rows if r.is_total), None)
    blocks: list[Block] = [Paragraph("ㅇ 집행 현황", 1, bold=True)]
    if total:
        blocks.append(
            Table(
                [
                    Column(f"'{as_of.year % 100}년 예산", "number"),
                    Column("집행액", "number"),
                    Column("집행률", "rate"),
                    Column("잔액", "number"),
                ],
                [
                    [
                        fmt.amount(total.budget),
                        fmt.amount(total.executed),
                        fmt.percent(total.rate),
                        fmt.amount(total.remaining),
                    ]
                ],
                unit="(단위: 천원, %)",
            )
        )
    blocks.append(Paragraph("ㅇ 세부사업별 예산 현황", 1, bold=True))
    columns = [
        Column("구분", width=3.0),
        Column("예산액", "number"),
        Column("집행액", "number"),
        Column("집행률", "rate"),
        Column("경과율 대비(%p)", "rate"),
    ]
    if contacts:
        columns += [Column("부장", width=1.2), Column("담당", width=1.2)]
    table_rows = []
    for r in rows:
        row = [r.label, fmt.amount(r.budget), fmt.amount(r.executed), fmt.percent(r.rate), fmt.points(r.gap)]
        if contacts:
            row += [
                _contact(r.contacts["manager_name"], r.contacts["manager_phone"]),
                _contact(r.contacts["officer_name"], r.contacts["officer_phone"]),
            ]
        table_rows.append(row)
    blocks.append(
        Table(
            columns,
            table_rows,
            unit="(단위: 천원, %)",
            total_rows=frozenset(i for i, r in enumerate(rows) if r.is_total),
        )
    )
    if rows:
        blocks.append(
            Paragraph(
                f"※ 연중 경과율 {fmt.percent(rows[0].elapsed)}% ({fmt.date_ko(as_of)} 기준, 1. 1.부터 "
                "경과한 일수 비율). 경과율 대비 △는 집행이 경과율에 못 미침을 뜻함",
                1,
                small=True,
            )
        )
        blocks.append(Chart(execution_rate_chart(rows), 900, 400))  # shares its page with the table
    return blocks


def _contact(name: str | None, phone: str | None) -> str:
    if not name:
        return ""
    return f"{name}\n☎ {phone}" if phone else name


def audit_blocks(s: Session, ctx: Context, *, heading_level: int = 2) -> list[Block]:
    """총괄 computed from the items, then every item with its actions and plan."""
    session_row = audit.audit_session(s, ctx.org_id, ctx.audit_session_code)
    cells = {(c.category, c.status): c for c in audit.summary(s, ctx.org_id, ctx.audit_session_code)}
    items = audit.items(s, ctx.org_id, ctx.audit_session_code)
    blocks: list[Block] = [Heading("□ 총 괄", heading_level + 2)]
    blocks.append(Paragraph(f"○ 수감결과 처리요구사항 등 ----- 총 {cells[('계', '계')].computed}건", 1))
    blocks.append(Paragraph("○ 조치내역", 1))
    labels = {"계": "계", "시정·처리요구사항": "시정·처리요구사항", "건의사항": "건의사항", "기타": "기타(자료제출 등)"}
    blocks.append(
        Table(
            [Column("구분", width=3), Column("계", "number"), *(Column(st, "number") for st in STATUSES)],
            [
                # empty cells for zero, as the printed table has them
                [labels[c], str(cells[(c, "계")].computed), *(str(cells[(c, st)].computed or "") for st in STATUSES)]
                for c in ("계", *CATEGORIES)
            ],
            total_rows=frozenset({0}),
        )
    )
    mismatches = [c for c in cells.values() if not c.matches]
    if mismatches:
        blocks.append(
            Paragraph(
                "※ 총괄은 개별 항목의 추진상황으로 집계함. 당초 보고된 총괄표와 다른 칸: "
                + ", ".join(
                    f"{c.category} {c.status} (보고 {c.reported or 0}건, 항목 {c.computed}건)" for c in mismatches
                ),
                1,
                small=True,
            )
        )
    for category in CATEGORIES:
        chosen = [i for i in items if i.category == category]
        if not chosen:
            continue
        title, left, right = AUDIT_HEADINGS[category]
        blocks.append(Heading(f"□ {title}", heading_level + 2))
        rows = []
        for number, item in enumerate(chosen, start=1):
            request = (f"{number}. {item.request}" if category == "기타" else f"○ {item.request}") + (
                f"\n({item.department})" if item.department else ""
            )
            parts = [f"□ 추진상황 : {item.status}"]
            if item.actions:
                parts += ["□ 추진내용", item.actions]
            if item.plan:
                parts += ["□ 향후계획", item.plan]
            rows.append([request, "\n".join(parts)])
        blocks.append(Table([Column(left, width=2), Column(right, width=3)], rows, font_size=8.5))
    carried = carried_blocks(s, ctx, heading_level=heading_level)
    if session_row is None:
        return carried
    return blocks + carried


def carried_blocks(s: Session, ctx: Context, *, heading_level: int = 2) -> list[Block]:
    """The earlier session's items that round ``ctx`` carries as 계속 추진, each with its history."""
    if ctx.previous_audit_session_code is None or ctx.previous_report_date is None:
        return []
    carried = audit.carried_items(s, ctx.org_id, ctx.previous_audit_session_code, ctx.previous_report_date)
    if not carried:
        return []
    year = ctx.previous_audit_session_code.split("-")[0]
    blocks: list[Block] = [Heading(f"□ 계속 추진 ({year} 행정사무감사 미완료 과제)", heading_level + 2)]
    rows = []
    for c in carried:
        history = [f"{fmt.date_ko(h.changed_on)} {h.from_status} → {h.to_status}" for h in c.changes]
        reported = f"{fmt.month_ko(ctx.previous_report_date)} 보고 {c.reported_status}"
        parts = [f"□ 추진상황 : {c.item.status} (계속 추진, {reported})"]
        if history:
            parts += ["□ 추진 경과", *history]
        if c.item.plan:
            parts += ["□ 향후계획", c.item.plan]
        department = f"\n({c.item.department})" if c.item.department else ""
        rows.append([f"○ {c.item.request}{department}", "\n".join(parts)])
    blocks.append(Table([Column("요구사항", width=2), Column("조치결과", width=3)], rows, font_size=8.5))
    return blocks


def audit_committee(s: Session, ctx: Context) -> str | None:
    """The council committee that held the audit (문화체육관광위원회), printed under its heading."""
    session_row = audit.audit_session(s, ctx.org_id, ctx.audit_session_code)
    return session_row.committee if session_row else None
