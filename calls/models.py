"""Consultation channels, the ARS menu and call statistics per period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Numeric
from sqlmodel import Field

from governance_app.core.record import OrgRecord, big_integer, natural_key, refers


class Channel(OrgRecord, table=True):
    __table_args__ = (natural_key("code"),)
    code: str
    name: str  # as listed under 상담채널
    stats_label: str | None = None  # column heading in the statistics tables, if counted
    group: str  # phone | nonphone (counted in 비전화상담 소계) | other (not counted)
    seq: int


class ArsMenu(OrgRecord, table=True):
    __table_args__ = (natural_key("fiscal_year", "key"),)
    fiscal_year: int
    key: int  # the digit the caller presses
    label: str
    seq: int


class CallPeriod(OrgRecord, table=True):
    """A statistics period with the totals the document reports for it."""

    __table_args__ = (natural_key("code"),)
    code: str
    label: str
    start_date: date
    end_date: date
    total_reported: int = big_integer()  # 총상담 건수
    nonphone_reported: int = big_integer()  # 비전화상담 소계
    seq: int


class ChannelCount(OrgRecord, table=True):
    __table_args__ = (
        natural_key("period_code", "channel_code"),
        refers("period_code", "call_period"),
        refers("channel_code", "channel"),
    )
    period_code: str
    channel_code: str
    count: int | None = big_integer(default=None)  # empty when the channel was not yet introduced
    introduced: bool  # false reads "미도입"


class DailyAverage(OrgRecord, table=True):
    """일평균 상담건 수: ``line_code`` is a channel code, or ``total`` / ``nonphone``."""

    __table_args__ = (natural_key("period_code", "line_code"), refers("period_code", "call_period"))
    period_code: str
    line_code: str
    average: int
    share_reported: Decimal = Field(sa_type=Numeric(5, 1))
    seq: int


class PhonePerformance(OrgRecord, table=True):
    """연도별 전화상담 실적: 총인입량, 인입량, 응대량 and the reported 응대율."""

    __table_args__ = (natural_key("period_code"), refers("period_code", "call_period"))
    period_code: str
    total_inflow: int = big_integer()
    inflow: int = big_integer()
    answered: int = big_integer()
    answer_rate_reported: Decimal = Field(sa_type=Numeric(5, 1))
