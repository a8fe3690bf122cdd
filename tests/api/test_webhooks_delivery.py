"""Webhooks end to end: order events fanned out to the subscriptions that may see them, POSTed
signed to a real receiver on 127.0.0.1, retried with backoff after a failure (the receiver
keeps each event once), given up after N attempts; no PIN or account number in a payload."""

import datetime
import json

import pytest
from django.utils import timezone

from api.models import PartnerOrder, WebhookDelivery, WebhookFanOut, WebhookSubscription
from api.webhooks import delivery, fanout
from api.webhooks.delivery import backoff
from orders import events
from orders.models import OrderEvent
from orders.services import portin
from tests.factories import PortOrderFactory, PortOutOrderFactory

pytestmark = pytest.mark.django_db
K = OrderEvent.Kind
State = WebhookDelivery.State
ALL = list(K.values)


def subscribe(partner, url, kinds=ALL, **fields) -> WebhookSubscription:
    return WebhookSubscription.objects.create(partner=partner, url=url, event_types=kinds, **fields)


def later(seconds=0) -> datetime.datetime:
    """A "now" past the fan-out's settle window, plus `seconds`."""
    return timezone.now() + datetime.timedelta(seconds=3600 + seconds)


@pytest.fixture
def crm_order(crm):
    order = PortOrderFactory()
    PartnerOrder.objects.create(partner=crm, order=order)
    return order


@pytest.fixture
def hooked(crm, receiver):
    sub = subscribe(crm, receiver.url)
    receiver.secret = sub.secret
    return sub


# --- the fan-out -------------------------------------------------------------------------------


def test_an_event_is_owed_to_each_matching_subscription_once(crm, crm_order, hooked):
    foc_only = subscribe(crm, "https://crm.example/foc", [K.FOC_SET])
    status = events.record(crm_order, K.STATUS_CHANGED, **{"from": "draft", "to": "submitted"})
    foc = events.record(crm_order, K.FOC_SET, foc_date="2026-12-10")
    assert fanout.webhooks_fan_out(now=later()) == {"events": 2, "matched": 3}
    owed = set(WebhookDelivery.objects.values_list("subscription_id", "event_id"))
    assert owed == {(hooked.pk, status.pk), (hooked.pk, foc.pk), (foc_only.pk, foc.pk)}
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {State.PENDING}


def test_the_fan_out_run_twice_owes_nothing_more(crm_order, hooked):
    events.record(crm_order, K.FOC_SET, foc_date="2026-12-10")
    fanout.webhooks_fan_out(now=later())
    fanout.webhooks_fan_out(now=later())
    assert WebhookDelivery.objects.count() == 1


def test_a_partner_gets_no_event_of_an_order_it_may_not_see(
    crm, other_system, wireless, requester, hooked
):
    theirs = PortOrderFactory()
    PartnerOrder.objects.create(partner=other_system, order=theirs)
    lsr = PortOutOrderFactory(new_carrier=requester)
    wireless_hook = subscribe(wireless, "https://wireless.example/hook")
    events.record(theirs, K.FOC_SET, foc_date="2026-12-10")
    lsr_event = events.record(lsr, K.LSR_RECEIVED, pon=lsr.pon)
    fanout.webhooks_fan_out(now=later())
    owed = list(WebhookDelivery.objects.values_list("subscription_id", "event_id"))
    assert owed == [(wireless_hook.pk, lsr_event.pk)]


def test_inactive_subscriptions_and_partners_are_owed_nothing(crm, crm_order, hooked):
    hooked.active = False
    hooked.save()
    events.record(crm_order, K.FOC_SET, foc_date="2026-12-10")
    fanout.webhooks_fan_out(now=later())
    hooked.active = True
    hooked.save()
    crm.active = False
    crm.save()
    events.record(crm_order, K.FOC_SET, foc_date="2026-12-11")
    fanout.webhooks_fan_out(now=later())
    assert not WebhookDelivery.objects.exists()


