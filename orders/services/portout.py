"""The port-out desk (seed 000): CSR requests, LSR intake and decision, expedites, supplements,
authorization disputes, NPAC subscription events and NPAC cancel records.

Every function is keyword-only, takes an explicit `now`, runs in one transaction and raises
`DomainError` (nothing saved) for what the desk may not do. Status changes go through
`orders.lifecycle.transition`. The rules themselves are pure (`orders.rules`); this module
fetches their facts in a bounded number of queries (one inventory query for all TNs, one for
the accounts' other TNs, the calendar and the intervals once per LSR) and stores the results.

Never stored, logged or returned: the PIN offered on an LSR (only whether it matched).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from carriers.models import SPID, Carrier, Contact, CustomerAccount, TelephoneNumber
from orders.lifecycle import (
    INITIAL_STATUS,
    DomainError,
    OrderChanged,
    record_initial_status,
    touch,
    transition,
)
from orders.models import (
    AuthorizationDispute,
    CsrRequest,
    Direction,
    Document,
    NpacCancelRecord,
    NpacEvent,
    OrderNumber,
    PortOrder,
    Rejection,
    RejectionReason,
    Status,
    Supplement,
)
from orders.rules import (
    CsrRequestData,
    Facts,
    Finding,
    FocDecision,
    LsrData,
    LsrEvaluation,
    assess_lsr,
    classify_simple_port,
    compute_sup_foc,
    evaluate_csr_request,
    expedite_outcome,
)
from orders.rules.base import KIND_SIMPLE, fmt_day
from orders.rules.dates import effective_receipt

OPEN_PORT_OUT = (Status.RECEIVED, Status.EXPEDITE_REVIEW, Status.FOC_SENT)
Disposition = OrderNumber.Disposition
Npac = OrderNumber.NpacStatus


def _now(now):
    return now or timezone.now()


def _user(user):
    return user if user is not None and user.is_authenticated else None


def _require_port_out(order: PortOrder):
    if not order.is_port_out:
        raise DomainError("This action is for port-out orders only.")


def _carriers():
    # Imported when used: carriers.services is the CARRIERS desk's module.
    from carriers import services

    return services


# --- facts ---------------------------------------------------------------------------------


def _losing_carrier(inventory, tns) -> Carrier:
    """The operating company that serves the TNs (one of ours), else our primary carrier."""
    for tn in tns:
        result = inventory.get(tn)
        if result is not None and result.is_ours and result.carrier is not None:
            return result.carrier
    return _carriers().our_carrier()


def _account_tns(account_ids) -> dict[int, tuple[str, ...]]:
    """Every TN in service on the accounts (one query); disconnected TNs are not lines."""
    if not account_ids:
        return {}
    found: dict[int, list[str]] = {pk: [] for pk in account_ids}
    rows = (
        TelephoneNumber.objects.filter(account_id__in=account_ids)
        .exclude(status=TelephoneNumber.Status.DISCONNECTED)
        .order_by("account_id", "tn")
        .values_list("account_id", "tn")
    )
    for account_id, tn in rows:
        found[account_id].append(tn)
    return {pk: tuple(tns) for pk, tns in found.items()}


def _csr_contacts(carrier_ids) -> dict[int, str]:
    """Each carrier's first CSR contact, printable (R3); one query."""
    if not carrier_ids:
        return {}
    contacts: dict[int, str] = {}
    for contact in Contact.objects.filter(carrier_id__in=carrier_ids, role=Contact.Role.CSR):
        if contact.carrier_id in contacts:
            continue
        how = ", ".join(v for v in (contact.email, contact.phone, contact.fax) if v)
        contacts[contact.carrier_id] = f"{contact.name} ({how})" if how else contact.name
    return contacts


@dataclasses.dataclass(frozen=True)
class _Context:
    facts: Facts
    losing_carrier: Carrier


