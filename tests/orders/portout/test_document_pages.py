"""The carrier documents on the order page, through the HTTP client (issue 17): a sent
document resent from the timeline, and the decision's PDF previewed before it is sent."""

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from orders.models import Document, OutboundEmail
from orders.services import portout as services

from .conftest import MONDAY, make_lsr
from .test_carrier_documents import lsr_contact, receive, sent  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
D = datetime.date


def read_pdf(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def foc_sent(make_account, requester, lsr_contact, alice, sent):  # noqa: F811
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns, requested_due_date=D(2026, 11, 16)))
    sent(services.lsr_decide, order=order, decision="foc", by=alice, now=MONDAY)
    return order


def resend_url(order, document):
    return reverse("orders:document_resend", args=[order.pk, document.pk])


def test_resend_from_the_order_page_sends_it_again_and_logs_a_resend(
    foc_sent, alice_client, django_capture_on_commit_callbacks
):
    first = foc_sent.documents.get(kind=Document.Kind.FOC_NOTICE)
    page = alice_client.get(reverse("orders:order_detail", args=[foc_sent.pk])).content.decode()
    assert resend_url(foc_sent, first) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(resend_url(foc_sent, first), follow=True)
    assert response.redirect_chain[-1][0] == reverse("orders:order_detail", args=[foc_sent.pk])
    assert "FOC notice resent to lsr@willamette.example" in response.content.decode()
    again = foc_sent.documents.get(resend_of=first)
    assert again.kind == Document.Kind.FOC_NOTICE
    assert OutboundEmail.objects.filter(kind="carrier_document").count() == 2
    assert "(resent)" in mail.outbox[1].subject


def test_resend_is_refused_without_the_permission_to_change_orders(foc_sent, client, bob):
    first = foc_sent.documents.get(kind=Document.Kind.FOC_NOTICE)
    client.force_login(bob)
    assert client.post(resend_url(foc_sent, first)).status_code == 403
    assert foc_sent.documents.count() == 1
    assert OutboundEmail.objects.filter(kind="carrier_document").count() == 1


def test_resend_is_a_post(foc_sent, alice_client):
    first = foc_sent.documents.get(kind=Document.Kind.FOC_NOTICE)
    assert alice_client.get(resend_url(foc_sent, first)).status_code == 405


def test_reject_preview_is_the_pdf_the_reject_would_send_and_stores_nothing(
    make_account, requester, alice_client
):
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns, account_number="ACCT-31337"))
    page = alice_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    url = reverse("orders:document_preview", args=[order.pk, Document.Kind.REJECT_NOTICE])
    assert url in page  # linked next to the Send buttons
    before = Document.objects.count()
    response = alice_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    text = read_pdf(response.content)
    assert f"PON: {order.pon}" in text and "(R18)" in text and "ACCT-31337" not in text
    assert Document.objects.count() == before
    assert not OutboundEmail.objects.exists() and mail.outbox == []


def test_foc_preview_shows_the_proposed_foc_date_before_it_is_sent(
    make_account, requester, alice_client
):
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns, requested_due_date=D(2026, 11, 16)))
    proposed = services.stored_foc(order).date
    url = reverse("orders:document_preview", args=[order.pk, Document.Kind.FOC_NOTICE])
    text = read_pdf(alice_client.get(url).content)
    assert f"PON: {order.pon}" in text and f"FOC date: {proposed:%Y-%m-%d}" in text
    order.refresh_from_db()
    assert order.foc_date is None and not order.documents.exists()


def test_preview_of_a_kind_the_order_does_not_send_is_not_found(foc_sent, alice_client):
    url = reverse("orders:document_preview", args=[foc_sent.pk, Document.Kind.LSR])
    assert alice_client.get(url).status_code == 404
