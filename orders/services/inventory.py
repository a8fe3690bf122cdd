"""F7: the number inventory follows every completed port.

- Port-in: each ported TN becomes ours: the order's new SPID (ours), working, on the
  customer's account (found by its account number, or created from the order's end-user
  data).
- Port-out: each ported TN moves to the new carrier's SPID and leaves our account; a
  disconnect line is disconnected; a remain line is not touched.

Each TN changed gets an `InventoryChange` row naming the order, with the values before and
after. The row is unique per order and TN, and a TN that has one for the order is skipped:
running a completion twice changes nothing the second time.

Set-based: a fixed number of queries whatever the TN count (a project port has 20,000).
The inventory is read fresh on every call of `carriers.services.portability_check` (nothing
is cached), so the new-order form, the portability check and the LSR rules see the change as
soon as the completion commits.
"""

from __future__ import annotations

import dataclasses

from django.db import transaction
from django.utils import timezone

from carriers.cpni import account_number_digest
from carriers.end_user import EndUser
from carriers.models import SPID, TN_VALIDATOR, CustomerAccount, TelephoneNumber
from carriers.tn import is_toll_free
from orders.lifecycle import DomainError
from orders.models import Direction, InventoryChange, OrderNumber, PortOrder

Disposition = OrderNumber.Disposition
TnStatus = TelephoneNumber.Status


def inventory_follow(*, order: PortOrder, now=None) -> int:
    """Apply a completed order's ports to the inventory; returns how many TNs changed.

    Runs in the caller's transaction when there is one (the completion), so the order is
    never complete with its TNs still where they were, nor the other way round.
    """
    now = now or timezone.now()
    with transaction.atomic():
        lines = dict(
            OrderNumber.objects.filter(order=order)
            .exclude(disposition=Disposition.REMAIN)
            .values_list("tn", "disposition")
        )
        if order.direction == Direction.PORT_IN:
            lines = {tn: d for tn, d in lines.items() if d == Disposition.PORT}
        if lines:
            done = set(
                InventoryChange.objects.filter(order=order, tn__any_of=list(lines)).values_list(
                    "tn", flat=True
                )
            )
            lines = {tn: d for tn, d in lines.items() if tn not in done}
        if not lines:
            return 0
        # Locked in TN order: two completions touching the same TNs wait, never deadlock.
        current = {
            number.tn: number
            for number in TelephoneNumber.objects.select_for_update()
            .filter(tn__any_of=sorted(lines))
            .order_by("tn")
            .only("id", "tn", "spid_id", "account_id", "status")
        }
        if order.direction == Direction.PORT_IN:
            changes = _port_in(order, sorted(lines), current, now)
        else:
            changes = _port_out(order, lines, current, now)
        InventoryChange.objects.bulk_create(changes, batch_size=5_000)
    return len(changes)


def _change(order, tn, number, *, spid_id, account_id, status, now) -> InventoryChange:
    return InventoryChange(
        order=order,
        tn=tn,
        spid_before_id=number.spid_id if number else None,
        spid_after_id=spid_id,
        account_before_id=number.account_id if number else None,
        account_after_id=account_id,
        status_before=number.status if number else "",
        status_after=status,
        changed_at=now,
    )


def _port_in(order, tns, current, now) -> list[InventoryChange]:
    spid_id = _our_spid_id(order)
    account = _customer_account(order, tns)
    existing = [tn for tn in tns if tn in current]
    if existing:
        TelephoneNumber.objects.filter(tn__any_of=existing).update(
            spid_id=spid_id, account=account, status=TnStatus.WORKING, updated_at=now
        )
    # A TN the NPAC view lost since the order was placed is ours now all the same.
    TelephoneNumber.objects.bulk_create(
        [
            TelephoneNumber(
                tn=tn,
                spid_id=spid_id,
                account=account,
                status=TnStatus.WORKING,
                is_toll_free=is_toll_free(tn),
            )
            for tn in tns
            if tn not in current
        ],
        batch_size=5_000,
    )
    return [
        _change(
            order,
            tn,
            current.get(tn),
            spid_id=spid_id,
            account_id=account.pk,
            status=TnStatus.WORKING,
            now=now,
        )
        for tn in tns
    ]


