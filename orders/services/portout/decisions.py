"""The desk's decision on a received LSR: the FOC (R8, with the R11 port window) or a coded
reject, and a manager's answer to an expedite inside the interval (R8)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction

from carriers import services as carriers_services
from orders import events
from orders.lifecycle import DomainError, check_unchanged, transition
from orders.models import AuthorizationDispute, PortOrder, Rejection, Status
from orders.rules import expedite_outcome

from ._common import _now, _require_port_out
from .facts import stored_foc
from .lsr import _reassess
from .notices import send_expedite_outcome, send_foc_notice, send_reject_notice
from .overrides import blockers_label, open_blockers
from .rejects import _findings_text, _reject


def _port_window_end(order: PortOrder, foc_date: datetime.date) -> datetime.date:
    """R11: the last business day the new carrier may still port on (FOC + window)."""
    losing = order.losing_carrier
    calendar = carriers_services.calendar_for(losing)
    return calendar.add_business_days(foc_date, losing.port_window_business_days)


def foc_changes(order: PortOrder, foc_date: datetime.date, explanation: str) -> dict:
    return {
        "foc_date": foc_date,
        "foc_explanation": explanation[:300],
        "port_window_ends_on": _port_window_end(order, foc_date),
    }


def _record_foc(order: PortOrder, foc_date: datetime.date, **data) -> None:
    """The partner API's events of an FOC sent: the FOC date, and the LSR decided."""
    events.record(order, events.Kind.FOC_SET, foc_date=foc_date, **data)
    events.record(order, events.Kind.LSR_DECIDED, decision="foc", foc_date=foc_date, **data)


def _open_disputes(order: PortOrder) -> bool:
    return order.disputes.filter(resolution=AuthorizationDispute.Resolution.OPEN).exists()


def may_decide_expedite(user) -> bool:
    return user is not None and user.has_perm("orders.decide_expedite")


def require_expedite_decider(order: PortOrder, by) -> None:
    """Only a manager decides an order waiting for an expedite decision (R8): the FOC at
    either date, and a reject too, which would otherwise bypass the manager's call."""
    if order.status == Status.EXPEDITE_REVIEW and not may_decide_expedite(by):
        raise PermissionDenied(
            "This order waits for a manager's expedite decision: only a manager decides it, "
            "reject included."
        )


def lsr_decide(
    *,
    order: PortOrder,
    decision: str,
    by,
    reason_codes: Sequence[str] = (),
    text: str = "",
    expected_status: str | None = None,
    send_to: str = "",
    now=None,
) -> PortOrder:
    """Send the FOC or the reject for a received LSR.

    The FOC or reject notice goes to the requester's LSR contact (or `send_to`, the address
    the desk entered) through the outbox, in this transaction (issue 17).

    The rules are re-run first. `decision="reject"` rejects with every failing rule as a coded
    reason (plus any `reason_codes` the desk adds); `decision="foc"` refuses while a rule fails
    or an authorization dispute is open, sends an expedite inside the interval to a manager
    (expedite_review) and otherwise sends the computed FOC.
    """
    now = _now(now)
    _require_port_out(order)
    if decision not in ("foc", "reject"):
        raise DomainError("Decide with an FOC or a reject.")
    check_unchanged(order, expected_status)
    # An order waiting for an expedite decision is a manager's, reject included; the
    # lifecycle re-checks under the row lock that the status is still the one seen here.
    require_expedite_decider(order, by)
    with transaction.atomic():
        evaluation = _reassess(order, now=now)
        # R18: a finding a manager overrode neither stops the FOC nor goes on a reject.
        blockers = open_blockers(order, evaluation.findings)
        coded = [f for f in blockers if f.code]
        if decision == "reject":
            codes = list(dict.fromkeys((*(f.code for f in coded), *reason_codes)))
            if not codes:
                raise DomainError(
                    ("No failing rule carries a reject code" if blockers else "Every rule passes")
                    + ": choose a reason from the catalogue to reject anyway."
                )
            details = _findings_text(coded)
            details = "\n".join(part for part in (details, text.strip()) if part)
            rejection = _reject(
                order,
                codes=codes,
                text=details,
                source=Rejection.Source.VALIDATION,
                by=by,
                now=now,
                expected_status=expected_status,
                reason=f"LSR rejected: {', '.join(codes)}.",
            )
            events.record(
                order, events.Kind.LSR_DECIDED, decision="reject", rejection_id=rejection.pk
            )
            send_reject_notice(order, rejection, coded, by=by, send_to=send_to, now=now)
            return order
        if order.status != Status.RECEIVED:
            raise DomainError(
                f"An FOC is sent for a received LSR; this one is {order.get_status_display()}."
            )
        if blockers:
            raise DomainError(
                f"The LSR fails {blockers_label(blockers)}: no FOC until each is resolved. "
                "Send a reject listing them, have the carrier fix the LSR with a SUP 3, or "
                "(R18) have a manager override a finding with a reason."
            )
        if _open_disputes(order):
            raise DomainError(
                "An authorization dispute is open on this order (R6): resolve it first."
            )
        foc = evaluation.foc
        if foc is None or foc.date is None:
            raise DomainError("No FOC date can be computed for this LSR.")
        if foc.needs_expedite_review:
            transition(
                order,
                Status.EXPEDITE_REVIEW,
                actor=by,
                reason="Expedite inside the interval: a manager accepts or refuses it (R8).",
                now=now,
                expected_status=expected_status,
                changes={
                    "expedite_decision": PortOrder.Decision.PENDING,
                    "foc_explanation": foc.explanation[:300],
                },
            )
            return order
        transition(
            order,
            Status.FOC_SENT,
            actor=by,
            reason=f"FOC {foc.date:%Y-%m-%d} sent.",
            now=now,
            expected_status=expected_status,
            changes=foc_changes(order, foc.date, foc.explanation),
        )
        _record_foc(order, foc.date)
        send_foc_notice(order, by=by, send_to=send_to, now=now)
    return order


def expedite_decide(
    *,
    order: PortOrder,
    accept: bool,
    by,
    expected_status: str | None = None,
    send_to: str = "",
    now=None,
) -> PortOrder:
    """R8: a manager accepts (FOC at the requested date) or refuses (FOC at the interval)."""
    now = _now(now)
    _require_port_out(order)
    if not may_decide_expedite(by):
        raise PermissionDenied("Only a manager decides an expedite.")
    check_unchanged(order, expected_status)
    if order.status != Status.EXPEDITE_REVIEW:
        raise DomainError("This order has no expedite waiting for a decision.")
    foc = stored_foc(order)
    if foc is None or foc.date is None:
        raise DomainError("No FOC proposal is stored: re-run the rules first.")
    foc_date, explanation = expedite_outcome(foc, accepted=accept)
    changes = foc_changes(order, foc_date, explanation)
    changes["expedite_decision"] = (
        PortOrder.Decision.ACCEPTED if accept else PortOrder.Decision.REFUSED
    )
    verdict = "accepted" if accept else "refused"
    with transaction.atomic():
        transition(
            order,
            Status.FOC_SENT,
            actor=by,
            reason=f"Expedite {verdict}: FOC {foc_date:%Y-%m-%d} sent.",
            now=now,
            expected_status=expected_status,
            changes=changes,
        )
        _record_foc(order, foc_date, expedite="accepted" if accept else "refused")
        send_expedite_outcome(order, accepted=accept, by=by, send_to=send_to, now=now)
    return order
