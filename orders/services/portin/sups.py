"""Supplements we send the losing carrier on an LSR already sent: SUP 2 and SUP 3 (a SUP 1
is a cancel, in cancel.py).
"""

import datetime

from django.db import transaction

from orders.lifecycle import DomainError, revision_bump, touch, transition
from orders.models import PortOrder, Supplement
from orders.services.portin._common import (
    S,
    _local_today,
    _lock,
    _now,
    _refresh_status_check,
    _require_port_in,
    _sync,
)
from orders.services.portin.documents import send_sup
from orders.services.portin.versions import Reason, lsr_version_record, next_version


def portin_sup_record(
    *,
    order: PortOrder,
    by,
    sup_type: int,
    requested_due_date: datetime.date | None = None,
    remarks: str = "",
    send_to: str = "",
    expected_status: str | None = None,
    now=None,
) -> Supplement:
    """A supplement we send to the losing carrier on a submitted or accepted order.

    SUP 2 (new due date): on an accepted order it asks for a new FOC, so the order goes back to
    submitted and the old FOC date is voided; on a submitted order it changes the requested
    date. SUP 3 (other change): recorded, no status change. SUP 1 is `order_cancel`.
    Each SUP carries the next VER of the LSR (`versions`) and goes to the losing carrier
    as a document in this transaction (`send_to`: the desk's address when it has no contact).
    """
    now = _now(now)
    _require_port_in(order)
    remarks = (remarks or "").strip()
    if sup_type == Supplement.Type.CANCEL:
        raise DomainError("A SUP 1 cancels the order: use the cancel action.")
    if sup_type not in (Supplement.Type.NEW_DUE_DATE, Supplement.Type.OTHER):
        raise DomainError(f"Unknown supplement type {sup_type}.")
    with transaction.atomic():
        locked = _lock(order, expected_status)
        if locked.status not in (S.SUBMITTED, S.ACCEPTED):
            raise DomainError(
                f"A supplement changes an LSR already sent: not possible on a "
                f"{locked.get_status_display()} order."
            )
        if sup_type == Supplement.Type.NEW_DUE_DATE:
            if requested_due_date is None:
                raise DomainError("A SUP 2 needs the new requested due date.")
            if requested_due_date < _local_today(now):
                raise DomainError("The new requested due date is in the past.")
        elif not remarks:
            raise DomainError("Describe the change the SUP 3 makes.")
        sup = Supplement.objects.create(
            order=locked,
            sup_type=sup_type,
            received_at=now,
            effective_received_on=_local_today(now),
            requested_due_date=requested_due_date if sup_type == 2 else None,
            previous_foc_date=locked.foc_date,
            explanation=remarks[:300],
            remarks=remarks,
            created_by=by,
        )
        if sup_type == Supplement.Type.NEW_DUE_DATE:
            count = locked.due_date_sup_count + 1
            if locked.status == S.ACCEPTED:
                transition(
                    order,
                    S.SUBMITTED,
                    actor=by,
                    reason=(
                        f"SUP 2: new due date {requested_due_date:%Y-%m-%d} asked; "
                        f"FOC {locked.foc_date:%Y-%m-%d} voided, waiting for a new FOC."
                    ),
                    now=now,
                    expected_status=S.ACCEPTED,
                    changes={
                        "requested_due_date": requested_due_date,
                        "foc_date": None,
                        "submitted_at": now,
                        "due_date_sup_count": count,
                        **next_version(locked),
                    },
                )
            else:
                locked.requested_due_date = requested_due_date
                locked.due_date_sup_count = count
                locked.version = next_version(locked)["version"]
                locked.save(
                    update_fields=[
                        "requested_due_date",
                        "due_date_sup_count",
                        "version",
                        "updated_at",
                        revision_bump(locked),
                    ]
                )
                touch(locked, now=now)
                _sync(order, locked)
            _refresh_status_check(order, now)
        else:
            locked.version = next_version(locked)["version"]
            locked.save(update_fields=["version", "updated_at", revision_bump(locked)])
            touch(locked, now=now)
            _sync(order, locked)
        # Each SUP is a new version of the LSR (VER+1), kept as sent.
        lsr_version_record(
            order=order, by=by, reason=Reason.SUP, sup_type=sup_type, note=remarks, now=now
        )
        send_sup(
            order,
            sup_type=sup_type,
            remarks=remarks,
            previous_foc_date=sup.previous_foc_date if sup_type == 2 else None,
            by=by,
            send_to=send_to,
            now=now,
        )
    return sup
