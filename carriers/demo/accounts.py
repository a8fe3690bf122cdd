"""Writes the demo inventory: the accounts (found again by their numbers' keyed hashes, PINs
only on a few showcase accounts), their numbers and the other carriers' numbers, in bulk and
only what is missing; and the showcase port-out lock (R19)."""

from __future__ import annotations

from carriers.cpni import account_number_digest
from carriers.models import CustomerAccount, TelephoneNumber
from carriers.protection import account_lock_set

from .inventory import DemoAccount

SHOWCASE_PINS = {"CT-1000001": "4821", "CT-1000002": "7305", "CT-1000004": "1966"}

# R19: most holders gave us an email for port-out notices; a few did not (the desk's list of
# accounts without one), and one showcase customer has locked its numbers against port-out.
NO_CONTACT_EMAIL = frozenset({"CT-1000007", "CT-1000008"})
SHOWCASE_LOCK = ("CT-1000005", "Customer called and asked for a port-out lock (verified by PIN).")


def _contact_email(acct) -> str:
    if acct.number in NO_CONTACT_EMAIL:
        return ""
    return f"billing+{acct.number.lower()}@example.com"


def seed_protection(by=None) -> None:
    """The showcase lock, once (a second run finds it locked and changes nothing)."""
    number, reason = SHOWCASE_LOCK
    digest = account_number_digest(number)
    account = CustomerAccount.objects.filter(account_number_digest=digest).first()
    if account is not None and not account.port_out_locked:
        account_lock_set(account=account, locked=True, by=by, reason=reason)


def save_inventory(accounts: list[DemoAccount], others: list[dict], spids) -> tuple[int, int]:
    # Found by their numbers' keyed hashes: the numbers themselves are Fernet tokens.
    digests = {acct.number: account_number_digest(acct.number) for acct in accounts}
    by_digest = CustomerAccount.objects.filter(account_number_digest__in=list(digests.values()))
    existing_accounts = dict(by_digest.values_list("account_number_digest", "pk"))
    new_accounts = []
    for acct in accounts:
        if digests[acct.number] in existing_accounts:
            continue
        row = CustomerAccount(
            account_number=acct.number,
            btn=acct.btn,
            name=acct.name,
            authorized_person=acct.authorized_person,
            service_address=acct.service_address,
            city=acct.city,
            state=acct.state,
            zip_code=acct.zip_code,
            uses_unbundled_elements=acct.uses_unbundled_elements,
            contact_email=_contact_email(acct),
        )
        pin = SHOWCASE_PINS.get(acct.number)
        if pin:
            row.set_pin(pin)  # hashed once, when the account is created
        new_accounts.append(row)
    CustomerAccount.objects.bulk_create(new_accounts, batch_size=500)
    if new_accounts:
        existing_accounts = dict(by_digest.values_list("account_number_digest", "pk"))

    lines = [
        (line, existing_accounts[digests[acct.number]]) for acct in accounts for line in acct.lines
    ]
    lines += [(line, None) for line in others]
    existing_tns = set(
        TelephoneNumber.objects.filter(tn__in=[line["tn"] for line, _ in lines]).values_list(
            "tn", flat=True
        )
    )
    new_numbers = [
        TelephoneNumber(
            tn=line["tn"],
            spid=spids[line["spid"]],
            account_id=account_id,
            status=line["status"],
            line_type=line["line_type"],
            is_toll_free=line.get("is_toll_free", False),
            features=line["features"],
            has_centrex=line.get("has_centrex", False),
            has_isdn=line.get("has_isdn", False),
            has_ain=line.get("has_ain", False),
            has_remote_call_forwarding=line.get("has_remote_call_forwarding", False),
            multiple_services_on_loop=line.get("multiple_services_on_loop", False),
        )
        for line, account_id in lines
        if line["tn"] not in existing_tns
    ]
    TelephoneNumber.objects.bulk_create(new_numbers, batch_size=1000)
    return len(new_accounts), len(new_numbers)
