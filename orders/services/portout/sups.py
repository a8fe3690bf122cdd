"""Supplements to an open port-out LSR: cancel, new due date (R9, R10), other changes, and
the manager's decision once too many due-date SUPs flag the order (R12)."""

from __future__ import annotations

import dataclasses
import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from carriers import services as carriers_services
from carriers.end_user import END_USER_FIELDS
from carriers.fields import with_digests
from orders import events
from orders.lifecycle import DomainError, check_unchanged, revision_bump, touch, transition
from orders.models import OrderNumber, PortOrder, Rejection, Status, Supplement
from orders.rules import LsrEvaluation, compute_sup_foc
from orders.rules.base import fmt_day
from orders.rules.dates import effective_receipt
from orders.rules.validation_fields import SUP_FIELDS as R18_SUP_FIELDS
from orders.services.claims import claims_resync

from ._common import OPEN_PORT_OUT, _now, _require_port_out, _user
from .decisions import foc_changes
from .facts import lsr_pin_matched
from .lsr import (
    _number_rows,
    _order_fields_from_lsr,
    _reassess,
    _require_in_window,
    lsr_of,
    lsr_snapshot,
)
from .overrides import blockers_label, open_blockers, overrides_void
from .rejects import _reject

SUP3_FIELDS = (
    "reqtype",
    "act",
    "mi",
    "remarks",
    *END_USER_FIELDS,
    "authorization_indicator",
    "tns",
    "disconnect_tns",
    "expedite",
)


def _sup_interval(order: PortOrder) -> tuple[str, int]:
    kind = (order.rule_evaluation or {}).get("kind") or lsr_of(order).reqtype_kind
    days = carriers_services.interval_business_days(
        kind=kind, tn_count=max(order.tn_count, 1), carrier=order.new_carrier
    )
    return kind, days


def _renumber(order: PortOrder, evaluation: LsrEvaluation) -> None:
    """Rebuild the TN dispositions after a SUP 3 changed the lists (NPAC states kept)."""
    kept = {n.tn: n for n in order.numbers.all()}
    rows = _number_rows(order, evaluation)
    for row in rows:
        old = kept.get(row.tn)
        if old is not None:
            row.npac_status, row.activated_at = old.npac_status, old.activated_at
    order.numbers.all().delete()
    OrderNumber.objects.bulk_create(rows)
    claims_resync(order)  # F7: the TNs to port are what the order claims


def sup_receive(
    *,
    order: PortOrder,
    sup_type: int,
    by,
    received_at: datetime.datetime | None = None,
    requested_due_date: datetime.date | None = None,
    remarks: str = "",
    changes: dict | None = None,
    now=None,
) -> Supplement:
    """A supplement to an open port-out LSR: 1 cancels, 2 changes the due date (R10, R12),
    3 records other changes and re-runs the rules."""
    now = _now(now)
    received_at = received_at or now
    _require_port_out(order)
    _require_in_window(
        now, **{"received": received_at, "new requested due date": requested_due_date}
    )
    if order.status not in OPEN_PORT_OUT:
        raise DomainError(
            f"A supplement applies to an open LSR; this one is {order.get_status_display()}: "
            "the carrier must send a new LSR."
        )
    try:
        sup_type = Supplement.Type(int(sup_type))
    except (TypeError, ValueError):
        raise DomainError(
            "A supplement is of type 1 (cancel), 2 (due date) or 3 (other)."
        ) from None
    with transaction.atomic():
        order = PortOrder.objects.select_for_update().select_related("new_carrier").get(pk=order.pk)
        sup = Supplement(
            order=order,
            sup_type=sup_type,
            received_at=received_at,
            requested_due_date=requested_due_date,
            previous_foc_date=order.foc_date,
            remarks=remarks,
            created_by=_user(by),
        )
        if sup_type == Supplement.Type.CANCEL:
            sup.explanation = "SUP 1: the requesting carrier cancelled the LSR."
            sup.save()
            _record_sup(order, sup)
            transition(order, Status.CANCELLED, actor=by, reason=sup.explanation, now=now)
            return sup
        if sup_type == Supplement.Type.NEW_DUE_DATE:
            _sup_new_due_date(order, sup, now=now)
        else:
            _sup_other_change(order, sup, changes or {}, now=now)
        sup.save()
        _record_sup(order, sup)
        touch(order, now=now)
    return sup


