"""The reports' figures computed the plain way, straight from the raw rows and the rules'
wording, without the rollup: what tests/reports compare every table cell with."""

import datetime
import math
from collections import defaultdict

from django.utils import timezone

from orders.models import (
    Comment,
    CsrRequest,
    PortOrder,
    Rejection,
    StatusChange,
    StatusCheck,
    Supplement,
)
from orders.services.portin.cancel import AUTO_CANCEL_ACTOR
from orders.services.portout.port_windows import PORT_WINDOW_ACTOR


def day_of(moment) -> datetime.date:
    return timezone.localtime(moment).date()


def period_label(day, grouping):
    if grouping == "month":
        return f"{day:%Y-%m}"
    return f"{day - datetime.timedelta(days=day.weekday()):%Y-%m-%d}"


def nearest_rank(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(p * len(ordered) / 100) - 1]


def hours(start, end):
    return max(0, int((end - start).total_seconds() // 3600))


def pct(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


class Raw:
    """Every event of the desk as (day, carrier_id, ...) lists, read once."""

    def __init__(self):
        orders = {o.pk: o for o in PortOrder.objects.all()}
        moves = list(StatusChange.objects.order_by("created_at", "id"))
        by_order = defaultdict(list)
        for mv in moves:
            by_order[mv.order_id].append(mv)
        self.events = []  # (measure, day, carrier, person, key)
        self.durations = []  # (measure, day, carrier, hours)
        for mv in moves:
            o = orders[mv.order_id]
            day = day_of(mv.created_at)
            if mv.actor_id:
                self.events.append(("moves", day, None, mv.actor_id, ""))
            if o.direction == "in":
                c = o.losing_carrier_id
                if mv.to_status == "submitted":
                    self.events.append(("sent", day, c, None, ""))
                if mv.from_status == "exception" and mv.to_status == "submitted":
                    self.events.append(("fixed", day, c, None, ""))
                if mv.from_status == "exception" and mv.to_status == "rejected":
                    self.events.append(("returned", day, c, None, ""))
                if mv.to_status == "cancelled" and mv.actor_label == AUTO_CANCEL_ACTOR:
                    self.events.append(("auto", day, c, None, ""))
                if mv.to_status == "accepted":
                    self.events.append(("foc", day, c, None, ""))
                    sends = [
                        x.created_at
                        for x in by_order[o.pk]
                        if x.to_status == "submitted" and x.created_at <= mv.created_at
                    ]
                    if sends:
                        self.durations.append(
                            ("submit_foc", day, c, hours(max(sends), mv.created_at))
                        )
                if mv.to_status == "completed":
                    self.events.append(("completed", day, c, None, ""))
                    focs = [
                        x.created_at
                        for x in by_order[o.pk]
                        if x.to_status == "accepted" and x.created_at <= mv.created_at
                    ]
                    if focs:
                        self.durations.append(
                            ("foc_complete", day, c, hours(max(focs), mv.created_at))
                        )
                    self.durations.append(
                        ("create_complete", day, c, hours(o.created_at, mv.created_at))
                    )
            else:
                c = o.new_carrier_id
                if mv.to_status == "foc_sent":
                    self.events.append(("out_foc", day, c, None, ""))
                    if mv.from_status == "expedite_review" and o.expedite_decision == "accepted":
                        self.events.append(("exp_granted", day, c, None, ""))
                if mv.to_status == "rejected":
                    self.events.append(("out_rejected", day, c, None, ""))
                if mv.to_status == "expedite_review":
                    self.events.append(("exp_asked", day, c, None, ""))
                if mv.to_status == "cancelled" and mv.actor_label == PORT_WINDOW_ACTOR:
                    self.events.append(("window", day, c, None, ""))
        for o in orders.values():
            if o.direction == "out" and o.effective_received_on:
                day = o.effective_received_on
                end = datetime.datetime.combine(
                    day + datetime.timedelta(days=1),
                    datetime.time.min,
                    tzinfo=timezone.get_current_timezone(),
                )
                self.events.append(("lsr", day, o.new_carrier_id, None, ""))
                if any(
                    x.from_status == "received"
                    and x.to_status in ("foc_sent", "rejected", "expedite_review")
                    and x.created_at < end
                    for x in by_order[o.pk]
                ):
                    self.events.append(("same_day", day, o.new_carrier_id, None, ""))
        for r in Rejection.objects.prefetch_related("reasons"):
            o = orders[r.order_id]
            day = day_of(r.raised_at)
            if r.direction == "in" and r.source == "losing_carrier":
                self.events.append(("rejects", day, o.losing_carrier_id, None, ""))
                for reason in r.reasons.all():
                    self.events.append(("reason", day, o.losing_carrier_id, None, reason.code))
            if r.direction == "out":
                for rule in {reason.rule for reason in r.reasons.all()}:
                    self.events.append(("rule", day, o.new_carrier_id, None, rule))
        for s in Supplement.objects.all():
            if orders[s.order_id].direction == "out":
                self.events.append(
                    ("sup", day_of(s.received_at), orders[s.order_id].new_carrier_id, None, "")
                )
        for q in CsrRequest.objects.all():
            day = day_of(q.due_at)
            self.events.append(("csr_due", day, q.requesting_carrier_id, None, ""))
            if q.answered_at and q.answered_at <= q.due_at:
                self.events.append(("csr_on_time", day, q.requesting_carrier_id, None, ""))
            if q.answered_at and q.answered_by_id:
                self.events.append(
                    ("csr_answers", day_of(q.answered_at), None, q.answered_by_id, "")
                )
        for cm in Comment.objects.exclude(author=None):
            self.events.append(("comments", day_of(cm.created_at), None, cm.author_id, ""))
        for ck in StatusCheck.objects.exclude(checked_by=None):
            self.events.append(("checks", day_of(ck.checked_at), None, ck.checked_by_id, ""))

    def count(
        self,
        measure,
        first,
        last,
        *,
        carrier=None,
        person=None,
        key=None,
        period=None,
        grouping=None,
    ):
        return sum(
            1
            for m, day, c, p, k in self.events
            if m == measure
            and first <= day <= last
            and (carrier is None or c == carrier)
            and (person is None or p == person)
            and (key is None or k == key)
            and (period is None or period_label(day, grouping) == period)
        )

    def durations_of(self, measure, first, last, *, carrier=None, period=None, grouping=None):
        return [
            h
            for m, day, c, h in self.durations
            if m == measure
            and first <= day <= last
            and (carrier is None or c == carrier)
            and (period is None or period_label(day, grouping) == period)
        ]


def in_row(raw, first, last, **where):
    n = lambda measure: raw.count(measure, first, last, **where)  # noqa: E731
    row = [n("sent"), n("foc"), n("completed"), n("rejects"), pct(n("rejects"), n("sent"))]
    row += [n("fixed"), n("returned"), n("auto")]
    for measure in ("submit_foc", "foc_complete", "create_complete"):
        values = raw.durations_of(measure, first, last, **where)
        row += [nearest_rank(values, 50), nearest_rank(values, 90)]
    return row


def out_row(raw, first, last, **where):
    n = lambda measure: raw.count(measure, first, last, **where)  # noqa: E731
    return [
        n("csr_due"),
        n("csr_on_time"),
        pct(n("csr_on_time"), n("csr_due")),
        n("lsr"),
        n("same_day"),
        pct(n("same_day"), n("lsr")),
        n("out_foc"),
        n("out_rejected"),
        n("exp_asked"),
        n("exp_granted"),
        n("sup"),
        round(n("sup") / n("lsr"), 2) if n("lsr") else None,
        n("window"),
    ]


def labels(first, last, grouping):
    out = []
    day = first
    while day <= last:
        label = period_label(day, grouping)
        if label not in out:
            out.append(label)
        day += datetime.timedelta(days=1)
    return out
