"""The order's own data: the end user's fields and PIN while the order is editable, the
R17 simple-port override, and the audited PIN reveal.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from carriers.fields import with_digests
from orders.crypto import PinDecryptionError, decrypt_pin, encrypt_pin
from orders.lifecycle import DomainError, check_revision, revision_bump, touch
from orders.models import PinRevealAudit, PortInCsr, PortOrder
from orders.services.orders import system_comment
from orders.services.portin._common import (
    EDITABLE_FIELDS,
    EDITABLE_STATUSES,
    _local_today,
    _lock,
    _now,
    _require_port_in,
    _sync,
)
from orders.services.portin.csr import _recompare


def portin_order_update(
    *,
    order: PortOrder,
    by,
    changes: dict,
    pin: str = "",
    expected_status: str | None = None,
    expected_revision: int | None = None,
    now=None,
) -> list[str]:
    """Fix the order's end-user data (draft, exception or review); a new PIN replaces the old.

    `expected_revision` is the revision the edit form showed: a save over a newer one is
    refused (OrderChanged), since the form's unchanged fields would silently undo it.
    Re-runs the CSR comparison. Returns the labels of the fields that changed; the timeline
    records which fields changed, never their values (account number, PIN).
    """
    now = _now(now)
    _require_port_in(order)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        locked = _lock(order, expected_status)
        check_revision(locked, expected_revision)
        if locked.status not in EDITABLE_STATUSES:
            raise DomainError(
                f"The order's data can be changed in draft, exception or review, "
                f"not when it is {locked.get_status_display()}."
            )
        due = changes.get("requested_due_date", locked.requested_due_date)
        if (
            "requested_due_date" in changes
            and due != locked.requested_due_date
            and due is not None
            and due < _local_today(now)
        ):
            raise DomainError("The requested due date is in the past.")
        changed = []
        for name, value in changes.items():
            if isinstance(value, str):
                value = value.strip()
                if name == "state":
                    value = value.upper()
            if getattr(locked, name) != value:
                setattr(locked, name, value)
                changed.append(name)
        if pin:
            locked.pin_encrypted = encrypt_pin(pin)
            changed.append("pin_encrypted")
        if not changed:
            return []
        # with_digests: a changed account number takes its keyed hash along (carriers.fields).
        fields = [*changed, "updated_at", revision_bump(locked)]
        locked.save(update_fields=with_digests(PortOrder, fields))
        try:
            csr = locked.csr
        except PortInCsr.DoesNotExist:
            csr = None
        if csr is not None:
            _recompare(locked, csr)
        touch(locked, now=now)
        _sync(order, locked)
        labels = [
            "PIN" if name == "pin_encrypted" else PortOrder._meta.get_field(name).verbose_name
            for name in changed
        ]
        system_comment(
            order,
            f"Order details changed by {by.get_username()}: {', '.join(labels)}.",
            now=now,
            by=by,
        )
    return labels


def simple_port_override(
    *,
    order: PortOrder,
    by,
    simple: bool | None,
    reason: str = "",
    expected_revision: int | None = None,
    now=None,
) -> PortOrder:
    """R17: staff decide the simple-port classification (None: back to the derived one).
    A page that saw an older revision of the order is refused (OrderChanged)."""
    now = _now(now)
    reason = (reason or "").strip()
    if simple is not None and not reason:
        raise DomainError("Give the reason for overriding the simple-port classification.")
    with transaction.atomic():
        locked = PortOrder.objects.select_for_update().get(pk=order.pk)
        check_revision(locked, expected_revision)
        locked.simple_port_override = simple
        locked.simple_port_override_by = by if simple is not None else None
        locked.simple_port_override_reason = reason[:300] if simple is not None else ""
        locked.save(
            update_fields=[
                "simple_port_override",
                "simple_port_override_by",
                "simple_port_override_reason",
                "updated_at",
                revision_bump(locked),
            ]
        )
        _sync(order, locked)
        touch(order, now=now)
        if simple is None:
            body = "Simple-port override removed: the derived classification applies."
        else:
            body = (
                f"Simple-port classification overridden to "
                f"{'simple' if simple else 'not simple'}: {reason}"
            )
        system_comment(order, body, now=now, by=by)
    return order


def pin_reveal(*, order: PortOrder, by, now=None) -> str:
    """The decrypted PIN, for a user allowed to see it; every reveal is audited."""
    if not by.has_perm("orders.reveal_pin"):
        raise PermissionDenied("Revealing a PIN needs the reveal-PIN permission.")
    if not order.pin_encrypted:
        raise DomainError("This order has no PIN.")
    try:
        pin = decrypt_pin(order.pin_encrypted)
    except PinDecryptionError as exc:
        raise DomainError(str(exc)) from exc
    PinRevealAudit.objects.create(order=order, user=by, revealed_at=_now(now))
    return pin
