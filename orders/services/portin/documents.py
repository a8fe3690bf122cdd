"""The port-in documents to the losing carrier (issue 17): the LSR at submit and at each
resend, and each SUP, made and owed in the sending service's transaction (see
`orders.services.carrier_documents`). Addressed to the losing carrier's LSR contact, or
to the porting peer's / Somos's when the order is routed through one (F6)."""

from __future__ import annotations

from orders.models import Document, PortOrder
from orders.services.carrier_documents import document_send


def send_lsr(order: PortOrder, *, by, note: str = "", send_to: str = "", now) -> Document:
    return document_send(
        order=order, kind=Document.Kind.LSR, by=by, send_to=send_to, now=now, note=note
    )


def send_sup(
    order: PortOrder,
    *,
    sup_type: int,
    remarks: str = "",
    previous_foc_date=None,
    by,
    send_to: str = "",
    now,
) -> Document:
    return document_send(
        order=order,
        kind=Document.Kind.SUP,
        by=by,
        send_to=send_to,
        now=now,
        sup_type=sup_type,
        remarks=remarks,
        previous_foc_date=previous_foc_date,
    )