def _record_sup(order: PortOrder, sup: Supplement) -> None:
    """The partner API's events of a SUP received; a SUP 2 that re-issued the FOC (R10) sets
    an FOC too."""
    events.record(
        order,
        events.Kind.LSR_RECEIVED,
        pon=order.pon,
        version=order.version,
        supplement=int(sup.sup_type),
        supplement_id=sup.pk,
        requested_due_date=sup.requested_due_date,
    )
    if sup.new_foc_date is not None:
        events.record(
            order,
            events.Kind.FOC_SET,
            foc_date=sup.new_foc_date,
            previous_foc_date=sup.previous_foc_date,
            supplement_id=sup.pk,
        )


def _sup_new_due_date(order: PortOrder, sup: Supplement, *, now) -> None:
    if sup.requested_due_date is None:
        raise DomainError("A SUP 2 carries the new requested due date.")
    losing = order.losing_carrier
    calendar = carriers_services.calendar_for(losing)
    tz = ZoneInfo(losing.time_zone)
    effective = effective_receipt(
        sup.received_at, calendar=calendar, tz=tz, cutoff=losing.lsr_cutoff
    )
    sup.effective_received_on = effective
    today = now.astimezone(tz).date()
    if sup.requested_due_date < today:
        raise DomainError(
            f"SUP 2: the new requested due date {sup.requested_due_date:%Y-%m-%d} is in the "
            f"past (today is {today:%Y-%m-%d}): ask the carrier for a future date."
        )
    max_days = order.new_carrier.max_due_date_days
    if (sup.requested_due_date - effective).days > max_days:
        raise DomainError(
            f"R9: the SUP's due date {sup.requested_due_date:%Y-%m-%d} is more than {max_days} "
            f"days after its receipt ({effective:%Y-%m-%d}): ask the carrier for a nearer date."
        )
    lsr = dataclasses.replace(lsr_of(order), requested_due_date=sup.requested_due_date)
    order.lsr_snapshot = lsr_snapshot(lsr)
    order.requested_due_date = sup.requested_due_date
    order.due_date_sup_count += 1
    update = {"lsr_snapshot", "requested_due_date", "due_date_sup_count"}
    if order.status == Status.FOC_SENT and order.foc_date is not None:
        kind, days = _sup_interval(order)
        decision = compute_sup_foc(
            sup_received_at=sup.received_at,
            calendar=calendar,
            tz=tz,
            cutoff=losing.lsr_cutoff,
            interval_days=days,
            kind=kind,
            requested_date=sup.requested_due_date,
            established_foc=order.foc_date,
            max_days=max_days,
            reqtype=order.reqtype,
            tn_count=order.tn_count,
        )
        sup.new_foc_date = decision.date
        sup.explanation = decision.explanation[:300]
        for field, value in foc_changes(order, decision.date, decision.explanation).items():
            setattr(order, field, value)
            update.add(field)
    else:
        sup.explanation = (
            f"SUP 2 before the FOC: requested date now {fmt_day(sup.requested_due_date)}; "
            "the rules were re-run."
        )
    threshold = order.new_carrier.sup_threshold or settings.PORTING["SUP_THRESHOLD"]
    if order.due_date_sup_count >= threshold:
        order.sup_flag = PortOrder.Decision.PENDING
        update.add("sup_flag")
        sup.explanation = (
            f"{sup.explanation} Due-date SUP {order.due_date_sup_count} (threshold {threshold}): "
            "flagged for a manager (R12)."
        )[:300]
    order.save(update_fields=sorted(update | {"updated_at", revision_bump(order)}))
    if order.status != Status.FOC_SENT:
        _reassess(order, now=now, lsr=lsr)


