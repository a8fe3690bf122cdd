"""The email outbox (orders.models.OutboundEmail): the one way the portal owes an email.

A service that owes someone an email calls `queue(kind, order=..., recipients=...,
context=...)` (or `queue_many` for a job's batch) inside its own transaction: the row exists
exactly when the change does. Delivery is separate, and renders each row through
`orders.emails` (what each kind says):
- a desk action's rows are delivered right after its commit (on_commit), so the customer is
  told within the request;
- a scheduled job's rows go to one `orders.tasks.outbox_deliver` task after each batch
  (`on_worker=True`: rendering and building the MIME message cost ~3-7 ms an email);
- the `outbox-deliver` schedule runs every minute and sends whatever is still unsent (a
  worker killed after the commit, an SMTP outage).

Each pass claims a batch with `select_for_update(skip_locked=True)`, sends it on one
connection and marks it sent in the same transaction, so two workers never send the same
row. A worker killed between the SMTP send and the commit sends that batch again on the
next pass: delivery is at least once, never lost (the desk prefers a repeated notice to a
customer who was never told). A failed send is retried on later passes; after
MAX_ATTEMPTS the row is given up and the order gets a comment telling the desk to contact
the customer another way.
"""

import logging
import time
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from orders import emails
from orders.models import Comment, OutboundEmail, PortOrder
from orders.services.orders import unsaved_system_comment

logger = logging.getLogger("orders.outbox")

BATCH_SIZE = 200
MAX_ATTEMPTS = 5
DELIVER_SECONDS = 120


# --- queueing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Owed:
    """One email of a `queue_many` call: its order (None: about no order, the digest), its
    recipients (empty: the order's customer email at send time) and its plain-data context."""

    order_id: int | None
    recipients: Sequence[str] = ()
    context: dict = field(default_factory=dict)


def queue(kind: str, *, order=None, recipients=(), context=None, now=None) -> int:
    """Owe one email (`kind`: one of orders.emails' kinds): an outbox row written in the
    current transaction and delivered as soon as it commits, so a desk action's customer is
    told within the request. `context` is plain data, never a PIN or an account number."""
    owed = Owed(order.pk if order is not None else None, recipients, context or {})
    (pk,) = queue_many(kind, [owed], now=now)
    return pk


def queue_many(kind: str, owed: Iterable[Owed], *, now=None, on_worker: bool = False) -> list[int]:
    """Owe many emails of one kind with one INSERT; return the rows' ids.

    Delivered once the current transaction commits: right then by default, or, with
    `on_worker`, by one `orders.tasks.outbox_deliver` task, so a job never waits for SMTP
    (rendering and building the MIME message cost ~3-7 ms an email).
    """
    created_at = now or timezone.now()
    rows = OutboundEmail.objects.bulk_create(
        OutboundEmail(
            kind=kind,
            order_id=item.order_id,
            recipients=list(item.recipients),
            context=item.context,
            created_at=created_at,
        )
        for item in owed
    )
    ids = [row.pk for row in rows]
    if not ids:
        return ids
    if on_worker:
        _deliver_on_worker()
    else:
        transaction.on_commit(lambda: deliver(ids), robust=True)
    return ids


def _deliver_on_worker() -> None:
    """Hand the unsent rows to a worker once the current transaction (if any) commits."""
    from django_q.tasks import async_task

    transaction.on_commit(
        lambda: async_task("orders.tasks.outbox_deliver", task_name="outbox-deliver-after-job"),
        robust=True,
    )


def _message(kind: str, composed: emails.Composed) -> tuple[str, EmailMultiAlternatives]:
    subject, text, html = emails.render_email(kind, composed.context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=composed.to)
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in composed.attachments:
        message.attach(filename, content, mimetype)
    return subject, message


# --- delivering -----------------------------------------------------------------------------


