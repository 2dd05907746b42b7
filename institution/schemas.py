"""Value rules for the history and the vision statements."""

from __future__ import annotations

from datetime import date

import pandera.pandas as pa

from governance_app.core.checks import Dataset, rows
from governance_app.core.findings import Finding, error
from governance_app.core.i18n import josa

SECTIONS = ["basis", "purpose", "mission", "vision", "slogan", "goal", "strategy", "core_task", "core_task_detail"]

SCHEMAS = {
    "history_event": pa.DataFrameSchema(
        {"year": pa.Column(checks=pa.Check.in_range(1900, 2100)), "month": pa.Column(checks=pa.Check.in_range(1, 12))}
    ),
    "statement": pa.DataFrameSchema({"section": pa.Column(checks=pa.Check.isin(SECTIONS))}),
}


def reconcile(ds: Dataset) -> list[Finding]:
    out = []
    for event in rows(ds, "history_event"):
        if event["day"] is None:
            continue
        try:
            date(event["year"], event["month"], event["day"])
        except ValueError:
            out.append(
                error(
                    "history_event",
                    str(event["seq"]),
                    "day",
                    event["day"],
                    "a day of that month",
                    f"{event['year']}-{event['month']}-{josa(event['day'], '은')} 존재하지 않는 날짜입니다",
                )
            )
    return out
