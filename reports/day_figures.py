"""One local day's figures computed from the history the desk keeps (`compute_day`): the one
code path for the stored days (reports.rollup.roll_day) and today's live figures
(reports.rollup.live_figures)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

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
from .days import day_bounds
from .stats import whole_hours

S = Status
DECISIONS = (S.FOC_SENT, S.REJECTED, S.EXPEDITE_REVIEW)


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