def _facts(
    *,
    tns: Sequence[str],
    extra_tns: Sequence[str] = (),
    requesting_carrier: Carrier,
    reqtype_kind: str | None = None,
    simple_port_override: bool | None = None,
    has_loa: bool = False,
) -> _Context:
    """Everything the rules read, in a bounded number of queries whatever the TN count."""
    services = _carriers()
    all_tns = list(dict.fromkeys((*tns, *extra_tns)))
    inventory = services.portability_check(all_tns) if all_tns else {}
    account_ids = {r.account.pk for r in inventory.values() if r.account is not None}
    resale_carriers = {
        r.carrier.pk for r in inventory.values() if r.is_resold and r.carrier is not None
    }
    losing = _losing_carrier(inventory, tns)
    intervals = {}
    if reqtype_kind is not None:
        count = len(dict.fromkeys(tns))
        for kind in dict.fromkeys((reqtype_kind, KIND_SIMPLE)):
            intervals[kind] = services.interval_business_days(
                kind=kind, tn_count=max(count, 1), carrier=requesting_carrier
            )
    facts = Facts(
        inventory=inventory,
        requester_kind=requesting_carrier.kind,
        requester_name=requesting_carrier.name,
        account_tns=_account_tns(account_ids),
        csr_contacts=_csr_contacts(resale_carriers),
        calendar=services.calendar_for(losing) if reqtype_kind is not None else None,
        tz=ZoneInfo(losing.time_zone),
        cutoff=losing.lsr_cutoff,
        intervals=intervals,
        max_due_date_days=requesting_carrier.max_due_date_days,
        simple_port_override=simple_port_override,
    )
    return _Context(facts=facts, losing_carrier=losing)


def lsr_facts(
    lsr: LsrData, *, requesting_carrier: Carrier, simple_port_override: bool | None = None
) -> Facts:
    """The facts for one LSR (public for tests and for re-running the rules)."""
    return _facts(
        tns=lsr.tns,
        extra_tns=lsr.disconnect_tns,
        requesting_carrier=requesting_carrier,
        reqtype_kind=lsr.reqtype_kind,
        simple_port_override=simple_port_override,
    ).facts


def _evaluation_json(evaluation: LsrEvaluation, now) -> dict:
    return {
        "evaluated_at": now.isoformat(),
        "findings": [f.as_dict() for f in evaluation.findings],
        "reject_codes": list(evaluation.reject_codes),
        "foc": evaluation.foc.as_dict() if evaluation.foc else None,
        "kind": evaluation.kind,
        "simple_port": evaluation.simple.is_simple,
        "simple_port_reasons": list(evaluation.simple.reasons),
        "dispositions": {
            "port": len(evaluation.dispositions.port),
            "disconnect": len(evaluation.dispositions.disconnect),
            "remain": len(evaluation.dispositions.remain),
        },
    }


def stored_findings(order: PortOrder) -> list[Finding]:
    return [Finding.from_dict(f) for f in (order.rule_evaluation or {}).get("findings", [])]


def stored_foc(order: PortOrder) -> FocDecision | None:
    data = (order.rule_evaluation or {}).get("foc")
    return FocDecision.from_dict(data) if data else None


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


# --- LSR intake ------------------------------------------------------------------------------


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


def _port_window_end(order: PortOrder, foc_date: datetime.date) -> datetime.date:
    """R11: the last business day the new carrier may still port on (FOC + window)."""
    losing = order.losing_carrier
    calendar = _carriers().calendar_for(losing)
    return calendar.add_business_days(foc_date, losing.port_window_business_days)


def _foc_changes(order: PortOrder, foc_date: datetime.date, explanation: str) -> dict:
    return {
        "foc_date": foc_date,
        "foc_explanation": explanation[:300],
        "port_window_ends_on": _port_window_end(order, foc_date),
    }


def _check_unchanged(order: PortOrder, expected_status: str | None) -> None:
    """Refuse early, before any work, when the page the desk acted on is stale (the
    lifecycle checks again under the row lock)."""
    if expected_status and order.status != expected_status:
        raise OrderChanged(
            f"This order changed while you were working on it: it is now "
            f"{order.get_status_display()}. Reload the page and try again."
        )


def _open_disputes(order: PortOrder) -> bool:
    return order.disputes.filter(resolution=AuthorizationDispute.Resolution.OPEN).exists()


def _reject(
    order: PortOrder,
    *,
    codes: Iterable[str],
    text: str,
    source: str,
    by,
    now,
    expected_status: str | None,
    reason: str,
) -> Rejection:
    from orders.services.orders import rejection_record

    rejection = rejection_record(
        order=order,
        reasons=list(codes),
        source=source,
        text=text,
        raised_by=by,
        returned_to_customer=True,
        now=now,
    )
    transition(
        order, Status.REJECTED, actor=by, reason=reason, now=now, expected_status=expected_status
    )
    return rejection


