"""The daily rollup: one local day's figures computed from the history the desk keeps, and the
job that keeps the stored days current.

`compute_day` (reports.day_figures) is the one code path: the rollup stores what it returns
for past days, and the report calls it live for today. `roll_day` replaces a day's rows in
one transaction (safe to rerun for any day, from the job, the backfill command or two
clusters at once: the day's RolledDay row is locked first). `reports_rollup` is the
scheduled job: it marks (reports.sweep) the past days that rows written since its last run
count on (a backdated LSR, SUP or history row), rolls days that ended since, and re-rolls
the dirty ones.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from orders.models import Direction, PortOrder, Status

from .day_figures import DayFigures, compute_day
from .days import day_bounds, days_between, local_day
from .models import DailyCount, DailyDuration, MonthlyCount, MonthlyDuration, RolledDay
from .sweep import mark_changed_days

log = logging.getLogger("reports.rollup")

S = Status
PORT_IN_OPEN = (S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.EXCEPTION, S.REVIEW)
PORT_OUT_OPEN = (S.RECEIVED, S.EXPEDITE_REVIEW, S.FOC_SENT)
# How many dirty or missing days one job run rolls (about a second each at 1M orders); the
# rest wait for the next run, so a run stays short.
DAYS_PER_RUN = 30
# Days the job rolls without being told: the ones that ended lately (a stopped cluster
# catches up on its next run); older ones are the backfill command's.
CATCH_UP_DAYS = 7


def roll_day(day: datetime.date, *, now=None) -> DayFigures:
    """Replace `day`'s rollup rows with what the history says now, in one transaction."""
    now = now or timezone.now()
    RolledDay.objects.get_or_create(day=day, defaults={"rolled_at": now, "dirty": True})
    with transaction.atomic():
        # The lock makes concurrent rolls of one day take turns instead of both inserting.
        marker = RolledDay.objects.select_for_update().get(day=day)
        figures = compute_day(day)
        DailyCount.objects.filter(day=day).delete()
        DailyDuration.objects.filter(day=day).delete()
        DailyCount.objects.bulk_create(
            DailyCount(day=day, measure=mm, carrier_id=c, person_id=p, key=k, value=n)
            for (mm, c, p, k), n in figures.counts.items()
            if n
        )
        DailyDuration.objects.bulk_create(
            DailyDuration(day=day, measure=mm, carrier_id=c, hours=_stored(hist))
            for (mm, c), hist in [*figures.durations.items(), *_all_carriers(figures)]
        )
        _roll_month(day.replace(day=1))
        marker.rolled_at = now
        marker.dirty = False
        marker.save(update_fields=["rolled_at", "dirty"])
    return figures


def _stored(hist) -> dict:
    return {str(h): n for h, n in sorted(hist.items())}


def _all_carriers(figures: DayFigures):
    """Each duration measure's histogram over every carrier (stored with no carrier)."""
    merged = defaultdict(Counter)
    for (measure, _), hist in figures.durations.items():
        merged[measure].update(hist)
    return [((measure, None), hist) for measure, hist in merged.items()]


def _roll_month(month: datetime.date) -> None:
    """Rewrite a month's sums from its daily rows (inside roll_day's transaction)."""
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    MonthlyCount.objects.filter(month=month).delete()
    MonthlyDuration.objects.filter(month=month).delete()
    MonthlyCount.objects.bulk_create(
        MonthlyCount(month=month, measure=mm, carrier_id=c, person_id=p, key=k, value=n)
        for mm, c, p, k, n in DailyCount.objects.filter(day__gte=month, day__lt=following)
        .values_list("measure", "carrier_id", "person_id", "key")
        .annotate(n=Sum("value"))
        .order_by()
    )
    merged = defaultdict(Counter)
    for mm, c, hist in DailyDuration.objects.filter(day__gte=month, day__lt=following).values_list(
        "measure", "carrier_id", "hours"
    ):
        merged[(mm, c)].update({int(h): n for h, n in hist.items()})
    MonthlyDuration.objects.bulk_create(
        MonthlyDuration(month=month, measure=mm, carrier_id=c, hours=_stored(hist))
        for (mm, c), hist in merged.items()
    )


