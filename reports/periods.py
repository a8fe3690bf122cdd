"""The reports' periods: a date range cut into weeks (from Monday) or calendar months."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .days import days_between

WEEK, MONTH = "week", "month"
GROUPINGS = {WEEK: "Week", MONTH: "Month"}
MAX_DAYS = 400  # about 13 months: the rollup the backfill keeps


@dataclass(frozen=True)
class Period:
    start: datetime.date  # the week's Monday or the month's first day (may precede the range)
    first: datetime.date  # the first day of the range inside the period
    last: datetime.date

    def label(self, grouping: str) -> str:
        return f"{self.start:%Y-%m}" if grouping == MONTH else f"{self.start:%Y-%m-%d}"


def period_start(day: datetime.date, grouping: str) -> datetime.date:
    if grouping == MONTH:
        return day.replace(day=1)
    return day - datetime.timedelta(days=day.weekday())


def periods_of(first: datetime.date, last: datetime.date, grouping: str) -> list[Period]:
    out: list[Period] = []
    for day in days_between(first, last):
        start = period_start(day, grouping)
        if out and out[-1].start == start:
            out[-1] = Period(start, out[-1].first, day)
        else:
            out.append(Period(start, day, day))
    return out
