"""Rules over the LSR form itself: R13 partial port, R14 reuse of facilities, R16 OBF fields."""

from __future__ import annotations

from .base import Dispositions, Facts, Finding, LsrData, fmt_tn, fmt_tn_list, tns_in_text

REUSE_ACTS = frozenset({"V", "Z"})


def r16_required_fields(lsr: LsrData) -> list[Finding]:
    """R16: one finding per OBF-required field that is missing, naming the field."""
    missing = []
    if not lsr.pon.strip():
        missing.append("PON")
    if lsr.version is None:
        missing.append("VER")
    if not lsr.reqtype.strip():
        missing.append("REQTYPE")
    if not lsr.act.strip():
        missing.append("ACT")
    if lsr.requested_due_date is None:
        missing.append("requested due date (DDD)")
    if not lsr.tns:
        missing.append("TNs")
    if not (lsr.end_user.account_number.strip() or lsr.end_user.btn.strip()):
        missing.append("account number or BTN")
    if not lsr.end_user.account_name.strip():
        missing.append("account name")
    if lsr.authorization_indicator is None:
        missing.append("authorization indicator")
    return [
        Finding(
            "R16", name, f"Required LSR field {name} is missing: complete it and resend.", "R16"
        )
        for name in missing
    ]


def r14_reuse_of_facilities(lsr: LsrData) -> list[Finding]:
    """R14: REQTYPE BB (loop with port, reuse of facilities) takes ACT V or Z only."""
    if lsr.reqtype.strip().upper() != "BB" or lsr.act.strip().upper() in REUSE_ACTS:
        return []
    act = lsr.act.strip().upper() or "none"
    return [
        Finding(
            "R14",
            "ACT",
            f"REQTYPE BB (reuse of facilities) needs ACT V or Z, this LSR has ACT {act}.",
            "R14",
        )
    ]


def is_partial_identified(lsr: LsrData) -> bool:
    return lsr.mi.strip().upper() == "A" or "partial" in lsr.remarks.lower()


def _remark_disconnects(lsr: LsrData) -> tuple[str, ...]:
    """TNs the requester asks us to disconnect in the remarks (a remark naming 'disconnect')."""
    if "disc" not in lsr.remarks.lower():
        return ()
    return tns_in_text(lsr.remarks)


def _account_tns(tns, facts: Facts) -> dict[str, None]:
    """Every TN on the accounts the TNs to port belong to, in account order."""
    account_ids = {}
    for tn in tns:
        result = facts.inventory.get(tn)
        number = result.number if result is not None else None
        if number is not None and number.account_id is not None:
            account_ids[number.account_id] = None
    found: dict[str, None] = {}
    for account_id in account_ids:
        for tn in facts.account_tns.get(account_id, ()):
            found[tn] = None
    return found


def dispositions(lsr: LsrData, facts: Facts) -> Dispositions:
    """R13: port (listed on the LSR), disconnect (listed by the requester), remain (the rest)."""
    port = tuple(dict.fromkeys(lsr.tns))
    port_set = set(port)
    on_account = _account_tns(port, facts)
    disconnect = tuple(
        tn
        for tn in dict.fromkeys((*lsr.disconnect_tns, *_remark_disconnects(lsr)))
        if tn in on_account and tn not in port_set
    )
    gone = port_set.union(disconnect)
    remain = tuple(tn for tn in on_account if tn not in gone)
    return Dispositions(port=port, disconnect=disconnect, remain=remain)


def r13_partial_port(lsr: LsrData, facts: Facts, split: Dispositions | None = None):
    """R13: a partial port must be identified (MI = A or a partial-port remark)."""
    split = split or dispositions(lsr, facts)
    findings = []
    port_set = set(split.port)
    # dispositions() keeps every listed disconnect TN that is on the account and not ported.
    disconnecting = set(split.disconnect)
    for tn in dict.fromkeys(lsr.disconnect_tns):
        if tn in port_set:
            findings.append(
                Finding(
                    "R13",
                    tn,
                    f"{fmt_tn(tn)} is listed both to port and to disconnect: list it once.",
                    "R13",
                )
            )
        elif tn not in disconnecting:
            findings.append(
                Finding(
                    "R13",
                    tn,
                    f"{fmt_tn(tn)} is listed to disconnect but is not on the account being ported.",
                    "R13",
                )
            )
    if not split.is_partial:
        return findings
    others = (*split.disconnect, *split.remain)
    if not is_partial_identified(lsr):
        findings.append(
            Finding(
                "R13",
                "MI",
                f"Partial port not identified: {len(others)} other TN(s) on the account are not "
                f"on the LSR ({fmt_tn_list(others)}). Set MI = A or state the partial port in "
                "the remarks, and list the TNs to disconnect.",
                "R13",
            )
        )
    else:
        how = "MI = A" if lsr.mi.strip().upper() == "A" else "remarks"
        findings.append(
            Finding(
                "R13",
                "MI",
                f"Partial port identified ({how}): {len(split.port)} TN(s) port, "
                f"{len(split.disconnect)} disconnect, {len(split.remain)} remain with us and "
                "stay billed.",
            )
        )
    return findings
