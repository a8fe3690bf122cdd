"""F5 status checks: when the desk next follows up a submitted port-in order, and recording one.

Seed 004: while an order is Submitted the desk checks on it at least every 3 business days, or
on the business day before the requested completion date, whichever is sooner; a project port
(50+ TNs) is checked weekly instead of every 3 business days. Each check's outcome becomes a
comment; the status only changes on an actual accept or reject (never here).

`next_status_check_date` is the pure computation; `status_check_refresh` stores its answer in
`PortOrder.next_status_check_on` (the column the status-check queue and the daily job read
through the partial index `order_status_check_due`); `status_checks_reschedule` does it for a
batch of orders the daily job locked.
"""

import datetime
from collections import Counter, defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from carriers.models import Carrier
from carriers.services import calendar_for
from orders.lifecycle import DomainError
from orders.models import Comment, Direction, PortOrder, Status, StatusCheck
from orders.services.orders import comment_add


def _calendar(order):
    # The losing carrier's closed days matter as much as ours: we call them on a day both
    # of us work.
    return calendar_for(order.losing_carrier if order.losing_carrier_id else None)


def is_project_port(order: PortOrder) -> bool:
    return order.is_project_port or order.tn_count >= settings.PORTING["PROJECT_PORT_TNS"]


def next_status_check_date(
    order: PortOrder, *, today: datetime.date, calendar=None
) -> datetime.date | None:
    """The date the next F5 status check is due, or None when the order is not submitted.

    Counted from the last check or the (re)submission, whichever is later (from `today` when
    neither is known). Pure apart from reading the calendar (pass `calendar` to avoid it).
    - regular order: the sooner of 3 business days after that date and the business day
      before the requested due date;
    - project port (is_project_port, or 50+ TNs): 7 calendar days after that date (moved to a
      business day when it falls on a closed day), or the business day before the requested
      due date if that is sooner: a project port is checked weekly, but still the day before
      it is due.
    The day before the due date only counts while it is still ahead of the last check: once
    it has been checked on (or the order was submitted on/after it), the periodic clock rules.
    A date in the past is kept as it is: the check is overdue and the queue shows it.
    """
    if order.direction != Direction.PORT_IN or order.status != Status.SUBMITTED:
        return None
    if calendar is None:
        calendar = _calendar(order)
    # A resubmission after the last check restarts the clock from the resubmission.
    moments = [m for m in (order.last_status_check_at, order.submitted_at) if m is not None]
    base = timezone.localdate(max(moments)) if moments else today

    if is_project_port(order):
        week = base + datetime.timedelta(days=settings.PORTING["PROJECT_STATUS_CHECK_DAYS"])
        periodic = calendar.add_business_days(week, 0)  # itself, or the next business day
    else:
        periodic = calendar.add_business_days(base, settings.PORTING["STATUS_CHECK_BUSINESS_DAYS"])

    candidates = [periodic]
    if order.requested_due_date:
        day_before = calendar.previous_business_day(order.requested_due_date)
        if day_before > base:
            candidates.append(day_before)
    return min(candidates)


# What next_status_check_date reads: the columns the daily job loads for each locked order.
STATUS_CHECK_FIELDS = (
    "direction",
    "status",
    "losing_carrier_id",
    "submitted_at",
    "last_status_check_at",
    "requested_due_date",
    "tn_count",
    "is_project_port",
    "next_status_check_on",
)


def status_checks_reschedule(
    *, orders: list[PortOrder], today: datetime.date, calendars: dict
) -> Counter:
    """Store the next F5 check date of each order (counts `updated` and `unchanged`).

    `orders` are submitted port-in orders locked by the caller (the daily job's claim), with
    STATUS_CHECK_FIELDS loaded: no status check can store a newer date meanwhile.
    `calendars` caches one calendar per losing carrier for the caller's whole run. Run twice,
    the second run finds every date already right and changes nothing.
    """
    counter: Counter = Counter()
    new_dates = {}
    for order in orders:
        carrier = order.losing_carrier_id
        if carrier not in calendars:
            calendars[carrier] = calendar_for(Carrier.objects.filter(pk=carrier).first())
        value = next_status_check_date(order, today=today, calendar=calendars[carrier])
        if value == order.next_status_check_on:
            counter["unchanged"] += 1
        else:
            new_dates[order.pk] = value
    # One UPDATE per distinct date (a handful: the dates fall within a few weeks), not one
    # per order.
    by_date: dict = defaultdict(list)
    for pk, day in new_dates.items():
        by_date[day].append(pk)
    for day, pks in by_date.items():
        PortOrder.objects.filter(pk__in=pks).update(next_status_check_on=day)
    counter["updated"] += len(new_dates)
    return counter


def status_check_refresh(order: PortOrder, *, now=None) -> datetime.date | None:
    """Store the order's next F5 check date (None when it is not submitted).

    Call it whenever an order enters or leaves `submitted`, after a status check, and when
    the requested due date changes. One targeted UPDATE of one column; the caller's instance
    is kept in step.
    """
    now = now or timezone.now()
    value = next_status_check_date(order, today=timezone.localdate(now))
    PortOrder.objects.filter(pk=order.pk).update(next_status_check_on=value)
    order.next_status_check_on = value
    return value


def status_check_record(*, order: PortOrder, by, outcome: str, now=None) -> StatusCheck:
    """Record a status check on a port-in order: the check, its outcome as a comment, the new
    last-check time and the next due date. Never changes the order's status (F5)."""
    now = now or timezone.now()
    outcome = (outcome or "").strip()
    if not outcome:
        raise DomainError("Enter the outcome of the status check.")
    if not order.is_port_in:
        raise DomainError("Status checks are recorded on port-in orders only.")
    if not order.is_open:
        raise DomainError(
            f"This order is {order.get_status_display()}: there is nothing to check on."
        )
    with transaction.atomic():
        comment = comment_add(
            order=order,
            by=by,
            body=f"Status check: {outcome}",
            visibility=Comment.Visibility.INTERNAL,
            source=Comment.Source.STAFF,
            now=now,
        )
        check = StatusCheck.objects.create(
            order=order, checked_by=by, checked_at=now, outcome=outcome, comment=comment
        )
        PortOrder.objects.filter(pk=order.pk).update(last_status_check_at=now)
        order.last_status_check_at = now
        status_check_refresh(order, now=now)
    return check
