"""LSR intake (R7, R13-R16): log an LSR from another carrier as a port-out order with its
numbers, the rules' findings and the FOC proposal; read an order's LSR back; re-run the rules.

Never stored, logged or returned: the PIN offered on an LSR (only whether it matched).
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from carriers.end_user import EndUser
from carriers.models import SPID, Carrier
from orders import events
from orders.lifecycle import (
    INITIAL_STATUS,
    DomainError,
    record_initial_status,
    touch,
    transition,
)
from orders.models import Direction, OrderNumber, PortOrder, Rejection, Status
from orders.rules import Finding, LsrData, LsrEvaluation, assess_lsr, classify_simple_port
from orders.rules.base import fmt_tn_list
from orders.services.claims import claims_held_elsewhere, claims_write

from . import protection
from ._common import Disposition, _now, _require_port_out, _user
from .facts import _evaluation_json, _facts, lsr_facts
from .rejects import _findings_text, _reject_at_intake

# The PON an LSR without one is logged under (R16): clearly not a carrier's PON.
MISSING_PON = "(no PON)"


def _number_rows(order: PortOrder, evaluation: LsrEvaluation) -> list[OrderNumber]:
    split = evaluation.dispositions
    return [
        *(OrderNumber(order=order, tn=tn, disposition=Disposition.PORT) for tn in split.port),
        *(
            OrderNumber(order=order, tn=tn, disposition=Disposition.DISCONNECT)
            for tn in split.disconnect
        ),
        *(OrderNumber(order=order, tn=tn, disposition=Disposition.REMAIN) for tn in split.remain),
    ]


def _losing_spid(inventory, tns):
    for tn in tns:
        result = inventory.get(tn)
        if result is not None and result.is_ours and result.spid is not None:
            return result.spid
    return None


def _end_user_fields(lsr: LsrData) -> dict:
    end_user = lsr.end_user.cleaned()
    return dataclasses.replace(end_user, state=end_user.state[:2]).as_fields()


def _order_fields_from_lsr(lsr: LsrData) -> dict:
    return {
        "reqtype": lsr.reqtype.strip().upper()[:2],
        "act": lsr.act.strip().upper()[:1],
        "mi": lsr.mi.strip().upper()[:1],
        "requested_due_date": lsr.requested_due_date,
        "expedite": lsr.expedite,
        **_end_user_fields(lsr),
        "authorization_indicator": bool(lsr.authorization_indicator),
        "remarks": lsr.remarks,
    }


def lsr_receive(
    *,
    requesting_carrier: Carrier,
    lsr: LsrData,
    pin: str = "",
    new_spid: SPID | None = None,
    by=None,
    now=None,
) -> PortOrder:
    """Log an LSR from another carrier as a port-out order and run every rule on it.

    PON + VER is unique per requesting carrier; a higher VER of a known PON is a new version
    that supersedes the latest one (an open earlier version is cancelled). The order gets its
    numbers with their dispositions (R13: port, disconnect, remain), the rules' findings and
    the FOC proposal; the desk then decides (`lsr_decide`). The PIN, if any, is checked against
    the account and dropped: only `pin_matched` is kept.
    """
    now = _now(now)
    if requesting_carrier.is_ours:
        raise DomainError("A port-out LSR comes from another carrier, not from one of ours.")
    if new_spid is not None and new_spid.carrier_id != requesting_carrier.pk:
        raise DomainError(f"SPID {new_spid} is not one of {requesting_carrier}'s SPIDs.")
    _require_in_window(
        now, **{"requested due date": lsr.requested_due_date, "received": lsr.received_at}
    )
    pon = lsr.pon.strip()
    # R16: an LSR without a PON is still logged, so the reject has a record, under a marked
    # placeholder (PON + VER is unique per requester); its snapshot keeps the PON empty, so
    # the findings go on saying "PON missing".
    order_pon = pon or MISSING_PON
    lsr = dataclasses.replace(lsr, pon=pon, received_at=lsr.received_at or now)
    with transaction.atomic():
        earlier = list(
            PortOrder.objects.select_for_update()
            .filter(direction=Direction.PORT_OUT, new_carrier=requesting_carrier, pon=order_pon)
            .order_by("-version")
        )
        latest = earlier[0] if earlier else None
        version = lsr.version if pon else None
        if version is None:
            # R16 rejects it; it still needs a free version number to be recorded.
            version = latest.version + 1 if latest else 1
        elif any(o.version == version for o in earlier):
            raise DomainError(
                f"PON {pon} VER {version} from {requesting_carrier} is already logged: a new "
                "version of the request needs a higher VER."
            )
        elif latest is not None and version < latest.version:
            raise DomainError(
                f"PON {pon} from {requesting_carrier} is already at VER {latest.version}: "
                f"VER {version} is older; a new version needs a higher VER."
            )
        # Placeholder-PON LSRs are unrelated to each other: none supersedes another.
        supersedes = latest if lsr.version is not None and pon else None

        context = _facts(
            tns=lsr.tns,
            extra_tns=lsr.disconnect_tns,
            requesting_carrier=requesting_carrier,
            reqtype_kind=lsr.reqtype_kind,
            offered_account_number=lsr.end_user.account_number,
            pin=pin,
        )
        evaluation = assess_lsr(lsr, context.facts)
        try:
            with transaction.atomic():
                order = _create_order(
                    lsr=lsr,
                    pon=order_pon,
                    version=version,
                    supersedes=supersedes,
                    evaluation=evaluation,
                    context=context,
                    requesting_carrier=requesting_carrier,
                    new_spid=new_spid,
                    by=by,
                    now=now,
                )
        except IntegrityError:
            raise DomainError(
                f"PON {order_pon} VER {version} from {requesting_carrier} was logged by someone "
                "else a moment ago: open it from the order list."
            ) from None
        record_initial_status(
            order,
            actor=by,
            reason=f"LSR PON {order_pon} VER {version} received from {requesting_carrier}.",
            now=now,
        )
        OrderNumber.objects.bulk_create(_number_rows(order, evaluation))
        events.record(
            order,
            events.Kind.LSR_RECEIVED,
            pon=order.pon,
            version=version,
            supplement=None,
            tn_count=order.tn_count,
            supersedes=supersedes.pk if supersedes is not None else None,
            findings=[{"rule": f.rule, "code": f.code} for f in evaluation.findings],
        )
        if supersedes is not None and supersedes.is_open:
            transition(
                supersedes,
                Status.CANCELLED,
                actor=by,
                reason=f"Superseded by VER {version} of the same PON.",
                now=now,
            )
        _reject_incomplete(order, evaluation, by=by, now=now)
        # R19: a locked account is rejected at once; every holder is told, whatever the outcome.
        protection.lsr_intake_protection(
            order=order,
            lsr=lsr,
            evaluation=evaluation,
            inventory=context.facts.inventory,
            by=by,
            now=now,
        )
        # F7: claimed only now, once the superseded version is closed and has let go of
        # them. A TN another open port-out holds gets the LSR rejected at once (the reply and
        # the holder's notice keep their record); only a request racing this one to the same
        # TN still refuses it and rolls all of it back.
        if order.is_open:
            held = claims_held_elsewhere(order, evaluation.dispositions.port)
            if held:
                _reject_pending(order, held, evaluation, by=by, now=now)
            else:
                claims_write((order, tn) for tn in evaluation.dispositions.port)
    return order


def _reject_pending(order: PortOrder, held: dict, evaluation: LsrEvaluation, *, by, now) -> None:
    """F7: TNs already on another open port request. The requester is told which TNs, never
    whose request holds them; the history names the other order for the desk."""
    tns = sorted(held)
    listed = fmt_tn_list(tns)
    text = "\n".join(
        part
        for part in (
            f"F7 TNs: {listed} already on a pending port request with us.",
            _findings_text(evaluation.rejects),
        )
        if part
    )
    first = held[tns[0]]
    held_finding = Finding("F7", listed, "already on a pending port request with us.", "F7")
    _reject_at_intake(
        order,
        findings=[held_finding, *evaluation.rejects],
        codes=list(dict.fromkeys(["F7", *evaluation.reject_codes])),
        text=text,
        source=Rejection.Source.VALIDATION,
        by=by,
        now=now,
        expected_status=None,
        reason=(
            f"LSR rejected at once (F7): {listed} already on open port-out order "
            f"{first.pon} v{first.version} (order #{first.pk})."
        ),
    )


def _require_in_window(now, **dates) -> None:
    """Dates typed far outside the working window (9999, 2101, 0202) are refused, naming the
    field, before the business-day calendar is asked about them."""
    from carriers.inputs import window_problem

    for label, value in dates.items():
        problem = window_problem(value, today=timezone.localdate(now), label=label)
        if problem:
            raise DomainError(problem)


def _reject_incomplete(order: PortOrder, evaluation: LsrEvaluation, *, by, now) -> None:
    """R16: an LSR missing an OBF-required field is rejected at once, naming the fields; the
    desk has nothing to judge and the requesting carrier gets its answer on record. The one
    reply lists every other failing rule too, so the carrier fixes everything in one go."""
    missing = [f for f in evaluation.findings if f.rule == "R16"]
    if not missing:
        return
    fields = ", ".join(f.field_or_tn for f in missing)
    _reject_at_intake(
        order,
        findings=evaluation.rejects,
        codes=list(dict.fromkeys(["R16", *evaluation.reject_codes])),
        text=_findings_text(evaluation.rejects),
        source=Rejection.Source.VALIDATION,
        by=by,
        now=now,
        expected_status=None,
        reason=f"LSR rejected at once (R16): missing {fields}.",
    )


def _create_order(
    *, lsr, pon, version, supersedes, evaluation, context, requesting_carrier, new_spid, by, now
) -> PortOrder:
    """The order row for a received LSR; the PIN was only compared (by `_facts`), never
    stored."""
    facts = context.facts
    tn_count = len(evaluation.dispositions.port)
    return PortOrder.objects.create(
        direction=Direction.PORT_OUT,
        status=INITIAL_STATUS[Direction.PORT_OUT],
        pon=pon,
        version=version,
        supersedes=supersedes,
        simple_port=evaluation.simple.is_simple,
        tn_count=tn_count,
        is_project_port=tn_count >= settings.PORTING["PROJECT_PORT_TNS"],
        losing_carrier=context.losing_carrier,
        losing_spid=_losing_spid(facts.inventory, lsr.tns),
        new_carrier=requesting_carrier,
        new_spid=new_spid,
        pin_matched=facts.pin_matched,
        **protection.intake_fields(inventory=facts.inventory, lsr=lsr, evaluation=evaluation),
        created_by=_user(by),
        received_at=lsr.received_at,
        effective_received_on=evaluation.foc.effective_receipt if evaluation.foc else None,
        last_activity_at=now,
        lsr_snapshot=lsr_snapshot(lsr),
        rule_evaluation=_evaluation_json(evaluation, now),
        **_order_fields_from_lsr(lsr),
    )


def lsr_snapshot(lsr: LsrData) -> dict:
    """The LSR as kept on the order, without its account number: that is CPNI, kept only in
    the order's encrypted column (R18), and `lsr_of` puts it back."""
    data = lsr.as_dict()
    data.pop("account_number", None)
    return data


