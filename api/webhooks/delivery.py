"""The delivery job: POST each due delivery, signed; retry with backoff; give up after N.

A delivery is due while pending (never tried) or failed (retrying) and its `next_attempt_at`
has come (the partial index `webhook_delivery_due`). The job claims a small batch in a short
transaction (`SKIP LOCKED`, and `next_attempt_at` pushed past the attempt's timeout as a
lease, so another cluster leaves them alone), sends them outside any transaction (no row
lock is held across a network call), and writes each answer guarded by the attempt count it
claimed (a replay from the admin meanwhile wins). At least once: a worker killed between the
POST and its write sends that delivery again; `Webhook-Id` lets the receiver keep it once.

Backoff after the n-th failed attempt: BACKOFF_SECONDS * 2**(n-1), at most
BACKOFF_CAP_SECONDS; after MAX_ATTEMPTS failures the delivery is given up (the admin can
replay it).
"""

from __future__ import annotations

import datetime
import http.client
import logging
import time
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from api.models import WebhookDelivery
from api.webhooks import http as webhook_http
from api.webhooks.payload import event_body, signed_headers

log = logging.getLogger("api.webhooks")

State = WebhookDelivery.State
DUE_STATES = (State.PENDING, State.FAILED)
CLAIM = 20
# A run claims new batches for this long, then leaves the rest to the next run (a minute
# later), so one slow receiver cannot keep a worker past its timeout.
RUN_SECONDS = 60

Sender = Callable[..., webhook_http.Answer]


def backoff(attempts: int) -> datetime.timedelta:
    """How long after its `attempts`-th failed attempt a delivery is tried again."""
    conf = settings.WEBHOOKS
    seconds = conf["BACKOFF_SECONDS"] * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, conf["BACKOFF_CAP_SECONDS"]))


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WEBHOOKS["TIMEOUT_SECONDS"] * 2 + 60)


def _claim(now: datetime.datetime) -> list[int]:
    with transaction.atomic():
        ids = list(
            WebhookDelivery.objects.filter(status__in=DUE_STATES, next_attempt_at__lte=now)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)[:CLAIM]
        )
        if ids:
            WebhookDelivery.objects.filter(pk__in=ids).update(next_attempt_at=now + _lease())
    return ids


def _claimed(ids: list[int]):
    return (
        WebhookDelivery.objects.filter(pk__in=ids)
        .select_related("subscription", "event__order")
        .only(
            "id",
            "attempts",
            "subscription__id",
            "subscription__url",
            "subscription__secret",
            "event__id",
            "event__kind",
            "event__data",
            "event__created_at",
            "event__order__id",
            "event__order__pon",
            "event__order__status",
            "event__order__direction",
        )
        .order_by("id")
    )


def _outcome(delivery: WebhookDelivery, send: Sender) -> dict:
    """One attempt: POST it and say what came back (never raises for the receiver's sake)."""
    body = event_body(delivery.event)
    headers = signed_headers(
        event_id=delivery.event_id, secret=delivery.subscription.secret, body=body
    )
    try:
        answer = send(delivery.subscription.url, body, headers)
    except webhook_http.WebhookRefused as exc:
        return {"status": None, "body": "", "error": str(exc)}
    except (OSError, http.client.HTTPException) as exc:
        return {"status": None, "body": "", "error": f"{type(exc).__name__}: {exc}"}
    return {"status": answer.status, "body": answer.body, "error": ""}


def attempt(delivery: WebhookDelivery, *, now: datetime.datetime, send: Sender) -> str:
    """Send one claimed delivery and record the answer; returns its new state."""
    result = _outcome(delivery, send)
    attempts = delivery.attempts + 1
    ok = result["status"] is not None and 200 <= result["status"] < 300
    fields = {
        "attempts": attempts,
        "last_attempt_at": now,
        "last_response_status": result["status"],
        "last_response_body": result["body"][:500],
        "last_error": result["error"][:300]
        or ("" if ok else f"The receiver answered {result['status']}."),
    }
    if ok:
        fields.update(status=State.DELIVERED, delivered_at=now, next_attempt_at=None)
    elif attempts >= settings.WEBHOOKS["MAX_ATTEMPTS"]:
        fields.update(status=State.GIVEN_UP, next_attempt_at=None)
    else:
        fields.update(status=State.FAILED, next_attempt_at=now + backoff(attempts))
    # Guarded by the attempt count claimed: a replay meanwhile (attempts back to 0) wins.
    written = WebhookDelivery.objects.filter(
        pk=delivery.pk, attempts=delivery.attempts, status__in=DUE_STATES
    ).update(**fields)
    log.log(
        logging.INFO if ok else logging.WARNING,
        "webhook delivery %s (event %s, subscription %s) attempt %s: %s%s",
        delivery.pk,
        delivery.event_id,
        delivery.subscription_id,
        attempts,
        fields["status"],
        f" ({fields['last_error']})" if fields["last_error"] else "",
    )
    return fields["status"] if written else "superseded"


def webhooks_deliver(
    *, now: datetime.datetime | None = None, send: Sender | None = None, run_seconds=None
) -> dict:
    """Send every due delivery (claimed a batch at a time); returns the counts by outcome."""
    now = now or timezone.now()
    send = send or webhook_http.post
    deadline = time.monotonic() + (RUN_SECONDS if run_seconds is None else run_seconds)
    counts: Counter = Counter({State.DELIVERED.value: 0, State.FAILED.value: 0})
    while time.monotonic() < deadline:
        ids = _claim(now)
        if not ids:
            break
        for delivery in _claimed(ids):
            counts[attempt(delivery, now=now, send=send)] += 1
    return dict(counts)


def deliveries_replay(*, ids, by=None, now: datetime.datetime | None = None) -> int:
    """Send the deliveries again, whatever their state (a receiver lost one, or it was given
    up): each is due now, with a fresh set of attempts. The receiver sees the same
    `Webhook-Id` and keeps one copy. Returns how many are queued."""
    now = now or timezone.now()
    ids = sorted(ids)
    with transaction.atomic():
        queued = WebhookDelivery.objects.filter(pk__in=ids).update(
            status=State.PENDING,
            attempts=0,
            next_attempt_at=now,
            replays=F("replays") + 1,
            last_error=f"Replayed by {getattr(by, 'username', None) or 'the desk'}.",
        )
        log.info("webhook deliveries replayed by %s: %s", by, ids)
        transaction.on_commit(_kick)
    return queued


def _kick() -> None:
    """Ask the worker to send now rather than at the next scheduled run."""
    from django_q.tasks import async_task

    async_task("api.tasks.webhooks_deliver")
