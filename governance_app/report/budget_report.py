"""The budget execution report for finance."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from budget import execution as budget
from governance_app.core import context
from governance_app.core import formatting as fmt
from governance_app.core.auth import Actor
from governance_app.report.sections import budget_tables, execution_blocks
from governance_app.report.tree import Cover, Document, Heading


def build_budget_report(
    s: Session, as_of: date | None = None, actor: Actor | None = None, round_code: str | None = None
) -> Document:
    ctx = context.current(s, round_code)
    as_of = budget.shown_as_of(s, ctx, as_of)
    title = f"{ctx.fiscal_year}년 예산 집행 현황"
    doc = Document(f"{ctx.org_name} {title}", author=ctx.org_name)
    doc.add(Cover(ctx.org_name, title, f"{fmt.date_ko(as_of)} 기준"))
    doc.add(Heading(f"1. {ctx.fiscal_year}년 예산 현황", 1), *budget_tables(s, ctx))
    doc.add(Heading(f"2. 예산 집행 현황 ({fmt.date_ko(as_of)} 기준)", 1), *execution_blocks(s, ctx, as_of, actor=actor))
    return doc
