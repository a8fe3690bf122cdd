"""The port-in documents to the losing carrier (issue 17): the LSR at submit and at each
resend, and each SUP, made and owed in the sending service's transaction (see
`orders.services.carrier_documents`). Addressed to the losing carrier's LSR contact, or
to the porting peer's / Somos's when the order is routed through one (F6)."""

from __future__ import annotations

import datetime

from django.db import transaction

from orders.models import Document, PortOrder, Supplement
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


def auto_cancel_sup1_documents_send(*, ids, cancelled_at: datetime.datetime) -> int:
    """F4's SUP 1s as documents, after the auto-cancel batch committed (its job stays
    set-based; a PDF is built one order at a time, 5-50 ms each, so a worker does it).

    Each order in its own transaction; idempotent: an order that already has its SUP document
    from this cancel (made at `cancelled_at`) is skipped, so a task run twice sends once.
    Returns how many were sent."""
    ids = list(ids)
    done = set(
        Document.objects.filter(
            order_id__in=ids, kind=Document.Kind.SUP, uploaded_at__gte=cancelled_at
        ).values_list("order_id", flat=True)
    )
    sups = {
        sup.order_id: sup
        for sup in Supplement.objects.filter(
            order_id__in=ids, sup_type=Supplement.Type.CANCEL, received_at=cancelled_at
        )
    }
    sent = 0
    orders = PortOrder.objects.filter(pk__in=ids).exclude(pk__in=done).order_by("pk")
    for order in orders.select_related("losing_carrier", "route_via"):
        sup = sups.get(order.pk)
        with transaction.atomic():
            send_sup(
                order,
                sup_type=Supplement.Type.CANCEL,
                remarks=sup.remarks if sup else "",
                previous_foc_date=sup.previous_foc_date if sup else order.foc_date,
                by=None,
                now=cancelled_at,
            )
        sent += 1
    return sent
