"""Authorization disputes (R6) on a port-out order or a CSR request: opened, evidence asked
for and received, resolved."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from orders.lifecycle import DomainError, touch
from orders.models import AuthorizationDispute, CsrRequest, PortOrder

from ._common import _now, _require_port_out, _user


def _dispute_touch(dispute: AuthorizationDispute, now):
    if dispute.order_id:
        touch(dispute.order, now=now)


def dispute_open(
    *,
    description: str,
    by,
    order: PortOrder | None = None,
    csr_request: CsrRequest | None = None,
    now=None,
) -> AuthorizationDispute:
    """R6: record a dispute over the requester's authority on an order or a CSR request."""
    now = _now(now)
    if (order is None) == (csr_request is None):
        raise DomainError("A dispute is recorded on one order or one CSR request.")
    if order is not None:
        _require_port_out(order)
    description = (description or "").strip()
    if not description:
        raise DomainError("Describe the dispute.")
    with transaction.atomic():
        dispute = AuthorizationDispute.objects.create(
            order=order,
            csr_request=csr_request,
            description=description,
            opened_by=_user(by),
            opened_at=now,
        )
        _dispute_touch(dispute, now)
    return dispute


def _dispute_open_or_error(dispute: AuthorizationDispute):
    if not dispute.is_open:
        raise DomainError("This dispute is already resolved.")


def dispute_request_evidence(
    *, dispute: AuthorizationDispute, by, notes: str = "", now=None
) -> AuthorizationDispute:
    """The requester is asked for evidence of the end user's authorization."""
    now = _now(now)
    _dispute_open_or_error(dispute)
    with transaction.atomic():
        dispute.evidence_requested_at = now
        fields = ["evidence_requested_at"]
        if notes.strip():
            dispute.evidence_notes = _append(dispute.evidence_notes, f"Asked: {notes.strip()}", now)
            fields.append("evidence_notes")
        dispute.save(update_fields=fields)
        _dispute_touch(dispute, now)
    return dispute


def dispute_record_evidence(
    *, dispute: AuthorizationDispute, notes: str, by, now=None
) -> AuthorizationDispute:
    """The evidence the requester sent, as the desk received it."""
    now = _now(now)
    _dispute_open_or_error(dispute)
    if not (notes or "").strip():
        raise DomainError("Describe the evidence received.")
    with transaction.atomic():
        dispute.evidence_received_at = now
        dispute.evidence_notes = _append(dispute.evidence_notes, f"Received: {notes.strip()}", now)
        dispute.save(update_fields=["evidence_received_at", "evidence_notes"])
        _dispute_touch(dispute, now)
    return dispute


def dispute_resolve(
    *, dispute: AuthorizationDispute, resolution: str, by, notes: str = "", now=None
) -> AuthorizationDispute:
    """Close the dispute: authorization upheld, not authorized, or withdrawn."""
    now = _now(now)
    _dispute_open_or_error(dispute)
    allowed = {r for r in AuthorizationDispute.Resolution.values if r}
    if resolution not in allowed:
        raise DomainError("Resolve a dispute as upheld, not authorized or withdrawn.")
    with transaction.atomic():
        dispute.resolution = resolution
        dispute.resolved_at = now
        fields = ["resolution", "resolved_at"]
        if notes.strip():
            dispute.evidence_notes = _append(
                dispute.evidence_notes, f"Resolved: {notes.strip()}", now
            )
            fields.append("evidence_notes")
        dispute.save(update_fields=fields)
        _dispute_touch(dispute, now)
    return dispute


def _append(existing: str, line: str, now) -> str:
    stamp = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
    return "\n".join(part for part in (existing, f"[{stamp}] {line}") if part)
