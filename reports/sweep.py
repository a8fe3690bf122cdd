"""What changed since the rollup job's last run: the past days that rows written since count
on are marked dirty (`mark_changed_days`), for the job to roll again."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from orders.models import (
    Comment,
    CsrRequest,
    Direction,
    PortOrder,
    Rejection,
    StatusChange,
    StatusCheck,
    Supplement,
)

from .days import local_day
from .models import RolledDay, SweepMark

# Rows that may be written with a time in the past (a LSR, SUP or CSR request entered after
# the fact, a move with an injected time): each table's new ids, and the moments they count on.
_SWEPT = {
    "statuschange": (StatusChange, ("created_at",)),
    "rejection": (Rejection, ("raised_at",)),
    "supplement": (Supplement, ("received_at",)),
    "csrrequest": (CsrRequest, ("due_at",)),
    "comment": (Comment, ("created_at",)),
    "statuscheck": (StatusCheck, ("checked_at",)),
}
ORDER_ACTIVITY = "order_activity"


def mark_changed_days(*, now=None) -> set[datetime.date]:
    """Mark dirty every rolled past day that rows written since the last sweep count on.

    New rows are found by id above the last sweep's highest (the primary key's index); a LSR
    is found by its order's activity since the last sweep (the order list's index), and its
    day is the day it counts as received (R7). The first sweep only sets the marks: history
    before it is the backfill command's. Returns the days marked.
    """
    now = now or timezone.now()
    today = local_day(now)
    days: set[datetime.date] = set()
    with transaction.atomic():
        marks = {
            s.name: s
            for s in SweepMark.objects.select_for_update().filter(
                name__in=[*_SWEPT, ORDER_ACTIVITY]
            )
        }
        for name, (model, fields) in _SWEPT.items():
            mark = marks.get(name)
            if mark is None:
                top = model.objects.aggregate(top=Max("id"))["top"] or 0
                SweepMark.objects.create(name=name, last_id=top)
                continue
            top = mark.last_id
            for pk, *moments in model.objects.filter(id__gt=mark.last_id).values_list(
                "id", *fields
            ):
                top = max(top, pk)
                days.update(local_day(t) for t in moments if t is not None)
            if top != mark.last_id:
                mark.last_id = top
                mark.save(update_fields=["last_id"])
        mark = marks.get(ORDER_ACTIVITY)
        if mark is None:
            SweepMark.objects.create(name=ORDER_ACTIVITY, last_at=now)
        else:
            since = mark.last_at or now
            rows = PortOrder.objects.filter(
                last_activity_at__gt=since, direction=Direction.PORT_OUT
            ).values_list("effective_received_on", "last_activity_at")
            latest = since
            for received_on, activity in rows:
                latest = max(latest, activity)
                if received_on is not None:
                    days.add(received_on)
            if latest != mark.last_at:
                mark.last_at = latest
                mark.save(update_fields=["last_at"])
        past = sorted(d for d in days if d < today)
        if past:
            RolledDay.objects.filter(day__in=past, dirty=False).update(dirty=True)
    return set(past)
