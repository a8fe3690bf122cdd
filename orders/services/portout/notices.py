"""The port-out decisions' documents to the requesting carrier (issue 17): the FOC notice,
the reject notice and the expedite outcome, made and owed in the decision's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from orders.models import Document, PortOrder, Rejection
from orders.rules import Finding
from orders.services.carrier_documents import document_send


def send_foc_notice(order: PortOrder, *, by, send_to: str = "", now) -> Document:
    return document_send(
        order=order, kind=Document.Kind.FOC_NOTICE, by=by, send_to=send_to, now=now
    )


def send_reject_notice(
    order: PortOrder, rejection: Rejection, findings: Iterable[Finding], *, by, send_to="", now
) -> Document:
    # What to fix comes from the catalogue; R18 findings name the field only (kinds.py).
    reasons = [
        {"code": r.code, "title": r.title, "instructions": r.instructions}
        for r in rejection.reasons.order_by("code")
    ]
    return document_send(
        order=order,
        kind=Document.Kind.REJECT_NOTICE,
        by=by,
        send_to=send_to,
        now=now,
        findings=[f.as_dict() for f in findings],
        reasons=reasons,
    )


def send_expedite_outcome(
    order: PortOrder, *, accepted: bool, by, send_to: str = "", now
) -> Document:
    return document_send(
        order=order,
        kind=Document.Kind.EXPEDITE_OUTCOME,
        by=by,
        send_to=send_to,
        now=now,
        accepted=accepted,
    )
