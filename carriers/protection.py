"""R19 port-out protection on our customer accounts: the lock the account holder asks for,
the holder's contact details, and the accounts the desk cannot tell of a port-out request.

- `account_lock_set(account=, locked=, by=, reason=)`: turn the port-out lock on or off at
  the customer's request; who, when and why go in the account's history (PortOutLockChange).
- `account_details_update(account=, changes=, by=)`: change the holder's contact or the
  service address; stamps `details_changed_at` when a value really changed (the port-out
  risk queue flags LSRs on recently changed accounts: the usual account-takeover pattern).
- `accounts_notice_missed(account_ids=)`: the LSR notice could not be sent (no email).
- `accounts_without_contact_email()`: the desk's list of accounts it cannot tell.

Every write runs in one transaction and locks the account row first, so two people changing
the same account are serialized. Refusals raise `AccountChangeRefused` with the desk's words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .models import CustomerAccount, PortOutLockChange

REASON_MAX = 300

# What "the account's contact or address" is: a change to any of these is stamped.
DETAIL_FIELDS = (
    "contact_email",
    "authorized_person",
    "service_address",
    "city",
    "state",
    "zip_code",
)


class AccountChangeRefused(ValueError):
    """A lock or details change the desk may not make (the message says why)."""


def _user(user):
    return user if user is not None and user.is_authenticated else None


def account_lock_set(
    *, account: CustomerAccount, locked: bool, by, reason: str, now=None
) -> PortOutLockChange:
    """Lock (or unlock) the account against port-out at the customer's request (R19)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise AccountChangeRefused(
            "Reason: say why the lock changes (e.g. who asked and how they were verified)."
        )
    if len(reason) > REASON_MAX:
        raise AccountChangeRefused(f"Reason: at most {REASON_MAX} characters.")
    with transaction.atomic():
        current = (
            CustomerAccount.objects.select_for_update().only("port_out_locked").get(pk=account.pk)
        )
        if current.port_out_locked == locked:
            state = "locked" if locked else "not locked"
            raise AccountChangeRefused(
                f"The account is already {state} against port-out: reload the page."
            )
        CustomerAccount.objects.filter(pk=account.pk).update(port_out_locked=locked)
        change = PortOutLockChange.objects.create(
            account_id=account.pk,
            locked=locked,
            changed_by=_user(by),
            changed_at=now,
            reason=reason,
        )
    account.port_out_locked = locked
    return change


def account_details_update(
    *, account: CustomerAccount, changes: Mapping[str, str], by=None, now=None
) -> list[str]:
    """Set the holder's contact and address fields in `changes`; return the fields that
    really changed, and stamp `details_changed_at` when any did."""
    now = now or timezone.now()
    unknown = set(changes) - set(DETAIL_FIELDS)
    if unknown:
        raise AccountChangeRefused(
            f"Only the contact and the address change here, not {', '.join(sorted(unknown))}."
        )
    cleaned = {name: (value or "").strip() for name, value in changes.items()}
    if cleaned.get("contact_email"):
        try:
            validate_email(cleaned["contact_email"])
        except ValidationError:
            raise AccountChangeRefused("Contact email: enter a valid email address.") from None
    if "state" in cleaned:
        cleaned["state"] = cleaned["state"].upper()
    with transaction.atomic():
        current = CustomerAccount.objects.select_for_update().get(pk=account.pk)
        changed = [name for name, value in cleaned.items() if getattr(current, name) != value]
        for name, value in cleaned.items():
            setattr(account, name, value)
        if not changed:
            return []
        account.details_changed_at = now
        CustomerAccount.objects.filter(pk=account.pk).update(
            details_changed_at=now, **{name: cleaned[name] for name in changed}
        )
    return changed


def accounts_notice_missed(*, account_ids: Iterable[int], now=None) -> int:
    """Remember that these accounts' holders could not be told of an LSR (one UPDATE)."""
    ids = list(account_ids)
    if not ids:
        return 0
    return CustomerAccount.objects.filter(pk__in=ids).update(notice_missed_at=now or timezone.now())


def accounts_without_contact_email() -> QuerySet:
    """Accounts whose holder cannot be told of a port-out request: those that already missed
    a notice first, then by name (partial index account_no_contact)."""
    return CustomerAccount.objects.filter(contact_email="").order_by(
        F("notice_missed_at").desc(nulls_last=True), "name", "pk"
    )


def lock_history(account: CustomerAccount) -> QuerySet:
    return PortOutLockChange.objects.filter(account=account).select_related("changed_by")
