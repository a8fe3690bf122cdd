"""The email outbox: an email the portal owes is a row written with the change, so it is sent
exactly when the change committed, even if the worker died right after the commit; a failed
send is retried and, in the end, handed to the desk."""

import pytest
from django.core import mail

from orders import tasks
from orders.models import Comment, OutboundEmail
from orders.services import outbox, portin
from tests.factories import business_day_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(make_portin, desk, alice):
    order = make_portin("5035550101", spid=desk.rural_spid, pin="4321")
    portin.order_submit(order=order, by=alice)
    return order


def test_the_email_is_owed_in_the_same_transaction_and_sent_after_commit(
    submitted, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        portin.foc_record(order=submitted, by=alice, foc_date=business_day_in(12))
    row = OutboundEmail.objects.get(order=submitted)
    assert row.kind == "portin_foc" and row.sent_at is None
    assert mail.outbox == []

    for callback in callbacks:
        callback()
    row.refresh_from_db()
    assert row.sent_at is not None
    assert [m.to for m in mail.outbox] == [["customer@abc-company.example"]]


def test_an_email_owed_by_a_worker_killed_after_the_commit_goes_with_the_next_pass(
    submitted, alice, django_capture_on_commit_callbacks
):
    # The commit happened; the process died before its on_commit delivery ran.
    with django_capture_on_commit_callbacks(execute=False):
        portin.foc_record(order=submitted, by=alice, foc_date=business_day_in(12))

    assert tasks.outbox_deliver()["sent"] == 1
    assert len(mail.outbox) == 1
    assert Comment.objects.filter(order=submitted, body__startswith="Emailed the customer").exists()
    # The every-minute pass finds nothing more to send: never twice.
    assert tasks.outbox_deliver()["sent"] == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_is_retried_then_handed_to_the_desk(
    submitted, alice, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        portin.foc_record(order=submitted, by=alice, foc_date=business_day_in(12))
    row = OutboundEmail.objects.get(order=submitted)
    assert row.attempts == 1 and row.sent_at is None and row.gave_up_at is None
    assert "SMTP server down" in row.last_error
    note = Comment.objects.get(order=submitted, body__contains="tries again")
    assert "FOC confirmation" in note.body

    for _ in range(outbox.MAX_ATTEMPTS - 1):
        outbox.deliver()
    row.refresh_from_db()
    assert row.attempts == outbox.MAX_ATTEMPTS and row.gave_up_at is not None
    assert Comment.objects.filter(order=submitted, body__contains="contact them another way")
    assert outbox.deliver()["failed"] == 0  # given up: no more attempts
    assert mail.outbox == []


def test_a_transient_failure_is_sent_on_the_next_pass(
    submitted, alice, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail.backends.locmem import EmailBackend

    real = EmailBackend.send_messages
    monkeypatch.setattr(
        EmailBackend, "send_messages", lambda self, m: (_ for _ in ()).throw(TimeoutError())
    )
    with django_capture_on_commit_callbacks(execute=True):
        portin.foc_record(order=submitted, by=alice, foc_date=business_day_in(12))
    monkeypatch.setattr(EmailBackend, "send_messages", real)

    assert outbox.deliver()["sent"] == 1
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.get(order=submitted).attempts == 1


def test_the_owed_email_holds_no_pin_or_account_number(
    submitted, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        portin.order_cancel(order=submitted, by=alice, reason="Customer changed their mind")
    row = OutboundEmail.objects.get(order=submitted)
    stored = f"{row.recipients} {row.context}"
    assert "4321" not in stored
    assert submitted.account_number not in stored


def test_a_delivery_pass_stops_starting_batches_when_its_time_is_up(
    submitted, alice, django_capture_on_commit_callbacks
):
    # A task killed by the worker's timeout mid-batch would send that batch twice: a pass
    # leaves what it has no time for to the next one.
    with django_capture_on_commit_callbacks(execute=False):
        portin.foc_record(order=submitted, by=alice, foc_date=business_day_in(12))
    assert outbox.deliver(max_seconds=0)["sent"] == 0
    assert outbox.deliver()["sent"] == 1
