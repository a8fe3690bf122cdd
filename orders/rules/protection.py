"""R19 port-out protection: an LSR for an account whose holder locked it against port-out is
rejected with its own code. Pure: the lock states come in `Facts.account_locks`."""

from __future__ import annotations

from collections.abc import Iterable

from .base import Facts, Finding, fmt_tn_list

R19 = "R19"


def r19_port_out_lock(tns: Iterable[str], facts: Facts) -> list[Finding]:
    """One reject per locked account among the request's TNs (ported or disconnected), naming
    its TNs on the request: never the account number."""
    locked: dict[int, list[str]] = {}
    for tn in dict.fromkeys(tns):
        result = facts.inventory.get(tn)
        account = result.account if result is not None else None
        if account is None or not facts.account_locks.get(account.pk):
            continue
        locked.setdefault(account.pk, []).append(tn)
    return [
        Finding(
            R19,
            account_tns[0],
            f"{fmt_tn_list(account_tns)}: the account holder has locked these numbers against "
            "port-out (R19). The end user must ask us to remove the lock before a new LSR.",
            R19,
        )
        for account_tns in locked.values()
    ]
