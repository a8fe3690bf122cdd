"""F4: a rejected port-in order with no activity for 45 days after the customer was notified
is cancelled by the job, with a history row naming it, a comment and the customer's email."""

import datetime

import pytest
from django.core import mail

from orders.models import Comment, Rejection, Status, StatusChange
from orders.services import jobs
from orders.services.orders import comment_add

from .conftest import at, rejected_port_in

pytestmark = pytest.mark.django_db

NOTIFIED = at(2026, 9, 1, 10)  # day 0


def day(n, hour=5, minute=15):
    moment = NOTIFIED + datetime.timedelta(days=n)
    return moment.replace(hour=hour, minute=minute)


def test_not_cancelled_on_day_44(django_capture_on_commit_callbacks):
    order = rejected_port_in(notified_at=NOTIFIED)

    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.rejected_orders_auto_cancel(now=day(44))

    assert result == {"cancelled": 0, "skipped": 0, "failed": 0}
    order.refresh_from_db()
    assert order.status == Status.REJECTED
    assert mail.outbox == []


def test_cancelled_on_day_45_with_history_comment_and_email(django_capture_on_commit_callbacks):
    order = rejected_port_in(notified_at=NOTIFIED)
    rejection = Rejection.objects.create(
        order=order, source=Rejection.Source.LOSING_CARRIER, raised_at=NOTIFIED
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.rejected_orders_auto_cancel(now=day(45))

    assert result == {"cancelled": 1, "skipped": 0, "failed": 0}
    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    change = StatusChange.objects.get(order=order, to_status=Status.CANCELLED)
    assert (change.from_status, change.to_status) == (Status.REJECTED, Status.CANCELLED)
    assert change.actor is None
    assert change.actor_label == "job:rejected_orders_auto_cancel"
    assert change.who == "job:rejected_orders_auto_cancel"
    assert "F4" in change.reason
    assert change.created_at == day(45)
    assert Comment.objects.filter(
        order=order, source=Comment.Source.SYSTEM, body__startswith="Cancelled automatically"
    ).exists()
    rejection.refresh_from_db()
    assert rejection.resolved_at == day(45)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [order.notification_email]
    assert order.pon in email.subject
    assert "cancelled" in email.body
    assert order.account_number not in email.body


def test_a_customer_comment_on_day_30_restarts_the_clock(alice, django_capture_on_commit_callbacks):
    order = rejected_port_in(notified_at=NOTIFIED)
    comment_add(
        order=order,
        by=alice,
        body="Customer: the new bill copy is on its way.",
        source=Comment.Source.CUSTOMER,
        now=day(30, hour=11),
    )

    with django_capture_on_commit_callbacks(execute=True):
        on_day_45 = jobs.rejected_orders_auto_cancel(now=day(45))
        order.refresh_from_db()
        status_on_day_45 = order.status
        on_day_75 = jobs.rejected_orders_auto_cancel(now=day(75))

    assert on_day_45["cancelled"] == 0
    assert status_on_day_45 == Status.REJECTED
    assert on_day_75["cancelled"] == 1
    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    assert len(mail.outbox) == 1


def test_only_rejected_port_in_orders_are_cancelled(django_capture_on_commit_callbacks):
    rejected = rejected_port_in(notified_at=NOTIFIED)
    in_review = rejected_port_in(notified_at=NOTIFIED)
    from orders.lifecycle import transition

    transition(in_review, Status.REVIEW, actor_label="test", now=day(10))

    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.rejected_orders_auto_cancel(now=day(50))

    assert result["cancelled"] == 1
    rejected.refresh_from_db()
    in_review.refresh_from_db()
    assert rejected.status == Status.CANCELLED
    assert in_review.status == Status.REVIEW


def test_cost_grows_with_the_orders_due_not_with_the_table(django_assert_max_num_queries):
    for _ in range(5):
        rejected_port_in(notified_at=NOTIFIED)  # not due yet on day 10

    with django_assert_max_num_queries(1):
        result = jobs.rejected_orders_auto_cancel(now=day(10))

    assert result["cancelled"] == 0


def test_the_auto_cancels_sup_1_is_the_next_ver_with_the_lsr_last_sent(
    django_capture_on_commit_callbacks,
):
    from orders.models import LsrVersion

    order = rejected_port_in(notified_at=NOTIFIED)
    LsrVersion.objects.create(
        order=order,
        version=1,
        reason="submitted",
        fields={"pon": order.pon, "version": 1, "tns": ["5035550101"]},
        sent_at=NOTIFIED,
    )

    with django_capture_on_commit_callbacks(execute=True):
        jobs.rejected_orders_auto_cancel(now=day(45))

    order.refresh_from_db()
    assert order.version == 2
    sup1 = LsrVersion.objects.get(order=order, version=2)
    assert (sup1.reason, sup1.sup_type, sup1.by) == ("sup", 1, None)
    assert sup1.fields == {"pon": order.pon, "version": 2, "tns": ["5035550101"]}


def test_the_auto_cancels_sup_1_goes_to_the_losing_carrier_as_a_document_once(
    django_capture_on_commit_callbacks,
):
    from carriers.models import Contact
    from orders import tasks
    from orders.models import Document
    from tests.orders.portout.test_carrier_documents import pdf_text

    order = rejected_port_in(notified_at=NOTIFIED)
    Contact.objects.create(
        carrier=order.losing_carrier,
        role=Contact.Role.LSR,
        name="LSR desk",
        email="lsr@lsp.example",
    )

    with django_capture_on_commit_callbacks(execute=True):
        jobs.rejected_orders_auto_cancel(now=day(45))

    (sup1,) = Document.objects.filter(order=order, kind=Document.Kind.SUP)
    assert sup1.sent_to == "lsr@lsp.example"
    text = pdf_text(sup1)
    assert order.pon in text and "SUP 1" in text
    # The worker's task run again (a redelivery) sends nothing twice.
    assert tasks.auto_cancel_sup1_documents([order.pk], day(45).isoformat()) == 0
    assert Document.objects.filter(order=order, kind=Document.Kind.SUP).count() == 1
