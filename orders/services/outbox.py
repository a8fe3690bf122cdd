"""Delivering the email outbox (orders.models.OutboundEmail).

A change that owes someone an email writes an OutboundEmail row in its own transaction, so
the email exists exactly when the change does. Delivery is separate:
- a desk action delivers its own rows right after commit (`deliver([pk])`, on_commit), so
  the customer is told within the request, as before;
- a scheduled job queues one `orders.tasks.outbox_deliver` task after its batches (emails
  are the slow part of a job: rendering and building the MIME message cost ~3-7 ms each);
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
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from carriers.tn import format_tn
from orders import emails
from orders.models import Comment, OutboundEmail, PortOrder
from orders.services.orders import unsaved_system_comment

logger = logging.getLogger("orders.outbox")

BATCH_SIZE = 200
MAX_ATTEMPTS = 5
DELIVER_SECONDS = 120


# --- queueing -------------------------------------------------------------------------------


def outbound(kind: str, *, order=None, order_id=None, recipients=(), context=None, now=None):
    """An unsaved outbox row (for bulk_create by the jobs)."""
    return OutboundEmail(
        kind=kind,
        order_id=order.pk if order is not None else order_id,
        recipients=list(recipients),
        context=context or {},
        created_at=now or timezone.now(),
    )


def enqueue(kind: str, *, order=None, recipients=(), context=None, now=None) -> OutboundEmail:
    """Write one outbox row and deliver it as soon as the current transaction commits."""
    row = outbound(kind, order=order, recipients=recipients, context=context, now=now)
    row.save()
    pk = row.pk
    transaction.on_commit(lambda: deliver([pk]), robust=True)
    return row


def deliver_later() -> None:
    """Hand the unsent rows to a worker once the current transaction (if any) commits; the
    jobs call this after their batches, so the job itself never waits for SMTP."""
    from django_q.tasks import async_task

    transaction.on_commit(
        lambda: async_task("orders.tasks.outbox_deliver", task_name="outbox-deliver-after-job"),
        robust=True,
    )


# --- composing ------------------------------------------------------------------------------


@dataclass
class Composed:
    to: list[str]
    context: dict
    label: str = ""  # the notice's name in the order's comments ("" = no comment)
    customer: bool = False


def _customer_email(row: OutboundEmail, order: PortOrder) -> Composed:
    to = list(row.recipients) or ([order.notification_email] if order.notification_email else [])
    return Composed(
        to=to,
        context={**emails.base_context(order), **row.context},
        label=emails.LABELS[row.kind],
        customer=True,
    )


def _port_window_notice(row: OutboundEmail, order: PortOrder) -> Composed:
    # The TNs are the cancel records the job made for this order: the notice lists exactly
    # what NPAC is asked to cancel.
    tns = sorted({record.tn for record in order.npac_cancels.all()})  # prefetched per batch
    return Composed(
        to=list(row.recipients),
        context={
            "pon": order.pon,
            "version": order.version,
            "requesting_carrier": order.new_carrier.name,
            "our_carrier": order.losing_carrier.name,
            "foc_date": order.foc_date,
            "window_business_days": order.losing_carrier.port_window_business_days,
            "port_window_ends_on": order.port_window_ends_on,
            "tns": [format_tn(tn) for tn in tns],
            "tn_count": len(tns),
        },
    )


def _holder_notice(row: OutboundEmail, order: PortOrder) -> Composed:
    # R19: everything was fixed at intake (plain data, no account number, no PIN).
    return Composed(
        to=list(row.recipients),
        context=dict(row.context),
        label="port-out request notice",
        customer=True,
    )


COMPOSERS: dict[str, Callable[[OutboundEmail, PortOrder], Composed]] = {
    emails.REJECTION: _customer_email,
    emails.FOC: _customer_email,
    emails.COMPLETION: _customer_email,
    emails.CANCELLATION: _customer_email,
    emails.PORT_WINDOW_EXPIRED: _port_window_notice,
    emails.PORT_OUT_NOTICE: _holder_notice,
}


def _message(kind: str, composed: Composed) -> tuple[str, EmailMultiAlternatives]:
    subject, text, html = emails.render_email(kind, composed.context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=composed.to)
    message.attach_alternative(html, "text/html")
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
    # One query each for the customer emails' numbers and the R11 notices' cancel records
    # (their contexts list the TNs), not one per email.
    for kinds, related in (
        (emails.LABELS, "numbers"),
        ({emails.PORT_WINDOW_EXPIRED}, "npac_cancels"),
    ):
        wanted = {r.order_id: orders[r.order_id] for r in batch if r.kind in kinds}
        prefetch_related_objects(list(wanted.values()), related)

    counter: Counter = Counter()
    comments: list[Comment] = []
    sent: list[int] = []
    connection = mailers.default
    with connection:
        for row in batch:
            order = orders.get(row.order_id)
            composed = COMPOSERS[row.kind](row, order)
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