def test_a_new_subscription_gets_only_events_recorded_after_it(crm, crm_order):
    events.record(crm_order, K.FOC_SET, foc_date="2026-12-10")
    sub = subscribe(crm, "https://crm.example/hook")
    after = events.record(crm_order, K.FOC_SET, foc_date="2026-12-11")
    fanout.webhooks_fan_out(now=later())
    assert list(WebhookDelivery.objects.values_list("subscription_id", "event_id")) == [
        (sub.pk, after.pk)
    ]


def test_the_mark_stops_short_of_events_young_enough_to_have_an_earlier_one_still_uncommitted(
    crm_order, hooked
):
    event = events.record(crm_order, K.FOC_SET, foc_date="2026-12-10")
    fanout.webhooks_fan_out(now=event.created_at)  # young: owed, but looked at again later
    assert WebhookFanOut.objects.get(pk=1).last_event_id < event.pk
    assert WebhookDelivery.objects.count() == 1
    fanout.webhooks_fan_out(now=later())
    assert WebhookFanOut.objects.get(pk=1).last_event_id == event.pk
    assert WebhookDelivery.objects.count() == 1


# --- delivery, retries, backoff ----------------------------------------------------------------


def test_a_receiver_verifies_the_signature_and_keeps_each_event_once_after_a_failed_attempt(
    crm, receiver, hooked, desk, make_portin, alice
):
    order = make_portin("5035550101", spid=desk.rural_spid)
    PartnerOrder.objects.create(partner=crm, order=order)
    portin.order_submit(order=order, by=alice)  # -> status_changed
    event = OrderEvent.objects.get(order=order)
    fanout.webhooks_fan_out(now=later())

    receiver.answer(500)
    t0 = later()
    assert delivery.webhooks_deliver(now=t0) == {"delivered": 0, "failed": 1}
    row = WebhookDelivery.objects.get()
    assert (row.status, row.attempts, row.last_response_status) == (State.FAILED, 1, 500)
    assert row.last_response_body == "receiver says no"
    assert row.next_attempt_at == t0 + datetime.timedelta(seconds=60)

    assert delivery.webhooks_deliver(now=t0 + datetime.timedelta(seconds=59)) == {
        "delivered": 0,
        "failed": 0,
    }
    assert len(receiver.requests) == 1
    t1 = t0 + datetime.timedelta(seconds=60)
    assert delivery.webhooks_deliver(now=t1)["delivered"] == 1
    assert delivery.webhooks_deliver(now=later(7200))["delivered"] == 0  # nothing left

    assert [r.answered for r in receiver.requests] == [500, 204]
    assert all(r.verified for r in receiver.requests)
    assert {r.headers["Webhook-Id"] for r in receiver.requests} == {str(event.pk)}
    assert list(receiver.kept) == [str(event.pk)]  # once, although sent twice
    row.refresh_from_db()
    assert (row.status, row.attempts, row.delivered_at) == (State.DELIVERED, 2, t1)
    assert row.next_attempt_at is None and row.last_response_status == 204


def test_the_payload_is_the_event_and_the_order_in_four_fields(crm_order, receiver, hooked):
    event = events.record(crm_order, K.FOC_SET, foc_date="2026-12-10")
    fanout.webhooks_fan_out(now=later())
    delivery.webhooks_deliver(now=later())
    (request,) = receiver.requests
    assert request.path == "/hooks/porting"
    assert request.headers["Content-Type"] == "application/json"
    assert request.json == {
        "id": event.pk,
        "type": "foc_set",
        "created_at": event.created_at.isoformat(),
        "order": {
            "id": crm_order.pk,
            "pon": crm_order.pon,
            "status": crm_order.status,
            "direction": "in",
        },
        "data": {"foc_date": "2026-12-10"},
    }
    signature = request.headers["Webhook-Signature"]
    assert signature.startswith("v1=") and len(signature) == 3 + 64


