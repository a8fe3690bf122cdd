"""Port-in documents to the losing carrier (issue 17): the LSR at submit and at each resend
(VER+1) and each SUP are made as PDFs, kept on the order and owed through the outbox in the
sending service's transaction, to the losing carrier's LSR contact or the route's (F6)."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from carriers.models import Carrier, Contact
from carriers.tn import format_tn
from orders.models import Document, OrderNumber, OutboundEmail, PortOrder
from orders.services import portin
from tests.factories import CarrierFactory, ContactFactory, SPIDFactory
from tests.orders.portout import test_carrier_documents as portout_documents

from .conftest import END_USER, due_in
from .test_flow import act

pytestmark = pytest.mark.django_db
TNS = ("5035550101", "5035550102", "5035550103")
# The port-out documents' tests read PDFs back and deliver on commit the same way.
pdf_text = portout_documents.pdf_text
sent = portout_documents.sent


def documents(order, kind):
    return list(order.documents.filter(kind=kind).order_by("id"))


@pytest.fixture
def direct(desk):
    """A losing carrier reached directly, without CSRs (no F1 step), with an LSR contact."""
    carrier = CarrierFactory(
        name="Cascade Wireless", kind=Carrier.Kind.WIRELESS, supports_csr=False
    )
    ContactFactory(carrier=carrier, role=Contact.Role.LSR, email="lsr@cascade.example")
    return SPIDFactory(code="6611", carrier=carrier)


@pytest.fixture
def draft(make_portin, direct):
    order = make_portin(*TNS, spid=direct)
    OrderNumber.objects.filter(order=order, tn=TNS[1]).update(
        disposition=OrderNumber.Disposition.DISCONNECT
    )
    OrderNumber.objects.filter(order=order, tn=TNS[2]).update(
        disposition=OrderNumber.Disposition.REMAIN
    )
    return order


def test_submit_sends_the_lsr_with_pon_ver_due_date_and_tns_by_disposition(draft, alice, sent):
    sent(portin.order_submit, order=draft, by=alice)
    (document,) = documents(draft, Document.Kind.LSR)
    text = pdf_text(document)
    assert f"PON: {draft.pon}" in text and "VER: 1" in text
    assert f"Requested due date (DDD): {draft.requested_due_date:%Y-%m-%d}" in text
    assert "TNs to port (1)" in text and format_tn(TNS[0]) in text
    assert "TNs to disconnect (1)" in text and format_tn(TNS[1]) in text
    assert "TNs that remain on the account (1)" in text and format_tn(TNS[2]) in text
    assert "End-user authorization indicated: yes" in text
    assert f"Service address: {END_USER['service_address']}" in text
    (email,) = mail.outbox
    assert email.to == ["lsr@cascade.example"]
    assert email.attachments[0][0] == document.original_name
    assert document.sent_to == "lsr@cascade.example" and document.delivery_state == "sent"


def test_the_lsr_never_carries_the_pin_or_the_account_number(draft, alice, sent):
    sent(portin.order_submit, order=draft, by=alice)
    (document,) = documents(draft, Document.Kind.LSR)
    text, body = pdf_text(document), mail.outbox[0].body
    for secret in (END_USER["pin"], END_USER["account_number"], "99887766"):
        assert secret not in text and secret not in body
    assert "Passcode / PIN: on file" in text  # the carrier knows to ask the desk for it


def test_a_simple_port_lsr_carries_the_52_36_standard_fields(draft, alice, sent):
    PortOrder.objects.filter(pk=draft.pk).update(simple_port_override=True)
    draft.refresh_from_db()
    sent(portin.order_submit, order=draft, by=alice)
    text = pdf_text(documents(draft, Document.Kind.LSR)[0])
    assert "47 CFR 52.36" in text
    assert f"ZIP code: {END_USER['zip_code']}" in text
    assert "Account number: *********7766" in text
    assert "Account name" not in text and "REQTYPE" not in text


def test_a_resend_after_a_reject_sends_the_lsr_as_ver_2(draft, alice, sent):
    portin.order_submit(order=draft, by=alice)
    portin.lsp_reject_record(order=draft, by=alice, reason_codes=["ZIP"], text="bad address")
    sent(portin.exception_resend, order=draft, by=alice, note="Suite number added")
    first, second = documents(draft, Document.Kind.LSR)
    assert "VER: 1" in pdf_text(first)
    text = pdf_text(second)
    assert "VER: 2" in text and "Suite number added" in text
    assert "VER 2 (resubmission)" in mail.outbox[-1].subject


@pytest.mark.parametrize(
    ("sup_type", "extra", "expected"),
    [
        (2, {"requested_due_date": due_in(20)}, f"New requested due date: {due_in(20):%Y-%m-%d}"),
        (3, {"remarks": "Contact name changed"}, "Contact name changed"),
    ],
)
def test_each_sup_is_sent_with_its_kind_pon_and_next_ver(
    draft, alice, sent, sup_type, extra, expected
):
    portin.order_submit(order=draft, by=alice)
    sent(portin.portin_sup_record, order=draft, by=alice, sup_type=sup_type, **extra)
    (document,) = documents(draft, Document.Kind.SUP)
    text = pdf_text(document)
    assert f"SUP {sup_type} - PON {draft.pon} VER 2" in text
    assert expected in text and format_tn(TNS[0]) in text
    assert mail.outbox[-1].to == ["lsr@cascade.example"]


def test_the_desks_cancel_sends_a_sup_1(draft, alice, sent):
    portin.order_submit(order=draft, by=alice)
    sent(portin.order_cancel, order=draft, by=alice, reason="Customer stays", notify_customer=False)
    (document,) = documents(draft, Document.Kind.SUP)
    text = pdf_text(document)
    assert f"SUP 1 - PON {draft.pon} VER 2" in text and "Customer stays" in text


def test_cancelling_a_draft_sends_no_sup(draft, alice):
    portin.order_cancel(order=draft, by=alice, reason="Never sent", notify_customer=False)
    assert not draft.documents.exists()


def test_an_order_routed_through_a_peer_goes_to_the_peers_contact(make_portin, desk, alice, sent):
    ContactFactory(carrier=desk.rural, role=Contact.Role.LSR, email="lsr@rural.example")
    ContactFactory(carrier=desk.peer, role=Contact.Role.LSR, email="lsr@peerless.example")
    order = make_portin(TNS[0], spid=desk.rural_spid)
    assert order.route == PortOrder.Route.LOCAL_PEER
    sent(portin.order_submit, order=order, by=alice)
    assert mail.outbox[0].to == ["lsr@peerless.example"]
    assert "Sent via: Peerless Porting" in pdf_text(documents(order, Document.Kind.LSR)[0])


def test_a_toll_free_order_goes_to_the_resporgs_toll_free_contact(make_portin, desk, alice, sent):
    ContactFactory(carrier=desk.resporg, role=Contact.Role.LSR, email="lsr@tollfree.example")
    ContactFactory(carrier=desk.resporg, role=Contact.Role.TOLL_FREE, email="tf@tollfree.example")
    order = make_portin("8005550101", spid=desk.resporg_spid)
    assert order.route == PortOrder.Route.SOMOS
    sent(portin.order_submit, order=order, by=alice)
    assert mail.outbox[0].to == ["tf@tollfree.example"]


def test_no_lsr_contact_sends_no_email_and_the_submit_form_says_so(
    make_portin, desk, alice, client
):
    order = make_portin(TNS[0], spid=desk.rural_spid)  # neither rural nor its peer has one
    client.force_login(alice)
    page = client.get(reverse("orders:order_detail", args=[order.pk]))
    assert b'data-testid="missing-contact"' in page.content
    assert b"Peerless Porting has no LSR contact" in page.content
    act(client, order, "submit")
    order.refresh_from_db()
    assert order.status == "submitted"
    (document,) = documents(order, Document.Kind.LSR)
    assert document.email is None and mail.outbox == []
    assert order.comments.filter(body__contains="NOT emailed").exists()


def test_the_address_the_desk_enters_on_the_submit_form_is_used_once(
    make_portin, desk, alice, client, django_capture_on_commit_callbacks
):
    order = make_portin(TNS[0], spid=desk.rural_spid)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        act(client, order, "submit", send_to="ops@peerless.example")
    assert mail.outbox[0].to == ["ops@peerless.example"]
    assert not Contact.objects.filter(carrier=desk.peer).exists()


def test_a_contact_on_file_adds_no_address_field(draft, alice, client):
    client.force_login(alice)
    page = client.get(reverse("orders:order_detail", args=[draft.pk]))
    assert b'data-testid="missing-contact"' not in page.content
    assert b"submit-send_to" not in page.content


def test_a_rolled_back_submit_sends_nothing(draft, alice):
    with pytest.raises(RuntimeError), transaction.atomic():
        portin.order_submit(order=draft, by=alice)
        raise RuntimeError("the submit's transaction rolls back")
    assert not OutboundEmail.objects.filter(kind="carrier_document").exists()
    assert not Document.objects.filter(order=draft).exists()
    assert mail.outbox == []


def test_the_draft_page_previews_the_lsr_pdf_and_stores_nothing(draft, alice_client):
    from tests.orders.portout.test_document_pages import read_pdf

    url = reverse("orders:document_preview", args=[draft.pk, Document.Kind.LSR])
    page = alice_client.get(reverse("orders:order_detail", args=[draft.pk])).content.decode()
    assert url in page
    response = alice_client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert f"PON: {draft.pon}" in read_pdf(response.content)
    assert not draft.documents.exists() and mail.outbox == []
