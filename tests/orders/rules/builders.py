"""Facts for the pure rules, built by hand: what carriers.services.portability_check and the
port-out service (orders.services.portout.lsr_facts / csr_request_facts) would hand the rules,
without the database. Accounts and carriers are plain objects with the attributes the rules
read; the portability result is the real dataclass."""

from __future__ import annotations

from types import SimpleNamespace

from carriers.services import PortabilityResult
from orders.rules import Facts

OUR_SPID = "7231"


def account(pk: int = 1):
    return SimpleNamespace(pk=pk, uses_unbundled_elements=False)


def carrier(pk: int, name: str):
    return SimpleNamespace(pk=pk, name=name)


def ours(tn: str, *, account_id: int = 1, working: bool = True) -> PortabilityResult:
    """A TN on one of our SPIDs, on our customer account `account_id`."""
    number = SimpleNamespace(
        tn=tn,
        account_id=account_id,
        has_complex_translations=False,
        get_status_display=lambda: "Working" if working else "Disconnected",
    )
    return PortabilityResult(
        tn=tn,
        known=True,
        spid=OUR_SPID,
        is_ours=True,
        is_working=working,
        number=number,
        account=account(account_id),
    )


def elsewhere(tn: str, *, by, spid: str = "W001") -> PortabilityResult:
    """A TN NPAC shows on another carrier's SPID."""
    return PortabilityResult(tn=tn, known=True, spid=spid, carrier=by)


def resold(tn: str, *, by, spid: str = "R001", account_id: int = 1) -> PortabilityResult:
    """Our customer's TN on the underlying carrier's SPID (R3)."""
    return PortabilityResult(
        tn=tn, known=True, spid=spid, carrier=by, is_resold=True, account=account(account_id)
    )


def unknown(tn: str) -> PortabilityResult:
    return PortabilityResult(tn=tn, known=False)


def facts(*results: PortabilityResult, requester_kind: str = "wireless", **kwargs) -> Facts:
    return Facts(inventory={r.tn: r for r in results}, requester_kind=requester_kind, **kwargs)