def _findings_text(findings: Iterable[Finding]) -> str:
    return "\n".join(f"{f.rule} {f.field_or_tn}: {f.message}" for f in findings)


def lsr_decide(
    *,
    order: PortOrder,
    decision: str,
    by,
    reason_codes: Sequence[str] = (),
    text: str = "",
    expected_status: str | None = None,
    now=None,
) -> PortOrder:
    """Send the FOC or the reject for a received LSR.

    The rules are re-run first. `decision="reject"` rejects with every failing rule as a coded
    reason (plus any `reason_codes` the desk adds); `decision="foc"` refuses while a rule fails
    or an authorization dispute is open, sends an expedite inside the interval to a manager
    (expedite_review) and otherwise sends the computed FOC.
    """
    now = _now(now)
    _require_port_out(order)
    if decision not in ("foc", "reject"):
        raise DomainError("Decide with an FOC or a reject.")
    _check_unchanged(order, expected_status)
    with transaction.atomic():
        evaluation = _reassess(order, now=now)
        if decision == "reject":
            codes = list(dict.fromkeys((*evaluation.reject_codes, *reason_codes)))
            if not codes:
                raise DomainError(
                    "Every rule passes: choose a reason from the catalogue to reject anyway."
                )
            details = _findings_text(evaluation.rejects)
            details = "\n".join(part for part in (details, text.strip()) if part)
            _reject(
                order,
                codes=codes,
                text=details,
                source=Rejection.Source.VALIDATION,
                by=by,
                now=now,
                expected_status=expected_status,
                reason=f"LSR rejected: {', '.join(codes)}.",
            )
            return order
        if order.status != Status.RECEIVED:
            raise DomainError(
                f"An FOC is sent for a received LSR; this one is {order.get_status_display()}."
            )
        if evaluation.rejects:
            raise DomainError(
                f"The LSR fails {', '.join(evaluation.reject_codes)}: send a reject listing "
                "them (or re-run the rules once the data is fixed)."
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
            changes=_foc_changes(order, foc.date, foc.explanation),
        )
    return order


def expedite_decide(
    *, order: PortOrder, accept: bool, by, expected_status: str | None = None, now=None
) -> PortOrder:
    """R8: a manager accepts (FOC at the requested date) or refuses (FOC at the interval)."""
    now = _now(now)
    _require_port_out(order)
    if not by.has_perm("orders.decide_expedite"):
        raise PermissionDenied("Only a manager decides an expedite.")
    _check_unchanged(order, expected_status)
    if order.status != Status.EXPEDITE_REVIEW:
        raise DomainError("This order has no expedite waiting for a decision.")
    foc = stored_foc(order)
    if foc is None or foc.date is None:
        raise DomainError("No FOC proposal is stored: re-run the rules first.")
    foc_date, explanation = expedite_outcome(foc, accepted=accept)
    changes = _foc_changes(order, foc_date, explanation)
    changes["expedite_decision"] = (
        PortOrder.Decision.ACCEPTED if accept else PortOrder.Decision.REFUSED
    )
    verdict = "accepted" if accept else "refused"
    return transition(
        order,
        Status.FOC_SENT,
        actor=by,
        reason=f"Expedite {verdict}: FOC {foc_date:%Y-%m-%d} sent.",
        now=now,
        expected_status=expected_status,
        changes=changes,
    )


# --- supplements -------------------------------------------------------------------------------


SUP3_FIELDS = (
    "reqtype",
    "act",
    "mi",
    "remarks",
    "account_number",
    "btn",
    "account_name",
    "authorized_person",
    "service_address",
    "city",
    "state",
    "zip_code",
    "authorization_indicator",
    "tns",
    "disconnect_tns",
    "expedite",
)


