"""A small desk history for the reports' tests, built with the shared factories and the
lifecycle (every move a real history row at a chosen moment), around the end of daylight
saving time in the portal's zone (America/Los_Angeles: 2026-11-01, a 25-hour day) and across
the October/November month end, plus a few things today (the report's live day)."""

import datetime
import random
import zoneinfo
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.utils import timezone

from orders.lifecycle import transition
from orders.models import PortOrder, RejectionReason, StatusChange, StatusCheck
from orders.services.portin.cancel import AUTO_CANCEL_ACTOR
from orders.services.portout.port_windows import PORT_WINDOW_ACTOR
from tests.factories import (
    CarrierFactory,
    CommentFactory,
    CsrRequestFactory,
    OurCarrierFactory,
    PortOrderFactory,
    PortOutOrderFactory,
    RejectionFactory,
    SupplementFactory,
)

TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
WINDOW_FIRST = datetime.date(2026, 10, 26)
WINDOW_LAST = datetime.date(2026, 11, 4)
DST_DAY = datetime.date(2026, 11, 1)


def local(day: datetime.date, hour: int, minute: int = 0, fold: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ, fold=fold)


@dataclass
class Desk:
    carriers: list
    people: list
    orders: list = field(default_factory=list)


def _moment(rng: random.Random, first: datetime.date, days: int) -> datetime.datetime:
    """A moment in the window, often close to a local midnight (where a wrong day boundary
    would show), sometimes in the repeated hour of the DST day."""
    day = first + datetime.timedelta(days=rng.randrange(days))
    pick = rng.random()
    if pick < 0.25:
        return local(day, 23, rng.randrange(60))
    if pick < 0.4:
        return local(day, 0, rng.randrange(60))
    if pick < 0.5 and day == DST_DAY:
        return local(day, 1, rng.randrange(60), fold=rng.randrange(2))
    return local(day, rng.randrange(24), rng.randrange(60))


def _later(rng, moment, *, max_hours=60):
    return moment + datetime.timedelta(minutes=rng.randrange(20, max_hours * 60))


def _backdate(order, created_at):
    PortOrder.objects.filter(pk=order.pk).update(created_at=created_at)
    StatusChange.objects.filter(order=order, from_status="").update(created_at=created_at)
    order.refresh_from_db()