def _port_out(order, lines, current, now) -> list[InventoryChange]:
    ported = sorted(tn for tn, d in lines.items() if d == Disposition.PORT)
    # A disconnect line we have no row for has nothing to disconnect.
    disconnected = sorted(
        tn for tn, d in lines.items() if d == Disposition.DISCONNECT and tn in current
    )
    changes = []
    if ported:
        spid_id = _new_carrier_spid_id(order)
        existing = [tn for tn in ported if tn in current]
        if existing:
            TelephoneNumber.objects.filter(tn__any_of=existing).update(
                spid_id=spid_id, account=None, updated_at=now
            )
        TelephoneNumber.objects.bulk_create(
            [
                TelephoneNumber(tn=tn, spid_id=spid_id, is_toll_free=is_toll_free(tn))
                for tn in ported
                if tn not in current
            ],
            batch_size=5_000,
        )
        changes += [
            _change(
                order,
                tn,
                current.get(tn),
                spid_id=spid_id,
                account_id=None,
                status=current[tn].status if tn in current else TnStatus.WORKING,
                now=now,
            )
            for tn in ported
        ]
    if disconnected:
        TelephoneNumber.objects.filter(tn__any_of=disconnected).update(
            status=TnStatus.DISCONNECTED, updated_at=now
        )
        changes += [
            _change(
                order,
                tn,
                current[tn],
                spid_id=current[tn].spid_id,
                account_id=current[tn].account_id,
                status=TnStatus.DISCONNECTED,
                now=now,
            )
            for tn in disconnected
        ]
    return changes


def _our_spid_id(order: PortOrder) -> int:
    """The order's new SPID (ours), else our carrier's first."""
    if order.new_spid_id:
        return order.new_spid_id
    spid_id = (
        SPID.objects.filter(carrier_id=order.new_carrier_id)
        .order_by("code")
        .values_list("pk", flat=True)
        .first()
    )
    if spid_id is None:
        raise DomainError(
            f"Our carrier {order.new_carrier} has no SPID on file, so the ported TNs cannot "
            "be made ours in the inventory: add its SPID in the carrier directory, then "
            "complete the order again."
        )
    return spid_id


def _new_carrier_spid_id(order: PortOrder) -> int:
    """The SPID the LSR named, else the requesting carrier's first."""
    if order.new_spid_id:
        return order.new_spid_id
    spid_id = (
        SPID.objects.filter(carrier_id=order.new_carrier_id)
        .order_by("code")
        .values_list("pk", flat=True)
        .first()
    )
    if spid_id is None:
        raise DomainError(
            f"{order.new_carrier} has no SPID on file, so the ported TNs cannot be moved to "
            "it in the inventory: add its SPID in the carrier directory, then record the "
            "activation again."
        )
    return spid_id


def _customer_account(order: PortOrder, tns: list[str]) -> CustomerAccount:
    """The customer's account with us: the one with the order's account number, else a new
    one from the order's end-user data."""
    number = (order.account_number or "").strip() or f"PI-{order.pon}"
    account = _account_by_number(number)
    if account is not None:
        return account
    end_user = dataclasses.replace(
        EndUser.from_instance(order),
        account_name=order.account_name or order.pon,
        account_number=number,
        btn=order.btn if _is_tn(order.btn) else tns[0],
    )
    account = CustomerAccount(**end_user.as_account_fields())
    account.save()
    return account


def _account_by_number(number: str) -> CustomerAccount | None:
    # Account numbers are CPNI: matched by their keyed digest, never decrypted to compare.
    digest = account_number_digest(number)
    return CustomerAccount.objects.filter(account_number_digest=digest).order_by("pk").first()


def _is_tn(value: str) -> bool:
    return bool(value) and TN_VALIDATOR.regex.match(value) is not None
