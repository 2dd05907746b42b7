"""Calls: channels, ARS menus, counts per channel and period, phone performance."""

from calls import schemas
from calls.models import ArsMenu, CallPeriod, Channel, ChannelCount, DailyAverage, PhonePerformance
from governance_app.core.domain import Domain

DOMAIN = Domain(
    name="calls",
    tables=(
        Channel,
        ArsMenu,
        CallPeriod,
        ChannelCount,
        DailyAverage,
        PhonePerformance,
    ),
    schemas=schemas.SCHEMAS,
    reconcile=schemas.reconcile,
    pages=("calls",),
    section="현황",
)