def test_no_payload_carries_the_pin_or_the_account_number(
    crm, receiver, hooked, desk, make_portin, alice
):
    order = make_portin("5035550101", spid=desk.rural_spid)  # PIN 4321, ACCT-99887766
    PartnerOrder.objects.create(partner=crm, order=order)
    portin.order_submit(order=order, by=alice)
    portin.lsp_reject_record(order=order, by=alice, reason_codes=["ACCT"], text="PIN 4321?")
    fanout.webhooks_fan_out(now=later())
    delivery.webhooks_deliver(now=later())
    assert len(receiver.requests) == 3  # submitted, exception, rejected
    for request in receiver.requests:
        assert b"4321" not in request.body and b"99887766" not in request.body


def test_the_backoff_doubles_up_to_its_cap(settings):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "BACKOFF_SECONDS": 60, "BACKOFF_CAP_SECONDS": 3600}
    assert [backoff(n).total_seconds() for n in range(1, 9)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


def test_a_delivery_is_given_up_after_the_last_attempt(crm_order, receiver, hooked, settings):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "MAX_ATTEMPTS": 3}
    events.record(crm_order, K.FOC_SET, foc_date="2026-12-10")
    fanout.webhooks_fan_out(now=later())
    receiver.answer(503, 503, 503, 503)
    now = later()
    for wait in (0, 60, 120):  # the first attempt, then the backoff's 1 and 2 minutes
        now += datetime.timedelta(seconds=wait)
        delivery.webhooks_deliver(now=now)
    row = WebhookDelivery.objects.get()
    assert (row.status, row.attempts, row.next_attempt_at) == (State.GIVEN_UP, 3, None)
    delivery.webhooks_deliver(now=now + datetime.timedelta(days=1))
    assert len(receiver.requests) == 3 and receiver.kept == {}


def test_a_redirect_is_a_failed_attempt_not_followed(crm_order, receiver, hooked):
    events.record(crm_order, K.FOC_SET, foc_date="2026-12-10")
    fanout.webhooks_fan_out(now=later())
    receiver.answer(302)
    delivery.webhooks_deliver(now=later())
    row = WebhookDelivery.objects.get()
    assert (row.status, row.last_response_status) == (State.FAILED, 302)
    assert len(receiver.requests) == 1


def test_a_receiver_that_is_down_is_retried(crm, crm_order):
    sub = subscribe(crm, "http://127.0.0.1:9/nobody-listens")
    events.record(crm_order, K.FOC_SET, foc_date="2026-12-10")
    fanout.webhooks_fan_out(now=later())
    delivery.webhooks_deliver(now=later())
    row = WebhookDelivery.objects.get(subscription=sub)
    assert row.status == State.FAILED and row.last_response_status is None
    assert "ConnectionRefusedError" in row.last_error


def test_a_private_address_is_refused_when_not_allowed(crm, crm_order, receiver, settings):
    sub = subscribe(crm, receiver.url)
    events.record(crm_order, K.FOC_SET, foc_date="2026-12-10")
    fanout.webhooks_fan_out(now=later())
    settings.WEBHOOKS = {**settings.WEBHOOKS, "ALLOW_PRIVATE_ADDRESSES": False}
    delivery.webhooks_deliver(now=later())
    row = WebhookDelivery.objects.get(subscription=sub)
    assert row.status == State.FAILED and "not a public address" in row.last_error
    assert receiver.requests == []


def test_the_webhook_tasks_are_scheduled_and_run_by_name(crm_order, hooked, receiver):
    from django.core.management import call_command
    from django_q.models import Schedule
    from django_q.tasks import async_task

    call_command("setup_schedules", verbosity=0)
    funcs = dict(Schedule.objects.values_list("name", "func"))
    assert funcs["webhooks-fan-out"] == "api.tasks.webhooks_fan_out"
    assert funcs["webhooks-deliver"] == "api.tasks.webhooks_deliver"
    events.record(crm_order, K.FOC_SET, foc_date="2026-12-10")
    async_task("api.tasks.webhooks_fan_out")  # sync in tests; the event is still young
    async_task("api.tasks.webhooks_deliver")
    assert [json.loads(r.body)["type"] for r in receiver.requests] == ["foc_set"]
