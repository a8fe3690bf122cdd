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
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce

from carriers.fields import with_digests
from carriers.timefmt import local_time
from orders import emails
from orders.crypto import encrypt_pin
from orders.documents import render_pdf
from orders.documents.loa import (
    content_as_json,
    content_from_json,
    loa_content,
    render_signed_loa,
    signature_page,
)
from orders.lifecycle import DomainError, revision_bump, touch
from orders.models import (
    Comment,
    CustomerLink,
    CustomerLinkEvent,
    CustomerResubmission,
    Document,
    LoaSignature,
    PortInCsr,
    PortOrder,
    Rejection,
    Status,
)
from orders.models.order import CLOSED_STATUSES
from orders.services import outbox
from orders.services.carrier_documents import document_store
from orders.services.orders import document_add, system_comment
from orders.services.portin._common import S, _lock, _now, _require_port_in, _sync
from orders.services.portin.cancel import order_cancel
from orders.services.portin.csr import _recompare
from orders.services.portin.customer_tokens import (
    SentLink,
    day_label,
    link_create,
    token_digest,
)
from orders.services.portin.responses import customer_resubmission_record
from orders.services.portin.versions import lsr_fields

Purpose = CustomerLink.Purpose
Event = CustomerLinkEvent.Kind
CUSTOMER_ACTOR = "customer (link)"

# What each reject reason of the catalogue asks the customer to correct: the order's fields
# the status page lets them change for it ("pin": a new PIN, never shown). A reason not
# listed names no field: the customer answers it with a note or a bill copy.
REASON_FIELDS: dict[str, tuple[str, ...]] = {
    "ACCT": ("account_number",),
    "AUTHNM": ("authorized_person",),
    "BTN": ("btn",),
    "BUSNM": ("account_name",),
    "ADDR": ("service_address", "city", "state", "zip_code"),
    "ZIP": ("zip_code",),
    "PIN": ("pin",),
}


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


# --- the customer's side ------------------------------------------------------------------


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


def loa_sign(
    *,
    token: str,
    signer_name: str,
    signer_title: str,
    consent: bool,
    document_sha256: str,
    visitor: Visitor,
    now=None,
) -> LoaSignature:
    """The customer signs the LOA their link shows: the signed LOA (the LOA's pages and a
    signature page with the signer, the time, their address, browser and the SHA-256 of the
    document shown) is stored as the order's LOA, and the order's authorization indicated."""
    now = _now(now)
    signer_name, signer_title = (signer_name or "").strip(), (signer_title or "").strip()
    if not signer_name:
        raise DomainError("Full name: type your full name to sign.")
    if not signer_title:
        raise DomainError("Title: type your title (e.g. Owner, Office manager).")
    if not consent:
        raise DomainError("Consent: tick the box to agree to the authorization.")
    with transaction.atomic():
        link = link_resolve(token, visitor=visitor, now=now, lock=True)
        order = _require_acting(link, Purpose.LOA)
        if link.used_at is not None:
            raise DomainError("This LOA is already signed.")
        if document_sha256 != link.loa_sha256:
            raise DomainError(
                "The LOA changed since this page was opened: reload the page, read it again "
                "and sign."
            )
        content = content_from_json(link.loa_content)
        facts = signature_page(
            signer_name=signer_name,
            signer_title=signer_title,
            signed_at=local_time(now) + f" ({settings.TIME_ZONE}) / {now:%Y-%m-%dT%H:%M:%SZ}",
            ip_address=visitor.ip_address or "",
            user_agent=visitor.user_agent,
            document_sha256=link.loa_sha256,
            document_name=content.filename,
        )
        pdf = render_signed_loa(content, facts)
        content.filename = content.filename.replace("-LOA.pdf", "-LOA-signed.pdf")
        document = document_store(order, Document.Kind.LOA, content, pdf, by=None, now=now)
        document.save()
        signature = LoaSignature.objects.create(
            link=link,
            order=order,
            signer_name=signer_name[:120],
            signer_title=signer_title[:120],
            consent=True,
            signed_at=now,
            ip_address=visitor.ip_address,
            user_agent=visitor.user_agent,
            document_sha256=link.loa_sha256,
            signed_document=document,
        )
        link.used_at = now
        link.save(update_fields=["used_at"])
        _event(link, Event.SIGNED, visitor, now, detail=f"{signer_name}, {signer_title}")
        locked = PortOrder.objects.select_for_update().get(pk=order.pk)
        if not locked.authorization_indicator:
            locked.authorization_indicator = True
            locked.save(
                update_fields=["authorization_indicator", "updated_at", revision_bump(locked)]
            )
        touch(locked, now=now)
        _sync(order, locked)
    return signature


# --- the status page: what the customer may correct after a reject (F3) --------------------


def open_customer_rejections(order: PortOrder) -> list[Rejection]:
    """The rejections returned to the customer and not resolved: what the status page lists."""
    if order.status != S.REJECTED:
        return []
    return list(
        Rejection.objects.filter(
            order=order, resolved_at__isnull=True, returned_to_customer_at__isnull=False
        ).prefetch_related("reasons")
    )


