"""Revenue and the expenditure hierarchy (정책 > 단위 > 세부사업) and its execution.

Money is integer 천원 everywhere. Reported figures (totals, 증감, 집행률) are stored as
printed so reconciliation can compare them with what the parts add up to.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Numeric
from sqlmodel import Field

from governance_app.core.record import OrgRecord, big_integer, natural_key, personal, refers


class BudgetLine(OrgRecord, table=True):
    __table_args__ = (natural_key("code"),)
    code: str
    side: str  # revenue | expenditure
    level: str  # total | item (revenue) ; total | policy | unit | detail (expenditure)
    parent_code: str | None = None
    name: str
    seq: int


class BudgetAmount(OrgRecord, table=True):
    """Amount of a line in one fiscal year's budget: the 본예산 (revision 0) or a 추경 (1, 2, ...)."""

    __table_args__ = (natural_key("line_code", "fiscal_year", "revision"), refers("line_code", "budget_line"))
    line_code: str
    fiscal_year: int
    amount: int = big_integer()  # 천원, as reported
    revision: int = 0  # 0 = 본예산; n = the n-th 추경 (budget_revision says from when)


class BudgetRevision(OrgRecord, table=True):
    """A 추경 (supplementary budget) of a fiscal year and the date it takes effect.

    The 본예산 (revision 0) needs no row: it is in force from 1 January. A 추경's amounts are
    ``budget_amount`` rows with its number; from ``effective_on`` on it is the budget in force.
    """

    __table_args__ = (natural_key("fiscal_year", "revision"),)
    fiscal_year: int
    revision: int  # 1, 2, ...
    label: str  # 제1회 추경
    effective_on: date


class BudgetChange(OrgRecord, table=True):
    """The 증감 column as printed: ``fiscal_year`` minus ``base_year``."""

    __table_args__ = (
        natural_key("line_code", "base_year", "fiscal_year"),
        refers("line_code", "budget_line"),
    )
    line_code: str
    base_year: int
    fiscal_year: int
    change_reported: int = big_integer()


class ExecutionLine(OrgRecord, table=True):
    """A row of the 세부사업별 execution table, tied to the budget line it executes."""

    __table_args__ = (natural_key("code"), refers("budget_line_code", "budget_line"))
    code: str
    label: str
    budget_line_code: str
    is_total: bool
    manager_name: str | None = personal(default=None)  # 부장
    manager_phone: str | None = personal(default=None)
    officer_name: str | None = personal(default=None)  # 담당
    officer_phone: str | None = personal(default=None)
    seq: int


class ExecutionSnapshot(OrgRecord, table=True):
    """예산액 and 집행액 of one execution line as of a date."""

    __table_args__ = (natural_key("line_code", "as_of"), refers("line_code", "execution_line"))
    line_code: str
    as_of: date
    budget_amount: int = big_integer()
    executed_amount: int = big_integer()
    rate_reported: Decimal | None = Field(default=None, sa_type=Numeric(5, 1))
    remaining_reported: int | None = big_integer(default=None)  # 잔액, printed for the total only
