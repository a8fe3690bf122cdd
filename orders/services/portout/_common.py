"""What every port-out module shares: the open statuses, the clock and user defaults, the
port-out guard. (The stale-page check is the lifecycle's `check_unchanged`.)"""

from __future__ import annotations

from django.utils import timezone

from orders.lifecycle import DomainError
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