def _sup_interval(order: PortOrder) -> tuple[str, int]:
    kind = (order.rule_evaluation or {}).get("kind") or lsr_of(order).reqtype_kind
    days = _carriers().interval_business_days(
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
            transition(order, Status.CANCELLED, actor=by, reason=sup.explanation, now=now)
            return sup
        if sup_type == Supplement.Type.NEW_DUE_DATE:
            _sup_new_due_date(order, sup, now=now)
        else:
            _sup_other_change(order, sup, changes or {}, now=now)
        sup.save()
        touch(order, now=now)
    return sup


def _sup_new_due_date(order: PortOrder, sup: Supplement, *, now) -> None:
    if sup.requested_due_date is None:
        raise DomainError("A SUP 2 carries the new requested due date.")
    losing = order.losing_carrier
    calendar = _carriers().calendar_for(losing)
    tz = ZoneInfo(losing.time_zone)
    effective = effective_receipt(
        sup.received_at, calendar=calendar, tz=tz, cutoff=losing.lsr_cutoff
    )
    sup.effective_received_on = effective
    max_days = order.new_carrier.max_due_date_days
    if (sup.requested_due_date - effective).days > max_days:
        raise DomainError(
            f"R9: the SUP's due date {sup.requested_due_date:%Y-%m-%d} is more than {max_days} "
            f"days after its receipt ({effective:%Y-%m-%d}): ask the carrier for a nearer date."
        )
    lsr = dataclasses.replace(lsr_of(order), requested_due_date=sup.requested_due_date)
    order.lsr_snapshot = lsr.as_dict()
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
            reqtype=order.reqtype,
            tn_count=order.tn_count,
        )
        sup.new_foc_date = decision.date
        sup.explanation = decision.explanation[:300]
        for field, value in _foc_changes(order, decision.date, decision.explanation).items():
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
    order.save(update_fields=sorted(update | {"updated_at"}))
    if order.status != Status.FOC_SENT:
        _reassess(order, now=now, lsr=lsr)


def _sup_other_change(order: PortOrder, sup: Supplement, changes: dict, *, now) -> None:
    unknown = set(changes) - set(SUP3_FIELDS)
    if unknown:
        raise DomainError(f"A SUP 3 cannot change {', '.join(sorted(unknown))}.")
    lsr = lsr_of(order)
    values = {k: (tuple(v) if k in ("tns", "disconnect_tns") else v) for k, v in changes.items()}
    if sup.remarks and "remarks" not in values:
        values["remarks"] = "\n".join(part for part in (lsr.remarks, sup.remarks) if part)
    lsr = dataclasses.replace(lsr, **values)
    order.lsr_snapshot = lsr.as_dict()
    for field, value in _order_fields_from_lsr(lsr).items():
        setattr(order, field, value)
    evaluation = _reassess(order, now=now, lsr=lsr)
    if "tns" in values or "disconnect_tns" in values:
        _renumber(order, evaluation)
        order.tn_count = len(evaluation.dispositions.port)
        order.is_project_port = order.tn_count >= settings.PORTING["PROJECT_PORT_TNS"]
    order.save(
        update_fields=[
            "lsr_snapshot",
            "tn_count",
            "is_project_port",
            "updated_at",
            *_order_fields_from_lsr(lsr),
        ]
    )
    changed = ", ".join(sorted(changes)) or "remarks"
    failing = ", ".join(evaluation.reject_codes)
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
    _check_unchanged(order, expected_status)
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
                author=by,
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


# --- NPAC ------------------------------------------------------------------------------------


NPAC_EFFECT = {
    NpacEvent.Kind.CREATE: Npac.PENDING,
    NpacEvent.Kind.CONCUR: None,  # recorded; the subscription stays pending
    NpacEvent.Kind.ACTIVATE: Npac.ACTIVE,
    NpacEvent.Kind.CONFLICT: Npac.CONFLICT,
    NpacEvent.Kind.CANCEL: Npac.CANCELLED,
}


