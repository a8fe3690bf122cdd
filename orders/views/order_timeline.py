"""The order page's timeline: what happened to the order, newest first, from every kind of
record (status history, comments, supplements, rejections, documents)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from orders.models import PortOrder, Rejection, Status, Supplement


@dataclass
class TimelineEntry:
    at: Any
    kind: str  # status, comment, supplement, rejection, document
    title: str
    body: str = ""
    who: str = ""
    badge: str = ""
    extra: Any = None
    sort_key: int = 0


_KIND_ORDER = {
    "status": 0,
    "rejection": 1,
    "supplement": 2,
    "document": 3,
    "comment": 4,
    "customer": 5,
}


_LINK_NAMES = {"loa": "LOA link", "status": "status link"}


def order_page_prefetches() -> tuple[Prefetch, ...]:
    """The supplements and rejections of the order page, read once.

    Both the timeline and the port-out section show them; prefetched onto the order, the
    second reader costs no query (`prefetch_related_objects` skips what is already there).
    Model ordering kept: newest first, as the port-out section lists them.
    """
    return (
        Prefetch("supplements", queryset=Supplement.objects.select_related("created_by")),
        Prefetch(
            "rejections",
            queryset=Rejection.objects.select_related("raised_by").prefetch_related("reasons"),
        ),
    )


def build_timeline(order: PortOrder) -> list[TimelineEntry]:
    """History, comments, supplements, rejections and documents, newest first.

    One query per kind (plus one for the rejection reasons), whatever the order's size.
    """
    prefetch_related_objects([order], *order_page_prefetches())
    entries: list[TimelineEntry] = []
    status_label = dict(Status.choices)
    for h in order.history.select_related("actor").order_by():
        title = (
            f"Created as {status_label.get(h.to_status, h.to_status)}"
            if not h.from_status
            else f"{status_label.get(h.from_status, h.from_status)} → "
            f"{status_label.get(h.to_status, h.to_status)}"
        )
        entries.append(
            TimelineEntry(h.created_at, "status", title, h.reason, h.who, h.to_status, None, h.pk)
        )
    for c in order.comments.select_related("author").order_by():
        who = c.author.get_username() if c.author_id else c.get_source_display()
        if c.source == c.Source.SYSTEM:
            title = "Portal note"
        elif c.source == c.Source.CUSTOMER:
            title = "From the customer"
        else:
            title = "Comment"
        if c.visibility == c.Visibility.CUSTOMER:
            title += " (customer-visible)"
        entries.append(TimelineEntry(c.created_at, "comment", title, c.body, who, "", c, c.pk))
    for s in order.supplements.all():
        body_parts = []
        if s.requested_due_date:
            body_parts.append(f"New requested due date {s.requested_due_date:%Y-%m-%d}.")
        if s.previous_foc_date:
            body_parts.append(f"Previous FOC {s.previous_foc_date:%Y-%m-%d}.")
        if s.new_foc_date:
            body_parts.append(f"New FOC {s.new_foc_date:%Y-%m-%d}.")
        if s.remarks:
            body_parts.append(s.remarks)
        who = s.created_by.get_username() if s.created_by_id else ""
        entries.append(
            TimelineEntry(
                s.received_at,
                "supplement",
                s.get_sup_type_display(),
                " ".join(body_parts),
                who,
                "",
                s,
                s.pk,
            )
        )
    for r in order.rejections.all():
        who = r.raised_by.get_username() if r.raised_by_id else ""
        state = (
            "resolved"
            if r.resolved_at
            else ("returned to the customer" if r.returned_to_customer_at else "open")
        )
        entries.append(
            TimelineEntry(
                r.raised_at,
                "rejection",
                f"Rejection by {r.get_source_display().lower()} ({state})",
                r.text,
                who,
                "",
                list(r.reasons.all()),
                r.pk,
            )
        )
    for d in order.documents.select_related("uploaded_by", "email").order_by():
        who = d.uploaded_by.get_username() if d.uploaded_by_id else ""
        title, body = f"{d.get_kind_display()} uploaded", ""
        if d.is_sent_document:
            # Issue 17: what the portal sent, to whom, and where its delivery stands.
            verb = "resent" if d.resend_of_id else "sent"
            title = f"{d.get_kind_display()} {verb} to {d.sent_to or 'no one (no contact)'}"
            body = f"Delivery: {d.delivery_state}."
        entries.append(TimelineEntry(d.uploaded_at, "document", title, body, who, "", d, d.pk))
    # Issue 19: each opening of, and act through, a customer's link (one query; port-ins
    # only, the customer's links are theirs).
    events = order.customer_events.select_related("link").order_by() if order.is_port_in else ()
    for e in events:
        where = f" from {e.ip_address}" if e.ip_address else ""
        entries.append(
            TimelineEntry(
                e.at,
                "customer",
                f"Customer ({_LINK_NAMES.get(e.link.purpose, 'link')}): {e.get_kind_display()}",
                f"{e.detail + '. ' if e.detail else ''}Seen{where}"
                + (f" with {e.user_agent[:80]}" if e.user_agent else "")
                + ".",
                "customer",
                "",
                e,
                e.pk,
            )
        )
    entries.sort(key=lambda e: (e.at, _KIND_ORDER[e.kind], e.sort_key), reverse=True)
    return entries
