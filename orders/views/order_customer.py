"""The order page's "Customer" card (issue 19): where the LOA stands (not sent, sent,
viewed, signed, expired, revoked, or uploaded by the desk), whether the losing carrier
requires one, and the customer's links with their state. Two queries: the order's links and
whether an LOA document is on file."""

from dataclasses import dataclass

from django.utils import timezone

from orders.models import CustomerLink, Document, PortOrder
from orders.services.portin.customer_links import LoaState, loa_state


@dataclass(frozen=True)
class LinkRow:
    link: CustomerLink
    state: str


@dataclass(frozen=True)
class CustomerCard:
    loa: LoaState
    links: list[LinkRow]


def customer_context(order: PortOrder) -> CustomerCard:
    now = timezone.now()
    links = list(order.customer_links.select_related("created_by").order_by("-created_at", "-id"))
    has_loa = Document.objects.filter(order=order, kind=Document.Kind.LOA).exists()
    return CustomerCard(
        loa=loa_state(order, links, has_loa, now=now),
        links=[LinkRow(link, link.state(now)) for link in links],
    )
