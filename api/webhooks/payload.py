"""What a webhook POSTs: the event as JSON, and its headers.

    {"id": 812, "type": "foc_set", "created_at": "2026-12-05T03:20:00+00:00",
     "order": {"id": 41, "pon": "PON-1", "status": "accepted", "direction": "in"},
     "data": {"foc_date": "2026-12-10"}}

`order` is the order as it is when the delivery is made (a retry may show a later status);
`data` is what the event recorded then. No PIN or account number is ever in either: the
order's part is these four fields, and `orders.events.record` refuses such keys in `data`.
"""

import json
import time

from orders.models import OrderEvent

from .signing import sign

USER_AGENT = "porting-desk-webhooks/1"


def event_body(event: OrderEvent) -> bytes:
    order = event.order
    return json.dumps(
        {
            "id": event.id,
            "type": event.kind,
            "created_at": event.created_at.isoformat(),
            "order": {
                "id": order.pk,
                "pon": order.pon,
                "status": order.status,
                "direction": order.direction,
            },
            "data": event.data,
        },
        separators=(",", ":"),
    ).encode()


def signed_headers(*, event_id: int, secret: str, body: bytes, timestamp: int | None = None):
    """The headers of one attempt. `Webhook-Id` is the event's id, the same on every retry
    and replay, so a receiver keeps each event once; the timestamp is the attempt's own (the
    wall clock, whatever "now" a job was given), so a receiver can refuse stale requests."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Webhook-Id": str(event_id),
        "Webhook-Timestamp": stamp,
        "Webhook-Signature": sign(secret, stamp, body),
    }
