"""The CSR the losing carrier returned (F1): recorded, compared field by field with the
order, and its mismatches overridden with a reason.
"""

from collections.abc import Iterable

from django.db import transaction

from carriers.end_user import EndUser
from carriers.tn import parse_tn_list
from orders.csr_compare import compare_csr, mismatches
from orders.lifecycle import DomainError, touch
from orders.models import PortInCsr, PortOrder
from orders.services.orders import system_comment
from orders.services.portin._common import (
    EDITABLE_STATUSES,
    CsrStatus,
    _lock,
    _now,
    _require_port_in,
    _sync,
)


def _csr_comparison(order: PortOrder, csr: PortInCsr, order_tns: Iterable[str] | None = None):
    order_values = EndUser.from_instance(order).as_fields()
    csr_values = EndUser.from_instance(csr).as_fields()
    csr_tns = None
    if (csr.tns or "").strip():
        csr_tns, _errors = parse_tn_list(csr.tns)
    if order_tns is None:
        order_tns = list(order.numbers.values_list("tn", flat=True))
    return compare_csr(order_values, csr_values, order_tns=order_tns, csr_tns=csr_tns)


def csr_comparison(order: PortOrder, *, order_tns: Iterable[str] | None = None):
    """The field-by-field comparison for the order page, or None when there is no CSR.

    Pass `order_tns` when the page already loaded the numbers (no extra query).
    """
    try:
        csr = order.csr
    except PortInCsr.DoesNotExist:
        return None
    return _csr_comparison(order, csr, order_tns)


def _recompare(order: PortOrder, csr: PortInCsr) -> None:
    found = mismatches(_csr_comparison(order, csr))
    previous_fields = {m["field"] for m in csr.mismatches}
    csr.mismatches = found
    if not found:
        status = CsrStatus.MATCHED
        csr.override_reason, csr.override_by = "", None
    elif csr.override_reason and {m["field"] for m in found} <= previous_fields:
        status = CsrStatus.OVERRIDDEN  # the override still covers every mismatch
    else:
        status = CsrStatus.MISMATCHED
        csr.override_reason, csr.override_by = "", None
    csr.save(update_fields=["mismatches", "override_reason", "override_by"])
    PortOrder.objects.filter(pk=order.pk).update(csr_status=status)
    order.csr_status = status


def portin_csr_record(
    *,
    order: PortOrder,
    by,
    end_user: EndUser,
    tns: str = "",
    expected_status: str | None = None,
    now=None,
) -> PortInCsr:
    """Record the CSR the losing carrier returned and compare it with the order (F1)."""
    now = _now(now)
    _require_port_in(order)
    if order.csr_status == CsrStatus.NOT_REQUIRED:
        raise DomainError(
            "This order needs no CSR: it is toll-free or its losing carrier does not support CSRs."
        )
    csr_tns, problems = parse_tn_list(tns or "")
    if problems:
        raise DomainError(
            "TNs on the CSR: " + "; ".join(f"line {p.line}: {p.message}" for p in problems[:10])
        )
    tns = "\n".join(csr_tns)
    with transaction.atomic():
        locked = _lock(order, expected_status)
        if locked.status not in EDITABLE_STATUSES:
            raise DomainError(
                f"A CSR is recorded before the LSR is sent (or while fixing a reject), "
                f"not on a {locked.get_status_display()} order."
            )
        csr, _created = PortInCsr.objects.update_or_create(
            order=locked,
            defaults={
                **end_user.cleaned().as_fields(),
                "tns": tns.strip(),
                "recorded_by": by,
                "recorded_at": now,
                "mismatches": [],
                "override_reason": "",
                "override_by": None,
            },
        )
        _recompare(locked, csr)
        touch(locked, now=now)
        _sync(order, locked)
        found = csr.mismatches
        system_comment(
            order,
            "CSR recorded: "
            + (
                "it matches the order."
                if not found
                else "mismatches on " + ", ".join(m["label"] for m in found) + "."
            ),
            now=now,
            by=by,
        )
    return csr


def portin_csr_override(
    *, order: PortOrder, by, reason: str, expected_status: str | None = None, now=None
) -> PortInCsr:
    """Accept the CSR mismatches as they are, with a reason (F1)."""
    now = _now(now)
    _require_port_in(order)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for overriding the CSR mismatch.")
    with transaction.atomic():
        locked = _lock(order, expected_status)
        if locked.csr_status != CsrStatus.MISMATCHED:
            raise DomainError(
                f"There is no CSR mismatch to override (CSR: {locked.get_csr_status_display()})."
            )
        csr = locked.csr
        csr.override_reason = reason[:300]
        csr.override_by = by
        csr.save(update_fields=["override_reason", "override_by"])
        PortOrder.objects.filter(pk=order.pk).update(csr_status=CsrStatus.OVERRIDDEN)
        locked.csr_status = CsrStatus.OVERRIDDEN
        touch(locked, now=now)
        _sync(order, locked)
        labels = ", ".join(m["label"] for m in csr.mismatches)
        system_comment(order, f"CSR mismatch ({labels}) overridden: {reason}", now=now, by=by)
    return csr
