"""Issue 19: the customer's links. The desk sends an LOA or status link; the customer signs the
LOA, corrects what a reject names, or cancels a draft, without an account; expired, revoked
and tampered links get a clear page and change nothing; a closed order's link accepts
nothing; a carrier that requires an LOA gets no LSR without one."""

import datetime
import hashlib
import io
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from carriers.timefmt import local_time
from orders import emails
from orders.lifecycle import DomainError
from orders.models import (
    CustomerLink,
    CustomerLinkEvent,
    CustomerResubmission,
    Document,
    LoaSignature,
    OutboundEmail,
    PortOrder,
)
from orders.services import portin
from orders.services.orders import document_add
from orders.services.portin import customer_access, customer_links, customer_status
from tests.orders.portin.conftest import END_USER

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NEW_ACCOUNT = "ACCT-55502222"


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()  # the rate limit counts in the shared cache
    yield
    cache.clear()


@pytest.fixture
def draft(desk, make_portin):
    """A draft on a carrier without CSRs (nothing to record before the LSR)."""
    return make_portin("5035550101", spid=desk.rural_spid)


def path_of(url: str) -> str:
    return urlsplit(url).path


def token_of(url: str) -> str:
    return path_of(url).rstrip("/").rsplit("/", 1)[1]


def send(order, user, purpose="loa"):
    return customer_links.customer_link_send(order=order, by=user, purpose=purpose)


def sign_post(client, url, link, **overrides):
    data = {
        "signer_name": "Pat Smith",
        "signer_title": "Owner",
        "consent": "on",
        "document_sha256": link.loa_sha256,
        **overrides,
    }
    return client.post(path_of(url) + "sign/", data)


def state_of(order) -> tuple:
    order = PortOrder.objects.get(pk=order.pk)
    return (
        order.status,
        order.revision,
        order.account_number,
        order.authorization_indicator,
        Document.objects.filter(order=order).count(),
        LoaSignature.objects.filter(order=order).count(),
        CustomerResubmission.objects.filter(order=order).count(),
    )


def rejected_for_account(order, user):
    portin.order_submit(order=order, by=user)
    portin.lsp_reject_record(
        order=order, by=user, reason_codes=["ACCT"], text="Account number does not match."
    )
    portin.order_return_to_customer(order=order, by=user, message="Check your bill.")
    order.refresh_from_db()
    row = OutboundEmail.objects.filter(order=order, kind=emails.REJECTION).latest("pk")
    # The rejection email carries the status link where the customer corrects it.
    _, text, html = emails.render_email(row.kind, {**emails.base_context(order), **row.context})
    assert row.context["status_url"] in text and row.context["status_url"] in html
    return row.context["status_url"]


# --- the LOA ----------------------------------------------------------------------------------


def test_the_loa_link_is_emailed_and_its_page_shows_the_loa(draft, alice):
    sent = send(draft, alice)
    row = OutboundEmail.objects.get(order=draft, kind=emails.CUSTOMER_LINK)
    assert row.context["url"] == sent.url and row.context["purpose"] == "loa"
    assert row.recipients == [END_USER["notification_email"]]
    subject, text, _ = emails.render_email(row.kind, {**emails.base_context(draft), **row.context})
    assert "sign" in subject.lower() and sent.url in text

    response = Client().get(path_of(sent.url))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Letter of Authorization" in html and "Pat Smith" in html
    assert "Rural Telephone Co" in html and "(503) 555-0101" in html
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    # The desk's database keeps the token's hash, never the token.
    assert not CustomerLink.objects.filter(token_digest=token_of(sent.url)).exists()


