"""R18: the validation fields of a port-out LSR (47 CFR 52.36; NPAC best practice).

An LSR is matched against our account record(s) for the TNs it ports on the account number,
the 5-digit ZIP and, where the end user set one, the port-out PIN/passcode, compared without
case or punctuation. Each mismatch is a coded reject, one code per field, so the requesting
carrier learns which field to correct and never what we hold.

The end-user name is not one of the 52.36 fields: for a simple port (R17) nothing beyond them
may be required, so a name mismatch there is not even a finding. For any other port it is a
finding the desk must judge (code ""), not an automatic reject: names legitimately differ
(a d/b/a, a spouse on the bill, "ABC Co" vs "ABC Company Inc"), so a person decides, but it
stops the FOC like every other R18 finding until a SUP 3 fixes it or a manager overrides it
with a reason. A silent pass is exactly how port-out fraud got through (issue 14).

Pure: the service hands over digests and normalized values (`AccountRecord`), never our
plaintext account number or PIN, and the findings name the field, never a stored value.
"""

from __future__ import annotations

import hmac
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from carriers.normalize import normalize_field

from .base import Facts, Finding, LsrData, fmt_tn_list

R18 = "R18"

FIELD_ACCOUNT_NUMBER = "account number"
FIELD_ZIP = "ZIP"
FIELD_PIN = "PIN"
FIELD_NAME = "end-user name"

# One catalogue code per field (orders/migrations/0015_validation_fields.py); the name has
# none on purpose (see the module docstring).
CODE_ACCOUNT_NUMBER = "R18-ACCT"
CODE_ZIP = "R18-ZIP"
CODE_PIN = "R18-PIN"
CODES = {FIELD_ACCOUNT_NUMBER: CODE_ACCOUNT_NUMBER, FIELD_ZIP: CODE_ZIP, FIELD_PIN: CODE_PIN}

# The fields a manager may override and the LSR fields a SUP 3 changes them with.
OVERRIDABLE_FIELDS = (FIELD_ACCOUNT_NUMBER, FIELD_ZIP, FIELD_PIN, FIELD_NAME)
SUP_FIELDS = {
    "account_number": FIELD_ACCOUNT_NUMBER,
    "zip_code": FIELD_ZIP,
    "pin": FIELD_PIN,
    "account_name": FIELD_NAME,
}


@dataclass(frozen=True, slots=True)
class AccountRecord:
    """What R18 compares an LSR with, for one account of ours (built by the service).

    `account_number_digest` is the keyed hash (carriers.cpni.account_number_digest) of our
    stored number; `zip5` and `name` are normalized (carriers.normalize.normalize_field).
    """

    account_number_digest: str
    zip5: str
    has_pin: bool
    name: str


def zip5(value: str | None) -> str:
    """The 5-digit ZIP a ZIP+4 or a punctuated ZIP is compared as."""
    return normalize_field(value)[:5]


def _records(tns: Iterable[str], facts: Facts) -> dict[int, tuple[AccountRecord, list[str]]]:
    """Our account record for each account the TNs are on, with those TNs (TNs on no account
    of ours are R2's or R3's finding, not R18's)."""
    found: dict[int, tuple[AccountRecord, list[str]]] = {}
    for tn in dict.fromkeys(tns):
        result = facts.inventory.get(tn)
        account = result.account if result is not None else None
        record = facts.account_records.get(account.pk) if account is not None else None
        if record is None:
            continue
        found.setdefault(account.pk, (record, []))[1].append(tn)
    return found


def _which(records, failing) -> str:
    """'' when every account fails, else ' for <the TNs of the failing accounts>'."""
    if len(failing) == len(records):
        return ""
    tns = [tn for _, account_tns in failing for tn in account_tns]
    return f" for {fmt_tn_list(tns)}"


def r18_validation_fields(
    lsr: LsrData, facts: Facts, *, port_tns: Iterable[str] | None = None, simple: bool = False
) -> list[Finding]:
    """R18 over the TNs to port (`port_tns`, default the LSR's): one finding per field that
    does not match our record. `simple` is R17's classification (no name check when True)."""
    records = _records(lsr.tns if port_tns is None else port_tns, facts)
    if not records:
        return []
    findings: list[Finding] = []
    offered = facts.offered_account_digest
    failing = [
        entry
        for entry in records.values()
        if not (offered and hmac.compare_digest(entry[0].account_number_digest, offered))
    ]
    if failing:
        if not normalize_field(lsr.end_user.account_number):
            message = (
                "The LSR carries no account number: send the end user's account number with us "
                "(a validation field, 47 CFR 52.36)."
            )
        else:
            message = (
                f"The account number does not match our account record{_which(records, failing)}"
                ": send the end user's account number with us exactly as on their bill."
            )
        findings.append(Finding(R18, FIELD_ACCOUNT_NUMBER, message, CODE_ACCOUNT_NUMBER))

    offered_zip = zip5(lsr.end_user.zip_code)
    failing = [entry for entry in records.values() if entry[0].zip5 != offered_zip]
    if failing:
        if not offered_zip:
            message = "The LSR carries no ZIP code: send the 5-digit ZIP of the service address."
        else:
            message = (
                f"The ZIP code does not match our account record{_which(records, failing)}: send "
                "the 5-digit ZIP of the end user's service address with us."
            )
        findings.append(Finding(R18, FIELD_ZIP, message, CODE_ZIP))

    # Only where the end user asked for a PIN; the service checked the offered PIN against
    # every account that has one and dropped it (`facts.pin_matched`, None: none offered).
    if any(entry[0].has_pin for entry in records.values()) and facts.pin_matched is not True:
        if facts.pin_matched is None:
            message = (
                "The end user has a port-out PIN/passcode with us and the LSR carries none: ask "
                "the end user for it and send it."
            )
        else:
            message = (
                "The PIN/passcode on the LSR does not match the one the end user set with us: "
                "ask the end user for it and send it again."
            )
        findings.append(Finding(R18, FIELD_PIN, message, CODE_PIN))

    offered_name = normalize_field(lsr.end_user.account_name)
    # An empty name is R16's reject already; a simple port may not be held to the name.
    if not simple and offered_name:
        failing = [entry for entry in records.values() if entry[0].name != offered_name]
        if failing:
            findings.append(
                Finding(
                    R18,
                    FIELD_NAME,
                    f"The end-user name on the LSR differs from our account record"
                    f"{_which(records, failing)}: the desk judges it (call the end user, or ask "
                    "the carrier for a SUP 3 with the name on the account) before any FOC.",
                )
            )
    return findings


def blocks_foc(finding: Finding) -> bool:
    """A coded reject, or any R18 finding (the end-user name included), stops the FOC."""
    return finding.is_reject or finding.rule == R18


def foc_blockers(findings: Iterable[Finding], overridden: Collection[str] = ()) -> list[Finding]:
    """The findings that stand between the LSR and an FOC: every coded reject and every R18
    finding, less the R18 fields a manager overrode (`overridden`: field names)."""
    return [
        f for f in findings if blocks_foc(f) and not (f.rule == R18 and f.field_or_tn in overridden)
    ]


def reject_codes(findings: Iterable[Finding], overridden: Collection[str] = ()) -> list[str]:
    """The catalogue codes a reject would carry now (overridden R18 fields left out)."""
    return list(dict.fromkeys(f.code for f in foc_blockers(findings, overridden) if f.code))
