"""What the port-in desk's actions share: the statuses and fields the desk may still
change, the row lock that refuses a stale page, and the F5 status-check refresh.
"""

import datetime

from django.utils import timezone

from carriers.end_user import END_USER_FIELDS
from orders.lifecycle import DomainError, TransitionNotAllowed, check_unchanged
from orders.models import Direction, PortOrder, Status
from orders.services.status_checks import status_check_refresh

S = Status
CsrStatus = PortOrder.CsrStatus

# Where the desk may still change the order's data or record a CSR: before the LSR goes out,
# or while it is being fixed after a reject.
EDITABLE_STATUSES = frozenset({S.DRAFT, S.EXCEPTION, S.REVIEW})
EDITABLE_FIELDS = (
    *END_USER_FIELDS,
    "requested_due_date",
    "notification_email",
    "remarks",
)


def _now(now):
    return now or timezone.now()


def _refresh_status_check(order: PortOrder, now) -> None:
    """F5: recompute the next status check when the order enters or leaves `submitted`."""
    status_check_refresh(order, now=now)


def _require_port_in(order: PortOrder) -> None:
    if order.direction != Direction.PORT_IN:
        raise DomainError("This is a port-out order: use the port-out desk's actions.")


def _lock(order: PortOrder, expected_status: str | None) -> PortOrder:
    """Lock the row for an action that does not move the status; refuse a stale page."""
    locked = PortOrder.objects.select_for_update().get(pk=order.pk)
    check_unchanged(locked, expected_status or order.status)
    return locked


def _locked_in(order: PortOrder, expected_status, required: str, verb: str) -> PortOrder:
    """Lock the row and check it is in the one status this action starts from."""
    locked = _lock(order, expected_status)
    if locked.status != required:
        raise TransitionNotAllowed(
            f"Only a {Status(required).label} order is {verb}; this one is "
            f"{locked.get_status_display()}."
        )
    return locked


def _sync(order: PortOrder, source: PortOrder) -> None:
    for f in source._meta.concrete_fields:
        setattr(order, f.attname, getattr(source, f.attname))


def _local_today(now) -> datetime.date:
    return timezone.localdate(now)