def test_signing_stores_the_signed_loa_whose_pdf_holds_signer_time_and_hash(draft, alice):
    sent = send(draft, alice)
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11) LoaTest/1.0")
    assert client.get(path_of(sent.url)).status_code == 200
    response = sign_post(client, sent.url, sent.link)
    assert response.status_code == 302

    signature = LoaSignature.objects.get(order=draft)
    assert signature.signer_name == "Pat Smith" and signature.signer_title == "Owner"
    assert signature.ip_address == "127.0.0.1"
    assert signature.user_agent == "Mozilla/5.0 (X11) LoaTest/1.0"
    assert signature.document_sha256 == sent.link.loa_sha256
    document = signature.signed_document
    assert document.kind == Document.Kind.LOA and document.order_id == draft.pk

    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2  # the LOA, then the signature page
    assert "Pat Smith" in text and "Owner" in text
    assert local_time(signature.signed_at) in text
    assert signature.document_sha256 in text.replace("\n", "")
    assert "127.0.0.1" in text and "LoaTest/1.0" in text
    # The hash is the one of the LOA the customer was shown (and could download).
    shown = Client().get(path_of(sent.url) + "loa.pdf")
    assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf"
    pdf = b"".join(shown.streaming_content)
    assert hashlib.sha256(pdf).hexdigest() == signature.document_sha256

    draft.refresh_from_db()
    assert draft.authorization_indicator
    kinds = list(
        CustomerLinkEvent.objects.filter(order=draft)
        .order_by("at", "pk")
        .values_list("kind", flat=True)
    )
    assert kinds[:2] == ["viewed", "signed"]
    # A second signature through the same link is refused.
    assert sign_post(client, sent.url, sent.link).status_code == 200
    assert LoaSignature.objects.filter(order=draft).count() == 1


def test_a_sign_without_consent_or_for_another_document_changes_nothing(draft, alice):
    sent = send(draft, alice)
    client = Client()
    before = state_of(draft)
    response = sign_post(client, sent.url, sent.link, consent="")
    assert response.status_code == 200 and "Tick the box" in response.content.decode()
    response = sign_post(client, sent.url, sent.link, document_sha256="0" * 64)
    assert "The LOA changed" in response.content.decode()
    assert state_of(draft) == before


def test_a_submit_without_a_required_loa_is_refused(draft, alice, desk):
    desk.rural.requires_loa = True
    desk.rural.save()
    draft.refresh_from_db()
    with pytest.raises(DomainError, match="requires the end user's LOA"):
        portin.order_submit(order=draft, by=alice)
    assert PortOrder.objects.get(pk=draft.pk).status == "draft"
    # Uploaded by the desk: now it goes.
    document_add(
        order=draft,
        kind=Document.Kind.LOA,
        uploaded_file=SimpleUploadedFile("loa.pdf", PDF),
        by=alice,
    )
    portin.order_submit(order=draft, by=alice)
    assert PortOrder.objects.get(pk=draft.pk).status == "submitted"


def test_a_submit_after_the_customer_signed_goes(draft, alice, desk):
    desk.rural.requires_loa = True
    desk.rural.save()
    sent = send(draft, alice)
    assert sign_post(Client(), sent.url, sent.link).status_code == 302
    draft.refresh_from_db()
    portin.order_submit(order=draft, by=alice)
    assert draft.status == "submitted"


def test_a_carrier_that_does_not_require_an_loa_is_sent_without_one(draft, alice):
    portin.order_submit(order=draft, by=alice)
    assert PortOrder.objects.get(pk=draft.pk).status == "submitted"


