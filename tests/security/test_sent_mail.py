"""The admin's Sent mail page (the outbox as a person reads it): each email with its
recipient, subject, time and state, one shown rendered; for admins only, and with neither
the PIN nor the account number the order carries."""

import pytest
from django.test import Client
from django.urls import reverse

from orders import emails
from orders.models import OutboundEmail
from orders.services import outbox

from .conftest import KNOWN_ACCOUNT, KNOWN_PIN, walk_portin_flow

pytestmark = pytest.mark.django_db

SENT_MAIL = reverse("admin:orders_outboundemail_changelist")


@pytest.fixture
def sent(world, alice_client, django_capture_on_commit_callbacks):
    """The customer's rejection, FOC and completion emails, sent; and a digest still owed."""
    with django_capture_on_commit_callbacks(execute=True):
        order = walk_portin_flow(alice_client)
    with django_capture_on_commit_callbacks(execute=False):  # never delivered: still owed
        outbox.queue(
            emails.MANAGER_DIGEST,
            recipients=["maria@porting-desk.example.net"],
            context={"name": "Maria", "today": "2026-11-10", "since": "2026-11-09"},
        )
    return order


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_lists_each_email_with_to_subject_when_and_state(sent, admin_user):
    response = _as(admin_user).get(SENT_MAIL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Sent mail" in html
    assert f"Action needed: your port order {sent.pon} was rejected" in html
    assert f"Your numbers have ported: port order {sent.pon} is complete" in html
    assert sent.notification_email in html
    assert "maria@porting-desk.example.net" in html and "waiting" in html
    assert html.count(">sent<") >= 3
    for secret in (KNOWN_PIN, KNOWN_ACCOUNT):
        assert secret not in html


def test_it_shows_one_email_as_its_recipient_reads_it(sent, admin_user):
    row = OutboundEmail.objects.get(order=sent, kind=emails.FOC)
    response = _as(admin_user).get(reverse("admin:orders_outboundemail_change", args=[row.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Your port order {sent.pon} is confirmed for" in html
    assert '<pre class="sent-mail-text">' in html
    assert sent.masked_account_number in html  # the masked tail, as in the email
    for secret in (KNOWN_PIN, KNOWN_ACCOUNT):
        assert secret not in html


def test_it_is_for_admins_only(sent, alice, maria):
    for user in (alice, maria):
        response = _as(user).get(SENT_MAIL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_the_admin_pages_link_it(sent, admin_user):
    html = _as(admin_user).get(reverse("admin:index")).content.decode()
    assert f'href="{SENT_MAIL}"' in html
