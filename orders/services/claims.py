"""F7: a TN is on at most one open order per desk, and the database says so.

The services that give an order its numbers claim them here, inside their own transaction:
one INSERT of `OpenTnClaim` rows, whose unique (tn, direction) refuses a TN another open
order of the same desk holds, even when both requests checked "not on an open order" at the
same moment (the second INSERT waits for the first transaction, then the unique index
refuses its row and the service raises "already on open order X"). The claims
go when the order closes (orders.lifecycle). The friendly checks before (port-in create's
refused list) stay: this is the guarantee behind them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from orders.lifecycle import DomainError
from orders.models import Direction, OpenTnClaim, OrderNumber, PortOrder, Status

# One INSERT per this many claims (a 20,000-TN project port is a few statements; SQLite's
# parameter limit is 32,766 and each row takes three).
CLAIM_BATCH = 5_000


class TnOnOpenOrder(DomainError):
    """A TN is already claimed by another open order of the same desk; `order_id` and `pon`
    name that order so that a page can link to it."""

    def __init__(self, message: str, *, tn: str = "", order_id: int | None = None, pon=""):
        super().__init__(message)
        self.tn = tn
        self.order_id = order_id
        self.pon = pon


def claims_write(pairs: Iterable[tuple[PortOrder, str]]) -> int:
    """Claim each (order, TN) for the order's desk. Must run inside the caller's transaction,
    so that a refusal rolls back everything the caller saved (nothing half-saved).

    Rows are inserted in TN order, so two requests claiming overlapping numbers wait for
    each other instead of deadlocking. Raises TnOnOpenOrder naming the open order that has
    the (first) TN already. Returns the number of claims written. Two queries per desk.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claims_write() must run inside the transaction that saves the order.")
    seen: dict[tuple[str, str], PortOrder] = {}
    for order, tn in pairs:
        seen.setdefault((tn, order.direction), order)
    if not seen:
        return 0
    rows = [
        OpenTnClaim(tn=tn, direction=direction, order_id=order.pk)
        for (tn, direction), order in sorted(seen.items(), key=lambda item: item[0])
    ]
    # ON CONFLICT DO NOTHING: a TN another transaction is claiming makes this INSERT wait for
    # it; if it commits, our row is skipped (the unique index refuses it) and the read below
    # finds the holder. No savepoint is needed, and the caller's transaction stays usable.
    OpenTnClaim.objects.bulk_create(rows, batch_size=CLAIM_BATCH, ignore_conflicts=True)
    error = _holder_error(seen)
    if error is not None:
        raise error
    return len(rows)


def claims_resync(order: PortOrder) -> None:
    """Make an open order's claims its TNs to port again (after a SUP changed its lists)."""
    OpenTnClaim.objects.filter(order=order).delete()
    if not order.is_open:
        return
    tns = order.numbers.filter(disposition=OrderNumber.Disposition.PORT).values_list(
        "tn", flat=True
    )
    claims_write((order, tn) for tn in tns)


def claims_backfill(*, pon_prefix: str = "") -> int:
    """Claim the TNs to port of every open order (whose PON starts with `pon_prefix`) that
    has none yet: one INSERT ... SELECT, for rows bulk-loaded past the services (the load
    data generator). A TN on two open orders of a desk stays with the first (lowest id).
    Returns the number of claims written."""
    qn = connection.ops.quote_name
    claims = qn(OpenTnClaim._meta.db_table)
    numbers = qn(OrderNumber._meta.db_table)
    orders = qn(PortOrder._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {claims} (tn, direction, order_id) "
            f"SELECT n.tn, o.direction, MIN(o.id) FROM {numbers} n "
            f"JOIN {orders} o ON o.id = n.order_id "
            "WHERE n.disposition = %s AND o.status NOT IN (%s, %s) "
            "AND NOT (o.direction = %s AND o.status = %s) AND o.pon LIKE %s "
            "GROUP BY n.tn, o.direction "
            "ON CONFLICT DO NOTHING",
            [
                OrderNumber.Disposition.PORT,
                Status.COMPLETED,
                Status.CANCELLED,
                Direction.PORT_OUT,
                Status.REJECTED,
                pon_prefix + "%",  # a plain prefix ("LD"): no LIKE wildcards in it
            ],
        )
        return cursor.rowcount


def _holder_error(seen: dict[tuple[str, str], PortOrder]) -> TnOnOpenOrder | None:
    """The error naming the open order that holds the first of our TNs, None if none does."""
    ours = {order.pk for order in seen.values()}
    by_desk: dict[str, list[str]] = {}
    for tn, direction in seen:
        by_desk.setdefault(direction, []).append(tn)
    for direction, tns in sorted(by_desk.items()):
        held = list(
            OpenTnClaim.objects.filter(direction=direction, tn__any_of=sorted(tns))
            .exclude(order_id__in=ours)
            .select_related("order")
            .order_by("tn")[:1000]
        )
        if held:
            return tn_on_open_order_error(held[0].tn, held[0].order, others=len(held) - 1)
    return None


def claims_held_elsewhere(order: PortOrder, tns: Iterable[str]) -> dict[str, PortOrder]:
    """TN -> the other open order of the same desk that holds it (one query)."""
    tns = sorted(set(tns))
    if not tns:
        return {}
    held = (
        OpenTnClaim.objects.filter(direction=order.direction, tn__any_of=tns)
        .exclude(order_id=order.pk)
        .select_related("order")
        .order_by("tn")
    )
    return {claim.tn: claim.order for claim in held}


def tn_on_open_order_error(tn: str, other: PortOrder, *, others: int = 0) -> TnOnOpenOrder:
    desk = Direction(other.direction).label.lower()
    more = f" (and {others} more TN(s) on open orders)" if others else ""
    return TnOnOpenOrder(
        f"TN {tn} is already on open {desk} order {other.pon} v{other.version} "
        f"(order #{other.pk}){more}: nothing was saved. Open that order, or remove the TN "
        "from this request.",
        tn=tn,
        order_id=other.pk,
        pon=other.pon,
    )
