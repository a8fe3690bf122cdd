"""The answers to an LSR: the losing carrier's FOC or reject (F2), and the loop through the
customer when only they can fix a reject (F3; it starts and stops the F4 clock).
"""

import datetime
from collections.abc import Iterable

from django.db import transaction

from carriers.inputs import window_problem
from orders import emails, events
from orders.lifecycle import DomainError, transition
from orders.models import PortOrder, Rejection
from orders.services import outbox
from orders.services.orders import comment_add, f4_auto_cancel_date, rejection_record
from orders.services.portin._common import (
    S,
    _local_today,
    _now,
    _refresh_status_check,
    _require_port_in,
)
from orders.services.portin.customer_tokens import status_link_for_email


def foc_oddities(order: PortOrder, foc_date: datetime.date) -> list[str]:
    """What is unusual about an FOC date the losing carrier gave: a day its calendar has
    closed, or a date before the due date we asked for. Each needs the desk's confirmation."""
    from carriers.services import calendar_for

    found = []
    if not calendar_for(order.losing_carrier).is_business_day(foc_date):
        found.append(f"{foc_date:%a %Y-%m-%d} is not a business day")
    if order.requested_due_date is not None and foc_date < order.requested_due_date:
        found.append(f"it is before the requested due date {order.requested_due_date:%Y-%m-%d}")
    return found


def foc_record(
    *,
    order: PortOrder,
    by,
    foc_date: datetime.date,
    confirmed: bool = False,
    expected_status: str | None = None,
    now=None,
) -> PortOrder:
    """The losing carrier accepted the LSR with a firm order commitment date (F2).

    An FOC on a non-business day or before the requested due date is refused unless the desk
    confirms it (`confirmed`): such a date is more often a typo than the carrier's answer; a
    confirmed one says so in the history."""
    now = _now(now)
    _require_port_in(order)
    if foc_date is None:
        raise DomainError("Enter the FOC date the losing carrier gave.")
    if foc_date < _local_today(now):
        raise DomainError("The FOC date is in the past.")
    problem = window_problem(foc_date, today=_local_today(now), label="FOC date")
    if problem:
        raise DomainError(problem)
    oddities = foc_oddities(order, foc_date)
    if oddities and not confirmed:
        raise DomainError(
            f"FOC date: {' and '.join(oddities)}. Check it with the losing carrier; tick "
            "“confirm” to record it as given."
        )
    note = f" Confirmed by the desk: {' and '.join(oddities)}." if oddities else ""
    with transaction.atomic():
        transition(
            order,
            S.ACCEPTED,
            actor=by,
            reason=f"FOC {foc_date:%Y-%m-%d} from {order.losing_carrier.name}.{note}",
            now=now,
            expected_status=expected_status,
            changes={"foc_date": foc_date},
        )
        _refresh_status_check(order, now)
        outbox.queue(emails.FOC, order=order)
        events.record(order, events.Kind.FOC_SET, foc_date=foc_date)
    return order


def lsp_reject_record(
    *,
    order: PortOrder,
    by,
    reason_codes: Iterable[str],
    text: str = "",
    expected_status: str | None = None,
    now=None,
) -> Rejection:
    """The losing carrier rejected the LSR: the order goes to exception, the desk fixes it (F2).

    A reject of an accepted order voids its FOC date.
    """
    now = _now(now)
    _require_port_in(order)
    reason_codes = list(reason_codes or [])
    with transaction.atomic():
        transition(
            order,
            S.EXCEPTION,
            actor=by,
            reason=f"Rejected by {order.losing_carrier.name}: {', '.join(reason_codes)}"
            + (f". {text.strip()}" if (text or "").strip() else ""),
            now=now,
            expected_status=expected_status,
            changes={"foc_date": None},
        )
        rejection = rejection_record(
            order=order,
            reasons=reason_codes,
            source=Rejection.Source.LOSING_CARRIER,
            text=text,
            by=by,
            now=now,
        )
        events.record_rejected(order, rejection)
        _refresh_status_check(order, now)
    return rejection


def order_return_to_customer(
    *,
    order: PortOrder,
    by,
    reason_codes: Iterable[str] = (),
    message: str = "",
    expected_status: str | None = None,
    now=None,
) -> Rejection:
    """The desk cannot fix it: the customer must act. -> rejected; the customer is emailed
    each reason's title and instructions, and the F4 clock starts (customer_notified_at,
    auto_cancel_on).

    Without reason codes, the open rejection's reasons are returned; with codes that differ
    from them, a new rejection (our validation) records what the customer must fix.
    """
    now = _now(now)
    _require_port_in(order)
    reason_codes = [c for c in (reason_codes or []) if c]
    if not order.notification_email:
        raise DomainError(
            "The order has no customer notification email: add one before returning it, so the "
            "customer learns what to fix."
        )
    with transaction.atomic():
        transition(
            order,
            S.REJECTED,
            actor=by,
            reason="Returned to the customer"
            + (f": {message.strip()}" if (message or "").strip() else "."),
            now=now,
            expected_status=expected_status,
            changes={"customer_notified_at": now, "auto_cancel_on": f4_auto_cancel_date(now)},
        )
        open_rejections = list(
            Rejection.objects.filter(order=order, resolved_at__isnull=True).prefetch_related(
                "reasons"
            )
        )
        open_codes = {r.code for rej in open_rejections for r in rej.reasons.all()}
        if reason_codes and set(reason_codes) != open_codes:
            rejection = rejection_record(
                order=order,
                reasons=reason_codes,
                source=Rejection.Source.VALIDATION,
                text=message,
                by=by,
                returned_to_customer=True,
                now=now,
            )
            returned = [rejection]
        elif open_rejections:
            rejection = open_rejections[0]
            returned = open_rejections
        else:
            raise DomainError("Choose the reasons the customer must act on.")
        Rejection.objects.filter(pk__in=[r.pk for r in open_rejections]).update(
            returned_to_customer_at=now
        )
        reasons = list(
            {r.code: r for rej in returned for r in rej.reasons.order_by("code")}.values()
        )
        # Each reason's title and customer instructions are sent (plain data, no PIN).
        outbox.queue(
            emails.REJECTION,
            order=order,
            context={
                "reasons": [
                    {"code": r.code, "title": r.title, "instructions": r.instructions}
                    for r in reasons
                ],
                "details": message,
                # Issue 19: a status link where the customer corrects what the reasons name.
                **status_link_for_email(order, by=by, now=now),
            },
        )
    return rejection


def customer_resubmission_record(
    *,
    order: PortOrder,
    by,
    note: str,
    actor_label: str = "",
    expected_status: str | None = None,
    now=None,
) -> PortOrder:
    """The customer sent corrections: rejected -> review, where the desk checks them (F3).

    The customer's answer is kept as a comment from the customer. The F4 clock stops: the
    order is no longer rejected (returning it again starts a new one). `by` is the desk
    member who recorded it, or None with `actor_label` when the customer sent it through
    their status link (issue 19, `customer_status`).
    """
    now = _now(now)
    _require_port_in(order)
    note = (note or "").strip()
    if not note:
        raise DomainError("Describe what the customer changed or sent.")
    with transaction.atomic():
        transition(
            order,
            S.REVIEW,
            actor=by,
            actor_label=actor_label,
            reason="The customer resubmitted the order.",
            now=now,
            expected_status=expected_status,
            changes={"auto_cancel_on": None},
        )
        comment_add(
            order=order,
            by=by,
            body=note,
            visibility="internal",
            source="customer",
            now=now,
        )
    return order