def lsr_of(order: PortOrder) -> LsrData:
    """The LSR of a port-out order: the snapshot taken at intake or, for an order made some
    other way (admin, demo data), the order's own fields and numbers."""
    if order.lsr_snapshot:
        lsr = LsrData.from_dict(order.lsr_snapshot)
        end_user = dataclasses.replace(lsr.end_user, account_number=order.account_number)
        return dataclasses.replace(lsr, end_user=end_user)
    numbers = list(order.numbers.all())
    return LsrData(
        pon=order.pon,
        version=order.version,
        reqtype=order.reqtype,
        act=order.act,
        mi=order.mi,
        requested_due_date=order.requested_due_date,
        expedite=order.expedite,
        tns=tuple(n.tn for n in numbers if n.disposition == Disposition.PORT),
        disconnect_tns=tuple(n.tn for n in numbers if n.disposition == Disposition.DISCONNECT),
        remarks=order.remarks,
        end_user=EndUser.from_instance(order),
        authorization_indicator=order.authorization_indicator,
        received_at=order.received_at or order.created_at,
    )


def _reassess(order: PortOrder, *, now, lsr: LsrData | None = None) -> LsrEvaluation:
    """Re-run the rules on the stored LSR with today's inventory; store the results."""
    lsr = lsr or lsr_of(order)
    facts = lsr_facts(
        lsr,
        requesting_carrier=order.new_carrier,
        simple_port_override=order.simple_port_override,
        pin_matched=order.pin_matched,
    )
    evaluation = assess_lsr(lsr, facts)
    order.rule_evaluation = _evaluation_json(evaluation, now)
    # `simple_port` keeps the FCC classification itself; a staff override lives beside it.
    classification = evaluation.simple
    if classification.overridden:
        unforced = dataclasses.replace(facts, simple_port_override=None)
        classification = classify_simple_port(evaluation.dispositions.port, unforced)
    order.simple_port = classification.is_simple
    # The risk queue follows the latest run: a SUP that fixes an R18 field takes it off.
    order.validation_mismatch = protection.has_validation_mismatch(evaluation.findings)
    PortOrder.objects.filter(pk=order.pk).update(
        rule_evaluation=order.rule_evaluation,
        simple_port=order.simple_port,
        validation_mismatch=order.validation_mismatch,
    )
    return evaluation


def lsr_rerun(*, order: PortOrder, by=None, now=None) -> list[Finding]:
    """Re-run the rules (inventory or simple-port override changed) and return the findings."""
    now = _now(now)
    _require_port_out(order)
    with transaction.atomic():
        evaluation = _reassess(order, now=now)
        touch(order, now=now)
    return list(evaluation.findings)
