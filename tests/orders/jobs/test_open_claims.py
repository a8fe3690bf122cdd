"""F7: the jobs close orders in batches (transition_many); the TNs of every order they close
are released for the desk's next order in the same transaction, and only those."""

import datetime

import pytest
from django.db import transaction

from orders.lifecycle import transition_many
from orders.models import Direction, OpenTnClaim, Status
from orders.services import jobs
from tests.factories import PortOrderFactory

from .conftest import at, foc_sent_port_out, rejected_port_in

pytestmark = pytest.mark.django_db

NOTIFIED = at(2026, 9, 1, 10)


def claim(order, *tns):
    for tn in tns:
        OpenTnClaim.objects.create(tn=tn, direction=order.direction, order=order)


def claimed_by(order):
    return set(OpenTnClaim.objects.filter(order=order).values_list("tn", flat=True))


def test_the_f4_auto_cancel_releases_the_cancelled_orders_tns(django_capture_on_commit_callbacks):
    due = rejected_port_in(notified_at=NOTIFIED)
    not_yet = rejected_port_in(notified_at=NOTIFIED + datetime.timedelta(days=10))
    claim(due, "5035550101", "5035550102")
    claim(not_yet, "5035550103")

    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.rejected_orders_auto_cancel(now=NOTIFIED + datetime.timedelta(days=45))

    assert result["cancelled"] == 1
    assert claimed_by(due) == set()
    assert claimed_by(not_yet) == {"5035550103"}


def test_the_r11_port_window_cancel_releases_the_port_outs_tns(
    our_carrier, requesting_carrier, django_capture_on_commit_callbacks
):
    order = foc_sent_port_out(
        foc_at=at(2026, 11, 20, 14),
        foc_date=datetime.date(2026, 11, 25),
        tns=("5035550101", "5035550102"),
        losing_carrier=our_carrier,
        new_carrier=requesting_carrier,
    )
    claim(order, "5035550101", "5035550102")

    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.port_windows_expire(now=at(2026, 12, 3, 5))

    assert result["cancelled"] == 1
    assert claimed_by(order) == set()


def test_a_batch_move_between_open_statuses_keeps_the_claims():
    orders = [PortOrderFactory() for _ in range(2)]
    for index, order in enumerate(orders):
        claim(order, f"503555010{index}")

    with transaction.atomic():
        transition_many(
            [o.pk for o in orders],
            Status.SUBMITTED,
            direction=Direction.PORT_IN,
            from_status=Status.DRAFT,
            actor_label="test",
        )

    assert OpenTnClaim.objects.count() == 2
