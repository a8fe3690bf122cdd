"""Carrier documents (issue 17): make one (orders.documents), keep it on the order and owe
its email through the outbox, in the caller's transaction.

A decision that sends a document calls `document_send` inside its own transaction: the
Document row, its PDF and the outbox row exist exactly when the decision does, so a
rolled-back decision sends nothing and a worker killed after the commit sends it on the
outbox's next pass. The email goes to the other carrier's contacts for the kind's role
(carrier admin, carriers.Contact); a port-in LSR routed through a porting peer or Somos
(F6) goes to that route's contacts. With no contact and no address from the desk, the
document is still kept and the order gets a note saying nothing was emailed.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from carriers.models import Carrier, Contact
from orders import emails, events
from orders.documents import Content, get_kind, render_pdf, render_text
from orders.lifecycle import DomainError
from orders.models import Direction, Document, PortOrder
from orders.services.orders import _now, system_comment
from orders.services.outbox import queue


def addressee(order: PortOrder) -> Carrier:
    """The other carrier: the requester of a port-out, the losing carrier (or the porting
    peer / Somos its LSRs go through, F6) of a port-in."""
    if order.direction == Direction.PORT_OUT:
        return order.new_carrier
    if order.route != PortOrder.Route.DIRECT and order.route_via_id:
        return order.route_via
    return order.losing_carrier


def contact_role(order: PortOrder, kind: str) -> str:
    """The kind's role, except that a toll-free port-in's LSR and SUPs go through Somos (F6):
    with no Somos carrier on the order, they go to the RespOrg's toll-free contact."""
    role = get_kind(kind).role
    if (
        order.direction == Direction.PORT_IN
        and order.route == PortOrder.Route.SOMOS
        and not order.route_via_id
        and role == Contact.Role.LSR
    ):
        return Contact.Role.TOLL_FREE
    return role


def contact_emails(carrier: Carrier, role: str) -> list[str]:
    return list(
        Contact.objects.filter(carrier=carrier, role=role)
        .exclude(email="")
        .order_by("name")
        .values_list("email", flat=True)
    )


def missing_contact(order: PortOrder, kind: str) -> str:
    """What the action page tells the desk before sending: "" when the carrier has a contact
    for the kind's role, otherwise which carrier lacks which contact."""
    role = contact_role(order, kind)
    carrier = addressee(order)
    if contact_emails(carrier, role):
        return ""
    return (
        f"{carrier.name} has no {Contact.Role(role).label} contact with an email in the carrier "
        "admin: nothing will be emailed unless you enter an address."
    )


def build(order: PortOrder, kind: str, **data) -> Content:
    return get_kind(kind).build(order, **data)


def document_preview(*, order: PortOrder, kind: str, **data) -> bytes:
    """The PDF as it would be sent now, neither stored nor sent."""
    return render_pdf(build(order, kind, **data))


def _recipients(order: PortOrder, kind: str, send_to: str) -> list[str]:
    send_to = (send_to or "").strip()
    if send_to:
        return [send_to]
    return contact_emails(addressee(order), contact_role(order, kind))


def document_store(
    order, kind, content: Content, pdf: bytes, *, by, now, resend_of=None
) -> Document:
    document = Document(
        order=order,
        kind=kind,
        original_name=content.filename,
        content_type="application/pdf",
        size=len(pdf),
        uploaded_by=by if by is not None and by.is_authenticated else None,
        uploaded_at=now,
        resend_of=resend_of,
    )
    document.file.save(content.filename, ContentFile(pdf), save=False)
    return document


def _send(
    document: Document, content: Content, recipients, *, order, by, now, resent=False, body=""
):
    what = f"{document.get_kind_display()}{' (resent)' if resent else ''}"
    if not recipients:
        document.save()
        system_comment(
            order,
            f"{what} kept on the order but NOT emailed: {addressee(order).name} has no "
            f"{Contact.Role(contact_role(order, document.kind)).label} contact; resend it with an "
            "address.",
            now,
            by=by,
        )
        return document
    document.sent_to = ", ".join(recipients)[:300]
    document.email_id = queue(
        emails.CARRIER_DOCUMENT,
        order=order,
        recipients=recipients,
        context={"subject": content.subject, "body": body or render_text(content)},
        now=now,
    )
    document.save()
    events.record(
        order,
        events.Kind.DOCUMENT_SENT,
        document_id=document.pk,
        document_kind=document.kind,
        resent=resent,
        resend_of=document.resend_of_id,
    )
    return document


def document_send(
    *, order: PortOrder, kind: str, by, send_to: str = "", now=None, **data
) -> Document:
    """Make the document, keep it on the order and owe its email (in the caller's
    transaction). `send_to`: the address the desk entered when the carrier has no contact."""
    now = _now(now)
    content = build(order, kind, **data)
    pdf = render_pdf(content)
    with transaction.atomic():
        document = document_store(order, kind, content, pdf, by=by, now=now)
        return _send(
            document, content, _recipients(order, kind, send_to), order=order, by=by, now=now
        )


def document_resend(*, document: Document, by, send_to: str = "", now=None) -> Document:
    """Send a kept document again, as it was (the same PDF), logged as a resend."""
    now = _now(now)
    order = document.order
    if order is None or not document.is_sent_document:
        raise DomainError("Only a document the portal sent to a carrier can be resent.")
    original = document.resend_of or document
    with document.file.open("rb") as handle:
        pdf = handle.read()
    # The email says what the kept PDF says (the first sending's body): rebuilt from today's
    # order it might not.
    sent = original.email.context if original.email_id else {}
    content = Content(
        title=document.get_kind_display(),
        subject=f"{sent.get('subject') or document.get_kind_display()} (resent)",
        fields=[("PON", order.pon), ("Resent", "the attached document, unchanged")],
        filename=document.original_name,
    )
    with transaction.atomic():
        copy = document_store(
            order, document.kind, content, pdf, by=by, now=now, resend_of=original
        )
        return _send(
            copy,
            content,
            _recipients(order, document.kind, send_to),
            order=order,
            by=by,
            now=now,
            resent=True,
            body=sent.get("body", ""),
        )
