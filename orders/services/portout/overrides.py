"""R18: what still stands between a received LSR and its FOC, and a manager's override of a
validation-field finding (with the reason, in the order's timeline)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from orders.lifecycle import DomainError, check_unchanged, touch
from orders.models import Comment, FindingOverride, PortOrder, Status
from orders.rules import Finding
from orders.rules.validation_fields import OVERRIDABLE_FIELDS, R18, foc_blockers

from ._common import _now, _require_port_out
from .facts import stored_findings
from .lsr import _reassess


def active_overrides(order: PortOrder) -> dict[str, FindingOverride]:
    """The R18 overrides standing on the order, by field."""
    rows = FindingOverride.objects.filter(order=order, rule=R18, voided_at__isnull=True)
    return {o.field: o for o in rows.select_related("by")}


def open_blockers(order: PortOrder, findings: Iterable[Finding] | None = None) -> list[Finding]:
    """Every finding that stops the FOC now: coded rejects and R18 findings not overridden."""
    findings = stored_findings(order) if findings is None else findings
    return foc_blockers(findings, active_overrides(order))


def blockers_label(blockers: Iterable[Finding]) -> str:
    """ "R18-ACCT, R18-PIN, R18 end-user name": the codes, or rule and field for a finding
    without one ("" when nothing stands)."""
    return ", ".join(dict.fromkeys(f.code or f"{f.rule} {f.field_or_tn}" for f in blockers))


def overrides_void(*, order: PortOrder, fields: Iterable[str], now) -> int:
    """A SUP 3 changed these fields: the manager's judgement of the old values no longer holds."""
    return FindingOverride.objects.filter(
        order=order, rule=R18, field__in=list(fields), voided_at__isnull=True
    ).update(voided_at=now)


def finding_override(
    *,
    order: PortOrder,
    field: str,
    reason: str,
    by,
    expected_status: str | None = None,
    now=None,
) -> FindingOverride:
    """A manager overrides the R18 finding on `field` of a received LSR, saying why.

    The rules are re-run first, so only a finding that still stands is overridden; the
    override and its reason go in the timeline (who, when, why).
    """
    now = _now(now)
    _require_port_out(order)
    if not by.has_perm("orders.override_finding"):
        raise PermissionDenied("Only a manager overrides an R18 validation-field finding.")
    check_unchanged(order, expected_status)
    if field not in OVERRIDABLE_FIELDS:
        raise DomainError(f"R18 has no finding on “{field}” to override.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(f"Say why the R18 {field} finding is overridden: a reason is required.")
    with transaction.atomic():
        order = PortOrder.objects.select_for_update().select_related("new_carrier").get(pk=order.pk)
        if order.status != Status.RECEIVED:
            raise DomainError(
                "An R18 finding is overridden before the FOC, on a received LSR; this one is "
                f"{order.get_status_display()}."
            )
        evaluation = _reassess(order, now=now)
        if not any(f.rule == R18 and f.field_or_tn == field for f in evaluation.findings):
            raise DomainError(
                f"No R18 finding on the {field} stands on this LSR: nothing to override."
            )
        if field in active_overrides(order):
            raise DomainError(f"The R18 {field} finding is already overridden on this LSR.")
        override = FindingOverride.objects.create(
            order=order, rule=R18, field=field, by=by, at=now, reason=reason
        )
        Comment.objects.create(
            order=order,
            author=by,
            source=Comment.Source.SYSTEM,
            visibility=Comment.Visibility.INTERNAL,
            body=f"R18 {field} finding overridden by {by.get_username()}: {reason}",
            created_at=now,
        )
        touch(order, now=now)
    return override