def _sup_other_change(order: PortOrder, sup: Supplement, changes: dict, *, now) -> None:
    changes = dict(changes)
    # R18: a PIN on the SUP is checked against the account and dropped, as on the LSR.
    pin = (changes.pop("pin", "") or "").strip()
    unknown = set(changes) - set(SUP3_FIELDS)
    if unknown:
        raise DomainError(f"A SUP 3 cannot change {', '.join(sorted(unknown))}.")
    lsr = lsr_of(order)
    values = {k: (tuple(v) if k in ("tns", "disconnect_tns") else v) for k, v in changes.items()}
    if sup.remarks and "remarks" not in values:
        values["remarks"] = "\n".join(part for part in (lsr.remarks, sup.remarks) if part)
    end_user = {k: values.pop(k) for k in END_USER_FIELDS if k in values}
    lsr = dataclasses.replace(lsr, end_user=dataclasses.replace(lsr.end_user, **end_user), **values)
    order.lsr_snapshot = lsr_snapshot(lsr)
    for field, value in _order_fields_from_lsr(lsr).items():
        setattr(order, field, value)
    if pin:
        order.pin_matched = lsr_pin_matched(pin, lsr.tns)
    # A manager's override judged the old value of a field; a SUP 3 resending it voids that.
    resent = [
        R18_SUP_FIELDS[k] for k in (*changes, *(("pin",) if pin else ())) if k in R18_SUP_FIELDS
    ]
    overrides_void(order=order, fields=resent, now=now)
    evaluation = _reassess(order, now=now, lsr=lsr)
    if "tns" in values or "disconnect_tns" in values:
        _renumber(order, evaluation)
        order.tn_count = len(evaluation.dispositions.port)
        order.is_project_port = order.tn_count >= settings.PORTING["PROJECT_PORT_TNS"]
    fields = [
        "lsr_snapshot",
        "tn_count",
        "is_project_port",
        "updated_at",
        revision_bump(order),
        "pin_matched",
        *_order_fields_from_lsr(lsr),
    ]
    # The account number's keyed hash follows it (carriers.fields).
    order.save(update_fields=with_digests(PortOrder, fields))
    changed = ", ".join(sorted((*changes, *(("PIN",) if pin else ())))) or "remarks"
    failing = blockers_label(open_blockers(order, evaluation.findings))
    sup.explanation = (
        f"SUP 3: changed {changed}; rules re-run"
        + (f", failing {failing}." if failing else ", all pass.")
    )[:300]


def sup_flag_decide(
    *,
    order: PortOrder,
    action: str,
    comment: str,
    by,
    expected_status: str | None = None,
    now=None,
) -> PortOrder:
    """R12: the manager contacts the carrier (flag cleared, comment kept) or rejects the LSR
    asking for a new one with a firm due date."""
    from orders.services.orders import comment_add

    now = _now(now)
    _require_port_out(order)
    if not by.has_perm("orders.decide_sup_flag"):
        raise PermissionDenied("Only a manager decides a SUP-threshold flag.")
    check_unchanged(order, expected_status)
    if order.sup_flag != PortOrder.Decision.PENDING:
        raise DomainError("This order is not flagged for too many due-date supplements.")
    comment = (comment or "").strip()
    if not comment:
        raise DomainError("Say what was decided (a comment is required).")
    with transaction.atomic():
        if action == "contact":
            PortOrder.objects.filter(pk=order.pk).update(sup_flag=PortOrder.Decision.NONE)
            order.sup_flag = PortOrder.Decision.NONE
            comment_add(
                order=order,
                by=by,
                body=f"SUP threshold (R12): the manager contacts the carrier. {comment}",
                now=now,
            )
        elif action == "reject":
            PortOrder.objects.filter(pk=order.pk).update(sup_flag=PortOrder.Decision.REFUSED)
            order.sup_flag = PortOrder.Decision.REFUSED
            _reject(
                order,
                codes=["R12"],
                text=comment,
                source=Rejection.Source.MANAGER,
                by=by,
                now=now,
                expected_status=expected_status,
                reason="Too many due-date supplements (R12): new LSR with a firm date needed.",
            )
        else:
            raise DomainError("Contact the carrier or reject the LSR.")
    return order
