"""The PDF a decision on the order page would send now (issue 17), for the desk to read
before pressing Send: built like the decision builds it, from what the page shows (the
stored findings, not a re-run), and neither stored nor sent."""

from __future__ import annotations

from orders.lifecycle import DomainError
from orders.models import Direction, Document, PortOrder, RejectionReason, Status
from orders.services.carrier_documents import document_preview
from orders.services.portout import open_blockers, stored_foc
from orders.services.portout.decisions import foc_changes

# The decisions the order page offers a preview for, by the order's direction.
PREVIEWS = {
    Direction.PORT_OUT: (Document.Kind.FOC_NOTICE, Document.Kind.REJECT_NOTICE),
    Direction.PORT_IN: (Document.Kind.LSR,),
}


def _reject_data(order: PortOrder) -> dict:
    coded = [f for f in open_blockers(order) if f.code]
    codes = list(dict.fromkeys(f.code for f in coded))
    reasons = [
        {"code": r.code, "title": r.title, "instructions": r.instructions}
        for r in RejectionReason.objects.filter(code__in=codes).order_by("code")
    ]
    return {"findings": [f.as_dict() for f in coded], "reasons": reasons}


def _with_proposed_foc(order: PortOrder) -> None:
    """The FOC the decision would send, set on this (never saved) instance of the order."""
    foc = stored_foc(order)
    if order.foc_date is None and foc is not None and foc.date is not None:
        for field, value in foc_changes(order, foc.date, foc.explanation).items():
            setattr(order, field, value)


def decision_preview(*, order: PortOrder, kind: str) -> bytes:
    """The PDF of `kind` as the order's pending decision would send it."""
    if kind not in PREVIEWS.get(order.direction, ()):
        raise DomainError(f"No {kind} preview for a {order.get_direction_display()} order.")
    if kind == Document.Kind.LSR and order.status != Status.DRAFT:
        raise DomainError("The LSR preview is for a draft: a sent LSR is on the timeline.")
    if kind == Document.Kind.FOC_NOTICE:
        _with_proposed_foc(order)
    data = _reject_data(order) if kind == Document.Kind.REJECT_NOTICE else {}
    return document_preview(order=order, kind=kind, **data)
