"""The daily manager digest: one email per manager per day, only when something needs them."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail

from orders import emails, tasks
from orders.models import (
    DigestLog,
    NpacCancelRecord,
    OutboundEmail,
    PortOrder,
    Rejection,
    Status,
)
from orders.queues.base import QueueContext
from orders.queues.registry import get_queue
from orders.roles import MANAGER_GROUP
from orders.services import digest, jobs
from tests.factories import PortOutOrderFactory

from .conftest import at, open_csr_request, rejected_port_in

pytestmark = pytest.mark.django_db

TUESDAY = at(2026, 11, 10, 7)


@pytest.fixture
def work_for_managers(our_carrier):
    order = rejected_port_in(notified_at=at(2026, 11, 2, 10))
    Rejection.objects.create(
        order=order, source=Rejection.Source.LOSING_CARRIER, raised_at=at(2026, 11, 2, 10)
    )
    PortOutOrderFactory(status=Status.EXPEDITE_REVIEW, losing_carrier=our_carrier)
    PortOutOrderFactory(
        status=Status.FOC_SENT, sup_flag=PortOrder.Decision.PENDING, losing_carrier=our_carrier
    )
    open_csr_request(received_at=at(2026, 11, 8, 9))  # due Mon 9 Nov 09:00
    NpacCancelRecord.objects.create(
        order=order, tn="5035550101", reason="R11: test", created_at=at(2026, 11, 9, 5)
    )
    return order


def test_each_manager_gets_one_digest_with_the_counts(
    maria, alice, work_for_managers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.manager_digest_send(now=TUESDAY)

    assert result == {"sent": 1, "already_sent": 0, "failed": 0}
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [maria.email]
    body = digest.body
    assert "Rejections awaiting review (both desks) ......... 1" in body
    assert "Expedites to accept or refuse (port-out, R8) .... 1" in body
    assert "SUP-threshold flags to decide (R12) ............. 1" in body
    assert "CSR requests past their answer time (R1) ........ 1" in body
    assert "NPAC subscription cancels not yet sent (R11) .... 1" in body
    assert "yesterday" in body
    html = digest.alternatives[0].content
    assert "<table" in html
    log = DigestLog.objects.get(user=maria)
    assert log.digest_date == datetime.date(2026, 11, 10)
    assert log.counts["expedites_to_decide"] == 1


def test_a_second_run_the_same_day_sends_nothing(
    maria, work_for_managers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        jobs.manager_digest_send(now=TUESDAY)
        again = jobs.manager_digest_send(now=TUESDAY + datetime.timedelta(hours=2))

    assert again == {"sent": 0, "already_sent": 1, "failed": 0}
    assert len(mail.outbox) == 1


def test_the_next_day_sends_again(maria, work_for_managers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        jobs.manager_digest_send(now=TUESDAY)
        jobs.manager_digest_send(now=TUESDAY + datetime.timedelta(days=2))  # Thursday

    assert len(mail.outbox) == 2


def test_no_digest_when_nothing_needs_a_manager(maria, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.manager_digest_send(now=TUESDAY)

    assert result["nothing_to_report"] == 1
    assert mail.outbox == []
    assert not DigestLog.objects.exists()


def test_no_digest_on_a_closed_day(maria, work_for_managers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.manager_digest_send(now=at(2026, 11, 11, 7))  # Veterans Day

    assert result["closed_day"] == 1
    assert mail.outbox == []


def test_only_active_managers_with_an_email_get_one(maria, alice):
    User = get_user_model()
    no_email = User.objects.create_user("quiet", email="")
    inactive = User.objects.create_user("gone", email="gone@porting-desk.example.net")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    Group.objects.get(name=MANAGER_GROUP).user_set.add(no_email, inactive)

    assert list(digest.managers_for_digest()) == [maria]


def test_monday_digest_counts_the_weekend_job_cancellations(
    maria, django_capture_on_commit_callbacks
):
    # Rejected port-ins whose clock ran out on Saturday 14 and Sunday 15 Nov.
    rejected_port_in(notified_at=at(2026, 9, 30, 10))
    rejected_port_in(notified_at=at(2026, 10, 1, 10))
    jobs.rejected_orders_auto_cancel(now=at(2026, 11, 14, 5, 15))
    jobs.rejected_orders_auto_cancel(now=at(2026, 11, 15, 5, 15))
    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.manager_digest_send(now=at(2026, 11, 16, 7))

    assert result["sent"] == 1
    body = mail.outbox[0].body
    assert "since Fri 13 Nov" in body
    assert "Rejected port-in orders, 45 days without activity (F4) ... 2" in body


def test_rejections_to_review_counts_what_the_review_queue_lists_on_both_desks(maria):
    from orders.services.portin import order_cancel
    from tests.factories import RejectionFactory

    open_in = rejected_port_in(notified_at=at(2026, 11, 2, 10))
    RejectionFactory(order=open_in, reasons=["ACCT"])
    RejectionFactory(order=PortOutOrderFactory(), source="validation", reasons=["OTHER"])
    cancelled = rejected_port_in(notified_at=at(2026, 11, 2, 10))
    RejectionFactory(order=cancelled, reasons=["ZIP"])
    # Closing a port-in order resolves its rejections: the count needs no join to orders.
    order_cancel(order=cancelled, by=maria, reason="The customer stays")

    now = at(2026, 11, 16, 7)
    counts = digest.digest_counts(now=now, since=datetime.date(2026, 11, 13))
    # The open ones on both desks, as the rejection review lists them (the digest used to
    # count the port-in ones only: 1 where the queue showed 2).
    review = get_queue("rejections").total(QueueContext.build(now=now))
    assert counts["rejections_to_review"] == review.value == 2
    assert Rejection.objects.get(order=cancelled).resolved_at is not None
    assert {r.direction for r in Rejection.objects.all()} == {"in", "out"}


def test_the_digest_is_an_outbox_row_delivered_by_the_outbox_like_the_other_emails(
    maria, work_for_managers, django_capture_on_commit_callbacks
):
    # The job committed; its worker died before the delivery after the commit ran.
    with django_capture_on_commit_callbacks(execute=False):
        result = jobs.manager_digest_send(now=TUESDAY)

    assert result["sent"] == 1
    row = OutboundEmail.objects.get(kind=emails.MANAGER_DIGEST)
    assert (row.order_id, row.recipients, row.sent_at) == (None, [maria.email], None)
    assert row.context["expedites_to_decide"] == 1
    assert mail.outbox == []

    assert tasks.outbox_deliver()["sent"] == 1  # the every-minute pass sends it
    row.refresh_from_db()
    assert row.sent_at is not None
    assert [m.to for m in mail.outbox] == [[maria.email]]
    assert "Expedites to accept or refuse (port-out, R8) .... 1" in mail.outbox[0].body
    assert "yesterday" in mail.outbox[0].body
    assert tasks.outbox_deliver()["sent"] == 0  # never twice


def test_a_digest_the_mail_server_refused_is_retried_by_the_next_pass(
    maria, work_for_managers, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail.backends.locmem import EmailBackend

    real = EmailBackend.send_messages
    monkeypatch.setattr(
        EmailBackend, "send_messages", lambda self, m: (_ for _ in ()).throw(TimeoutError())
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.manager_digest_send(now=TUESDAY)["sent"] == 1
    row = OutboundEmail.objects.get(kind=emails.MANAGER_DIGEST)
    assert row.attempts == 1 and row.sent_at is None
    monkeypatch.setattr(EmailBackend, "send_messages", real)

    assert tasks.outbox_deliver()["sent"] == 1
    assert [m.to for m in mail.outbox] == [[maria.email]]
    # The day's digest stays claimed: a second run owes no second one.
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.manager_digest_send(now=TUESDAY)["already_sent"] == 1
    assert OutboundEmail.objects.filter(kind=emails.MANAGER_DIGEST).count() == 1
