"""Customer emails: each reason's title and instructions, plain text and HTML, sent after
commit, recorded on the order, and never the PIN or the full account number."""

import pytest
from django.core import mail

from orders.lifecycle import DomainError
from orders.models import Comment, RejectionReason, Status
from orders.services import portin
from tests.factories import business_day_in

pytestmark = pytest.mark.django_db

PIN = "4321"
ACCOUNT = "ACCT-99887766"


def _sent_texts(message):
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    return [message.subject, message.body, html]


def _assert_no_secrets(message):
    for text in _sent_texts(message):
        assert PIN not in text
        assert ACCOUNT not in text
        assert "99887766" not in text


@pytest.fixture
def submitted(make_portin, desk, alice):
    order = make_portin("5035550101", "5035550102", spid=desk.rural_spid, pin=PIN)
    portin.order_submit(order=order, by=alice)
    return order


def test_rejection_email_lists_each_reasons_title_and_instructions(
    submitted, alice, django_capture_on_commit_callbacks
):
    portin.lsp_reject_record(order=submitted, by=alice, reason_codes=["ACCT", "ZIP"], text="x")

    with django_capture_on_commit_callbacks(execute=True):
        portin.order_return_to_customer(
            order=submitted, by=alice, message="Please send a bill from last month."
        )

    (message,) = mail.outbox
    assert message.to == ["customer@abc-company.example"]
    assert submitted.pon in message.subject
    for code in ("ACCT", "ZIP"):
        reason = RejectionReason.objects.get(code=code)
        for text in _sent_texts(message)[1:]:
            assert reason.title in text
            assert reason.instructions in text
    assert "Please send a bill from last month." in message.body
    assert "45 days" in message.body
    assert "(503) 555-0101" in message.body
    assert "••••" in message.body and "7766" in message.body  # masked account number
    _assert_no_secrets(message)
    note = Comment.objects.get(
        order=submitted, source=Comment.Source.SYSTEM, body__contains="Emailed the customer"
    )
    assert "rejection notice" in note.body


def test_nothing_is_sent_when_the_transaction_rolls_back(
    submitted, alice, django_capture_on_commit_callbacks
):
    portin.lsp_reject_record(order=submitted, by=alice, reason_codes=["ACCT"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        portin.order_return_to_customer(order=submitted, by=alice)
    assert len(callbacks) == 1  # queued for after commit, not sent inline
    assert mail.outbox == []


def test_return_to_customer_needs_a_notification_email(submitted, alice):
    portin.lsp_reject_record(order=submitted, by=alice, reason_codes=["ACCT"])
    submitted.notification_email = ""
    submitted.save(update_fields=["notification_email"])

    with pytest.raises(DomainError, match="no customer notification email"):
        portin.order_return_to_customer(order=submitted, by=alice)
    submitted.refresh_from_db()
    assert submitted.status == Status.EXCEPTION


def test_foc_completion_and_cancellation_emails(
    submitted, make_portin, desk, alice, maria, django_capture_on_commit_callbacks
):
    foc = business_day_in(12)
    with django_capture_on_commit_callbacks(execute=True):
        portin.foc_record(order=submitted, by=alice, foc_date=foc)
    with django_capture_on_commit_callbacks(execute=True):
        # Before the FOC date: a manager's call.
        portin.order_complete(order=submitted, by=maria)
    other = make_portin("5095550109", spid=desk.rural_spid, pin=PIN)
    with django_capture_on_commit_callbacks(execute=True):
        portin.order_cancel(order=other, by=alice, reason="Customer changed their mind")

    foc_mail, done_mail, cancel_mail = mail.outbox
    assert foc.strftime("%B") in foc_mail.subject and str(foc.day) in foc_mail.subject
    assert "firm order commitment" in foc_mail.body
    assert "complete" in done_mail.subject and "ported" in done_mail.body
    assert "cancelled" in cancel_mail.subject
    assert "Customer changed their mind" in cancel_mail.body
    for message in (foc_mail, done_mail, cancel_mail):
        assert message.alternatives, "every email has an HTML part"
        _assert_no_secrets(message)
    assert Comment.objects.filter(source="system", body__startswith="Emailed").count() == 3


def test_an_order_without_email_gets_a_note_instead(
    make_portin, desk, alice, django_capture_on_commit_callbacks
):
    order = make_portin("5095550101", spid=desk.rural_spid, notification_email="")
    with django_capture_on_commit_callbacks(execute=True):
        portin.order_cancel(order=order, by=alice, reason="Duplicate")
    assert mail.outbox == []
    assert Comment.objects.filter(order=order, body__startswith="No cancellation notice").exists()
