"""The events a partner may read: the API's events feed (GET /api/v1/events) and what the
webhooks' fan-out may send them.

A partner sees the events of the orders `Partner.visible_orders()` describes: the orders it
created or submitted through the API (`PartnerOrder`), and for a trading partner every
port-out its carrier requested. The feed is read one source of that definition at a time,
each walking the event table's primary key from the cursor and stopping at `limit` rows, then
merged: one OR across the two joins would leave PostgreSQL one plan for both shapes, and at 1M
orders that plan probes both for every event. Never a COUNT: the cursor is the last event id
the partner has seen. tests/api/test_events_feed.py checks the branches against
`visible_orders()`.
"""

from orders.models import Direction, OrderEvent

from .models import Partner, PartnerOrder

# What a feed entry and a webhook show of the order (`{id, pon, status, direction}`): the
# rest of the row (the LSR snapshot, the encrypted account number) is neither read nor
# decrypted for it.
ORDER_FIELDS = ("order__id", "order__pon", "order__status", "order__direction")


def with_order(events):
    """`events` with the few order fields an event is shown with, in the same query."""
    return events.select_related("order").only(
        "id", "order_id", "kind", "data", "created_at", *ORDER_FIELDS
    )


def _branches(partner: Partner):
    """`Partner.visible_orders()` as event querysets, one per source, each in the form
    PostgreSQL walks fastest at 1M orders and 3.4M events (measured): the PartnerOrder links
    as `order_id IN (SELECT order_id ...)`, which skips a probe of the order table per event,
    and the carrier's port-outs as a join on the event's own order row, which is probed once."""
    yield OrderEvent.objects.filter(
        order_id__in=PartnerOrder.objects.filter(partner=partner).values("order_id")
    )
    if partner.kind == Partner.Kind.TRADING_PARTNER and partner.carrier_id:
        yield OrderEvent.objects.filter(
            order__direction=Direction.PORT_OUT, order__new_carrier_id=partner.carrier_id
        )


def events_for(partner: Partner, after: int | None, limit: int) -> list[OrderEvent]:
    """Up to `limit` events of the orders `partner` may see, ordered by id, after the event
    id `after` (None: from the first). The next page's cursor is the last returned id."""
    if limit <= 0:
        return []
    rows: dict[int, OrderEvent] = {}
    for page in _branches(partner):
        if after is not None:
            page = page.filter(id__gt=after)
        # An LSR the partner sent through the API is in both branches: kept once.
        for event in with_order(page).order_by("id")[:limit]:
            rows.setdefault(event.id, event)
    return [rows[pk] for pk in sorted(rows)[:limit]]