def npac_event_record(
    *,
    order: PortOrder,
    kind: str,
    by,
    tns: Sequence[str] | None = None,
    notes: str = "",
    occurred_at: datetime.datetime | None = None,
    now=None,
) -> list[NpacEvent]:
    """Record an NPAC subscription event for some (default: all) TNs to port.

    create -> pending; our concurrence (pending stays); activation -> active (the TN is
    ported); conflict; cancel. When every TN to port is active the order completes.
    """
    now = _now(now)
    occurred_at = occurred_at or now
    _require_port_out(order)
    try:
        kind = NpacEvent.Kind(kind)
    except ValueError:
        raise DomainError(f"Unknown NPAC event “{kind}”.") from None
    with transaction.atomic():
        port_numbers = {
            n.tn: n for n in order.numbers.filter(disposition=Disposition.PORT).order_by("tn")
        }
        chosen = list(dict.fromkeys(tns)) if tns else list(port_numbers)
        missing = [tn for tn in chosen if tn not in port_numbers]
        if missing:
            raise DomainError(
                f"Not TNs to port on this order: {', '.join(missing[:10])}"
                + (" ..." if len(missing) > 10 else "")
            )
        if not chosen:
            raise DomainError("This order has no TNs to port.")
        if kind == NpacEvent.Kind.ACTIVATE and order.status != Status.FOC_SENT:
            raise DomainError("Activation is recorded on an order whose FOC was sent.")
        if kind == NpacEvent.Kind.CONCUR:
            not_pending = [tn for tn in chosen if port_numbers[tn].npac_status != Npac.PENDING]
            if not_pending:
                raise DomainError(
                    f"No pending subscription to concur with for {', '.join(not_pending[:10])}."
                )
        effect = NPAC_EFFECT[kind]
        if effect is not None:
            update = {"npac_status": effect}
            if effect == Npac.ACTIVE:
                update["activated_at"] = occurred_at
            OrderNumber.objects.filter(order=order, tn__in=chosen).update(**update)
        events = NpacEvent.objects.bulk_create(
            NpacEvent(
                order=order,
                tn=tn,
                kind=kind,
                occurred_at=occurred_at,
                recorded_by=_user(by),
                notes=notes[:200],
            )
            for tn in chosen
        )
        all_active = (
            kind == NpacEvent.Kind.ACTIVATE
            and not order.numbers.filter(disposition=Disposition.PORT)
            .exclude(npac_status=Npac.ACTIVE)
            .exists()
        )
        if all_active:
            transition(
                order,
                Status.COMPLETED,
                actor=by,
                reason="Every TN to port is active in NPAC: port complete.",
                now=now,
                changes={"completed_at": occurred_at},
            )
        else:
            touch(order, now=now)
    return events


def npac_cancel_mark_sent(*, record_ids: Iterable[int], by=None, now=None) -> int:
    """Mark NPAC cancel records as sent to NPAC (already-sent ones are left as they were)."""
    now = _now(now)
    return NpacCancelRecord.objects.filter(pk__in=list(record_ids), sent_at__isnull=True).update(
        sent_at=now
    )


def npac_cancel_mark_confirmed(*, record_ids: Iterable[int], by=None, now=None) -> int:
    """Mark sent NPAC cancel records as confirmed; the TNs' subscriptions are then cancelled."""
    now = _now(now)
    with transaction.atomic():
        records = list(
            NpacCancelRecord.objects.select_for_update().filter(
                pk__in=list(record_ids), sent_at__isnull=False, confirmed_at__isnull=True
            )
        )
        if not records:
            return 0
        NpacCancelRecord.objects.filter(pk__in=[r.pk for r in records]).update(confirmed_at=now)
        match = Q()
        for record in records:
            match |= Q(order_id=record.order_id, tn=record.tn)
        OrderNumber.objects.filter(match).update(npac_status=Npac.CANCELLED)
    return len(records)


# --- CSR requests (R1-R5) ----------------------------------------------------------------------


def csr_request_receive(
    *,
    requesting_carrier: Carrier,
    tns: Sequence[str],
    authorization_indicator: bool,
    by,
    received_at: datetime.datetime | None = None,
    loa_file=None,
    now=None,
) -> CsrRequest:
    """Log a CSR request; it is due `csr_answer_hours` after receipt (R1, 24 h by default)."""
    from orders.services.orders import document_add

    now = _now(now)
    received_at = received_at or now
    tns = list(dict.fromkeys(tns))
    if not tns:
        raise DomainError("A CSR request names at least one TN.")
    if requesting_carrier.is_ours:
        raise DomainError("A CSR request comes from another carrier, not from one of ours.")
    with transaction.atomic():
        csr_request = CsrRequest.objects.create(
            requesting_carrier=requesting_carrier,
            tns=tns,
            authorization_indicator=authorization_indicator,
            received_at=received_at,
            due_at=received_at + datetime.timedelta(hours=requesting_carrier.csr_answer_hours),
            created_by=_user(by),
        )
        if loa_file is not None:
            document_add(
                csr_request=csr_request,
                kind=Document.Kind.LOA,
                uploaded_file=loa_file,
                user=by,
                now=now,
            )
    return csr_request


def csr_request_findings(csr_request: CsrRequest) -> list[Finding]:
    """R2-R5 on a CSR request, with today's inventory."""
    has_loa = csr_request.documents.filter(kind=Document.Kind.LOA).exists()
    carrier = csr_request.requesting_carrier
    facts = _facts(tns=csr_request.tns, requesting_carrier=carrier).facts
    data = CsrRequestData(
        tns=tuple(csr_request.tns),
        authorization_indicator=csr_request.authorization_indicator,
        has_loa=has_loa,
    )
    return evaluate_csr_request(data, facts)


