"""The figures of a date range summed per period, carrier, person and key (`load_cube`): read
from the rollup's monthly and daily rows for past days, and live (reports.rollup.live_figures)
for today."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from . import measures as m
from .models import DailyCount, DailyDuration, MonthlyCount, MonthlyDuration, RolledDay
from .periods import MONTH, WEEK, Period, period_start, periods_of
from .rollup import live_figures


@dataclass
class Cube:
    """The range's figures summed per period and per carrier, person and key."""

    periods: list[Period]
    by_period: Counter = field(default_factory=Counter)  # (pi, measure)
    by_carrier: Counter = field(default_factory=Counter)  # (measure, carrier)
    by_key: Counter = field(default_factory=Counter)  # (measure, key)
    by_person: Counter = field(default_factory=Counter)  # (measure, person)
    by_person_period: Counter = field(default_factory=Counter)  # (pi, person)
    # Histograms {hours as text, as stored: n} (reports.stats reads either form).
    hist_period: dict = field(default_factory=lambda: defaultdict(dict))  # (pi, measure)
    hist_carrier: dict = field(default_factory=lambda: defaultdict(dict))  # (measure, c)
    days_missing: int = 0
    live_today: bool = False
    today_as_of: datetime.datetime | None = None
    holdings: dict | None = None  # who holds what now (with today's live figures)

    def add(self, pi, measure, carrier, person, key, n):
        self.add_period(pi, measure, person, n)
        self.add_totals(measure, carrier, person, key, n)

    def add_period(self, pi, measure, person, n):
        self.by_period[(pi, measure)] += n
        if person is not None:
            self.by_person_period[(pi, person)] += n

    def add_totals(self, measure, carrier, person, key, n):
        self.by_carrier[(measure, carrier)] += n
        self.by_key[(measure, key)] += n
        if person is not None:
            self.by_person[(measure, person)] += n

    def total(self, measure) -> int:
        return sum(self.by_period[(pi, measure)] for pi in range(len(self.periods)))

    def hist_all(self, measure) -> dict:
        merged: dict = {}
        for pi in range(len(self.periods)):
            _add_hist(merged, self.hist_period[(pi, measure)])
        return merged


def _add_hist(target: dict, hist) -> None:
    # The hot loop of a year's report (thousands of stored histograms): plain dicts keyed by
    # the stored text, no conversion per item.
    get = target.get
    for hours, n in hist.items():
        target[hours] = get(hours, 0) + n


