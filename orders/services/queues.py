"""Queue actions: claim, bulk assign, bulk reassign (managers), bulk return to customer.

Rows are orders, CSR requests, rejections or NPAC cancel records (whose work is their
order's). Each row is handled in its own transaction with its row locked, so two people
claiming the same row at once cannot both get it, and one refused row does not undo the
others: the result says what was done and why the rest was skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from orders.lifecycle import DomainError
from orders.models import CsrRequest, Direction, NpacCancelRecord, PortOrder, Rejection, Status
from orders.queues.rows import CSR_REQUEST, NPAC_CANCEL, ORDER, REJECTION
from orders.services.orders import may_reassign, may_take, order_assign

MAX_BULK_ROWS = 500


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return len(self.done)


def _now(now):
    return now or timezone.now()


def _name(user) -> str:
    return user.get_username() if user is not None else "nobody"


def _ids(ids: Iterable) -> list[int]:
    clean = []
    for value in ids:
        try:
            clean.append(int(value))
        except (TypeError, ValueError):
            continue
    clean = list(dict.fromkeys(clean))
    if not clean:
        raise DomainError("Select at least one row.")
    if len(clean) > MAX_BULK_ROWS:
        raise DomainError(f"Select at most {MAX_BULK_ROWS} rows at a time.")
    return clean


def _require_worker(user, *, perm: str = "orders.change_portorder") -> None:
    if user is None or not user.is_active or not user.has_perm(perm):
        who = _name(user)
        raise DomainError(f"{who} does not work orders on the desk and cannot be assigned work.")


# --- per-kind assignment ----------------------------------------------------------------------


def _order_assign_one(order_id: int, *, assignee, by, reassign, now, result: BulkResult):
    with transaction.atomic():
        # Lock the order row only (a join to the user table would lock users too, and
        # PostgreSQL refuses FOR UPDATE on the nullable side of an outer join).
        order = (
            PortOrder.objects.select_for_update()
            .only("id", "pon", "version", "assignee", "last_activity_at", "status")
            .filter(pk=order_id)
            .first()
        )
        if order is None:
            result.skipped.append(f"order #{order_id}: not found")
            return
        label = f"{order.pon} v{order.version}"
        if not may_take(order.assignee_id, assignee=assignee, by=by, reassign=reassign):
            result.skipped.append(
                f"{label}: assigned to {_name(order.assignee)} (a manager can reassign it)"
            )
            return
        order_assign(order=order, assignee=assignee, by=by, reassign=reassign, now=now)
        result.done.append(label)


def orders_assign(
    *, order_ids: Iterable, assignee, by, reassign: bool = False, now=None
) -> BulkResult:
    """Give orders to `assignee`. Without `reassign`, orders someone else holds are skipped."""
    now = _now(now)
    ids = _ids(order_ids)
    _require_worker(assignee)
    result = BulkResult()
    for order_id in ids:
        _order_assign_one(
            order_id, assignee=assignee, by=by, reassign=reassign, now=now, result=result
        )
    return result


def csr_requests_assign(
    *, request_ids: Iterable, assignee, by, reassign: bool = False, now=None
) -> BulkResult:
    ids = _ids(request_ids)
    _require_worker(assignee, perm="orders.change_csrrequest")
    result = BulkResult()
    for request_id in ids:
        with transaction.atomic():
            row = (
                CsrRequest.objects.select_for_update()
                .only("id", "assignee")
                .filter(pk=request_id)
                .first()
            )
            if row is None:
                result.skipped.append(f"CSR #{request_id}: not found")
                continue
            if not may_take(row.assignee_id, assignee=assignee, by=by, reassign=reassign):
                result.skipped.append(
                    f"CSR #{request_id}: assigned to {_name(row.assignee)} "
                    "(a manager can reassign it)"
                )
                continue
            CsrRequest.objects.filter(pk=row.pk).update(assignee=assignee)
            result.done.append(f"CSR #{request_id}")
    return result


def rejections_assign(
    *, rejection_ids: Iterable, assignee, by, reassign: bool = False, now=None
) -> BulkResult:
    """Give rejections to `assignee`. The order follows: a manager's reassignment moves the
    order too; a plain assignment takes the order only when nobody else holds it."""
    now = _now(now)
    ids = _ids(rejection_ids)
    _require_worker(assignee)
    result = BulkResult()
    for rejection_id in ids:
        with transaction.atomic():
            row = Rejection.objects.select_for_update().filter(pk=rejection_id).first()
            if row is None:
                result.skipped.append(f"rejection #{rejection_id}: not found")
                continue
            label = f"{row.order.pon} v{row.order.version} (rejection #{row.pk})"
            if not may_take(row.assignee_id, assignee=assignee, by=by, reassign=reassign):
                result.skipped.append(
                    f"{label}: assigned to {_name(row.assignee)} (a manager can reassign it)"
                )
                continue
            Rejection.objects.filter(pk=row.pk).update(assignee=assignee)
            order = row.order
            if may_take(order.assignee_id, assignee=assignee, by=by, reassign=reassign):
                order_assign(order=order, assignee=assignee, by=by, reassign=reassign, now=now)
            result.done.append(label)
    return result


def npac_cancels_assign(
    *, record_ids: Iterable, assignee, by, reassign: bool = False, now=None
) -> BulkResult:
    """An NPAC cancel record is worked by its order's assignee: assign the orders."""
    ids = _ids(record_ids)
    order_ids = list(
        dict.fromkeys(
            NpacCancelRecord.objects.filter(pk__in=ids)
            .order_by("order_id")
            .values_list("order_id", flat=True)
        )
    )
    if not order_ids:
        raise DomainError("None of the selected NPAC cancel records exists any more.")
    return orders_assign(order_ids=order_ids, assignee=assignee, by=by, reassign=reassign, now=now)


