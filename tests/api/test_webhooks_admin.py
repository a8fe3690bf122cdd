"""Webhooks in the admin: a subscription is made there (its secret shown once), a URL the
worker may not call is refused, deliveries are listed with their last answer, and "Replay"
sends a delivery again (the receiver sees the same Webhook-Id and keeps it once)."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from api.models import PartnerOrder, WebhookDelivery, WebhookSubscription
from api.webhooks import delivery, fanout
from orders import events
from orders.models import OrderEvent
from tests.factories import PortOrderFactory

pytestmark = pytest.mark.django_db
K = OrderEvent.Kind
State = WebhookDelivery.State
ADD = "/admin/api/webhooksubscription/add/"
SUBSCRIPTIONS = "/admin/api/webhooksubscription/"
DELIVERIES = "/admin/api/webhookdelivery/"


def later():
    return timezone.now() + datetime.timedelta(hours=1)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def add(client, partner, url, kinds=(K.FOC_SET, K.REJECTED)):
    return client.post(
        ADD,
        {"partner": partner.pk, "url": url, "event_types": list(kinds), "active": "on"},
        follow=True,
    )


def test_a_subscription_is_made_in_the_admin_and_its_secret_shown_once(admin_client_, crm):
    response = add(admin_client_, crm, "https://crm.example/hooks")
    sub = WebhookSubscription.objects.get()
    assert sub.event_types == ["foc_set", "rejected"] and sub.active
    assert re.fullmatch(r"whsec_[\w-]{43}", sub.secret)
    shown = [m for m in messages_of(response) if sub.secret in m]
    assert len(shown) == 1 and "not shown again" in shown[0]
    assert sub.secret not in admin_client_.get(f"{SUBSCRIPTIONS}{sub.pk}/change/").text
    assert sub.secret not in admin_client_.get(SUBSCRIPTIONS).text


def test_the_secret_is_encrypted_at_rest(admin_client_, crm):
    from django.db import connection

    add(admin_client_, crm, "https://crm.example/hooks")
    sub = WebhookSubscription.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM api_webhooksubscription")
        (stored,) = cursor.fetchone()
    assert stored != sub.secret and sub.secret not in stored


@pytest.mark.parametrize(
    "url, problem",
    [
        ("ftp://crm.example/hooks", "starts with https://"),
        ("https://user:pw@crm.example/hooks", "user name or password"),
        ("http://127.0.0.1:8000/hooks", "not a public address"),
        ("http://10.1.2.3/hooks", "not a public address"),
        ("http://[::ffff:192.168.0.1]/hooks", "not a public address"),
    ],
)
def test_a_url_the_worker_may_not_call_is_refused(admin_client_, crm, settings, url, problem):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "ALLOW_PRIVATE_ADDRESSES": False}
    response = add(admin_client_, crm, url)
    assert problem in response.text
    assert not WebhookSubscription.objects.exists()


def test_rotating_the_secret_shows_the_new_one_once(admin_client_, crm):
    add(admin_client_, crm, "https://crm.example/hooks")
    old = WebhookSubscription.objects.get().secret
    response = admin_client_.post(
        SUBSCRIPTIONS,
        {"action": "rotate_secrets", "_selected_action": [WebhookSubscription.objects.get().pk]},
        follow=True,
    )
    sub = WebhookSubscription.objects.get()
    assert sub.secret != old and sub.secret_rotated_at is not None
    assert any(sub.secret in m for m in messages_of(response))


def test_desk_staff_cannot_see_webhooks(alice_client):
    assert alice_client.get(SUBSCRIPTIONS).status_code in (302, 403)
    assert alice_client.get(DELIVERIES).status_code in (302, 403)


@pytest.fixture
def given_up(crm, receiver, settings):
    """A delivery the receiver refused until the portal gave up."""
    settings.WEBHOOKS = {**settings.WEBHOOKS, "MAX_ATTEMPTS": 1}
    order = PortOrderFactory()
    PartnerOrder.objects.create(partner=crm, order=order)
    sub = WebhookSubscription.objects.create(partner=crm, url=receiver.url, event_types=[K.FOC_SET])
    receiver.secret = sub.secret
    events.record(order, K.FOC_SET, foc_date="2026-12-10")
    fanout.webhooks_fan_out(now=later())
    receiver.answer(500)
    delivery.webhooks_deliver(now=later())
    row = WebhookDelivery.objects.get()
    assert row.status == State.GIVEN_UP
    return row


def test_deliveries_are_listed_with_their_last_answer(admin_client_, given_up):
    listing = admin_client_.get(DELIVERIES)
    assert listing.status_code == 200 and "Given up" in listing.text
    page = admin_client_.get(f"{DELIVERIES}{given_up.pk}/change/").text
    assert "receiver says no" in page and "500" in page


def test_replay_from_the_admin_sends_it_again_and_the_receiver_keeps_it_once(
    admin_client_, given_up, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            DELIVERIES, {"action": "replay", "_selected_action": [given_up.pk]}, follow=True
        )
    assert any("queued to be sent again" in m for m in messages_of(response))
    given_up.refresh_from_db()
    # The replay's kick ran the delivery job at once (django-q2 is synchronous in tests).
    assert (given_up.status, given_up.attempts, given_up.replays) == (State.DELIVERED, 1, 1)
    assert [r.answered for r in receiver.requests] == [500, 204]
    assert len({r.headers["Webhook-Id"] for r in receiver.requests}) == 1
    assert len(receiver.kept) == 1


def test_a_delivered_event_replayed_reaches_the_receiver_with_the_same_id(
    admin_client_, given_up, receiver
):
    delivery.deliveries_replay(ids=[given_up.pk], by=None, now=later())
    delivery.webhooks_deliver(now=later())
    delivery.deliveries_replay(ids=[given_up.pk], by=None, now=later())
    delivery.webhooks_deliver(now=later())
    assert [r.answered for r in receiver.requests] == [500, 204, 204]
    assert len(receiver.kept) == 1
