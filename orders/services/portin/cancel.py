"""Cancelling port-in orders: one from the desk or the customer, or many rejected ones at
once when F4's 45-day clock ran out (the daily job selects and locks them, this module
cancels them). Once the LSR was sent, each cancel is a SUP 1 to the losing carrier.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django_q.tasks import async_task

from orders import emails
from orders.lifecycle import DomainError, transition, transition_many
from orders.models import Comment, Direction, PortOrder, Rejection, Supplement
from orders.services import outbox
from orders.services.orders import rejections_resolve, unsaved_system_comment
from orders.services.portin._common import (
    S,
    _local_today,
    _now,
    _refresh_status_check,
    _require_port_in,
)
from orders.services.portin.documents import send_sup
from orders.services.portin.versions import (
    Reason,
    lsr_version_record,
    lsr_versions_record_cancels,
    next_version,
)


def _next_version(locked: PortOrder) -> None:
    locked.version = next_version(locked)["version"]


def order_cancel(
    *,
    order: PortOrder,
    by=None,
    reason: str,
    actor_label: str = "",
    notify_customer: bool = True,
    send_to: str = "",
    expected_status: str | None = None,
    now=None,
) -> PortOrder:
    """Cancel a port-in order from any open state. Once the LSR was sent, the cancel goes to
    the losing carrier as a SUP 1 document (`send_to`: the desk's address when the carrier
    has no LSR contact). The customer is emailed (F4's auto-cancel included)."""
    now = _now(now)
    _require_port_in(order)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for cancelling the order.")
    with transaction.atomic():
        was = expected_status if expected_status is not None else order.status
        sent = was != S.DRAFT
        transition(
            order,
            S.CANCELLED,
            actor=by,
            actor_label=actor_label,
            reason=reason,
            now=now,
            expected_status=expected_status,
            # A SUP 1 is a new version of the LSR, as every SUP is (VER+1).
            apply=_next_version if sent else None,
        )
        if sent:
            lsr_version_record(
                order=order, by=by, reason=Reason.SUP, sup_type=1, note=reason, now=now
            )
            Supplement.objects.create(
                order=order,
                sup_type=Supplement.Type.CANCEL,
                received_at=now,
                effective_received_on=_local_today(now),
                previous_foc_date=order.foc_date,
                explanation=reason[:300],
                remarks=reason,
                created_by=by if by is not None and by.is_authenticated else None,
            )
            send_sup(
                order,
                sup_type=Supplement.Type.CANCEL,
                remarks=reason,
                previous_foc_date=order.foc_date,
                by=by,
                send_to=send_to,
                now=now,
            )
        rejections_resolve(order=order, now=now)
        if was == S.SUBMITTED:
            _refresh_status_check(order, now)
        if notify_customer:
            outbox.queue(emails.CANCELLATION, order=order, context={"reason": reason})
    return order


# How F4's cancels are signed in the order history (the managers' digest counts them by it).
AUTO_CANCEL_ACTOR = "job:rejected_orders_auto_cancel"
# The columns of each locked order `rejected_orders_cancel_idle` reads.
AUTO_CANCEL_FIELDS = ("auto_cancel_on", "foc_date")


def rejected_orders_cancel_idle(*, rows: list[dict], now=None) -> list[int]:
    """F4: cancel rejected port-in orders whose 45-day clock ran out, set-based; return
    their ids.

    `rows` are rejected port-in orders due (`auto_cancel_on` today or earlier), locked by the
    caller (the F4 job's claim: select_for_update in its transaction, the due condition
    re-checked under the lock), each a dict with `pk` and AUTO_CANCEL_FIELDS. The same
    effects as `order_cancel` on a rejected order, a few statements for the whole batch: one
    status move each with its history row (signed AUTO_CANCEL_ACTOR), a SUP 1 to the losing
    carrier (the LSR was sent), open rejections resolved; then a system comment and the
    customer's cancellation email (outbox, sent by a worker after the commit), worded for
    the customer rather than by the rule. Given the same, now stale, rows again, the move
    raises `OrderChanged` and the caller's transaction writes nothing.
    """
    now = _now(now)
    days = settings.PORTING["REJECTED_AUTO_CANCEL_DAYS"]
    reasons = {
        row["pk"]: (
            f"F4: no activity for {days} days since the customer was last notified or "
            f"answered (auto-cancel date {row['auto_cancel_on']:%Y-%m-%d})."
        )
        for row in rows
    }
    ids = transition_many(
        [row["pk"] for row in rows],
        S.CANCELLED,
        direction=Direction.PORT_IN,
        from_status=S.REJECTED,
        actor_label=AUTO_CANCEL_ACTOR,
        reasons=reasons,
        now=now,
        # The SUP 1 is the LSR's next version (VER+1), as every SUP is.
        changes={"version": F("version") + 1},
    )
    lsr_versions_record_cancels(ids=ids, notes=reasons, now=now)
    # The SUP 1 documents to the losing carriers: built by a worker once this batch commits
    # (a PDF per order does not fit the job's few statements per batch).
    transaction.on_commit(
        lambda: async_task(
            "orders.tasks.auto_cancel_sup1_documents",
            list(ids),
            now.isoformat(),
            task_name="auto-cancel-sup1-documents",
        ),
        robust=True,
    )
    today = _local_today(now)
    Supplement.objects.bulk_create(
        Supplement(
            order_id=row["pk"],
            sup_type=Supplement.Type.CANCEL,
            received_at=now,
            effective_received_on=today,
            previous_foc_date=row["foc_date"],
            explanation=reasons[row["pk"]][:300],
            remarks=reasons[row["pk"]],
            created_by=None,
        )
        for row in rows
    )
    Rejection.objects.filter(order_id__in=ids, resolved_at__isnull=True).update(resolved_at=now)
    Comment.objects.bulk_create(
        unsaved_system_comment(
            pk, f"Cancelled automatically: {reasons[pk]} The customer is emailed.", now
        )
        for pk in ids
    )
    customer_reason = (
        f"there was no activity on it for {days} days after we told you it was rejected"
    )
    outbox.queue_many(
        emails.CANCELLATION,
        (outbox.Owed(pk, context={"reason": customer_reason}) for pk in ids),
        now=now,
        on_worker=True,
    )
    return ids