_ASSIGNERS = {
    ORDER: lambda ids, **kw: orders_assign(order_ids=ids, **kw),
    CSR_REQUEST: lambda ids, **kw: csr_requests_assign(request_ids=ids, **kw),
    REJECTION: lambda ids, **kw: rejections_assign(rejection_ids=ids, **kw),
    NPAC_CANCEL: lambda ids, **kw: npac_cancels_assign(record_ids=ids, **kw),
}


def queue_rows_assign(
    *, kind: str, ids: Iterable, assignee, by, reassign: bool = False, now=None
) -> BulkResult:
    """Bulk assign (or, for managers, reassign) rows of one kind of queue."""
    if kind not in _ASSIGNERS:
        raise DomainError(f"Unknown kind of queue row “{kind}”.")
    if reassign and not may_reassign(by):
        raise DomainError("Only a manager can reassign work someone else holds.")
    return _ASSIGNERS[kind](list(ids), assignee=assignee, by=by, reassign=reassign, now=now)


def queue_row_claim(*, kind: str, row_id, by, now=None) -> BulkResult:
    """Assign one row to the person asking, unless someone else already holds it."""
    return queue_rows_assign(kind=kind, ids=[row_id], assignee=by, by=by, now=now)


# --- return to customer -----------------------------------------------------------------------


def rejections_return_to_customer(*, rejection_ids: Iterable, by, now=None) -> BulkResult:
    """Return port-in orders whose rejection the desk could not fix to their customers: each
    through the port-in desk's `order_return_to_customer` (lifecycle move to rejected, F4
    clock, customer email after commit). Port-out rejections and orders no longer in
    exception are skipped with the reason."""
    from orders.services.portin import order_return_to_customer

    now = _now(now)
    ids = _ids(rejection_ids)
    rows = Rejection.objects.filter(pk__in=ids).select_related("order").order_by("order_id", "pk")
    result = BulkResult()
    seen_orders: set[int] = set()
    found = set()
    for rejection in rows:
        found.add(rejection.pk)
        order = rejection.order
        label = f"{order.pon} v{order.version}"
        if order.pk in seen_orders:
            continue  # two open rejections of one order: it is returned once
        seen_orders.add(order.pk)
        if order.direction != Direction.PORT_IN:
            result.skipped.append(f"{label}: a port-out rejection has no customer to return to")
            continue
        if order.status != Status.EXCEPTION:
            result.skipped.append(f"{label}: it is {order.get_status_display()}, not exception")
            continue
        if rejection.resolved_at is not None:
            result.skipped.append(f"{label}: the rejection is already resolved")
            continue
        try:
            order_return_to_customer(order=order, by=by, now=now, expected_status=Status.EXCEPTION)
        except DomainError as exc:
            result.skipped.append(f"{label}: {exc}")
            continue
        result.done.append(label)
    for missing in sorted(set(ids) - found):
        result.skipped.append(f"rejection #{missing}: not found")
    return result
