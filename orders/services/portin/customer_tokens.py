"""The customer's link tokens (issue 19): made, hashed and turned into the URL the email
carries. Why a random token stored hashed: see `orders.services.portin.customer_links`.
Apart from it so the services that owe the customer an email anyway (the rejection notice,
`responses.order_return_to_customer`) can give a status link without importing the
customer's services."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from carriers.timefmt import local_time
from orders.models import CustomerLink, PortOrder

Purpose = CustomerLink.Purpose


@dataclass(frozen=True)
class SentLink:
    link: CustomerLink
    url: str  # the only place the token exists besides the email


def link_days() -> int:
    return settings.PORTING["CUSTOMER_LINK_DAYS"]


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(token: str) -> str:
    base = settings.PORTING["PUBLIC_URL"].rstrip("/")
    return base + reverse("orders:customer_page", args=[token])


def day_label(moment: datetime.datetime) -> str:
    return local_time(moment).split(" ")[0]


def link_create(order: PortOrder, purpose: str, *, by, now, **extra) -> SentLink:
    token = secrets.token_urlsafe(32)
    link = CustomerLink.objects.create(
        order=order,
        purpose=purpose,
        token_digest=token_digest(token),
        email=order.notification_email,
        created_at=now,
        created_by=by if by is not None and by.is_authenticated else None,
        expires_at=now + datetime.timedelta(days=link_days()),
        **extra,
    )
    return SentLink(link, link_url(token))


def status_link_for_email(order: PortOrder, *, by, now) -> dict:
    """A new status link for an email the desk owes the customer anyway (the rejection
    notice): the email's `status_url` and `link_expires`. In the caller's transaction."""
    sent = link_create(order, Purpose.STATUS, by=by, now=now)
    return {"status_url": sent.url, "link_expires": day_label(sent.link.expires_at)}
