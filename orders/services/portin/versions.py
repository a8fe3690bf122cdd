"""The versions (VER) of the LSR we send: each send after the first (a resubmission after a
reject, a SUP) carries VER+1, as the industry counts them, and each version is kept as sent
(`LsrVersion`) so the order page shows what changed.

Called by the sending services inside their transaction, on the row they locked.
"""

from carriers.cpni import account_number_digest
from carriers.end_user import END_USER_FIELDS
from orders.models import LsrVersion, OrderNumber, PortOrder

Reason = LsrVersion.Reason
_TN_KEYS = {
    OrderNumber.Disposition.PORT: "tns",
    OrderNumber.Disposition.DISCONNECT: "disconnect_tns",
    OrderNumber.Disposition.REMAIN: "remain_tns",
}


def lsr_fields(order: PortOrder) -> dict:
    """The LSR the order sends, as JSON: the shape of a port-out LSR snapshot
    (`LsrData.as_dict()`), plus the TNs that remain. Never the PIN; the account number
    only masked and as its keyed hash (enough to see it changed)."""
    tns: dict[str, list[str]] = {key: [] for key in _TN_KEYS.values()}
    for tn, disposition in order.numbers.order_by("tn").values_list("tn", "disposition"):
        tns[_TN_KEYS[disposition]].append(tn)
    end_user = {name: getattr(order, name) or "" for name in END_USER_FIELDS}
    account_number = end_user.pop("account_number")
    due = order.requested_due_date
    return {
        "pon": order.pon,
        "version": order.version,
        "reqtype": order.reqtype,
        "act": order.act,
        "mi": order.mi,
        "requested_due_date": due.isoformat() if due else None,
        "expedite": order.expedite,
        **end_user,
        "account_number_masked": order.masked_account_number,
        "account_number_digest": account_number_digest(account_number),
        "authorization_indicator": order.authorization_indicator,
        "remarks": order.remarks,
        **tns,
    }


def next_version(locked: PortOrder) -> dict:
    """The `changes` that make the coming send of the locked row its next VER."""
    return {"version": locked.version + 1}


def lsr_version_record(
    *, order: PortOrder, by, reason: str, sup_type: int | None = None, note: str = "", now
) -> LsrVersion:
    """Keep the LSR as sent under the order's current VER (unique per order: a second send
    under the same VER is a bug in the caller, and the constraint says so)."""
    return LsrVersion.objects.create(
        order=order,
        version=order.version,
        reason=reason,
        sup_type=sup_type,
        note=(note or "").strip()[:300],
        fields=lsr_fields(order),
        sent_at=now,
        by=by if by is not None and by.is_authenticated else None,
    )


def lsr_versions_record_cancels(*, ids, notes: dict[int, str], now) -> list[LsrVersion]:
    """F4's SUP 1s, set-based: each cancelled order's new VER (already moved by the job's
    UPDATE) kept as the LSR last sent with its VER changed. Two queries for the batch; an
    order with no version kept (made before versions were, or by the load-data generator)
    gets the PON and VER only."""
    current = {
        pk: (pon, version)
        for pk, pon, version in PortOrder.objects.filter(pk__in=ids).values_list(
            "pk", "pon", "version"
        )
    }
    last: dict[int, LsrVersion] = {}
    for row in LsrVersion.objects.filter(order_id__in=ids).order_by("order_id", "version"):
        last[row.order_id] = row
    rows = []
    for pk, (pon, version) in current.items():
        previous = last.get(pk)
        fields = dict(previous.fields) if previous is not None else {"pon": pon}
        fields["version"] = version
        rows.append(
            LsrVersion(
                order_id=pk,
                version=version,
                reason=Reason.SUP,
                sup_type=1,
                note=notes.get(pk, "")[:300],
                fields=fields,
                sent_at=now,
                by=None,
            )
        )
    return LsrVersion.objects.bulk_create(rows)
