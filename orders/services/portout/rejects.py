"""A port-out reject: the coded rejection and the move to Rejected, in one place for every
path that rejects (the desk's decision, an LSR rejected at once at intake, a SUP)."""

from __future__ import annotations

from collections.abc import Iterable

from orders import events
from orders.lifecycle import transition
from orders.models import PortOrder, Rejection, Status
from orders.rules import Finding
from orders.services.orders import rejection_record


def _reject(
    order: PortOrder,
    *,
    codes: Iterable[str],
    text: str,
    source: str,
    by,
    now,
    expected_status: str | None,
    reason: str,
) -> Rejection:
    rejection = rejection_record(
        order=order,
        reasons=list(codes),
        source=source,
        text=text,
        by=by,
        returned_to_customer=True,
        now=now,
    )
    transition(
        order, Status.REJECTED, actor=by, reason=reason, now=now, expected_status=expected_status
    )
    events.record_rejected(order, rejection)
    return rejection


def _reject_at_intake(order: PortOrder, *, findings: Iterable[Finding], **reject) -> Rejection:
    """A reject made at LSR intake (R16, R19, F7): recorded like the desk's, and the
    requesting carrier gets the same reject notice, in the intake's transaction."""
    from .notices import send_reject_notice  # notices -> carrier_documents -> orders

    rejection = _reject(order, **reject)
    # Decided at once: the requester's LSR has its answer, as after the desk's decision.
    events.record(order, events.Kind.LSR_DECIDED, decision="reject", rejection_id=rejection.pk)
    send_reject_notice(order, rejection, findings, by=reject["by"], now=reject["now"])
    return rejection


def _findings_text(findings: Iterable[Finding]) -> str:
    return "\n".join(f"{f.rule} {f.field_or_tn}: {f.message}" for f in findings)
