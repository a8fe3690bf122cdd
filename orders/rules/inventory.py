"""R2 current carrier, R3 resale redirect, R15 working TNs only: checks of each TN to port
against our NPAC view and number inventory (the pre-fetched portability results)."""

from __future__ import annotations

from .base import Facts, Finding, fmt_tn


def r2_current_carrier(tns, facts: Facts) -> list[Finding]:
    """R2: every TN must show one of our SPIDs in NPAC (resold TNs are R3's case)."""
    findings = []
    for tn in tns:
        result = facts.inventory.get(tn)
        if result is None or not result.known:
            findings.append(
                Finding(
                    "R2",
                    tn,
                    f"{fmt_tn(tn)} is not in our NPAC data: confirm the current provider in NPAC "
                    "before sending a request to us.",
                    "R2",
                )
            )
        elif not result.is_ours and not result.is_resold:
            carrier = result.carrier.name if result.carrier is not None else "another carrier"
            findings.append(
                Finding(
                    "R2",
                    tn,
                    f"{fmt_tn(tn)} is served by SPID {result.spid} ({carrier}) in NPAC, not by one "
                    "of our SPIDs: send the request to the current provider.",
                    "R2",
                )
            )
    return findings


def r3_resale(tns, facts: Facts) -> list[Finding]:
    """R3: a TN on our account but another carrier's SPID is resold: redirect to that carrier."""
    findings = []
    for tn in tns:
        result = facts.inventory.get(tn)
        if result is None or not result.is_resold:
            continue
        carrier = result.carrier
        name = carrier.name if carrier is not None else "the underlying carrier"
        contact = facts.csr_contacts.get(carrier.pk) if carrier is not None else None
        where = f"its CSR contact: {contact}" if contact else "its CSR desk (no contact on file)"
        findings.append(
            Finding(
                "R3",
                tn,
                f"{fmt_tn(tn)} is resold by us on {name}'s SPID {result.spid}: request the CSR "
                f"from {name}, {where}.",
                "R3",
            )
        )
    return findings


def r15_working(tns, facts: Facts) -> list[Finding]:
    """R15: only working TNs port out (TNs we do not serve are R2's or R3's finding)."""
    findings = []
    for tn in tns:
        result = facts.inventory.get(tn)
        if result is None or not result.known or not result.is_ours or result.is_resold:
            continue
        if not result.is_working:
            status = result.number.get_status_display().lower() if result.number else "not working"
            findings.append(
                Finding(
                    "R15",
                    tn,
                    f"{fmt_tn(tn)} is {status} with us: only working TNs port; remove it from "
                    "the LSR.",
                    "R15",
                )
            )
    return findings
