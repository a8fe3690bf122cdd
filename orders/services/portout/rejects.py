"""A port-out reject: the coded rejection and the move to Rejected, in one place for every
path that rejects (the desk's decision, an LSR rejected at once at intake, a SUP)."""

from __future__ import annotations

from collections.abc import Iterable

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
    return rejection


def _findings_text(findings: Iterable[Finding]) -> str:
    return "\n".join(f"{f.rule} {f.field_or_tn}: {f.message}" for f in findings)