ACCOUNT_FIELDS = (
    "name",
    "account_number",
    "btn",
    "authorized_person",
    "service_address",
    "city",
    "state",
    "zip_code",
)


def csr_snapshot(tns: Sequence[str], *, now) -> dict:
    """The CSR as we give it to the requester: for every account the TNs are on, the account
    name and number, BTN, service address and every TN in service with its line type and
    features. Never the PIN (nor its hash)."""
    inventory = _carriers().portability_check(list(tns))
    account_ids = list(
        dict.fromkeys(r.account.pk for r in inventory.values() if r.account is not None)
    )
    accounts = {a.pk: a for a in CustomerAccount.objects.filter(pk__in=account_ids)}
    lines: dict[int, list[dict]] = {pk: [] for pk in account_ids}
    rows = (
        TelephoneNumber.objects.filter(account_id__in=account_ids)
        .exclude(status=TelephoneNumber.Status.DISCONNECTED)
        .order_by("account_id", "tn")
    )
    for number in rows:
        lines[number.account_id].append(
            {
                "tn": number.tn,
                "line_type": number.get_line_type_display(),
                "features": number.features,
                "status": number.get_status_display(),
            }
        )
    return {
        "kind": "csr",
        "generated_at": now.isoformat(),
        "requested_tns": list(tns),
        "accounts": [
            {
                **{field: getattr(accounts[pk], field) for field in ACCOUNT_FIELDS},
                "numbers": lines[pk],
            }
            for pk in account_ids
        ],
    }


CSR_ANSWER_FIELDS = ["answer", "status", "answered_at", "answered_by", "is_overdue"]


def _refresh(caller: CsrRequest, saved: CsrRequest) -> CsrRequest:
    """Keep the caller's instance in step with the row saved under the lock."""
    for field in CSR_ANSWER_FIELDS:
        setattr(caller, field, getattr(saved, field))
    return caller


def _csr_open(csr_request: CsrRequest):
    if csr_request.status != CsrRequest.Status.OPEN:
        raise DomainError(
            f"This CSR request is already {csr_request.get_status_display().lower()}; its "
            "answer is kept as it was given."
        )


def csr_request_answer(*, csr_request: CsrRequest, by, now=None) -> CsrRequest:
    """Answer with the CSR built from the inventory; refused while a rule (R2-R5) fails."""
    now = _now(now)
    caller = csr_request
    with transaction.atomic():
        csr_request = CsrRequest.objects.select_for_update().get(pk=csr_request.pk)
        _csr_open(csr_request)
        rejects = [f for f in csr_request_findings(csr_request) if f.is_reject]
        if rejects:
            codes = ", ".join(dict.fromkeys(f.code for f in rejects))
            raise DomainError(f"This CSR request fails {codes}: send a coded reject instead.")
        csr_request.answer = csr_snapshot(csr_request.tns, now=now)
        csr_request.status = CsrRequest.Status.ANSWERED
        csr_request.answered_at = now
        csr_request.answered_by = _user(by)
        csr_request.is_overdue = now > csr_request.due_at
        csr_request.save(update_fields=CSR_ANSWER_FIELDS)
    return _refresh(caller, csr_request)


def csr_request_reject(
    *,
    csr_request: CsrRequest,
    by,
    reason_codes: Sequence[str] = (),
    text: str = "",
    now=None,
) -> CsrRequest:
    """A coded reject listing every failing rule (plus any reasons the desk adds)."""
    now = _now(now)
    caller = csr_request
    with transaction.atomic():
        csr_request = CsrRequest.objects.select_for_update().get(pk=csr_request.pk)
        _csr_open(csr_request)
        rejects = [f for f in csr_request_findings(csr_request) if f.is_reject]
        codes = list(dict.fromkeys((*(f.code for f in rejects), *reason_codes)))
        if not codes:
            raise DomainError("Every rule passes: choose a reason from the catalogue to reject.")
        reasons = {
            r.code: r
            for r in RejectionReason.objects.filter(
                code__in=codes,
                is_active=True,
                applies_to__in=[RejectionReason.AppliesTo.PORT_OUT, RejectionReason.AppliesTo.BOTH],
            )
        }
        unknown = [c for c in codes if c not in reasons]
        if unknown:
            raise DomainError(f"Unknown rejection reason: {', '.join(unknown)}.")
        csr_request.answer = {
            "kind": "reject",
            "generated_at": now.isoformat(),
            "requested_tns": list(csr_request.tns),
            "findings": [f.as_dict() for f in rejects],
            "reasons": [
                {"code": c, "title": reasons[c].title, "instructions": reasons[c].instructions}
                for c in codes
            ],
            "text": text.strip(),
        }
        csr_request.status = CsrRequest.Status.REJECTED
        csr_request.answered_at = now
        csr_request.answered_by = _user(by)
        csr_request.is_overdue = now > csr_request.due_at
        csr_request.save(update_fields=CSR_ANSWER_FIELDS)
        csr_request.reject_reasons.set(reasons[c] for c in codes)
    return _refresh(caller, csr_request)


