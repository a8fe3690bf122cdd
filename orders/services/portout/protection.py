"""R19 port-out protection at LSR intake, in `lsr_receive`'s transaction:

- an LSR for an account locked against port-out is rejected at once with R19 (the holder
  asked us to refuse every port-out; the desk has nothing to judge);
- every account holder whose numbers are on the LSR is told at once through the outbox,
  whatever the outcome ("a request to move these numbers to <carrier> was received on
  <date>; if you did not ask for it, call us"): one notice per account per LSR, no account
  number and no PIN; an account without a contact email is marked for the desk's list and
  the order says its holder could not be told;
- what the managers' port-out risk queue reads is stored on the order: the account being
  ported, whether the rules found an R18 validation-field mismatch, and whether the
  requester sent LSRs for many different accounts that day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.utils import timezone

from carriers import protection as accounts
from carriers.models import Contact
from carriers.tn import format_tn
from orders import emails
from orders.models import Direction, PortOrder, Rejection, Status
from orders.rules import Finding, LsrData, LsrEvaluation
from orders.services import outbox

from .rejects import _reject_at_intake

R19 = "R19"
# How many different accounts one requester may ask to port in a day before its LSRs of
# that day go to the risk queue; and how recent a contact/address change counts.
DEFAULT_REQUESTER_ACCOUNTS_PER_DAY = 5
DEFAULT_DETAILS_CHANGED_DAYS = 30


def requester_accounts_threshold() -> int:
    return settings.PORTING.get(
        "RISK_REQUESTER_ACCOUNTS_PER_DAY", DEFAULT_REQUESTER_ACCOUNTS_PER_DAY
    )


def details_changed_days() -> int:
    return settings.PORTING.get("RISK_DETAILS_CHANGED_DAYS", DEFAULT_DETAILS_CHANGED_DAYS)


def has_validation_mismatch(findings: Iterable[Finding]) -> bool:
    """An R18 finding that is a reason to reject (the validation fields do not match)."""
    return any(f.rule.startswith("R18") and f.is_reject for f in findings)


def _accounts_on(inventory: Mapping, tns: Iterable[str]) -> dict[int, tuple]:
    """account id -> (account, its TNs on the LSR), in the LSR's order."""
    found: dict[int, tuple] = {}
    for tn in dict.fromkeys(tns):
        result = inventory.get(tn)
        account = result.account if result is not None else None
        if account is None:
            continue
        found.setdefault(account.pk, (account, []))[1].append(tn)
    return found


def _lsr_tns(lsr: LsrData) -> tuple[str, ...]:
    return (*lsr.tns, *lsr.disconnect_tns)


def intake_fields(*, inventory: Mapping, lsr: LsrData, evaluation: LsrEvaluation) -> dict:
    """The order's R19 columns, known before the order row is written."""
    on_lsr = _accounts_on(inventory, _lsr_tns(lsr))
    primary = next(iter(on_lsr.values()), (None, []))[0]
    if not on_lsr:
        notice = PortOrder.HolderNotice.NONE
    elif all(account.contact_email for account, _ in on_lsr.values()):
        notice = PortOrder.HolderNotice.QUEUED
    else:
        notice = PortOrder.HolderNotice.MISSING
    return {
        "customer_account": primary,
        "validation_mismatch": has_validation_mismatch(evaluation.findings),
        "holder_notice": notice,
    }


def lsr_intake_protection(
    *, order: PortOrder, lsr: LsrData, evaluation: LsrEvaluation, inventory: Mapping, by, now
) -> None:
    """Run inside `lsr_receive`'s transaction, once the order and its numbers exist."""
    _reject_locked(order, evaluation, by=by, now=now)
    _notify_holders(order, lsr=lsr, inventory=inventory, now=now)
    _flag_requester_burst(order)


def _reject_locked(order: PortOrder, evaluation: LsrEvaluation, *, by, now) -> None:
    locked = [f for f in evaluation.findings if f.rule == R19]
    if not locked or order.status != Status.RECEIVED:
        return  # already rejected at once for another reason (R16), or no lock
    _reject_at_intake(
        order,
        findings=locked,
        codes=[R19],
        text="\n".join(f"R19 {format_tn(f.field_or_tn)}: {f.message}" for f in locked),
        source=Rejection.Source.VALIDATION,
        by=by,
        now=now,
        expected_status=None,
        reason="LSR rejected at once (R19): the account is locked against port-out.",
    )


def _care_phone(order: PortOrder) -> str:
    """Where the holder calls us: our carrier's CARE contact, else the configured number."""
    contact = (
        Contact.objects.filter(carrier_id=order.losing_carrier_id, role=Contact.Role.CARE)
        .exclude(phone="")
        .order_by("pk")
        .first()
    )
    if contact is not None:
        return contact.phone
    return settings.PORTING.get("CUSTOMER_CARE_PHONE", "")


def _received_on(order: PortOrder) -> str:
    day = timezone.localdate(order.received_at)
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def _notify_holders(order: PortOrder, *, lsr: LsrData, inventory: Mapping, now) -> None:
    """One notice per account on the LSR (plain data only: names, dates, formatted TNs)."""
    on_lsr = _accounts_on(inventory, _lsr_tns(lsr))
    if not on_lsr:
        return
    missed = [pk for pk, (account, _) in on_lsr.items() if not account.contact_email]
    accounts.accounts_notice_missed(account_ids=missed, now=now)
    told = [(account, tns) for account, tns in on_lsr.values() if account.contact_email]
    if not told:
        return
    common = {
        "requesting_carrier": order.new_carrier.name,
        "received_on": _received_on(order),
        "our_carrier": order.losing_carrier.name,
        "care_phone": _care_phone(order),
    }
    outbox.queue_many(
        emails.PORT_OUT_NOTICE,
        (
            outbox.Owed(
                order.pk,
                recipients=[account.contact_email],
                context={
                    **common,
                    "holder_name": account.name,
                    "tns": [format_tn(tn) for tn in tns],
                    "tn_count": len(tns),
                },
            )
            for account, tns in told
        ),
        now=now,
    )


def _day_bounds(moment: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    day = timezone.localdate(moment)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def _flag_requester_burst(order: PortOrder) -> None:
    """A requester that asked to port many different accounts of ours in one (local) day:
    flag all its LSRs of that day for the risk queue (index order_lsr_by_requester)."""
    if order.customer_account_id is None or order.received_at is None:
        return
    start, end = _day_bounds(order.received_at)
    days_lsrs = PortOrder.objects.filter(
        direction=Direction.PORT_OUT,
        new_carrier_id=order.new_carrier_id,
        received_at__gte=start,
        received_at__lt=end,
    )
    threshold = requester_accounts_threshold()
    accounts_asked = (
        days_lsrs.filter(customer_account__isnull=False)
        .values("customer_account")
        .distinct()
        .order_by()[:threshold]
        .count()
    )
    if accounts_asked < threshold:
        return
    days_lsrs.filter(requester_burst=False).update(requester_burst=True)
    order.requester_burst = True