def deliver(ids: Collection[int] | None = None, *, now=None, max_seconds=DELIVER_SECONDS) -> dict:
    """Send unsent outbox rows (those in `ids`, or all), in batches; return counts.

    Stops starting new batches after `max_seconds`, far inside the django-q2 task timeout: a
    task killed by the timeout mid-batch would send that batch twice. What is left goes with
    the other delivery tasks the job queued, or the next minute's pass.
    """
    counter: Counter = Counter()
    after = 0
    wanted = sorted(set(ids)) if ids is not None else None
    started = time.monotonic()
    while time.monotonic() - started < max_seconds:
        with transaction.atomic():
            claim = OutboundEmail.objects.select_for_update(skip_locked=True).filter(
                sent_at__isnull=True, gave_up_at__isnull=True, pk__gt=after
            )
            if wanted is not None:
                claim = claim.filter(pk__in=wanted)
            batch = list(claim.order_by("pk")[:BATCH_SIZE])
            if not batch:
                break
            after = batch[-1].pk
            counter.update(_deliver_batch(batch, now=now or timezone.now()))
    return {key: counter.get(key, 0) for key in ("sent", "failed", "gave_up")} | dict(counter)


def _deliver_batch(batch: list[OutboundEmail], *, now) -> Counter:
    order_ids = {row.order_id for row in batch if row.order_id}
    orders = PortOrder.objects.select_related("losing_carrier", "new_carrier").in_bulk(order_ids)
    # One query per list the batch's emails show (the customer emails' numbers, the R11
    # notices' cancel records), not one per email.
    for related in sorted(set(emails.LISTS.values())):
        listing = {
            r.order_id: orders[r.order_id] for r in batch if emails.LISTS.get(r.kind) == related
        }
        prefetch_related_objects(list(listing.values()), related)

    counter: Counter = Counter()
    comments: list[Comment] = []
    sent: list[int] = []
    connection = mailers.default
    with connection:
        for row in batch:
            order = orders.get(row.order_id)
            composed = emails.compose(row, order)
            if not composed.to:
                row.gave_up_at = now
                row.last_error = "no recipient"
                row.save(update_fields=["gave_up_at", "last_error"])
                if composed.label:
                    comments.append(
                        unsaved_system_comment(
                            order.pk,
                            f"No {composed.label} email sent: the order has no customer email.",
                            now,
                        )
                    )
                counter["no_recipient"] += 1
                continue
            try:
                subject, message = _message(row.kind, composed)
                connection.send_messages([message])
            except Exception as exc:
                counter.update(_failed(row, order, composed, exc, now, comments))
                continue
            sent.append(row.pk)
            counter["sent"] += 1
            if composed.customer:
                comments.append(
                    unsaved_system_comment(
                        order.pk,
                        f"Emailed the customer ({', '.join(composed.to)}) the {composed.label}: "
                        f"“{subject}”.",
                        now,
                    )
                )
    OutboundEmail.objects.filter(pk__in=sent).update(sent_at=now)
    Comment.objects.bulk_create(comments)
    return counter


def _failed(row, order, composed, exc, now, comments) -> Counter:
    row.attempts += 1
    row.last_error = f"{type(exc).__name__}: {exc}"[:300]
    fields = ["attempts", "last_error"]
    logger.exception(
        "Sending outbox email %s (%s, order %s) failed, attempt %s of %s.",
        row.pk,
        row.kind,
        row.order_id,
        row.attempts,
        MAX_ATTEMPTS,
    )
    what = (
        f"the {composed.label} email to {', '.join(composed.to)}"
        if composed.label
        else (f"the {row.kind.replace('_', ' ')} email to {', '.join(composed.to)}")
    )
    if row.attempts >= MAX_ATTEMPTS:
        row.gave_up_at = now
        fields.append("gave_up_at")
        if order is not None:
            comments.append(
                unsaved_system_comment(
                    order.pk,
                    f"Sending {what} FAILED {row.attempts} times; contact them another way.",
                    now,
                )
            )
        row.save(update_fields=fields)
        return Counter(gave_up=1, failed=1)
    if row.attempts == 1 and order is not None:
        comments.append(
            unsaved_system_comment(
                order.pk,
                f"Sending {what} failed ({row.last_error}); the portal tries again "
                f"(up to {MAX_ATTEMPTS} times).",
                now,
            )
        )
    row.save(update_fields=fields)
    return Counter(failed=1)