def _full_months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The calendar months wholly inside [first, last], by their first day."""
    month = first.replace(day=1)
    if month < first:
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    out = []
    while True:
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        if following - datetime.timedelta(days=1) > last:
            return out
        out.append(month)
        month = following


def load_cube(
    first: datetime.date,
    last: datetime.date,
    grouping: str,
    *,
    carrier: int | None = None,
    person: int | None = None,
    today: datetime.date | None = None,
) -> Cube:
    """Sum the rollup's rows of [first, last] (today live). `carrier` keeps one carrier's
    figures (the scorecard); `person` keeps one person's desk actions and nothing else.

    The whole desk's report reads the months wholly inside the range from the monthly sums
    and only the days at its ends from the daily rows; its trend lines read the daily
    all-carrier histograms (three rows a day)."""
    today = today or timezone.localdate()
    periods = periods_of(first, last, grouping)
    cube = Cube(periods)
    index = {p.start: pi for pi, p in enumerate(periods)}
    stored_last = min(last, today - datetime.timedelta(days=1))
    if first <= stored_last:
        # A person's figures are few rows a day: the daily rows serve them.
        months = _full_months(first, stored_last) if person is None else []
        edges = Q(day__gte=first, day__lte=stored_last)
        if months:
            after = (months[-1] + datetime.timedelta(days=32)).replace(day=1)
            edges &= Q(day__lt=months[0]) | Q(day__gte=after)
        _load_counts(cube, index, grouping, first, stored_last, months, edges, carrier, person)
        if person is None:
            _load_durations(cube, index, grouping, first, stored_last, months, edges, carrier)
        rolled = RolledDay.objects.filter(day__gte=first, day__lte=stored_last).aggregate(
            n=Count("id")
        )["n"]
        cube.days_missing = (stored_last - first).days + 1 - rolled
    if first <= today <= last:
        cube.live_today = True
        live = live_figures(today)
        figures, cube.today_as_of = live.today, live.as_of
        cube.holdings = live.holdings
        pi = index[period_start(today, grouping)]
        for (measure, c, p, key), n in figures.counts.items():
            if carrier is not None and c != carrier:
                continue
            if person is not None and (p != person or measure not in m.ACTIONS):
                continue
            cube.add(pi, measure, c, p, key, n)
        if person is None:
            for (measure, c), hist in figures.durations.items():
                if carrier is None or c == carrier:
                    stored = {str(h): n for h, n in hist.items()}
                    _add_hist(cube.hist_period[(pi, measure)], stored)
                    _add_hist(cube.hist_carrier[(measure, c)], stored)
    return cube


def _load_counts(cube, index, grouping, first, last, months, edges, carrier, person):
    if grouping == WEEK and months:
        _load_week_counts(cube, index, first, last, months, edges, carrier)
        return
    if grouping == MONTH and months:
        monthly = MonthlyCount.objects.filter(month__in=months)
        if carrier is not None:
            monthly = monthly.filter(carrier_id=carrier)
        for month, measure, c, p, key, n in monthly.values_list(
            "month", "measure", "carrier_id", "person_id", "key", "value"
        ):
            cube.add(index[month], measure, c, p, key, n)
        daily = DailyCount.objects.filter(edges)
    else:
        daily = DailyCount.objects.filter(day__gte=first, day__lte=last)
    if carrier is not None:
        daily = daily.filter(carrier_id=carrier)
    if person is not None:
        daily = daily.filter(person_id=person, measure__in=m.ACTIONS)
    trunc = TruncMonth if grouping == MONTH else TruncWeek
    rows = (
        daily.annotate(period=trunc("day"))
        .values_list("period", "measure", "carrier_id", "person_id", "key")
        .annotate(n=Sum("value"))
        .order_by()
    )
    for period, measure, c, p, key, n in rows:
        cube.add(index[_as_date(period)], measure, c, p, key, n)


def _load_week_counts(cube, index, first, last, months, edges, carrier):
    """By week, weeks straddle months: the per-week sums come from the daily rows without
    the carrier and key (a third of the rows), the range's totals per carrier, person and
    key from the months' sums and the days at the ends."""
    daily = DailyCount.objects.filter(day__gte=first, day__lte=last)
    monthly = MonthlyCount.objects.filter(month__in=months)
    ends = DailyCount.objects.filter(edges)
    if carrier is not None:
        daily, monthly, ends = (q.filter(carrier_id=carrier) for q in (daily, monthly, ends))
    for period, measure, p, n in (
        daily.annotate(period=TruncWeek("day"))
        .values_list("period", "measure", "person_id")
        .annotate(n=Sum("value"))
        .order_by()
    ):
        cube.add_period(index[_as_date(period)], measure, p, n)
    for measure, c, p, key, n in monthly.values_list(
        "measure", "carrier_id", "person_id", "key", "value"
    ):
        cube.add_totals(measure, c, p, key, n)
    for measure, c, p, key, n in (
        ends.values_list("measure", "carrier_id", "person_id", "key")
        .annotate(n=Sum("value"))
        .order_by()
    ):
        cube.add_totals(measure, c, p, key, n)


def _load_durations(cube, index, grouping, first, last, months, edges, carrier):
    days = DailyDuration.objects.filter(day__gte=first, day__lte=last)
    if carrier is not None:
        by_month = grouping == MONTH and bool(months)
        for month, measure, hist in MonthlyDuration.objects.filter(
            month__in=months, carrier_id=carrier
        ).values_list("month", "measure", "hours"):
            _add_hist(cube.hist_carrier[(measure, carrier)], hist)
            if by_month:
                _add_hist(cube.hist_period[(index[month], measure)], hist)
        after = (months[-1] + datetime.timedelta(days=32)).replace(day=1) if months else None
        for day, measure, hist in (
            (DailyDuration.objects.filter(edges) if by_month else days)
            .filter(carrier_id=carrier)
            .values_list("day", "measure", "hours")
        ):
            _add_hist(cube.hist_period[(index[period_start(day, grouping)], measure)], hist)
            if not months or day < months[0] or day >= after:
                _add_hist(cube.hist_carrier[(measure, carrier)], hist)
        return
    # The trend: every carrier together, per period (by month: the months' own sums).
    trend_days = days
    if grouping == MONTH and months:
        trend_days = DailyDuration.objects.filter(edges)
    for day, measure, hist in trend_days.filter(carrier__isnull=True).values_list(
        "day", "measure", "hours"
    ):
        _add_hist(cube.hist_period[(index[period_start(day, grouping)], measure)], hist)
    # Per carrier over the whole range: the months' sums and the days at the ends.
    for month, measure, c, hist in MonthlyDuration.objects.filter(month__in=months).values_list(
        "month", "measure", "carrier_id", "hours"
    ):
        if c is not None:
            _add_hist(cube.hist_carrier[(measure, c)], hist)
        elif grouping == MONTH:
            _add_hist(cube.hist_period[(index[month], measure)], hist)
    for measure, c, hist in DailyDuration.objects.filter(edges, carrier__isnull=False).values_list(
        "measure", "carrier_id", "hours"
    ):
        _add_hist(cube.hist_carrier[(measure, c)], hist)


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
