"""The facts the rules read, fetched in a bounded number of queries (one inventory query for
all TNs, one for the accounts' other TNs, the calendar and the intervals once per LSR), and the
rules' evaluation as it is stored on the order."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from carriers import services as carriers_services
from carriers.cpni import account_number_digest
from carriers.models import Carrier, Contact, TelephoneNumber
from carriers.normalize import normalize_field
from orders.models import PortOrder
from orders.rules import AccountRecord, Facts, Finding, FocDecision, LsrData, LsrEvaluation
from orders.rules.base import KIND_SIMPLE
from orders.rules.validation_fields import zip5


def _losing_carrier(inventory, tns) -> Carrier:
    """The operating company that serves the TNs (one of ours), else our primary carrier."""
    for tn in tns:
        result = inventory.get(tn)
        if result is not None and result.is_ours and result.carrier is not None:
            return result.carrier
    return carriers_services.our_carrier()


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


def _accounts_of(inventory, tns) -> dict:
    """Our accounts the TNs are on, by id (already loaded with the inventory)."""
    accounts = {}
    for tn in tns:
        result = inventory.get(tn)
        if result is not None and result.account is not None:
            accounts[result.account.pk] = result.account
    return accounts


def pin_matched(pin: str, inventory, tns) -> bool | None:
    """Whether the PIN offered on an LSR matches every account being ported that has one
    (None: no PIN offered; False when none of them has a PIN: there was nothing to match)."""
    if not pin:
        return None
    with_pin = [a for a in _accounts_of(inventory, tns).values() if a.pin_hash]
    return bool(with_pin) and all(a.check_pin(pin) for a in with_pin)


def lsr_pin_matched(pin: str, tns) -> bool | None:
    """A PIN offered later (a SUP 3) checked against the accounts of the TNs to port."""
    tns = list(dict.fromkeys(tns))
    return pin_matched(pin, carriers_services.portability_check(tns) if tns else {}, tns)


def _account_record(account) -> AccountRecord:
    """R18: only what the rule compares, never the plaintext number or PIN (the keyed digest
    stored beside the encrypted number; NULL for an account without one)."""
    return AccountRecord(
        account_number_digest=account.account_number_digest or "",
        zip5=zip5(account.zip_code),
        has_pin=bool(account.pin_hash),
        name=normalize_field(account.name),
    )


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
    offered_account_number: str = "",
    pin: str = "",
    known_pin_matched: bool | None = None,
) -> _Context:
    """Everything the rules read, in a bounded number of queries whatever the TN count.

    R18: `pin` is the PIN on a new LSR (checked here and dropped); a stored LSR's earlier
    result is passed back as `known_pin_matched`.
    """
    all_tns = list(dict.fromkeys((*tns, *extra_tns)))
    inventory = carriers_services.portability_check(all_tns) if all_tns else {}
    accounts = {r.account.pk: r.account for r in inventory.values() if r.account is not None}
    account_ids = set(accounts)
    resale_carriers = {
        r.carrier.pk for r in inventory.values() if r.is_resold and r.carrier is not None
    }
    losing = _losing_carrier(inventory, tns)
    intervals = {}
    if reqtype_kind is not None:
        count = len(dict.fromkeys(tns))
        for kind in dict.fromkeys((reqtype_kind, KIND_SIMPLE)):
            intervals[kind] = carriers_services.interval_business_days(
                kind=kind, tn_count=max(count, 1), carrier=requesting_carrier
            )
    facts = Facts(
        inventory=inventory,
        requester_kind=requesting_carrier.kind,
        requester_name=requesting_carrier.name,
        account_tns=_account_tns(account_ids),
        csr_contacts=_csr_contacts(resale_carriers),
        calendar=carriers_services.calendar_for(losing) if reqtype_kind is not None else None,
        tz=ZoneInfo(losing.time_zone),
        cutoff=losing.lsr_cutoff,
        intervals=intervals,
        max_due_date_days=requesting_carrier.max_due_date_days,
        simple_port_override=simple_port_override,
        account_records={pk: _account_record(a) for pk, a in accounts.items()},
        offered_account_digest=account_number_digest(offered_account_number),
        pin_matched=pin_matched(pin, inventory, tns) if pin else known_pin_matched,
        # R19: loaded with the inventory's accounts, no query of its own.
        account_locks={
            r.account.pk: r.account.port_out_locked
            for r in inventory.values()
            if r.account is not None
        },
    )
    return _Context(facts=facts, losing_carrier=losing)


def lsr_facts(
    lsr: LsrData,
    *,
    requesting_carrier: Carrier,
    simple_port_override: bool | None = None,
    pin: str = "",
    pin_matched: bool | None = None,
) -> Facts:
    """The facts for one LSR (public for tests and for re-running the rules): `pin` is a PIN
    offered now, `pin_matched` the result kept from intake (the PIN itself is never kept)."""
    return _facts(
        tns=lsr.tns,
        extra_tns=lsr.disconnect_tns,
        requesting_carrier=requesting_carrier,
        reqtype_kind=lsr.reqtype_kind,
        simple_port_override=simple_port_override,
        offered_account_number=lsr.end_user.account_number,
        pin=pin,
        known_pin_matched=pin_matched,
    ).facts


def csr_request_facts(tns: Sequence[str], *, requesting_carrier: Carrier) -> Facts:
    """The facts for one CSR request (R2-R5 read the inventory and the requester)."""
    return _facts(tns=tns, requesting_carrier=requesting_carrier).facts


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
