"""LSR intake (R7, R13-R16): log an LSR from another carrier as a port-out order with its
numbers, the rules' findings and the FOC proposal; read an order's LSR back; re-run the rules.

Never stored, logged or returned: the PIN offered on an LSR (only whether it matched).
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db import IntegrityError, transaction

from carriers.models import SPID, Carrier
from orders.lifecycle import (
    INITIAL_STATUS,
    DomainError,
    record_initial_status,
    touch,
    transition,
)
from orders.models import Direction, OrderNumber, PortOrder, Status
from orders.rules import Finding, LsrData, LsrEvaluation, assess_lsr, classify_simple_port

from ._common import Disposition, _now, _require_port_out, _user
from .facts import _evaluation_json, _facts, lsr_facts


def _pin_matched(pin: str, inventory, tns) -> bool | None:
    """Whether the PIN offered on the LSR matches every account being ported (None: no PIN)."""
    if not pin:
        return None
    accounts = {}
    for tn in tns:
        result = inventory.get(tn)
        if result is not None and result.account is not None:
            accounts[result.account.pk] = result.account
    return bool(accounts) and all(a.check_pin(pin) for a in accounts.values())


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


def _order_fields_from_lsr(lsr: LsrData) -> dict:
    return {
        "reqtype": lsr.reqtype.strip().upper()[:2],
        "act": lsr.act.strip().upper()[:1],
        "mi": lsr.mi.strip().upper()[:1],
        "requested_due_date": lsr.requested_due_date,
        "expedite": lsr.expedite,
        "account_name": lsr.account_name.strip(),
        "account_number": lsr.account_number.strip(),
        "btn": lsr.btn.strip(),
        "authorized_person": lsr.authorized_person.strip(),
        "service_address": lsr.service_address.strip(),
        "city": lsr.city.strip(),
        "state": lsr.state.strip().upper()[:2],
        "zip_code": lsr.zip_code.strip(),
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
    pon = lsr.pon.strip()
    if not pon:
        raise DomainError(
            "An LSR without a PON cannot be logged: reply to the carrier that the PON is "
            "missing (R16)."
        )
    lsr = dataclasses.replace(lsr, pon=pon, received_at=lsr.received_at or now)
    with transaction.atomic():
        earlier = list(
            PortOrder.objects.select_for_update()
            .filter(direction=Direction.PORT_OUT, new_carrier=requesting_carrier, pon=pon)
            .order_by("-version")
        )
        latest = earlier[0] if earlier else None
        version = lsr.version
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
        supersedes = latest if lsr.version is not None else None

        context = _facts(
            tns=lsr.tns,
            extra_tns=lsr.disconnect_tns,
            requesting_carrier=requesting_carrier,
            reqtype_kind=lsr.reqtype_kind,
        )
        evaluation = assess_lsr(lsr, context.facts)
        try:
            with transaction.atomic():
                order = _create_order(
                    lsr=lsr,
                    version=version,
                    supersedes=supersedes,
                    evaluation=evaluation,
                    context=context,
                    requesting_carrier=requesting_carrier,
                    new_spid=new_spid,
                    pin=pin,
                    by=by,
                    now=now,
                )
        except IntegrityError:
            raise DomainError(
                f"PON {pon} VER {version} from {requesting_carrier} was logged by someone else "
                "a moment ago: open it from the order list."
            ) from None
        record_initial_status(
            order,
            actor=by,
            reason=f"LSR PON {pon} VER {version} received from {requesting_carrier}.",
            now=now,
        )
        OrderNumber.objects.bulk_create(_number_rows(order, evaluation))
        if supersedes is not None and supersedes.is_open:
            transition(
                supersedes,
                Status.CANCELLED,
                actor=by,
                reason=f"Superseded by VER {version} of the same PON.",
                now=now,
            )
    return order


def _create_order(
    *, lsr, version, supersedes, evaluation, context, requesting_carrier, new_spid, pin, by, now
) -> PortOrder:
    """The order row for a received LSR; the PIN is only compared, never stored."""
    facts = context.facts
    tn_count = len(evaluation.dispositions.port)
    return PortOrder.objects.create(
        direction=Direction.PORT_OUT,
        status=INITIAL_STATUS[Direction.PORT_OUT],
        pon=lsr.pon,
        version=version,
        supersedes=supersedes,
        simple_port=evaluation.simple.is_simple,
        tn_count=tn_count,
        is_project_port=tn_count >= settings.PORTING["PROJECT_PORT_TNS"],
        losing_carrier=context.losing_carrier,
        losing_spid=_losing_spid(facts.inventory, lsr.tns),
        new_carrier=requesting_carrier,
        new_spid=new_spid,
        pin_matched=_pin_matched(pin, facts.inventory, lsr.tns),
        created_by=_user(by),
        received_at=lsr.received_at,
        effective_received_on=evaluation.foc.effective_receipt if evaluation.foc else None,
        last_activity_at=now,
        lsr_snapshot=lsr.as_dict(),
        rule_evaluation=_evaluation_json(evaluation, now),
        **_order_fields_from_lsr(lsr),
    )


def lsr_of(order: PortOrder) -> LsrData:
    """The LSR of a port-out order: the snapshot taken at intake or, for an order made some
    other way (admin, demo data), the order's own fields and numbers."""
    if order.lsr_snapshot:
        return LsrData.from_dict(order.lsr_snapshot)
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
        account_number=order.account_number,
        btn=order.btn,
        account_name=order.account_name,
        authorized_person=order.authorized_person,
        service_address=order.service_address,
        city=order.city,
        state=order.state,
        zip_code=order.zip_code,
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
    )
    evaluation = assess_lsr(lsr, facts)
    order.rule_evaluation = _evaluation_json(evaluation, now)
    # `simple_port` keeps the FCC classification itself; a staff override lives beside it.
    classification = evaluation.simple
    if classification.overridden:
        unforced = dataclasses.replace(facts, simple_port_override=None)
        classification = classify_simple_port(evaluation.dispositions.port, unforced)
    order.simple_port = classification.is_simple
    PortOrder.objects.filter(pk=order.pk).update(
        rule_evaluation=order.rule_evaluation, simple_port=order.simple_port
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
