"""The customer's links (issue 19): the desk sends a link to sign the LOA or to follow the
order; the customer signs, corrects what the losing carrier rejected (F3), or cancels a draft.

Why a random token stored hashed rather than `django.core.signing`: a link must be
revocable by the desk, single-purpose, tied to one order and one email, and expire, so a row
has to be looked up on every use anyway; a signed value would only add a second source of
truth (and die with every SECRET_KEY rotation). The token is 32 random bytes
(`secrets.token_urlsafe`); only its SHA-256 is stored, so the table (a backup, a read-only
SQL console) gives nobody a working link. A plain hash suffices for a 256-bit random token:
nothing to brute-force, no need for a keyed hash or a slow KDF. The token does travel in
the email the outbox keeps (that is how it reaches the customer).

A link is refused (nothing changes) when it is unknown (tampered), revoked, expired, or the
order's customer email is no longer the one it was sent to. A link of a cancelled or
completed order opens, shows that state and accepts nothing. Every opening and act through
a link is a `CustomerLinkEvent` on the order's timeline; refused openings of a known link
too, so the desk sees a revoked link being tried.

This module is the desk's side (send, revoke, where the LOA stands on the order page); the
customer's side is `customer_access` (resolving a link), `customer_loa` (signing) and
`customer_status` (the status page: corrections after a reject, a draft's cancel).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction

from orders import emails
from orders.documents import render_pdf
from orders.documents.loa import content_as_json, loa_content
from orders.lifecycle import DomainError, touch
from orders.models import CustomerLink, Document, PortOrder
from orders.models.statuses import CLOSED_STATUSES
from orders.services import outbox
from orders.services.orders import system_comment
from orders.services.portin._common import _lock, _now, _require_port_in
from orders.services.portin.customer_tokens import SentLink, day_label, link_create

Purpose = CustomerLink.Purpose


def _require_linkable(order: PortOrder) -> None:
    _require_port_in(order)
    if order.status in CLOSED_STATUSES:
        raise DomainError(
            f"The order is {order.get_status_display().lower()}: the customer has nothing to do."
        )
    if not order.notification_email:
        raise DomainError(
            "The order has no customer notification email: add one before sending the "
            "customer a link."
        )


def loa_on_file(order: PortOrder) -> bool:
    return Document.objects.filter(order=order, kind=Document.Kind.LOA).exists()


def customer_link_send(
    *, order: PortOrder, by, purpose: str, expected_status: str | None = None, now=None
) -> SentLink:
    """Email the customer a new link (`purpose`: sign the LOA or the order's status).

    An LOA link carries the LOA made from the order now (PDF, its SHA-256 and its content);
    it replaces the order's earlier unsigned LOA links, which are revoked, so one LOA is
    live at a time. Refused once an LOA is on file."""
    now = _now(now)
    if purpose not in Purpose.values:
        raise DomainError(f"Unknown link purpose “{purpose}”.")
    with transaction.atomic():
        locked = _lock(order, expected_status)
        _require_linkable(locked)
        extra = {}
        if purpose == Purpose.LOA:
            if loa_on_file(locked):
                raise DomainError("An LOA is already on file for this order: no link is needed.")
            content = loa_content(locked)
            pdf = render_pdf(content)
            extra = {"loa_sha256": hashlib.sha256(pdf).hexdigest()}
            CustomerLink.objects.filter(
                order=locked, purpose=Purpose.LOA, used_at__isnull=True, revoked_at__isnull=True
            ).update(revoked_at=now, revoked_by=by if by and by.is_authenticated else None)
        sent = link_create(locked, purpose, by=by, now=now, **extra)
        if purpose == Purpose.LOA:
            from django.core.files.base import ContentFile

            sent.link.loa_content = content_as_json(content)
            sent.link.loa_file.save(content.filename, ContentFile(pdf), save=True)
        _email_link(locked, sent, now)
        system_comment(
            locked,
            f"{sent.link.get_purpose_display()} link sent to {locked.notification_email} "
            f"(valid until {day_label(sent.link.expires_at)}).",
            now,
            by=by,
        )
        touch(order, now=now)
    return sent


def _email_link(order: PortOrder, sent: SentLink, now) -> None:
    outbox.queue(
        emails.CUSTOMER_LINK,
        order=order,
        recipients=[sent.link.email],
        context={
            "purpose": sent.link.purpose,
            "url": sent.url,
            "expires_at": day_label(sent.link.expires_at),
        },
        now=now,
    )


def customer_link_revoke(
    *,
    order: PortOrder,
    by,
    link: CustomerLink,
    expected_status: str | None = None,  # the page's; revoking is right in any status
    now=None,
) -> CustomerLink:
    """The desk stops a link: from now on it opens the "no longer valid" page."""
    now = _now(now)
    if link.order_id != order.pk:
        raise DomainError("That link belongs to another order.")
    with transaction.atomic():
        locked = CustomerLink.objects.select_for_update().get(pk=link.pk)
        if locked.revoked_at is not None:
            raise DomainError("The link is already revoked.")
        if locked.used_at is not None:
            raise DomainError("The LOA was signed through this link: nothing left to revoke.")
        locked.revoked_at = now
        locked.revoked_by = by if by is not None and by.is_authenticated else None
        locked.save(update_fields=["revoked_at", "revoked_by"])
        system_comment(
            order,
            f"{locked.get_purpose_display()} link sent {day_label(locked.created_at)} revoked.",
            now,
            by=by,
        )
    return locked


# --- the order page: where the LOA stands ------------------------------------------------


@dataclass(frozen=True)
class LoaState:
    state: str  # not sent, sent, viewed, signed, expired, revoked, uploaded
    link: CustomerLink | None
    required: bool


def loa_state(order: PortOrder, links: list[CustomerLink], has_loa: bool, *, now=None) -> LoaState:
    now = _now(now)
    required = order.losing_carrier.requires_loa
    loa_links = [link for link in links if link.purpose == Purpose.LOA]
    latest = loa_links[0] if loa_links else None
    signed = next((link for link in loa_links if link.used_at), None)
    if signed is not None:
        return LoaState("signed", signed, required)
    if has_loa:
        return LoaState("uploaded", latest, required)
    if latest is None:
        return LoaState("not sent", None, required)
    return LoaState(latest.state(now), latest, required)
