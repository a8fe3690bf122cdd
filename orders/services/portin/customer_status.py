"""The customer's status page (issue 19): what they may correct after a reject (F3) and the
correction itself, the cancel of a draft, and the comments the page shows."""

from __future__ import annotations

from django.db import transaction

from carriers.fields import with_digests
from orders.crypto import encrypt_pin
from orders.lifecycle import DomainError, revision_bump
from orders.models import (
    Comment,
    CustomerResubmission,
    Document,
    PortInCsr,
    PortOrder,
    Rejection,
    Status,
)
from orders.services.orders import document_add
from orders.services.portin._common import S, _now, _sync
from orders.services.portin.cancel import order_cancel
from orders.services.portin.csr import _recompare
from orders.services.portin.customer_access import (
    CUSTOMER_ACTOR,
    Event,
    Visitor,
    _event,
    _require_acting,
    link_resolve,
)
from orders.services.portin.customer_links import Purpose
from orders.services.portin.responses import customer_resubmission_record
from orders.services.portin.versions import lsr_fields

# What each reject reason of the catalogue asks the customer to correct: the order's fields
# the status page lets them change for it ("pin": a new PIN, never shown). A reason not
# listed names no field: the customer answers it with a note or a bill copy.
REASON_FIELDS: dict[str, tuple[str, ...]] = {
    "ACCT": ("account_number",),
    "AUTHNM": ("authorized_person",),
    "BTN": ("btn",),
    "BUSNM": ("account_name",),
    "ADDR": ("service_address", "city", "state", "zip_code"),
    "ZIP": ("zip_code",),
    "PIN": ("pin",),
}


def open_customer_rejections(order: PortOrder) -> list[Rejection]:
    """The rejections returned to the customer and not resolved: what the status page lists."""
    if order.status != S.REJECTED:
        return []
    return list(
        Rejection.objects.filter(
            order=order, resolved_at__isnull=True, returned_to_customer_at__isnull=False
        ).prefetch_related("reasons")
    )


def correctable_fields(rejections) -> list[str]:
    """The order's fields the reasons name, in the order the form shows them."""
    named: list[str] = []
    for rejection in rejections:
        for reason in rejection.reasons.all():
            for name in REASON_FIELDS.get(reason.code, ()):
                if name not in named:
                    named.append(name)
    return named


def _field_label(name: str) -> str:
    return "PIN" if name == "pin" else str(PortOrder._meta.get_field(name).verbose_name)


def customer_corrections_send(
    *,
    token: str,
    changes: dict,
    pin: str = "",
    bill=None,
    note: str = "",
    visitor: Visitor,
    now=None,
) -> CustomerResubmission:
    """The customer corrects what the reject names (and only that), may attach a bill copy
    and a note: the order goes to review (F3, `customer_resubmission_record`), the desk sees
    their changes field by field (`CustomerResubmission`: the LSR before and after)."""
    now = _now(now)
    note = (note or "").strip()
    with transaction.atomic():
        link = link_resolve(token, visitor=visitor, now=now, lock=True)
        order = _require_acting(link, Purpose.STATUS)
        locked = PortOrder.objects.select_for_update().get(pk=order.pk)
        if locked.status != S.REJECTED:
            raise DomainError(
                f"There is nothing to correct: the order is {locked.get_status_display().lower()}."
            )
        allowed = correctable_fields(open_customer_rejections(locked))
        unknown = (set(changes) | ({"pin"} if pin else set())) - set(allowed)
        if unknown:
            raise DomainError(
                "Only what the reject names can be corrected here: "
                + ", ".join(sorted(_field_label(n) for n in unknown))
                + "."
            )
        before = lsr_fields(locked)
        cleaned = {}
        for name, value in changes.items():
            value = (value or "").strip() if isinstance(value, str) else value
            if name == "state":
                value = value.upper()
            if getattr(locked, name) != value:
                cleaned[name] = value
        changed = list(cleaned)
        if not changed and not pin and bill is None and not note:
            raise DomainError(
                "Nothing to send: correct a field, attach a copy of your bill or write a note."
            )
        labels = [_field_label(n) for n in changed] + (["PIN"] if pin else [])
        summary = "Sent through the customer's status link: " + (
            f"changed {', '.join(labels)}" if labels else "no field changed"
        )
        if bill is not None:
            summary += "; a bill copy attached"
        summary += "." + (f" The customer's note: {note}" if note else "")
        customer_resubmission_record(
            order=locked,
            by=None,
            note=summary,
            actor_label=CUSTOMER_ACTOR,
            expected_status=S.REJECTED,
            now=now,
        )
        # After the move (which reloads the row): the customer's values, in review now.
        for name, value in cleaned.items():
            setattr(locked, name, value)
        if pin:
            locked.pin_encrypted = encrypt_pin(pin)
        if changed or pin:
            fields = [*changed, *(["pin_encrypted"] if pin else []), "updated_at"]
            fields.append(revision_bump(locked))
            locked.save(update_fields=with_digests(PortOrder, fields))
            try:
                csr = locked.csr
            except PortInCsr.DoesNotExist:
                csr = None
            if csr is not None:
                _recompare(locked, csr)
        document = None
        if bill is not None:
            document = document_add(
                order=locked, kind=Document.Kind.BILL, uploaded_file=bill, by=None, now=now
            )
        resubmission = CustomerResubmission.objects.create(
            order=locked,
            link=link,
            submitted_at=now,
            before=before,
            after=lsr_fields(locked),
            pin_changed=bool(pin),
            note=note,
            bill=document,
        )
        _event(link, Event.RESUBMITTED, visitor, now, detail=", ".join(labels) or "no field")
        _sync(order, locked)
    return resubmission


def customer_draft_cancel(*, token: str, reason: str, visitor: Visitor, now=None) -> PortOrder:
    """The customer cancels their order before the LSR went out. A cancel through the
    lifecycle, not a request: a draft was never sent to the losing carrier, so there is
    nothing for the desk to undo, and the customer who asked for the port may drop it; the
    desk sees who did it on the timeline and the customer gets the cancellation email."""
    now = _now(now)
    reason = (reason or "").strip()
    with transaction.atomic():
        link = link_resolve(token, visitor=visitor, now=now, lock=True)
        order = _require_acting(link, Purpose.STATUS)
        if order.status != Status.DRAFT:
            raise DomainError(
                "The request was already sent to your current carrier: call or reply to us to "
                "cancel it."
            )
        order_cancel(
            order=order,
            by=None,
            actor_label=CUSTOMER_ACTOR,
            reason="Cancelled by the customer through their status link"
            + (f": {reason}" if reason else "."),
            expected_status=Status.DRAFT,
            now=now,
        )
        _event(link, Event.CANCELLED, visitor, now, detail=reason)
    return order


def customer_comments(order: PortOrder) -> list[Comment]:
    return list(
        order.comments.filter(visibility=Comment.Visibility.CUSTOMER).order_by("-created_at")
    )
