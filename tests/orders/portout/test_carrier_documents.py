"""Carrier documents of the port-out desk (issue 17): the FOC, reject and expedite notices
are made as PDFs, kept on the order and owed through the outbox with the decision."""

import datetime
import io

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from carriers.models import Contact
from carriers.tn import format_tn
from orders.models import Document, OutboundEmail, Status
from orders.services import carrier_documents, outbox
from orders.services import portout as services
from tests.factories import ContactFactory

from .conftest import MONDAY, make_lsr

pytestmark = pytest.mark.django_db
D = datetime.date


def pdf_text(document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run a decision as a request does: its outbox rows are delivered once it commits."""

    def run(call, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(**kwargs)

    return run


@pytest.fixture
def lsr_contact(requester):
    return ContactFactory(carrier=requester, role=Contact.Role.LSR, email="lsr@willamette.example")


def receive(requester, lsr, **kw):
    return services.lsr_receive(requesting_carrier=requester, lsr=lsr, now=lsr.received_at, **kw)


def test_foc_sends_a_foc_notice_pdf_with_pon_ver_date_and_tns(
    make_account, requester, lsr_contact, alice, sent
):
    _, tns = make_account(2)
    order = receive(requester, make_lsr(tns, requested_due_date=D(2026, 11, 16)))
    sent(services.lsr_decide, order=order, decision="foc", by=alice, now=MONDAY)
    document = order.documents.get(kind=Document.Kind.FOC_NOTICE)
    text = pdf_text(document)
    assert f"PON: {order.pon}" in text and "VER: 1" in text
    assert f"FOC date: {order.foc_date:%Y-%m-%d}" in text
    assert "business days ->" in text  # how the date was reached
    assert all(format_tn(tn) in text for tn in tns)
    assert document.sent_to == "lsr@willamette.example"
    assert document.delivery_state == "sent"
    (email,) = mail.outbox
    assert email.to == ["lsr@willamette.example"]
    assert f"FOC date: {order.foc_date:%Y-%m-%d}" in email.body  # says what the PDF says
    assert email.attachments[0][0] == document.original_name


def test_reject_notice_lists_codes_and_rule_ids_but_never_our_account_values(
    make_account, requester, lsr_contact, alice, sent
):
    account, tns = make_account(1)
    lsr = make_lsr(tns, account_number="ACCT-31337", account_name="Mallory Ports")
    order = receive(requester, lsr)
    assert order.status == Status.RECEIVED  # R18 findings stop the FOC, not the intake
    sent(services.lsr_decide, order=order, decision="reject", by=alice, now=MONDAY)
    document = order.documents.get(kind=Document.Kind.REJECT_NOTICE)
    text = pdf_text(document)
    codes = sorted(r.code for r in order.rejections.get().reasons.all())
    assert codes and all(code in text for code in codes)
    assert "(R18)" in text and "does not match the account on our records" in text
    assert account.account_number not in text and account.account_number not in mail.outbox[0].body
    assert account.name not in text


def test_a_rolled_back_decision_sends_nothing(make_account, requester, lsr_contact, alice):
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns, requested_due_date=D(2026, 11, 16)))
    with pytest.raises(RuntimeError), transaction.atomic():
        services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
        raise RuntimeError("the decision's transaction rolls back")
    assert not OutboundEmail.objects.filter(kind="carrier_document").exists()
    assert not Document.objects.filter(order=order).exists()
    assert mail.outbox == []


def test_no_lsr_contact_sends_no_email_and_tells_the_desk(make_account, requester, alice):
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns, requested_due_date=D(2026, 11, 16)))
    assert "no LSR contact" in carrier_documents.missing_contact(order, Document.Kind.FOC_NOTICE)
    services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
    document = order.documents.get(kind=Document.Kind.FOC_NOTICE)
    assert document.email is None and document.delivery_state == "not sent"
    assert mail.outbox == []
    assert order.comments.filter(body__contains="NOT emailed").exists()


def test_the_address_the_desk_enters_is_used_once(make_account, requester, alice, sent):
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns, requested_due_date=D(2026, 11, 16)))
    sent(
        services.lsr_decide,
        order=order,
        decision="foc",
        by=alice,
        now=MONDAY,
        send_to="ops@willamette.example",
    )
    assert mail.outbox[0].to == ["ops@willamette.example"]
    assert not Contact.objects.filter(carrier=requester).exists()


def test_a_killed_worker_sends_the_document_on_the_next_pass(
    make_account, requester, lsr_contact, alice, monkeypatch
):
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns, requested_due_date=D(2026, 11, 16)))
    # The on-commit delivery never runs (the worker died after the commit).
    monkeypatch.setattr(outbox, "deliver", lambda *a, **k: None)
    services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
    document = order.documents.get(kind=Document.Kind.FOC_NOTICE)
    assert document.delivery_state == "queued" and mail.outbox == []
    monkeypatch.undo()
    outbox.deliver()
    document.refresh_from_db()
    assert document.delivery_state == "sent"
    assert mail.outbox[0].attachments[0][1].startswith(b"%PDF")


def test_a_resend_is_logged_as_such(make_account, requester, lsr_contact, alice, sent):
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns, requested_due_date=D(2026, 11, 16)))
    sent(services.lsr_decide, order=order, decision="foc", by=alice, now=MONDAY)
    first = order.documents.get(kind=Document.Kind.FOC_NOTICE)
    again = sent(carrier_documents.document_resend, document=first, by=alice)
    assert again.resend_of == first
    assert "(resent)" in mail.outbox[1].subject
    assert mail.outbox[1].attachments[0][1] == mail.outbox[0].attachments[0][1]


def test_preview_renders_the_pdf_without_storing_or_sending(make_account, requester, alice):
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns))
    pdf = carrier_documents.document_preview(order=order, kind=Document.Kind.FOC_NOTICE)
    assert (
        pdf.startswith(b"%PDF") and order.pon in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    )
    assert not order.documents.exists() and not OutboundEmail.objects.exists()


def test_the_decide_form_says_the_requester_has_no_lsr_contact_and_takes_an_address(
    make_account, requester, alice, alice_client, django_capture_on_commit_callbacks
):
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns, requested_due_date=D(2026, 11, 16)))
    page = alice_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    assert 'data-testid="missing-contact"' in page and "no LSR contact" in page
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            reverse("orders:portout_decide", args=[order.pk]),
            {
                "decision": "foc",
                "text": "",
                "send_to": "ops@willamette.example",
                "expected_status": order.status,
            },
        )
    order.refresh_from_db()
    assert order.status == Status.FOC_SENT
    assert mail.outbox[0].to == ["ops@willamette.example"]
    page = alice_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    assert "FOC notice sent to ops@willamette.example" in page and "Delivery: sent." in page
