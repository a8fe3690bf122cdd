"""Record what happened to an order as an `OrderEvent` (the partner API's feed and webhooks).

Called by `orders.lifecycle` (every status move) and by the services (FOC set, rejected, LSR
received and decided, NPAC cancel recorded, document sent), always inside the transaction of
the change itself: the event table is a transactional outbox, so a change that rolls back
leaves no event and a committed one always has its event. It sits beside the lifecycle,
above the models only (the import contracts in pyproject.toml).

`data` leaves the portal (webhooks, the API): statuses, dates, codes with rule ids, document
kinds and ids. Never a PIN, a passcode or an account number; `record()` refuses those keys so
a careless caller fails in its tests instead of leaking CPNI.
"""

import datetime
from collections.abc import Iterable, Mapping

from django.utils import timezone

from .models import OrderEvent, PortOrder

Kind = OrderEvent.Kind

# Keys that would carry CPNI or a PIN (R18); refused at any depth of `data`.
_FORBIDDEN_KEYS = frozenset({"pin", "passcode", "account_number", "account", "ssn", "tax_id"})


def _plain(value, path="data"):
    """`value` as JSON-ready data: dates as ISO text, tuples and sets as lists."""
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if str(key).lower() in _FORBIDDEN_KEYS:
                raise ValueError(f"{path}.{key}: a PIN or account number never goes in an event.")
            out[str(key)] = _plain(item, f"{path}.{key}")
        return out
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return [_plain(item, path) for item in items]
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _order_id(order: PortOrder | int) -> int:
    return order if isinstance(order, int) else order.pk


def record(order: PortOrder | int, kind: str, /, **data) -> OrderEvent:
    """One event for one order (one INSERT); call it inside the change's transaction."""
    return OrderEvent.objects.create(
        order_id=_order_id(order), kind=Kind(kind), data=_plain(data), created_at=timezone.now()
    )


def record_many(kind: str, data_by_order: Iterable[tuple[PortOrder | int, Mapping]]) -> int:
    """One event of `kind` per (order, data) pair in one bulk INSERT: the jobs' form, which
    keeps a batch of 500 moves at a constant number of queries."""
    now = timezone.now()
    kind = Kind(kind)
    rows = [
        OrderEvent(order_id=_order_id(order), kind=kind, data=_plain(data), created_at=now)
        for order, data in data_by_order
    ]
    OrderEvent.objects.bulk_create(rows)
    return len(rows)


def rejection_data(rejection) -> dict:
    """A rejection as an event says it: its codes with the rule each enforces (R-ids for a
    port-out, the catalogue's codes for a losing carrier's reject) and who raised it. The
    free text stays in the portal: the desk writes it for the desk."""
    return {
        "rejection_id": rejection.pk,
        "source": rejection.source,
        "codes": [
            {"code": reason.code, "rule": reason.rule, "title": reason.title}
            for reason in rejection.reasons.order_by("code")
        ],
    }


def record_rejected(order: PortOrder | int, rejection, /, **data) -> OrderEvent:
    return record(order, Kind.REJECTED, **rejection_data(rejection), **data)
