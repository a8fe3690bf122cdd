"""The end of an accepted port: TNs activated in NPAC, then the order completed and the
customer emailed.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from orders import emails
from orders.lifecycle import DomainError, touch, transition
from orders.models import OrderNumber, PortOrder
from orders.services import outbox
from orders.services.inventory import inventory_follow
from orders.services.orders import system_comment
from orders.services.portin._common import (
    S,
    _local_today,
    _lock,
    _now,
    _require_port_in,
    _sync,
)

# Completing a port before its FOC date is a manager's call (the losing carrier committed to
# that date; porting earlier can cut the customer's service off).
COMPLETE_EARLY_PERM = "orders.complete_before_foc"


def may_complete_early(user) -> bool:
    return user is not None and user.has_perm(COMPLETE_EARLY_PERM)


def completes_early(order: PortOrder, *, now=None) -> bool:
    """True when completing the order now would be before its FOC date."""
    return order.foc_date is not None and _local_today(_now(now)) < order.foc_date


def _require_completion_allowed(order: PortOrder, by, now) -> None:
    if completes_early(order, now=now) and not may_complete_early(by):
        raise PermissionDenied(
            f"The FOC date is {order.foc_date:%Y-%m-%d}: completing before it is a manager's call."
        )


def numbers_activate(
    *,
    order: PortOrder,
    by,
    tns: Iterable[str] | None = None,
    expected_status: str | None = None,
    now=None,
) -> int:
    """Mark TNs activated in NPAC (all the order's TNs when `tns` is None).

    When every TN to port is active the order is complete (completion email). Returns how
    many TNs were newly activated.
    """
    now = _now(now)
    _require_port_in(order)
    with transaction.atomic():
        locked = _lock(order, expected_status)
        if locked.status != S.ACCEPTED:
            raise DomainError(
                f"TNs are activated on an accepted (FOC'd) order, not a "
                f"{locked.get_status_display()} one."
            )
        numbers = OrderNumber.objects.filter(order=locked, disposition=OrderNumber.Disposition.PORT)
        if tns is not None:
            wanted = set(tns)
            if not wanted:
                raise DomainError("Choose the TNs that were activated.")
            unknown = wanted - set(numbers.filter(tn__in=wanted).values_list("tn", flat=True))
            if unknown:
                raise DomainError(f"Not on this order: {', '.join(sorted(unknown))}.")
            numbers = numbers.filter(tn__in=wanted)
        count = numbers.filter(activated_at__isnull=True).update(
            activated_at=now, npac_status=OrderNumber.NpacStatus.ACTIVE
        )
        touch(locked, now=now)
        _sync(order, locked)
        remaining = OrderNumber.objects.filter(
            order=locked, disposition=OrderNumber.Disposition.PORT, activated_at__isnull=True
        ).exists()
        if count:
            system_comment(order, f"{count} TN(s) activated in NPAC.", now=now, by=by)
        if not remaining:
            _complete(order, by=by, now=now)
    return count


def _complete(order: PortOrder, *, by, now) -> None:
    _require_completion_allowed(order, by, now)
    transition(
        order,
        S.COMPLETED,
        actor=by,
        reason="Every TN activated: port complete.",
        now=now,
        expected_status=S.ACCEPTED,
        changes={"completed_at": now},
    )
    inventory_follow(order=order, now=now)  # F7: the TNs are ours from now on
    outbox.queue(emails.COMPLETION, order=order)


def order_complete(
    *, order: PortOrder, by, expected_status: str | None = None, now=None
) -> PortOrder:
    """The port is done: activate the TNs not yet marked and complete the order."""
    now = _now(now)
    _require_port_in(order)
    with transaction.atomic():
        locked = _lock(order, expected_status)
        if locked.status != S.ACCEPTED:
            raise DomainError(
                f"Only an accepted (FOC'd) order completes; this one is "
                f"{locked.get_status_display()}."
            )
        OrderNumber.objects.filter(
            order=locked, disposition=OrderNumber.Disposition.PORT, activated_at__isnull=True
        ).update(activated_at=now, npac_status=OrderNumber.NpacStatus.ACTIVE)
        _sync(order, locked)
        _complete(order, by=by, now=now)
    return order