# --- authorization disputes (R6) ---------------------------------------------------------------


def _dispute_touch(dispute: AuthorizationDispute, now):
    if dispute.order_id:
        touch(dispute.order, now=now)


def dispute_open(
    *,
    description: str,
    by,
    order: PortOrder | None = None,
    csr_request: CsrRequest | None = None,
    now=None,
) -> AuthorizationDispute:
    """R6: record a dispute over the requester's authority on an order or a CSR request."""
    now = _now(now)
    if (order is None) == (csr_request is None):
        raise DomainError("A dispute is recorded on one order or one CSR request.")
    if order is not None:
        _require_port_out(order)
    description = (description or "").strip()
    if not description:
        raise DomainError("Describe the dispute.")
    with transaction.atomic():
        dispute = AuthorizationDispute.objects.create(
            order=order,
            csr_request=csr_request,
            description=description,
            opened_by=_user(by),
            opened_at=now,
        )
        _dispute_touch(dispute, now)
    return dispute


def _dispute_open_or_error(dispute: AuthorizationDispute):
    if not dispute.is_open:
        raise DomainError("This dispute is already resolved.")


def dispute_request_evidence(
    *, dispute: AuthorizationDispute, by, notes: str = "", now=None
) -> AuthorizationDispute:
    """The requester is asked for evidence of the end user's authorization."""
    now = _now(now)
    _dispute_open_or_error(dispute)
    with transaction.atomic():
        dispute.evidence_requested_at = now
        fields = ["evidence_requested_at"]
        if notes.strip():
            dispute.evidence_notes = _append(dispute.evidence_notes, f"Asked: {notes.strip()}", now)
            fields.append("evidence_notes")
        dispute.save(update_fields=fields)
        _dispute_touch(dispute, now)
    return dispute


def dispute_record_evidence(
    *, dispute: AuthorizationDispute, notes: str, by, now=None
) -> AuthorizationDispute:
    """The evidence the requester sent, as the desk received it."""
    now = _now(now)
    _dispute_open_or_error(dispute)
    if not (notes or "").strip():
        raise DomainError("Describe the evidence received.")
    with transaction.atomic():
        dispute.evidence_received_at = now
        dispute.evidence_notes = _append(dispute.evidence_notes, f"Received: {notes.strip()}", now)
        dispute.save(update_fields=["evidence_received_at", "evidence_notes"])
        _dispute_touch(dispute, now)
    return dispute


def dispute_resolve(
    *, dispute: AuthorizationDispute, resolution: str, by, notes: str = "", now=None
) -> AuthorizationDispute:
    """Close the dispute: authorization upheld, not authorized, or withdrawn."""
    now = _now(now)
    _dispute_open_or_error(dispute)
    allowed = {r for r in AuthorizationDispute.Resolution.values if r}
    if resolution not in allowed:
        raise DomainError("Resolve a dispute as upheld, not authorized or withdrawn.")
    with transaction.atomic():
        dispute.resolution = resolution
        dispute.resolved_at = now
        fields = ["resolution", "resolved_at"]
        if notes.strip():
            dispute.evidence_notes = _append(
                dispute.evidence_notes, f"Resolved: {notes.strip()}", now
            )
            fields.append("evidence_notes")
        dispute.save(update_fields=fields)
        _dispute_touch(dispute, now)
    return dispute


def _append(existing: str, line: str, now) -> str:
    stamp = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
    return "\n".join(part for part in (existing, f"[{stamp}] {line}") if part)
