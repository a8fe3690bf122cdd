"""The jobs work set-based: the SQL a run costs does not grow with the orders due (issue 8:
10,000 rows due in under 10 s), and a batch moves its orders with the same history, comments,
SUPs, cancel records and emails as the desk's one-order actions."""

import datetime

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from orders.lifecycle import OrderChanged, TransitionNotAllowed, transition_many
from orders.models import (
    Comment,
    Direction,
    NpacCancelRecord,
    OutboundEmail,
    PortOrder,
    Rejection,
    RejectionReason,
    Status,
    StatusChange,
    Supplement,
)
from orders.services import jobs
from tests.factories import CarrierFactory

from .conftest import at, foc_sent_port_out, rejected_port_in, submitted_port_in

pytestmark = pytest.mark.django_db

D = datetime.date


def _queries(func, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        result = func(**kwargs)
    return len(ctx.captured_queries), result


def test_auto_cancel_costs_the_same_sql_for_4_or_12_orders_due(monkeypatch):
    monkeypatch.setattr(jobs, "BATCH_SIZE", 100)
    for _ in range(4):
        rejected_port_in(notified_at=at(2026, 9, 1, 10))
    few, result = _queries(jobs.rejected_orders_auto_cancel, now=at(2026, 10, 20, 5))
    assert result["cancelled"] == 4
    for _ in range(12):
        rejected_port_in(notified_at=at(2026, 9, 1, 10))
    many, result = _queries(jobs.rejected_orders_auto_cancel, now=at(2026, 10, 20, 5))
    assert result["cancelled"] == 12
    assert few == many


def test_port_windows_cost_the_same_sql_for_3_or_9_orders_due(
    monkeypatch, our_carrier, requesting_carrier
):
    monkeypatch.setattr(jobs, "BATCH_SIZE", 100)

    def make(n, first):
        for i in range(n):
            foc_sent_port_out(
                foc_at=at(2026, 11, 20, 14),
                foc_date=D(2026, 11, 25),
                tns=(f"50355{first + i:05d}", f"50366{first + i:05d}"),
                losing_carrier=our_carrier,
                new_carrier=requesting_carrier,
            )

    make(3, 100)
    few, result = _queries(jobs.port_windows_expire, now=at(2026, 12, 3, 5))
    assert result["cancelled"] == 3
    make(9, 200)
    many, result = _queries(jobs.port_windows_expire, now=at(2026, 12, 3, 5))
    assert result["cancelled"] == 9
    assert few == many
    assert NpacCancelRecord.objects.count() == 2 * 12


def test_status_checks_cost_the_same_sql_for_3_or_9_orders_due(monkeypatch):
    # One losing carrier: the job reads each carrier's calendar once per run, whatever the
    # number of its orders.
    monkeypatch.setattr(jobs, "BATCH_SIZE", 100)
    losing = CarrierFactory()

    def make(n):
        orders = [
            submitted_port_in(
                submitted_at=at(2026, 11, 2, 10),
                requested_due_date=D(2026, 12, 20),
                losing_carrier=losing,
            )
            for _ in range(n)
        ]
        PortOrder.objects.filter(pk__in=[o.pk for o in orders]).update(next_status_check_on=None)

    make(3)
    few, result = _queries(jobs.status_checks_refresh_due, now=at(2026, 11, 23, 5, 30))
    assert result["updated"] == 3
    make(9)
    PortOrder.objects.update(next_status_check_on=None)
    many, result = _queries(jobs.status_checks_refresh_due, now=at(2026, 11, 23, 5, 30))
    assert result["updated"] == 12
    assert few == many


def test_a_batch_of_auto_cancels_matches_the_desks_cancel(django_capture_on_commit_callbacks):
    orders = [rejected_port_in(notified_at=at(2026, 9, 1, 10)) for _ in range(3)]
    reason = RejectionReason.objects.first()
    rejection = Rejection.objects.create(
        order=orders[0],
        text="x",
        source=Rejection.Source.LOSING_CARRIER,
        raised_at=at(2026, 8, 30),
    )
    rejection.reasons.add(reason)

    with django_capture_on_commit_callbacks(execute=True):
        jobs.rejected_orders_auto_cancel(now=at(2026, 10, 20, 5))

    for order in orders:
        order.refresh_from_db()
        assert order.status == Status.CANCELLED
        change = StatusChange.objects.get(order=order, to_status=Status.CANCELLED)
        assert change.from_status == Status.REJECTED
        assert change.actor_label == "job:rejected_orders_auto_cancel"
        assert "auto-cancel date 2026-10-16" in change.reason
        sup = Supplement.objects.get(order=order)
        assert sup.sup_type == Supplement.Type.CANCEL and sup.remarks == change.reason
        comments = Comment.objects.filter(order=order, body__contains="The customer is emailed")
        assert comments.exists()
        assert OutboundEmail.objects.get(order=order).sent_at is not None
    rejection.refresh_from_db()
    assert rejection.resolved_at == at(2026, 10, 20, 5)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(o.notification_email for o in orders)


# --- transition_many ------------------------------------------------------------------------


def _locked(ids):
    locked = PortOrder.objects.select_for_update().filter(pk__in=ids)
    return list(locked.values_list("pk", flat=True))


def test_transition_many_refuses_a_move_the_table_does_not_allow():
    order = rejected_port_in(notified_at=at(2026, 9, 1, 10))
    with pytest.raises(TransitionNotAllowed), transaction.atomic():
        transition_many(
            [order.pk], Status.COMPLETED, direction=Direction.PORT_IN, from_status=Status.REJECTED
        )


def test_transition_many_moves_nothing_when_one_order_already_moved():
    orders = [rejected_port_in(notified_at=at(2026, 9, 1, 10)) for _ in range(2)]
    PortOrder.objects.filter(pk=orders[1].pk).update(status=Status.REVIEW)
    with pytest.raises(OrderChanged), transaction.atomic():
        transition_many(
            _locked([o.pk for o in orders]),
            Status.CANCELLED,
            direction=Direction.PORT_IN,
            from_status=Status.REJECTED,
        )
    assert PortOrder.objects.get(pk=orders[0].pk).status == Status.REJECTED
    assert not StatusChange.objects.filter(to_status=Status.CANCELLED).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_transition_many_needs_the_callers_transaction():
    order = rejected_port_in(notified_at=at(2026, 9, 1, 10))
    with pytest.raises(RuntimeError):
        transition_many(
            [order.pk], Status.CANCELLED, direction=Direction.PORT_IN, from_status=Status.REJECTED
        )


def test_transition_many_never_moves_last_activity_backwards():
    order = rejected_port_in(notified_at=at(2026, 9, 1, 10))
    before = order.last_activity_at
    with transaction.atomic():
        transition_many(
            _locked([order.pk]),
            Status.CANCELLED,
            direction=Direction.PORT_IN,
            from_status=Status.REJECTED,
            now=at(2026, 8, 1),
            reasons={order.pk: "back-dated"},
        )
    order.refresh_from_db()
    assert order.last_activity_at == before
    assert StatusChange.objects.get(order=order, to_status=Status.CANCELLED).reason == "back-dated"


def test_delivering_r11_notices_costs_the_same_sql_for_2_or_5_orders(
    our_carrier, requesting_carrier, django_capture_on_commit_callbacks
):
    from orders.services import outbox

    def owe(n, first):
        for i in range(n):
            foc_sent_port_out(
                foc_at=at(2026, 11, 20, 14),
                foc_date=D(2026, 11, 25),
                tns=(f"50377{first + i:05d}",),
                losing_carrier=our_carrier,
                new_carrier=requesting_carrier,
            )
        with django_capture_on_commit_callbacks(execute=False):
            jobs.port_windows_expire(now=at(2026, 12, 3, 5))

    owe(2, 100)
    few, result = _queries(outbox.deliver)
    assert result["sent"] == 2
    owe(5, 200)
    many, result = _queries(outbox.deliver)
    assert result["sent"] == 5
    assert few == many
    assert all("(503) 77" in m.body for m in mail.outbox)
