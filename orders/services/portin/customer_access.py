"""The customer's side of a link (issue 19): resolving the token (a refused link changes
nothing), the rate limit, and the timeline event of every opening and act. Why a token and
when a link is refused: `customer_links`."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce

from orders.lifecycle import DomainError
from orders.models import CustomerLink, CustomerLinkEvent, PortOrder
from orders.models.statuses import CLOSED_STATUSES
from orders.services.portin._common import _now
from orders.services.portin.customer_tokens import token_digest

Event = CustomerLinkEvent.Kind
CUSTOMER_ACTOR = "customer (link)"


class LinkRefused(Exception):
    """The link cannot be used: `reason` is what the customer's page says."""

    def __init__(self, reason: str, link: CustomerLink | None = None):
        super().__init__(reason)
        self.reason = reason
        self.link = link


UNKNOWN = "unknown"
REVOKED = "revoked"
EXPIRED = "expired"


@dataclass(frozen=True)
class Visitor:
    ip_address: str | None
    user_agent: str

    @classmethod
    def of(cls, ip_address, user_agent) -> Visitor:
        return cls(ip_address or None, (user_agent or "")[:300])


def rate_limited(ip_address: str | None, *, now=None) -> bool:
    """Whether this address opened more customer pages this minute than allowed. Counted in
    the shared cache (every web worker sees the same count); by address, since a guesser
    tries many tokens, not one."""
    now = _now(now)
    key = f"customer-link-rate:{ip_address or '-'}:{now:%Y%m%d%H%M}"
    # incr first: the common case (the minute's counter exists) costs one read and write.
    try:
        count = cache.incr(key)
    except ValueError:  # this minute's first request (or a counter that just expired)
        count = 1 if cache.add(key, 1, timeout=120) else cache.incr(key)
    return count > settings.PORTING["CUSTOMER_LINK_RATE_PER_MINUTE"]


def _event(link: CustomerLink, kind: str, visitor: Visitor, now, detail: str = "") -> None:
    CustomerLinkEvent.objects.create(
        link=link,
        order_id=link.order_id,
        kind=kind,
        detail=detail[:200],
        at=now,
        ip_address=visitor.ip_address,
        user_agent=visitor.user_agent,
    )


def link_resolve(token: str, *, visitor: Visitor, now=None, lock: bool = False) -> CustomerLink:
    """The usable link for `token`, or LinkRefused (the page logs a refused known link:
    `link_refusal_record`). `lock`: for an act, the row is locked (one signature per LOA
    link)."""
    now = _now(now)
    links = CustomerLink.objects.select_related("order", "order__losing_carrier")
    if lock:
        links = links.select_for_update(of=("self",))
    link = links.filter(token_digest=token_digest(token or "")).first()
    if link is None:
        raise LinkRefused(UNKNOWN)
    reason = ""
    if link.revoked_at is not None:
        reason = REVOKED
    elif link.email.lower() != (link.order.notification_email or "").lower():
        reason = REVOKED  # sent to an address the order no longer has
    elif link.expires_at <= now:
        reason = EXPIRED
    if reason:
        raise LinkRefused(reason, link)
    return link


def link_refusal_record(refused: LinkRefused, *, visitor: Visitor, now=None) -> None:
    """A known link was tried and refused (expired, revoked): kept on its order's timeline,
    so the desk sees it being used. Called by the page outside the refused act's
    transaction (which rolled back); an unknown token has no order to log it on."""
    if refused.link is not None:
        _event(refused.link, Event.REFUSED, visitor, _now(now), detail=f"link {refused.reason}")


def link_open(token: str, *, visitor: Visitor, now=None) -> CustomerLink:
    """The customer opened the link's page: logged, and the link marked viewed."""
    now = _now(now)
    with transaction.atomic():
        link = link_resolve(token, visitor=visitor, now=now)
        CustomerLink.objects.filter(pk=link.pk).update(
            first_viewed_at=Coalesce("first_viewed_at", Value(now)), last_viewed_at=now
        )
        link.first_viewed_at = link.first_viewed_at or now
        link.last_viewed_at = now
        _event(link, Event.VIEWED, visitor, now)
    return link


def accepts_nothing(order: PortOrder) -> bool:
    return order.status in CLOSED_STATUSES


def _require_acting(link: CustomerLink, purpose: str) -> PortOrder:
    order = link.order
    if link.purpose != purpose:
        raise DomainError("This link is not for that.")
    if accepts_nothing(order):
        raise DomainError(
            f"The order is {order.get_status_display().lower()}: nothing can be changed any more."
        )
    return order
