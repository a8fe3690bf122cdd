"""Sending the LSR to the losing carrier: from draft, and again once the desk fixed a reject
(exception) or reviewed the customer's changes (review). Refused while the CSR is pending
or mismatched (F1).
"""

from django.db import transaction

from orders.lifecycle import DomainError, transition
from orders.models import Document, OrderNumber, PortOrder
from orders.services.orders import rejections_resolve
from orders.services.portin._common import (
    CsrStatus,
    S,
    _local_today,
    _locked_in,
    _now,
    _refresh_status_check,
    _require_port_in,
)
from orders.services.portin.documents import send_lsr
from orders.services.portin.versions import Reason, lsr_version_record, next_version


def _require_csr_ready(order: PortOrder) -> None:
    if order.csr_status == CsrStatus.PENDING:
        raise DomainError(
            f"{order.losing_carrier.name} supports CSRs: record the CSR it returned before "
            "sending the LSR, so the order can be checked against it (F1)."
        )
    if order.csr_status == CsrStatus.MISMATCHED:
        fields = ", ".join(m["label"] for m in order.csr.mismatches) or "some fields"
        raise DomainError(
            f"The order does not match the CSR ({fields}): fix the order or override the "
            "mismatch with a reason before sending the LSR (F1)."
        )


def _require_lsr_complete(order: PortOrder, now) -> None:
    missing = [
        PortOrder._meta.get_field(name).verbose_name
        for name in ("account_name", "authorized_person")
        if not getattr(order, name)
    ]
    if order.route != PortOrder.Route.SOMOS:
        missing += [
            PortOrder._meta.get_field(name).verbose_name
            for name in ("btn", "service_address", "zip_code")
            if not getattr(order, name)
        ]
    if order.requested_due_date is None:
        missing.append("requested due date")
    if missing:
        raise DomainError(f"The LSR cannot be sent without: {', '.join(missing)}.")
    if order.requested_due_date < _local_today(now):
        raise DomainError("The requested due date has passed: set a new one before sending.")
    if not order.authorization_indicator:
        raise DomainError("The end user's authorization (LOA) is not indicated on the order.")
    if not order.numbers.filter(disposition=OrderNumber.Disposition.PORT).exists():
        raise DomainError("The order has no TNs to port.")


def _require_loa(order: PortOrder) -> None:
    """Issue 19: a losing carrier that requires the end user's LOA gets no LSR without one
    on file (signed through the customer's link, or uploaded by the desk)."""
    if not order.losing_carrier.requires_loa:
        return
    if not Document.objects.filter(order=order, kind=Document.Kind.LOA).exists():
        raise DomainError(
            f"{order.losing_carrier.name} requires the end user's LOA: send the customer the "
            "LOA link, or upload the signed LOA, before sending the LSR."
        )


def order_submit(
    *,
    order: PortOrder,
    by,
    send_to: str = "",
    expected_status: str | None = None,
    now=None,
) -> PortOrder:
    """Send the LSR to the losing carrier (directly, via the peer, or Somos): draft -> submitted.

    Refused while the CSR is pending or mismatched (F1) and when the LSR lacks a field. The
    LSR document is made and its email owed in this transaction (`send_to`: the address the
    desk entered when the carrier has no LSR contact).
    """
    now = _now(now)
    _require_port_in(order)
    with transaction.atomic():
        locked = _locked_in(order, expected_status, S.DRAFT, "submitted")
        _require_csr_ready(locked)
        # The LOA first: where the carrier requires one, it is also what indicates the
        # end user's authorization (signing it through the link sets the indicator).
        _require_loa(locked)
        _require_lsr_complete(locked, now)
        transition(
            order,
            S.SUBMITTED,
            actor=by,
            reason=f"LSR sent to {locked.losing_carrier.name} ({locked.get_route_display()}).",
            now=now,
            expected_status=S.DRAFT,
            changes={"submitted_at": now},
        )
        lsr_version_record(order=order, by=by, reason=Reason.SUBMITTED, now=now)
        send_lsr(order, by=by, send_to=send_to, now=now)
        _refresh_status_check(order, now)
    return order


def exception_resend(
    *,
    order: PortOrder,
    by,
    note: str = "",
    send_to: str = "",
    expected_status: str | None = None,
    now=None,
) -> PortOrder:
    """The desk fixed the reject itself and sent the LSR again: exception -> submitted (F2)."""
    return _resend(
        order=order,
        by=by,
        from_status=S.EXCEPTION,
        reason=(note or "").strip() or "Fixed by the desk and resent to the losing carrier.",
        action="resent after a fix",
        version_reason=Reason.RESENT_AFTER_FIX,
        note=note,
        send_to=send_to,
        expected_status=expected_status,
        now=now,
    )


def _resend(
    *, order, by, from_status, reason, action, version_reason, note, send_to, expected_status, now
) -> PortOrder:
    """Back to submitted with the LSR sent again (F2, F3) under the next VER: the open
    rejections are resolved and the status-check clock starts over."""
    now = _now(now)
    _require_port_in(order)
    with transaction.atomic():
        locked = _locked_in(order, expected_status, from_status, action)
        _require_csr_ready(locked)
        transition(
            order,
            S.SUBMITTED,
            actor=by,
            reason=reason,
            now=now,
            expected_status=from_status,
            changes={"submitted_at": now, **next_version(locked)},
        )
        lsr_version_record(order=order, by=by, reason=version_reason, note=note, now=now)
        send_lsr(order, by=by, note=note, send_to=send_to, now=now)
        rejections_resolve(order=order, now=now)
        _refresh_status_check(order, now)
    return order


def review_resend(
    *,
    order: PortOrder,
    by,
    note: str = "",
    send_to: str = "",
    expected_status: str | None = None,
    now=None,
) -> PortOrder:
    """The desk reviewed the customer's changes and sent the LSR again: review -> submitted."""
    return _resend(
        order=order,
        by=by,
        from_status=S.REVIEW,
        reason=(note or "").strip() or "Customer's changes reviewed; LSR resent.",
        action="resent after review",
        version_reason=Reason.RESENT_AFTER_REVIEW,
        note=note,
        send_to=send_to,
        expected_status=expected_status,
        now=now,
    )