def correctable_fields(rejections) -> list[str]:
    """The order's fields the reasons name, in the order the form shows them."""
    named: list[str] = []
    for rejection in rejections:
        for reason in rejection.reasons.all():
            for name in REASON_FIELDS.get(reason.code, ()):
                if name not in named:
                    named.append(name)
    return named


def _field_label(name: str) -> str:
    return "PIN" if name == "pin" else str(PortOrder._meta.get_field(name).verbose_name)


def customer_corrections_send(
    *,
    token: str,
    changes: dict,
    pin: str = "",
    bill=None,
    note: str = "",
    visitor: Visitor,
    now=None,
) -> CustomerResubmission:
    """The customer corrects what the reject names (and only that), may attach a bill copy
    and a note: the order goes to review (F3, `customer_resubmission_record`), the desk sees
    their changes field by field (`CustomerResubmission`: the LSR before and after)."""
    now = _now(now)
    note = (note or "").strip()
    with transaction.atomic():
        link = link_resolve(token, visitor=visitor, now=now, lock=True)
        order = _require_acting(link, Purpose.STATUS)
        locked = PortOrder.objects.select_for_update().get(pk=order.pk)
        if locked.status != S.REJECTED:
            raise DomainError(
                f"There is nothing to correct: the order is {locked.get_status_display().lower()}."
            )
        allowed = correctable_fields(open_customer_rejections(locked))
        unknown = (set(changes) | ({"pin"} if pin else set())) - set(allowed)
        if unknown:
            raise DomainError(
                "Only what the reject names can be corrected here: "
                + ", ".join(sorted(_field_label(n) for n in unknown))
                + "."
            )
        before = lsr_fields(locked)
        cleaned = {}
        for name, value in changes.items():
            value = (value or "").strip() if isinstance(value, str) else value
            if name == "state":
                value = value.upper()
            if getattr(locked, name) != value:
                cleaned[name] = value
        changed = list(cleaned)
        if not changed and not pin and bill is None and not note:
            raise DomainError(
                "Nothing to send: correct a field, attach a copy of your bill or write a note."
            )
        labels = [_field_label(n) for n in changed] + (["PIN"] if pin else [])
        summary = "Sent through the customer's status link: " + (
            f"changed {', '.join(labels)}" if labels else "no field changed"
        )
        if bill is not None:
            summary += "; a bill copy attached"
        summary += "." + (f" The customer's note: {note}" if note else "")
        customer_resubmission_record(
            order=locked,
            by=None,
            note=summary,
            actor_label=CUSTOMER_ACTOR,
            expected_status=S.REJECTED,
            now=now,
        )
        # After the move (which reloads the row): the customer's values, in review now.
        for name, value in cleaned.items():
            setattr(locked, name, value)
        if pin:
            locked.pin_encrypted = encrypt_pin(pin)
        if changed or pin:
            fields = [*changed, *(["pin_encrypted"] if pin else []), "updated_at"]
            fields.append(revision_bump(locked))
            locked.save(update_fields=with_digests(PortOrder, fields))
            try:
                csr = locked.csr
            except PortInCsr.DoesNotExist:
                csr = None
            if csr is not None:
                _recompare(locked, csr)
        document = None
        if bill is not None:
            document = document_add(
                order=locked, kind=Document.Kind.BILL, uploaded_file=bill, by=None, now=now
            )
        resubmission = CustomerResubmission.objects.create(
            order=locked,
            link=link,
            submitted_at=now,
            before=before,
            after=lsr_fields(locked),
            pin_changed=bool(pin),
            note=note,
            bill=document,
        )
        _event(link, Event.RESUBMITTED, visitor, now, detail=", ".join(labels) or "no field")
        _sync(order, locked)
    return resubmission


def customer_draft_cancel(*, token: str, reason: str, visitor: Visitor, now=None) -> PortOrder:
    """The customer cancels their order before the LSR went out. A cancel through the
    lifecycle, not a request: a draft was never sent to the losing carrier, so there is
    nothing for the desk to undo, and the customer who asked for the port may drop it; the
    desk sees who did it on the timeline and the customer gets the cancellation email."""
    now = _now(now)
    reason = (reason or "").strip()
    with transaction.atomic():
        link = link_resolve(token, visitor=visitor, now=now, lock=True)
        order = _require_acting(link, Purpose.STATUS)
        if order.status != Status.DRAFT:
            raise DomainError(
                "The request was already sent to your current carrier: call or reply to us to "
                "cancel it."
            )
        order_cancel(
            order=order,
            by=None,
            actor_label=CUSTOMER_ACTOR,
            reason="Cancelled by the customer through their status link"
            + (f": {reason}" if reason else "."),
            expected_status=Status.DRAFT,
            now=now,
        )
        _event(link, Event.CANCELLED, visitor, now, detail=reason)
    return order


def customer_comments(order: PortOrder) -> list[Comment]:
    return list(
        order.comments.filter(visibility=Comment.Visibility.CUSTOMER).order_by("-created_at")
    )


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
