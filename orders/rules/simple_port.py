"""R17: the FCC's simple-port classification, which selects the simple-port interval (R8)."""

from __future__ import annotations

from .base import Facts, SimplePortClassification, fmt_tn

_TRANSLATIONS = (
    ("has_centrex", "Centrex"),
    ("has_isdn", "ISDN"),
    ("has_ain", "AIN services"),
    ("has_remote_call_forwarding", "remote call forwarding"),
    ("multiple_services_on_loop", "multiple services on the loop"),
)


def classify_simple_port(tns, facts: Facts) -> SimplePortClassification:
    """Simple when all four FCC conditions hold: (1) no unbundled network elements, (2) a
    single-line account, (3) no complex switch translations, (4) no reseller.

    A staff override on the order (`facts.simple_port_override`, not None) wins.
    """
    if facts.simple_port_override is not None:
        return SimplePortClassification(
            is_simple=facts.simple_port_override,
            reasons=("classification overridden by staff",),
            overridden=True,
        )
    reasons: list[str] = []
    if not tns:
        reasons.append("no TNs to port")
    elif len(tns) > 1:
        # A single-line account ports one TN: no need to look further.
        return SimplePortClassification(
            is_simple=False, reasons=(f"{len(tns)} TNs to port, not a single line",)
        )
    accounts = {}
    for tn in tns:
        result = facts.inventory.get(tn)
        if result is None or not result.known or result.number is None:
            reasons.append(f"{fmt_tn(tn)} is not in our inventory")
            continue
        if result.is_resold:
            reasons.append(f"{fmt_tn(tn)} involves a reseller")
        number = result.number
        if number.account_id is None:
            reasons.append(f"{fmt_tn(tn)} is on no account of ours")
        else:
            accounts[number.account_id] = result.account
        if number.has_complex_translations:
            names = ", ".join(label for attr, label in _TRANSLATIONS if getattr(number, attr))
            reasons.append(f"{fmt_tn(tn)} has complex switch translations ({names})")
    for account_id, account in accounts.items():
        if account.uses_unbundled_elements:
            reasons.append("the account uses unbundled network elements")
        lines = len(facts.account_tns.get(account_id, ()))
        if lines != 1:
            reasons.append(f"the account has {lines} lines, not a single line")
    return SimplePortClassification(is_simple=not reasons, reasons=tuple(reasons))