@dataclass
class LiveFigures:
    today: DayFigures
    holdings: dict  # {person id: Counter({direction: open orders held})}
    as_of: datetime.datetime


def holdings_now() -> dict:
    """Open orders per assignee and desk, now. Port-in and port-out statuses differ except
    Rejected (open on port-in, closed on port-out), so the (assignee, status) index answers
    all but the rejected port-ins, which are few."""
    desk_of = dict.fromkeys(PORT_IN_OPEN, Direction.PORT_IN)
    desk_of |= dict.fromkeys(PORT_OUT_OPEN, Direction.PORT_OUT)
    out: dict = defaultdict(Counter)
    for person, status, n in (
        PortOrder.objects.filter(assignee__isnull=False, status__in=list(desk_of))
        .values_list("assignee_id", "status")
        .annotate(n=Count("*"))
        .order_by()
    ):
        out[person][desk_of[status]] += n
    for person, n in (
        PortOrder.objects.filter(
            assignee__isnull=False, status=S.REJECTED, direction=Direction.PORT_IN
        )
        .values_list("assignee_id")
        .annotate(n=Count("*"))
        .order_by()
    ):
        out[person][Direction.PORT_IN] += n
    return dict(out)


def live_figures(today: datetime.date | None = None, *, now=None, fresh=False) -> LiveFigures:
    """Today's figures (compute_day over the live rows) and who holds what now; kept in the
    shared cache for settings.REPORTS_TODAY_SECONDS, refreshed by the rollup job every
    minute, because at a million orders counting them costs over a second, more than a page
    may take. `fresh`: count them now whatever the cache holds."""
    now = now or timezone.now()
    today = today or local_day(now)
    key = f"reports:live:{today.isoformat()}"
    max_age = settings.REPORTS_TODAY_SECONDS
    if max_age > 0 and not fresh:
        kept = cache.get(key)
        if kept is not None and (now - kept.as_of).total_seconds() <= max_age:
            return kept
    live = LiveFigures(compute_day(today), holdings_now(), now)
    if max_age > 0:
        cache.set(key, live, timeout=max_age * 2)
    return live


def roll_range(first: datetime.date, last: datetime.date, *, now=None, progress=None) -> int:
    """Roll every day from first to last (both included); returns how many."""
    n = 0
    for day in days_between(first, last):
        roll_day(day, now=now)
        n += 1
        if progress:
            progress(day)
    return n


def reports_rollup(*, now=None) -> dict:
    """The scheduled job: mark changed days, then roll the days that ended lately and are not
    rolled, and the dirty ones, at most DAYS_PER_RUN, oldest first."""
    now = now or timezone.now()
    today = local_day(now)
    marked = mark_changed_days(now=now)
    recent = [today - datetime.timedelta(days=n) for n in range(CATCH_UP_DAYS, 0, -1)]
    # A day rolled before it ended (the backfill run for today) is rolled again.
    rolled = {
        day
        for day, rolled_at in RolledDay.objects.filter(day__in=recent, dirty=False).values_list(
            "day", "rolled_at"
        )
        if rolled_at >= day_bounds(day)[1]
    }
    due = sorted(
        {d for d in recent if d not in rolled}
        | set(
            RolledDay.objects.filter(dirty=True, day__lt=today)
            .order_by("day")
            .values_list("day", flat=True)[:DAYS_PER_RUN]
        )
    )[:DAYS_PER_RUN]
    for day in due:
        # A day that fails stays dirty (or unrolled): the next run tries it again.
        roll_day(day, now=now)
        log.info("rolled up %s", day)
    if settings.REPORTS_TODAY_SECONDS > 0:
        live_figures(today, now=now, fresh=True)  # warm for the pages
    return {"marked": len(marked), "rolled": len(due)}
