"""What every port-out module shares: the open statuses, the clock and user defaults, the
port-out guard, the carriers desk's services and the stale-page check."""

from __future__ import annotations

from django.utils import timezone

from orders.lifecycle import DomainError, OrderChanged
from orders.models import OrderNumber, PortOrder, Status

OPEN_PORT_OUT = (Status.RECEIVED, Status.EXPEDITE_REVIEW, Status.FOC_SENT)
Disposition = OrderNumber.Disposition
Npac = OrderNumber.NpacStatus


def _now(now):
    return now or timezone.now()


def _user(user):
    return user if user is not None and user.is_authenticated else None


def _require_port_out(order: PortOrder):
    if not order.is_port_out:
        raise DomainError("This action is for port-out orders only.")


def _carriers():
    # Imported when used: carriers.services is the CARRIERS desk's module.
    from carriers import services

    return services


def _check_unchanged(order: PortOrder, expected_status: str | None) -> None:
    """Refuse early, before any work, when the page the desk acted on is stale (the
    lifecycle checks again under the row lock)."""
    if expected_status and order.status != expected_status:
        raise OrderChanged(
            f"This order changed while you were working on it: it is now "
            f"{order.get_status_display()}. Reload the page and try again."
        )
