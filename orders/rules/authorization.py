"""R4 and R5: the requester's authority to ask for a CSR or a port."""

from __future__ import annotations

from .base import Facts, Finding


def r4_authorization_indicated(authorization_indicator, facts: Facts, *, is_lsr: bool):
    """R4: carriers must affirmatively indicate end-user authorization on every CSR and LSR.

    On a CSR request a third party answers to R5 (its LOA) instead; on an LSR every requester,
    third parties included, must carry the indicator.
    """
    if authorization_indicator:
        return []
    if not is_lsr and facts.requester_is_third_party:
        return []
    return [
        Finding(
            "R4",
            "authorization indicator",
            "End-user authorization is not indicated: mark the request as authorized by the end "
            "user and resend it (no LOA is needed from a carrier).",
            "R4",
        )
    ]


def r5_third_party_loa(has_loa: bool, facts: Facts) -> list[Finding]:
    """R5: an agent, consultant or vendor must attach the end user's LOA to a CSR request."""
    if not facts.requester_is_third_party or has_loa:
        return []
    return [
        Finding(
            "R5",
            "LOA",
            f"{facts.requester_name or 'The requester'} is a third party (agent, consultant or "
            "vendor): attach the end user's signed LOA to the CSR request.",
            "R5",
        )
    ]
