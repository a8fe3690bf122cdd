"""The customer signs the LOA their link shows (issue 19)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from carriers.timefmt import local_time
from orders.documents.loa import content_from_json, render_signed_loa, signature_page
from orders.lifecycle import DomainError, revision_bump, touch
from orders.models import Document, LoaSignature, PortOrder
from orders.services.carrier_documents import document_store
from orders.services.portin._common import _now, _sync
from orders.services.portin.customer_access import (
    Event,
    Visitor,
    _event,
    _require_acting,
    link_resolve,
)
from orders.services.portin.customer_links import Purpose


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
