"""The order page's "Versions" card: each VER of the LSR with when, who and why, and for each
version after the first what changed from the one before (orders.lsr_changes).

Port-in: the versions we sent (`LsrVersion`, kept by the sending services). Port-out: each
VER of a PON is its own order superseding the one before; they are compared through their
stored LSR snapshots, the account number by the orders' keyed hashes (never in a snapshot).
"""

from dataclasses import dataclass
from typing import Any

from orders.lsr_changes import LsrChanges, lsr_changes
from orders.models import Direction, PortOrder, Status
from orders.services.portout.lsr import MISSING_PON, lsr_of, lsr_snapshot


@dataclass(frozen=True)
class VersionRow:
    version: int
    at: Any
    who: str
    why: str
    note: str = ""
    changes: LsrChanges | None = None  # None: the first version, or the one before unknown
    order_id: int | None = None  # port-out: the order that holds this version
    status: str = ""  # port-out: that order's status
    current: bool = False
    # Issue 19: the customer's corrections through their status link, not sent yet (the
    # order is in review): what they changed from the LSR as last sent.
    pending: bool = False


def versions_context(order: PortOrder) -> list[VersionRow]:
    """The card's rows, oldest first; empty when there is nothing to show (a draft; a
    port-out PON with one version). One query."""
    rows = _portin_rows(order) if order.is_port_in else _portout_rows(order)
    return rows if rows and (order.is_port_in or len(rows) > 1) else []


def _portin_rows(order: PortOrder) -> list[VersionRow]:
    rows, previous = [], None
    for v in order.lsr_versions.select_related("by").order_by("version"):
        rows.append(
            VersionRow(
                version=v.version,
                at=v.sent_at,
                who=v.by.get_username() if v.by_id else "System",
                why=v.why,
                note=v.note,
                changes=lsr_changes(previous.fields, v.fields)
                if previous is not None and previous.version == v.version - 1
                else None,
                current=v.version == order.version,
            )
        )
        previous = v
    if order.status == Status.REVIEW:  # one query, only where the desk reviews
        latest = (
            order.customer_resubmissions.select_related("bill")
            .order_by("-submitted_at", "-id")
            .first()
        )
        if latest is not None and (previous is None or latest.submitted_at >= previous.sent_at):
            rows.append(
                VersionRow(
                    version=order.version,
                    at=latest.submitted_at,
                    who="the customer",
                    why="The customer's changes (not sent yet)",
                    note=("PIN changed. " if latest.pin_changed else "")
                    + (f"Bill copy: {latest.bill.original_name}. " if latest.bill_id else "")
                    + latest.note,
                    changes=lsr_changes(latest.before, latest.after),
                    pending=True,
                )
            )
    return rows


def _portout_fields(o: PortOrder) -> dict:
    """A port-out order's LSR with the account number as the port-in versions keep it."""
    snapshot = o.lsr_snapshot or lsr_snapshot(lsr_of(o))
    return {
        **snapshot,
        "account_number_masked": o.masked_account_number,
        "account_number_digest": o.account_number_digest or "",
    }


def _portout_rows(order: PortOrder) -> list[VersionRow]:
    if order.pon == MISSING_PON:  # placeholder PONs are unrelated LSRs (services.portout.lsr)
        return []
    chain = (
        PortOrder.objects.filter(
            direction=Direction.PORT_OUT, new_carrier_id=order.new_carrier_id, pon=order.pon
        )
        .select_related("created_by", "new_carrier")
        .order_by("version")
    )
    rows, previous, previous_fields = [], None, None
    for o in chain:
        fields = _portout_fields(o)
        follows = previous is not None and o.supersedes_id == previous.pk
        rows.append(
            VersionRow(
                version=o.version,
                at=o.received_at or o.created_at,
                who=o.new_carrier.name,
                why=f"Supersedes VER {previous.version}" if follows else "Received",
                note=f"Logged by {o.created_by.get_username()}" if o.created_by_id else "",
                changes=lsr_changes(previous_fields, fields) if follows else None,
                order_id=o.pk,
                status=o.get_status_display(),
                current=o.pk == order.pk,
            )
        )
        previous, previous_fields = o, fields
    return rows