# --- refused links ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spoil, status, words",
    [
        ("expired", 410, "This link has expired"),
        ("revoked", 410, "This link is no longer valid"),
        ("tampered", 404, "This link is not valid"),
        ("email changed", 410, "This link is no longer valid"),
    ],
)
def test_expired_revoked_and_tampered_links_get_a_clear_page_and_change_nothing(
    draft, alice, spoil, status, words
):
    sent = send(draft, alice)
    url = sent.url
    if spoil == "expired":
        CustomerLink.objects.filter(pk=sent.link.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
    elif spoil == "revoked":
        customer_links.customer_link_revoke(order=draft, by=alice, link=sent.link)
    elif spoil == "tampered":
        token = token_of(url)
        url = url.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    else:
        PortOrder.objects.filter(pk=draft.pk).update(notification_email="other@example.net")
    before = state_of(draft)
    client = Client()
    for response in (
        client.get(path_of(url)),
        client.get(path_of(url) + "loa.pdf"),
        sign_post(client, url, sent.link),
        client.post(path_of(url) + "cancel/", {"confirm": "on"}),
        client.post(path_of(url) + "corrections/", {"account_number": NEW_ACCOUNT}),
    ):
        assert response.status_code == status
        assert words in response.content.decode()
        assert "Nothing was changed" in response.content.decode()
    assert state_of(draft) == before
    link = CustomerLink.objects.get(pk=sent.link.pk)
    assert link.first_viewed_at is None and link.used_at is None
    assert not CustomerLinkEvent.objects.filter(order=draft).exclude(kind="refused").exists()
    # The desk sees a known link being tried; a made-up token has no order to log it on.
    refused = CustomerLinkEvent.objects.filter(order=draft, kind="refused").count()
    assert refused == (0 if spoil == "tampered" else 5)


def test_the_desk_revokes_a_link_through_the_order_page(draft, alice_client):
    sent = send(draft, draft.created_by)
    url = reverse("orders:order_action", args=[draft.pk, "customer-link-revoke"])
    response = alice_client.post(
        url,
        {
            "customer_link_revoke-expected_status": "draft",
            "customer_link_revoke-link": sent.link.pk,
        },
    )
    assert response.status_code == 302
    assert CustomerLink.objects.get(pk=sent.link.pk).revoked_at is not None
    assert Client().get(path_of(sent.url)).status_code == 410


# --- the order page -------------------------------------------------------------------------


def test_the_order_page_shows_the_loa_state_and_sends_the_link(draft, alice_client, desk):
    desk.rural.requires_loa = True
    desk.rural.save()
    page = reverse("orders:order_detail", args=[draft.pk])

    def loa_state():
        html = alice_client.get(page).content.decode()
        return html.split('data-testid="loa-state">', 1)[1].split("<", 1)[0]

    assert loa_state() == "not sent"
    response = alice_client.post(
        reverse("orders:order_action", args=[draft.pk, "loa-link"]),
        {"loa_link-expected_status": "draft"},
    )
    assert response.status_code == 302
    link = CustomerLink.objects.get(order=draft)
    assert loa_state() == "sent"
    row = OutboundEmail.objects.get(order=draft, kind=emails.CUSTOMER_LINK)
    customer = Client()
    customer.get(path_of(row.context["url"]))
    assert loa_state() == "viewed"
    CustomerLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert loa_state() == "expired"
    CustomerLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    sign_post(customer, row.context["url"], link)
    assert loa_state() == "signed"
    html = alice_client.get(page).content.decode()
    assert "Customer (LOA link): Signed the LOA" in html  # on the timeline


def test_sending_a_link_needs_the_desks_permission(draft, bob):
    client = Client()
    client.force_login(bob)
    for action in ("loa-link", "status-link", "customer-link-revoke"):
        prefix = action.replace("-", "_")
        response = client.post(
            reverse("orders:order_action", args=[draft.pk, action]),
            {f"{prefix}-expected_status": "draft"},
        )
        assert response.status_code == 403, action
    assert not CustomerLink.objects.exists()


def test_every_view_of_a_link_is_logged_on_the_order(draft, alice):
    sent = send(draft, alice, purpose="status")
    client = Client(HTTP_USER_AGENT="Viewer/2")
    client.get(path_of(sent.url))
    client.get(path_of(sent.url))
    events = CustomerLinkEvent.objects.filter(order=draft, kind="viewed")
    assert events.count() == 2
    assert {e.user_agent for e in events} == {"Viewer/2"}
    link = CustomerLink.objects.get(pk=sent.link.pk)
    assert link.first_viewed_at <= link.last_viewed_at


# --- the status page ------------------------------------------------------------------------


def test_the_status_page_shows_what_next_the_foc_date_and_customer_comments(draft, alice):
    from orders.services.comments import comment_post

    portin.order_submit(order=draft, by=alice)
    from tests.factories import business_day_in

    portin.foc_record(order=draft, by=alice, foc_date=business_day_in(12), confirmed=True)
    comment_post(order=draft, by=alice, body="We will call you on the day.", visibility="customer")
    comment_post(order=draft, by=alice, body="Internal: slow carrier.", visibility="internal")
    sent = send(draft, alice, purpose="status")
    html = Client().get(path_of(sent.url)).content.decode()
    assert "Accepted (FOC)" in html
    assert "keep your current service active" in html
    draft.refresh_from_db()
    assert draft.foc_date.strftime("%B") in html and str(draft.foc_date.day) in html
    assert "We will call you on the day." in html
    assert "Internal: slow carrier." not in html


def test_a_customer_visible_comment_is_emailed_to_the_customer(draft, alice_client, mailoutbox):
    url = reverse("orders:order_action", args=[draft.pk, "comment"])
    for visibility, body in (("customer", "Your port is on track."), ("internal", "Just us.")):
        response = alice_client.post(
            url,
            {
                "comment-expected_status": "draft",
                "comment-body": body,
                "comment-visibility": visibility,
                "comment-source": "staff",
            },
        )
        assert response.status_code == 302
    rows = OutboundEmail.objects.filter(order=draft, kind=emails.CUSTOMER_COMMENT)
    assert [r.context["body"] for r in rows] == ["Your port is on track."]
    assert rows[0].recipients == [] or rows[0].recipients == [END_USER["notification_email"]]
    from orders.services.outbox import deliver

    deliver()
    sent = [m for m in mailoutbox if "message about your port order" in m.subject]
    assert len(sent) == 1 and sent[0].to == [END_USER["notification_email"]]
    assert "Your port is on track." in sent[0].body and "Just us." not in sent[0].body


def test_the_customer_corrects_the_rejected_account_number_and_sends_a_bill(
    draft, alice, alice_client
):
    status_url = rejected_for_account(draft, alice)
    client = Client()
    page = client.get(path_of(status_url))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Account number mismatch" in html
    assert "exactly as it appears on a recent bill" in html  # the catalogue's instructions
    # Exactly the field the reason names (plus the bill and a note).
    assert 'name="account_number"' in html
    for other in ("zip_code", "service_address", "btn", "authorized_person", "pin"):
        assert f'name="{other}"' not in html
    response = client.post(
        path_of(status_url) + "corrections/",
        {
            "account_number": NEW_ACCOUNT,
            "zip_code": "99999",  # not named by the reject: ignored
            "bill": SimpleUploadedFile("bill.pdf", PDF),
            "note": "From my March bill.",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "review"
    assert draft.account_number == NEW_ACCOUNT and draft.zip_code == END_USER["zip_code"]
    assert draft.history.first().actor_label == customer_access.CUSTOMER_ACTOR
    resubmission = CustomerResubmission.objects.get(order=draft)
    assert resubmission.bill.kind == Document.Kind.BILL
    assert (
        resubmission.before["account_number_digest"] != resubmission.after["account_number_digest"]
    )
    # The desk sees the change, field by field, masked, before resending.
    desk_html = alice_client.get(reverse("orders:order_detail", args=[draft.pk])).content.decode()
    card = desk_html.split('data-testid="version-customer"', 1)[1].split("</li>", 1)[0]
    assert 'data-field="account_number"' in card
    assert NEW_ACCOUNT[-4:] in card and NEW_ACCOUNT not in desk_html
    assert "bill.pdf" in card
    # The customer's page now says it is being checked, and offers no form.
    html = client.get(path_of(status_url)).content.decode()
    assert "We received your corrections" in html and 'name="account_number"' not in html
    # And the desk resends: VER 2 carries the customer's number.
    portin.review_resend(order=draft, by=alice)
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.version == 2


def test_the_customer_may_correct_only_what_the_reject_names(draft, alice):
    status_url = rejected_for_account(draft, alice)
    before = state_of(draft)
    visitor = customer_access.Visitor.of("127.0.0.1", "test")
    with pytest.raises(DomainError, match="Only what the reject names"):
        customer_status.customer_corrections_send(
            token=token_of(status_url), changes={"zip_code": "99999"}, visitor=visitor
        )
    with pytest.raises(DomainError, match="Nothing to send"):
        customer_status.customer_corrections_send(
            token=token_of(status_url), changes={}, visitor=visitor
        )
    assert state_of(draft) == before


def test_the_customer_cancels_a_draft_through_the_lifecycle(draft, alice):
    sent = send(draft, alice, purpose="status")
    client = Client()
    response = client.post(path_of(sent.url) + "cancel/", {"reason": "Staying put."})
    assert response.status_code == 200  # the confirmation box was not ticked
    assert PortOrder.objects.get(pk=draft.pk).status == "draft"
    response = client.post(
        path_of(sent.url) + "cancel/", {"reason": "Staying put.", "confirm": "on"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "cancelled"
    change = draft.history.first()
    assert change.actor_label == customer_access.CUSTOMER_ACTOR and "Staying put." in change.reason
    assert OutboundEmail.objects.filter(order=draft, kind=emails.CANCELLATION).exists()


@pytest.mark.parametrize("closing", ["cancelled", "completed"])
def test_a_link_of_a_closed_order_shows_its_state_and_accepts_nothing(draft, alice, maria, closing):
    from tests.factories import business_day_in

    loa = send(draft, alice)
    status = send(draft, alice, purpose="status")
    if closing == "cancelled":
        portin.order_cancel(order=draft, by=alice, reason="Customer stays.")
    else:
        portin.order_submit(order=draft, by=alice)
        portin.foc_record(order=draft, by=alice, foc_date=business_day_in(12), confirmed=True)
        portin.order_complete(order=draft, by=maria)
    before = state_of(draft)
    client = Client()
    for url in (loa.url, status.url):
        response = client.get(path_of(url))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-testid="order-closed"' in html and closing in html.lower()
        assert "<form" not in html
    assert sign_post(client, loa.url, loa.link).status_code == 200
    client.post(path_of(status.url) + "cancel/", {"confirm": "on"})
    client.post(path_of(status.url) + "corrections/", {"account_number": NEW_ACCOUNT})
    assert state_of(draft) == before
    with pytest.raises(DomainError):
        send(draft, alice, purpose="status")


# --- safety -----------------------------------------------------------------------------------


def test_customer_pages_are_rate_limited_per_address(draft, alice, settings):
    settings.PORTING = {**settings.PORTING, "CUSTOMER_LINK_RATE_PER_MINUTE": 3}
    sent = send(draft, alice, purpose="status")
    client = Client()
    assert [client.get(path_of(sent.url)).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(path_of(sent.url))
    assert response.status_code == 429 and response["Retry-After"] == "60"
    # Guessing tokens counts too, and is refused the same.
    assert client.get("/customer/" + "x" * 43 + "/").status_code == 429
    assert CustomerLinkEvent.objects.filter(kind="viewed").count() == 3
    # Another address is not held back.
    assert Client(REMOTE_ADDR="10.0.0.9").get(path_of(sent.url)).status_code == 200


def test_no_pin_or_full_account_number_on_the_customer_pages(draft, alice):
    loa = send(draft, alice)
    status_url = rejected_for_account(draft, alice)
    client = Client()
    pages = [
        client.get(path_of(loa.url)).content,
        b"".join(client.get(path_of(loa.url) + "loa.pdf").streaming_content),
        client.get(path_of(status_url)).content,
    ]
    with loa.link.loa_file.open("rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    pages.append(text.encode())
    for content in pages:
        content = content.replace(loa.link.loa_sha256.encode(), b"")
        content = content.replace(token_of(loa.url).encode(), b"")
        content = content.replace(token_of(status_url).encode(), b"")
        assert END_USER["account_number"].encode() not in content
        assert END_USER["account_number"][5:].encode() not in content  # not even its digits
        assert END_USER["pin"].encode() not in content


def test_an_address_reject_offers_the_address_fields_and_checks_them(draft, alice):
    portin.order_submit(order=draft, by=alice)
    portin.lsp_reject_record(order=draft, by=alice, reason_codes=["ADDR"])
    portin.order_return_to_customer(order=draft, by=alice)
    status_url = (
        OutboundEmail.objects.filter(order=draft, kind=emails.REJECTION)
        .latest("pk")
        .context["status_url"]
    )
    client = Client()
    html = client.get(path_of(status_url)).content.decode()
    for name in ("service_address", "city", "state", "zip_code"):
        assert f'name="{name}"' in html, name
    assert 'name="account_number"' not in html
    before = state_of(draft)
    data = {
        "service_address": "100 Main St Suite 5",
        "city": "Portland",
        "state": "OR",
        "zip_code": "97X04",
    }
    response = client.post(path_of(status_url) + "corrections/", data)
    assert response.status_code == 200
    assert "is not a ZIP code" in response.content.decode()
    assert state_of(draft) == before
    data["zip_code"] = "97205"
    assert client.post(path_of(status_url) + "corrections/", data).status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.service_address, draft.zip_code) == (
        "review",
        "100 Main St Suite 5",
        "97205",
    )
