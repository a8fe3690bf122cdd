"""The events feed: what changed on the partner's orders since the last event it read."""

from __future__ import annotations

from ninja import Query, Router, Schema
from pydantic import Field

from api.auth import READ, require_scope
from api.events import events_for
from api.schemas import EventPage
from api.views.common import problems

router = Router(tags=["events"])


class EventQuery(Schema):
    after: int | None = Field(
        None, ge=0, le=2**63 - 1, description="The last event id you read (none: from the first)."
    )
    limit: int = Field(100, ge=1, le=500)


@router.get(
    "/events",
    response={200: EventPage, **problems()},
    summary="Events on this partner's orders after an event id (a cursor)",
    operation_id="events_list",
)
def events_list(request, query: Query[EventQuery]):
    partner = require_scope(request, READ)
    events = events_for(partner, query.after, query.limit)
    return {
        "events": [
            {
                "id": event.id,
                "order_id": event.order_id,
                "kind": event.kind,
                "data": event.data,
                "created_at": event.created_at,
            }
            for event in events
        ],
        "next_after": events[-1].id if events else query.after,
    }