def build_desk(alice, maria, *, seed=20, today_too=True) -> Desk:
    rng = random.Random(seed)
    ours = OurCarrierFactory(name="Our Telco")
    carriers = [CarrierFactory(name=name) for name in ("Acme Wireless", "Beta Cable", "=Gamma")]
    people = [alice, maria, None]
    in_codes = list(
        RejectionReason.objects.filter(applies_to__in=["in", "both"]).values_list("code", flat=True)
    )[:5]
    out_codes = list(
        RejectionReason.objects.filter(applies_to__in=["out", "both"])
        .exclude(rule="")
        .values_list("code", flat=True)
    )[:4] + ["OTHER"]
    desk = Desk(carriers, people)
    first = WINDOW_FIRST - datetime.timedelta(days=3)
    span = (WINDOW_LAST - first).days + 1

    for _ in range(45):
        losing = rng.choice(carriers)
        order = PortOrderFactory(losing_carrier=losing, new_carrier=ours)
        t = _moment(rng, first, span)
        _backdate(order, t)
        who = rng.choice(people)
        t = _later(rng, t, max_hours=30)
        transition(order, "submitted", actor=who, now=t)
        path = rng.random()
        if path < 0.45:
            t = _later(rng, t)
            transition(order, "exception", actor=rng.choice(people), now=t)
            RejectionFactory(
                order=order,
                raised_at=t,
                source="losing_carrier",
                reasons=rng.sample(in_codes, rng.randrange(1, 3)),
            )
            t = _later(rng, t)
            if rng.random() < 0.5:
                transition(order, "submitted", actor=rng.choice(people), now=t)  # fixed
            else:
                transition(order, "rejected", actor=rng.choice(people), now=t)  # returned
                t = _later(rng, t)
                if rng.random() < 0.5:
                    transition(order, "cancelled", actor_label=AUTO_CANCEL_ACTOR, now=t)
                else:
                    transition(order, "review", actor=rng.choice(people), now=t)
                    t = _later(rng, t)
                    transition(order, "submitted", actor=rng.choice(people), now=t)
        if order.status == "submitted" and rng.random() < 0.85:
            t = _later(rng, t, max_hours=100)
            transition(order, "accepted", actor=rng.choice(people), now=t)
            if rng.random() < 0.8:
                t = _later(rng, t, max_hours=120)
                transition(order, "completed", actor=rng.choice(people), now=t)
        if rng.random() < 0.5:
            CommentFactory(
                order=order, author=rng.choice([alice, maria]), created_at=_moment(rng, first, span)
            )
        if rng.random() < 0.3:
            StatusCheck.objects.create(
                order=order,
                checked_by=rng.choice([alice, maria]),
                checked_at=_moment(rng, first, span),
                outcome="Still pending.",
            )
        if rng.random() < 0.4:
            order.assignee = rng.choice([alice, maria])
            order.save(update_fields=["assignee"])
        desk.orders.append(order)

    for _ in range(35):
        requester = rng.choice(carriers)
        received = _moment(rng, first, span)
        effective = timezone.localtime(received, TZ).date()
        if timezone.localtime(received, TZ).hour >= 15:  # R7, simplified: the next day
            effective += datetime.timedelta(days=1)
        order = PortOutOrderFactory(
            losing_carrier=ours,
            new_carrier=requester,
            received_at=received,
            effective_received_on=effective,
            expedite=rng.random() < 0.3,
        )
        _backdate(order, received)
        t = _later(rng, received, max_hours=40)
        pick = rng.random()
        if order.expedite and pick < 0.7:
            transition(order, "expedite_review", actor=rng.choice(people), now=t)
            t = _later(rng, t)
            decision = rng.choice(["accepted", "refused"])
            transition(
                order,
                "foc_sent",
                actor=maria,
                now=t,
                changes={"expedite_decision": decision},
            )
        elif pick < 0.7:
            transition(order, "foc_sent", actor=rng.choice(people), now=t)
        elif pick < 0.9:
            transition(order, "rejected", actor=rng.choice(people), now=t)
            RejectionFactory(
                order=order,
                raised_at=t,
                source="validation",
                reasons=rng.sample(out_codes, rng.randrange(1, 3)),
            )
        if order.status == "foc_sent":
            if rng.random() < 0.4:
                SupplementFactory(order=order, sup_type=2, received_at=_later(rng, t))
            t = _later(rng, t, max_hours=100)
            if rng.random() < 0.6:
                transition(order, "completed", actor=rng.choice(people), now=t)
            else:
                transition(order, "cancelled", actor_label=PORT_WINDOW_ACTOR, now=t)
        desk.orders.append(order)

    for _ in range(30):
        requester = rng.choice(carriers)
        received = _moment(rng, first, span)
        answered = None if rng.random() < 0.15 else _later(rng, received, max_hours=36)
        CsrRequestFactory(
            requesting_carrier=requester,
            received_at=received,
            status="open" if answered is None else rng.choice(["answered", "rejected"]),
            answered_at=answered,
            answered_by=None if answered is None else rng.choice([alice, maria]),
        )

    if today_too:
        now = timezone.now()
        start_of_today = datetime.datetime.combine(
            timezone.localdate(), datetime.time.min, tzinfo=TZ
        )
        earlier_today = max(start_of_today, now - datetime.timedelta(hours=2))
        order = PortOrderFactory(losing_carrier=carriers[0], new_carrier=ours)
        _backdate(order, earlier_today - datetime.timedelta(days=3))
        transition(order, "submitted", actor=alice, now=earlier_today - datetime.timedelta(days=2))
        transition(order, "accepted", actor=alice, now=earlier_today - datetime.timedelta(days=1))
        transition(order, "completed", actor=alice, now=earlier_today)
        CommentFactory(order=order, author=alice, created_at=earlier_today)
        out = PortOutOrderFactory(
            losing_carrier=ours,
            new_carrier=carriers[1],
            received_at=earlier_today,
            effective_received_on=timezone.localdate(),
        )
        transition(out, "foc_sent", actor=maria, now=earlier_today)
        desk.orders += [order, out]
    return desk


@pytest.fixture
def desk(db, alice, maria):
    return build_desk(alice, maria)


@pytest.fixture(autouse=True)
def _today_counted_on_every_request(settings):
    """Each test builds its own desk: no live figures kept from another test's."""
    settings.REPORTS_TODAY_SECONDS = 0
