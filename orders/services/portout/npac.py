"""NPAC subscription events on a port-out order, and the NPAC cancel records (R11) as they are
sent to NPAC and confirmed."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Q

from orders import events as order_events
from orders.lifecycle import DomainError, touch, transition
from orders.models import NpacCancelRecord, NpacEvent, OrderNumber, PortOrder, Status
from orders.services.inventory import inventory_follow

from ._common import Disposition, Npac, _now, _require_port_out, _user

NPAC_EFFECT = {
    NpacEvent.Kind.CREATE: Npac.PENDING,
    NpacEvent.Kind.CONCUR: None,  # recorded; the subscription stays pending
    NpacEvent.Kind.ACTIVATE: Npac.ACTIVE,
    NpacEvent.Kind.CONFLICT: Npac.CONFLICT,
    NpacEvent.Kind.CANCEL: Npac.CANCELLED,
}


def npac_event_record(
    *,
    order: PortOrder,
    kind: str,
    by,
    tns: Sequence[str] | None = None,
    notes: str = "",
    occurred_at: datetime.datetime | None = None,
    now=None,
) -> list[NpacEvent]:
    """Record an NPAC subscription event for some (default: all) TNs to port.

    create -> pending; our concurrence (pending stays); activation -> active (the TN is
    ported); conflict; cancel. When every TN to port is active the order completes.
    """
    now = _now(now)
    occurred_at = occurred_at or now
    _require_port_out(order)
    try:
        kind = NpacEvent.Kind(kind)
    except ValueError:
        raise DomainError(f"Unknown NPAC event “{kind}”.") from None
    with transaction.atomic():
        port_numbers = {
            n.tn: n for n in order.numbers.filter(disposition=Disposition.PORT).order_by("tn")
        }
        chosen = list(dict.fromkeys(tns)) if tns else list(port_numbers)
        missing = [tn for tn in chosen if tn not in port_numbers]
        if missing:
            raise DomainError(
                f"Not TNs to port on this order: {', '.join(missing[:10])}"
                + (" ..." if len(missing) > 10 else "")
            )
        if not chosen:
            raise DomainError("This order has no TNs to port.")
        if kind == NpacEvent.Kind.ACTIVATE and order.status != Status.FOC_SENT:
            raise DomainError("Activation is recorded on an order whose FOC was sent.")
        if kind == NpacEvent.Kind.CONCUR:
            not_pending = [tn for tn in chosen if port_numbers[tn].npac_status != Npac.PENDING]
            if not_pending:
                raise DomainError(
                    f"No pending subscription to concur with for {', '.join(not_pending[:10])}."
                )
        effect = NPAC_EFFECT[kind]
        if effect is not None:
            update = {"npac_status": effect}
            if effect == Npac.ACTIVE:
                update["activated_at"] = occurred_at
            OrderNumber.objects.filter(order=order, tn__in=chosen).update(**update)
        events = NpacEvent.objects.bulk_create(
            NpacEvent(
                order=order,
                tn=tn,
                kind=kind,
                occurred_at=occurred_at,
                recorded_by=_user(by),
                notes=notes[:200],
            )
            for tn in chosen
        )
        if kind == NpacEvent.Kind.CANCEL:
            order_events.record(
                order,
                order_events.Kind.NPAC_CANCEL_RECORDED,
                source="npac",
                tns=chosen,
                occurred_at=occurred_at,
            )
        all_active = (
            kind == NpacEvent.Kind.ACTIVATE
            and not order.numbers.filter(disposition=Disposition.PORT)
            .exclude(npac_status=Npac.ACTIVE)
            .exists()
        )
        if all_active:
            transition(
                order,
                Status.COMPLETED,
                actor=by,
                reason="Every TN to port is active in NPAC: port complete.",
                now=now,
                changes={"completed_at": occurred_at},
            )
            # F7: the TNs leave us (new carrier's SPID, off our account; disconnect lines
            # disconnected) in the same transaction as the completion.
            inventory_follow(order=order, now=now)
        else:
            touch(order, now=now)
    return events


def npac_cancel_mark_sent(*, record_ids: Iterable[int], by=None, now=None) -> int:
    """Mark NPAC cancel records as sent to NPAC (already-sent ones are left as they were)."""
    now = _now(now)
    return NpacCancelRecord.objects.filter(pk__in=list(record_ids), sent_at__isnull=True).update(
        sent_at=now
    )


def npac_cancel_mark_confirmed(*, record_ids: Iterable[int], by=None, now=None) -> int:
    """Mark sent NPAC cancel records as confirmed; the TNs' subscriptions are then cancelled."""
    now = _now(now)
    with transaction.atomic():
        records = list(
            NpacCancelRecord.objects.select_for_update().filter(
                pk__in=list(record_ids), sent_at__isnull=False, confirmed_at__isnull=True
            )
        )
        if not records:
            return 0
        NpacCancelRecord.objects.filter(pk__in=[r.pk for r in records]).update(confirmed_at=now)
        match = Q()
        for record in records:
            match |= Q(order_id=record.order_id, tn=record.tn)
        OrderNumber.objects.filter(match).update(npac_status=Npac.CANCELLED)
    return len(records)
