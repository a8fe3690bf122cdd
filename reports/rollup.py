"""The daily rollup: one local day's figures computed from the history the desk keeps, and the
job that keeps the stored days current.

`compute_day` is the one code path: the rollup stores what it returns for past days, and the
report calls it live for today. `roll_day` replaces a day's rows in one transaction (safe to
rerun for any day, from the job, the backfill command or two clusters at once: the day's
RolledDay row is locked first). `reports_rollup` is the scheduled job: it marks the past days
that rows written since its last run count on (a backdated LSR, SUP or history row), rolls
days that ended since, and re-rolls the dirty ones.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from orders.models import (
    Comment,
    CsrRequest,
    Direction,
    PortOrder,
    Rejection,
    Status,
    StatusChange,
    StatusCheck,
    Supplement,
)
from orders.services.portin.cancel import AUTO_CANCEL_ACTOR
from orders.services.portout.port_windows import PORT_WINDOW_ACTOR

from . import measures as m
from .days import day_bounds, days_between, local_day
from .models import (
    DailyCount,
    DailyDuration,
    MonthlyCount,
    MonthlyDuration,
    RolledDay,
    SweepMark,
)
from .stats import whole_hours

log = logging.getLogger("reports.rollup")

S = Status
PORT_IN_OPEN = (S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.EXCEPTION, S.REVIEW)
PORT_OUT_OPEN = (S.RECEIVED, S.EXPEDITE_REVIEW, S.FOC_SENT)
DECISIONS = (S.FOC_SENT, S.REJECTED, S.EXPEDITE_REVIEW)
# How many dirty or missing days one job run rolls (about a second each at 1M orders); the
# rest wait for the next run, so a run stays short.
DAYS_PER_RUN = 30
# Days the job rolls without being told: the ones that ended lately (a stopped cluster
# catches up on its next run); older ones are the backfill command's.
CATCH_UP_DAYS = 7


@dataclass
class DayFigures:
    """One day's counts {(measure, carrier_id, person_id, key): n} and durations
    {(measure, carrier_id): {hours: n}}."""

    day: datetime.date
    counts: Counter = field(default_factory=Counter)
    durations: dict = field(default_factory=lambda: defaultdict(Counter))

    def add(self, measure, carrier=None, person=None, key="", n=1):
        self.counts[(measure, carrier, person, key)] += n

    def duration(self, measure, carrier, start, end):
        if start is not None and end is not None:
            self.durations[(measure, carrier)][whole_hours((end - start).total_seconds())] += 1


def compute_day(day: datetime.date) -> DayFigures:
    """Every figure of one local day, from the rows as they are now."""
    start, end = day_bounds(day)
    out = DayFigures(day)
    _moves(out, start, end)
    _rejections(out, start, end)
    _lsrs(out, day, end)
    _sups_and_csrs(out, start, end)
    _desk(out, start, end)
    return out


def _moves(out: DayFigures, start, end) -> None:
    day = StatusChange.objects.filter(created_at__gte=start, created_at__lt=end)
    # The counts, grouped in the database: a busy day has 40,000 moves, a few hundred kinds.
    for was, to, actor, label, direction, losing, requester, expedite, n in (
        day.values_list(
            "from_status",
            "to_status",
            "actor_id",
            "actor_label",
            "order__direction",
            "order__losing_carrier_id",
            "order__new_carrier_id",
            "order__expedite_decision",
        )
        .annotate(n=Count("*"))
        .order_by()
    ):
        if actor is not None:
            out.add(m.ACT_MOVES, person=actor, n=n)
        if direction == Direction.PORT_IN:
            if to == S.SUBMITTED:
                out.add(m.IN_SENT, losing, n=n)
                if was == S.EXCEPTION:
                    out.add(m.IN_FIXED, losing, n=n)
            elif to == S.ACCEPTED:
                out.add(m.IN_FOC, losing, n=n)
            elif to == S.COMPLETED:
                out.add(m.IN_COMPLETED, losing, n=n)
            elif to == S.REJECTED and was == S.EXCEPTION:
                out.add(m.IN_RETURNED, losing, n=n)
            elif to == S.CANCELLED and label == AUTO_CANCEL_ACTOR:
                out.add(m.IN_AUTO_CANCELLED, losing, n=n)
        else:
            if to == S.FOC_SENT:
                out.add(m.OUT_FOC, requester, n=n)
                if was == S.EXPEDITE_REVIEW and expedite == PortOrder.Decision.ACCEPTED:
                    out.add(m.OUT_EXPEDITE_GRANTED, requester, n=n)
            elif to == S.REJECTED:
                out.add(m.OUT_REJECTED, requester, n=n)
            elif to == S.EXPEDITE_REVIEW:
                out.add(m.OUT_EXPEDITE_ASKED, requester, n=n)
            elif to == S.CANCELLED and label == PORT_WINDOW_ACTOR:
                out.add(m.OUT_WINDOW_EXPIRED, requester, n=n)
    # The durations that end today: the port-in FOCs and completions, one by one.
    focs, completions = [], []
    for order_id, to, at, losing, created in day.filter(
        to_status__in=(S.ACCEPTED, S.COMPLETED), order__direction=Direction.PORT_IN
    ).values_list(
        "order_id", "to_status", "created_at", "order__losing_carrier_id", "order__created_at"
    ):
        if to == S.ACCEPTED:
            focs.append((order_id, losing, at))
        else:
            completions.append((order_id, losing, at))
            out.duration(m.D_CREATE_COMPLETE, losing, created, at)
    if not (focs or completions):
        return
    # The send each FOC answered (the latest move to Submitted before it) and the FOC each
    # completion followed (the latest move to Accepted before it).
    earlier = defaultdict(list)
    for order_id, to, at in StatusChange.objects.filter(
        order_id__in={o for o, _, _ in focs} | {o for o, _, _ in completions},
        to_status__in=(S.SUBMITTED, S.ACCEPTED),
        created_at__lt=end,
    ).values_list("order_id", "to_status", "created_at"):
        earlier[(order_id, to)].append(at)

    def latest(order_id, status, at):
        return max((t for t in earlier[(order_id, status)] if t <= at), default=None)

    for order_id, losing, at in focs:
        out.duration(m.D_SUBMIT_FOC, losing, latest(order_id, S.SUBMITTED, at), at)
    for order_id, losing, at in completions:
        out.duration(m.D_FOC_COMPLETE, losing, latest(order_id, S.ACCEPTED, at), at)


def _rejections(out: DayFigures, start, end) -> None:
    rows = Rejection.objects.filter(raised_at__gte=start, raised_at__lt=end).values_list(
        "id",
        "direction",
        "source",
        "order__losing_carrier_id",
        "order__new_carrier_id",
        "reasons__code",
        "reasons__rule",
    )
    counted, rules = set(), set()
    for pk, direction, source, losing, requester, code, rule in rows:
        if direction == Direction.PORT_IN:
            if source != Rejection.Source.LOSING_CARRIER:
                continue
            if pk not in counted:
                counted.add(pk)
                out.add(m.IN_REJECTED, losing)
            if code is not None:
                out.add(m.IN_REASON, losing, key=code)
        elif code is not None and (pk, rule) not in rules:
            rules.add((pk, rule))
            out.add(m.OUT_RULE, requester, key=rule or m.NO_RULE)


# R7 moves a receipt after the cut-off to the next business day: never more than a long
# holiday weekend later. The bound lets the day's LSRs be read through the receipt index
# (order_lsr_by_requester) instead of scanning every order.
R7_MAX_SHIFT = datetime.timedelta(days=10)


def _lsrs(out: DayFigures, day, end) -> None:
    lsrs = dict(
        PortOrder.objects.filter(
            direction=Direction.PORT_OUT,
            effective_received_on=day,
            received_at__gte=end - R7_MAX_SHIFT,
            received_at__lt=end,
        ).values_list("id", "new_carrier_id")
    )
    if not lsrs:
        return
    decided = set(
        StatusChange.objects.filter(
            order_id__in=list(lsrs),
            from_status=S.RECEIVED,
            to_status__in=DECISIONS,
            created_at__lt=end,
        ).values_list("order_id", flat=True)
    )
    for order_id, requester in lsrs.items():
        out.add(m.OUT_LSR, requester)
        if order_id in decided:
            out.add(m.OUT_SAME_DAY, requester)


def _sups_and_csrs(out: DayFigures, start, end) -> None:
    for (requester,) in Supplement.objects.filter(
        received_at__gte=start, received_at__lt=end, order__direction=Direction.PORT_OUT
    ).values_list("order__new_carrier_id"):
        out.add(m.OUT_SUP, requester)
    for requester, answered, due in CsrRequest.objects.filter(
        due_at__gte=start, due_at__lt=end
    ).values_list("requesting_carrier_id", "answered_at", "due_at"):
        out.add(m.CSR_DUE, requester)
        if answered is not None and answered <= due:
            out.add(m.CSR_ON_TIME, requester)


def _desk(out: DayFigures, start, end) -> None:
    for measure, rows, who in (
        (
            m.ACT_COMMENTS,
            Comment.objects.filter(created_at__gte=start, created_at__lt=end),
            "author_id",
        ),
        (
            m.ACT_CHECKS,
            StatusCheck.objects.filter(checked_at__gte=start, checked_at__lt=end),
            "checked_by_id",
        ),
        (
            m.ACT_CSR,
            CsrRequest.objects.filter(answered_at__gte=start, answered_at__lt=end),
            "answered_by_id",
        ),
    ):
        for person, n in (
            rows.filter(**{f"{who}__isnull": False})
            .values_list(who)
            .annotate(n=Count("*"))
            .order_by()
        ):
            out.add(measure, person=person, n=n)


# --- storing days ------------------------------------------------------------------------


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


# --- what changed since the last run -----------------------------------------------------

# Rows that may be written with a time in the past (a LSR, SUP or CSR request entered after
# the fact, a move with an injected time): each table's new ids, and the moments they count on.
_SWEPT = {
    "statuschange": (StatusChange, ("created_at",)),
    "rejection": (Rejection, ("raised_at",)),
    "supplement": (Supplement, ("received_at",)),
    "csrrequest": (CsrRequest, ("due_at",)),
    "comment": (Comment, ("created_at",)),
    "statuscheck": (StatusCheck, ("checked_at",)),
}
ORDER_ACTIVITY = "order_activity"


def mark_changed_days(*, now=None) -> set[datetime.date]:
    """Mark dirty every rolled past day that rows written since the last sweep count on.

    New rows are found by id above the last sweep's highest (the primary key's index); a LSR
    is found by its order's activity since the last sweep (the order list's index), and its
    day is the day it counts as received (R7). The first sweep only sets the marks: history
    before it is the backfill command's. Returns the days marked.
    """
    now = now or timezone.now()
    today = local_day(now)
    days: set[datetime.date] = set()
    with transaction.atomic():
        marks = {
            s.name: s
            for s in SweepMark.objects.select_for_update().filter(
                name__in=[*_SWEPT, ORDER_ACTIVITY]
            )
        }
        for name, (model, fields) in _SWEPT.items():
            mark = marks.get(name)
            if mark is None:
                top = model.objects.aggregate(top=Max("id"))["top"] or 0
                SweepMark.objects.create(name=name, last_id=top)
                continue
            top = mark.last_id
            for pk, *moments in model.objects.filter(id__gt=mark.last_id).values_list(
                "id", *fields
            ):
                top = max(top, pk)
                days.update(local_day(t) for t in moments if t is not None)
            if top != mark.last_id:
                mark.last_id = top
                mark.save(update_fields=["last_id"])
        mark = marks.get(ORDER_ACTIVITY)
        if mark is None:
            SweepMark.objects.create(name=ORDER_ACTIVITY, last_at=now)
        else:
            since = mark.last_at or now
            rows = PortOrder.objects.filter(
                last_activity_at__gt=since, direction=Direction.PORT_OUT
            ).values_list("effective_received_on", "last_activity_at")
            latest = since
            for received_on, activity in rows:
                latest = max(latest, activity)
                if received_on is not None:
                    days.add(received_on)
            if latest != mark.last_at:
                mark.last_at = latest
                mark.save(update_fields=["last_at"])
        past = sorted(d for d in days if d < today)
        if past:
            RolledDay.objects.filter(day__in=past, dirty=False).update(dirty=True)
    return set(past)


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
