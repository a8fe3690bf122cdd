"""Cancelling port-in orders: one from the desk or the customer, or many rejected ones at
once (F4's job). Once the LSR was sent, each cancel is a SUP 1 to the losing carrier.
"""

from django.db import transaction

from orders import emails
from orders.lifecycle import DomainError, transition, transition_many
from orders.models import Direction, PortOrder, Rejection, Supplement
from orders.services.orders import rejections_resolve
from orders.services.portin._common import (
    S,
    _local_today,
    _now,
    _refresh_status_check,
    _require_port_in,
)


def order_cancel(
    *,
    order: PortOrder,
    user=None,
    reason: str,
    actor_label: str = "",
    notify_customer: bool = True,
    expected_status: str | None = None,
    now=None,
) -> PortOrder:
    """Cancel a port-in order from any open state. Once the LSR was sent, the cancel goes to
    the losing carrier as a SUP 1. The customer is emailed (F4's auto-cancel included)."""
    now = _now(now)
    _require_port_in(order)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for cancelling the order.")
    with transaction.atomic():
        was = expected_status if expected_status is not None else order.status
        transition(
            order,
            S.CANCELLED,
            actor=user,
            actor_label=actor_label,
            reason=reason,
            now=now,
            expected_status=expected_status,
        )
        if was != S.DRAFT:
            Supplement.objects.create(
                order=order,
                sup_type=Supplement.Type.CANCEL,
                received_at=now,
                effective_received_on=_local_today(now),
                previous_foc_date=order.foc_date,
                explanation=reason[:300],
                remarks=reason,
                created_by=user if user is not None and user.is_authenticated else None,
            )
        rejections_resolve(order=order, now=now)
        if was == S.SUBMITTED:
            _refresh_status_check(order, now)
        if notify_customer:
            emails.queue_cancellation_email(order, reason=reason)
    return order


def rejected_orders_cancel_many(
    rows: list[dict], *, reasons: dict[int, str], actor_label: str, now=None
) -> list[int]:
    """`order_cancel` for many rejected port-in orders at once (F4's job), set-based.

    `rows` are locked by the caller (select_for_update in its transaction), each a dict with
    `pk` and `foc_date`. The same effects as `order_cancel` on a rejected order: one status
    move each with its history row, a SUP 1 to the losing carrier (the LSR was sent), open
    rejections resolved. The customer's email is the caller's (it words it for the job).
    """
    now = _now(now)
    ids = transition_many(
        [row["pk"] for row in rows],
        S.CANCELLED,
        direction=Direction.PORT_IN,
        from_status=S.REJECTED,
        actor_label=actor_label,
        reasons=reasons,
        now=now,
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
    return ids
