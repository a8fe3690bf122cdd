"""The scheduled jobs' services: the clocks staff must not have to remember (F4, F5, R1, R11)
and the managers' daily digest.

Every job here is set-based and idempotent:
- it selects only the rows that are due, through a partial index (`order_status_check_due`,
  `order_auto_cancel_due`, `order_port_window_due`, `csr_request_open_due`,
  `npac_cancel_unsent`), so its cost grows with the work due, not with the table;
- it claims each row in its own transaction (`select_for_update(skip_locked=True)` on
  PostgreSQL, re-checking the due condition under the lock; SQLite serialises writers, where
  the re-check alone is the claim) and moves it with `orders.lifecycle.transition(...,
  expected_status=...)`, so a row another process moved first is skipped, never moved twice;
- it writes nothing and sends nothing for a row it did not move: emails go out with
  `transaction.on_commit` of the row's own transaction, cancel records are unique per
  (order, TN), and a manager's digest is claimed by a `DigestLog` row (unique per day);
- a failure on one row is logged with the row id (logger `orders.jobs`; never a PIN or an
  account number), counted as failed and left as it was: the next run retries it.

Each function takes `now` explicitly and returns a small dict of counts for the task result
(`orders.tasks`), which the dashboard reads back (`orders.jobs_status`).
"""

import datetime
import logging
from collections import Counter
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from carriers.models import Contact
from carriers.services import calendar_for
from carriers.tn import format_tn
from orders.emails import queue_cancellation_email, render_email
from orders.lifecycle import OrderChanged, TransitionNotAllowed, transition
from orders.models import (
    CsrRequest,
    DigestLog,
    Direction,
    NpacCancelRecord,
    OrderNumber,
    PortOrder,
    Rejection,
    Status,
    StatusChange,
    Supplement,
)
from orders.services.orders import system_comment
from orders.services.portin import order_cancel
from orders.services.status_checks import next_status_check_date
from portal.roles import MANAGER_GROUP

logger = logging.getLogger("orders.jobs")

STATUS_CHECKS = "status_checks_refresh_due"
AUTO_CANCEL = "rejected_orders_auto_cancel"
PORT_WINDOWS = "port_windows_expire"
CSR_OVERDUE = "csr_requests_flag_overdue"
DIGEST = "manager_digest_send"


def actor_label(job: str) -> str:
    """How a job signs the history rows it writes (StatusChange.actor_label)."""
    return f"job:{job}"


def _desk_calendar():
    """Our own business days: weekends, federal holidays, company-wide closed days."""
    return calendar_for(None)


def _counts(counter: Counter, *keys: str) -> dict:
    """The job's result: the named counts always present (0 when nothing happened)."""
    return {key: counter.get(key, 0) for key in keys} | dict(counter)


def _each(job: str, ids: Iterable[int], step: Callable[[int], str]) -> Counter:
    """Run `step(pk)` for each id in its own transaction; return how many ended how.

    `step` returns the outcome's name ("cancelled", "skipped"...). A row another process moved
    first (OrderChanged, TransitionNotAllowed) is "skipped"; any other exception rolls that
    row's transaction back (its queued emails included), is logged and counted "failed".
    """
    counter: Counter = Counter()
    for pk in ids:
        try:
            with transaction.atomic():
                outcome = step(pk)
        except (OrderChanged, TransitionNotAllowed):
            outcome = "skipped"
        except Exception:
            logger.exception("Job %s failed on order %s; the next run retries it.", job, pk)
            outcome = "failed"
        counter[outcome] += 1
    return counter


def _claim(pk: int, **due):
    """Lock the row if it is still due; None when another process holds or moved it."""
    return (
        PortOrder.objects.select_for_update(skip_locked=True)
        .filter(pk=pk, **due)
        .order_by()
        .first()
    )


# --- F5: status checks ----------------------------------------------------------------------


def status_checks_refresh_due(*, now: datetime.datetime) -> dict:
    """Keep the next F5 check date current for submitted orders that are due (or have none).

    The services refresh the date on every change that affects it; this daily pass fills
    dates the services could not set (orders submitted before the column existed, imports)
    and moves a due date that a calendar change made wrong, and reports how many checks are
    due today (the status-check queue lists them). Business days only: on a closed
    day it does nothing.
    """
    today = timezone.localdate(now)
    if not _desk_calendar().is_business_day(today):
        return {"due": 0, "updated": 0, "failed": 0, "closed_day": 1}
    due_q = Q(next_status_check_on__isnull=True) | Q(next_status_check_on__lte=today)
    ids = list(
        PortOrder.objects.filter(due_q, status=Status.SUBMITTED, direction=Direction.PORT_IN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )

    calendars: dict = {}  # one calendar query per losing carrier in this run

    def step(pk):
        return _refresh_status_check(pk, today=today, calendars=calendars)

    counter = _each(STATUS_CHECKS, ids, step)
    counter["due"] = PortOrder.objects.filter(
        status=Status.SUBMITTED, next_status_check_on__lte=today
    ).count()
    return _counts(counter, "due", "updated", "failed")


def _refresh_status_check(pk: int, *, today, calendars: dict) -> str:
    order = (
        PortOrder.objects.select_related("losing_carrier")
        .filter(pk=pk, status=Status.SUBMITTED)
        .first()
    )
    if order is None:
        return "skipped"
    if order.losing_carrier_id not in calendars:
        calendars[order.losing_carrier_id] = calendar_for(order.losing_carrier)
    value = next_status_check_date(order, today=today, calendar=calendars[order.losing_carrier_id])
    if value == order.next_status_check_on:
        return "unchanged"
    # Conditional: a status check recorded meanwhile has already stored a newer date.
    moved = PortOrder.objects.filter(
        pk=pk, status=Status.SUBMITTED, next_status_check_on=order.next_status_check_on
    ).update(next_status_check_on=value)
    return "updated" if moved else "skipped"


# --- F4: 45-day auto-cancel of rejected port-in orders --------------------------------------


def rejected_orders_auto_cancel(*, now: datetime.datetime) -> dict:
    """Cancel rejected port-in orders whose F4 clock ran out (`auto_cancel_on <= today`).

    The port-in services set `auto_cancel_on` when the customer is notified and move it on
    any customer activity (a customer comment, a resubmission), so the date is the clock.
    Each is cancelled through the port-in desk's `order_cancel` (history row signed
    `job:rejected_orders_auto_cancel`, SUP 1, open rejections resolved), with a system
    comment and the customer's cancellation email (after commit).
    """
    today = timezone.localdate(now)
    ids = list(
        PortOrder.objects.filter(
            status=Status.REJECTED, direction=Direction.PORT_IN, auto_cancel_on__lte=today
        )
        .order_by("auto_cancel_on", "pk")
        .values_list("pk", flat=True)
    )

    def step(pk):
        return _cancel_rejected_order(pk, now=now, today=today)

    return _counts(_each(AUTO_CANCEL, ids, step), "cancelled", "skipped", "failed")


def _cancel_rejected_order(pk: int, *, now, today) -> str:
    order = _claim(
        pk, status=Status.REJECTED, direction=Direction.PORT_IN, auto_cancel_on__lte=today
    )
    if order is None:
        return "skipped"
    days = settings.PORTING["REJECTED_AUTO_CANCEL_DAYS"]
    reason = (
        f"F4: no activity for {days} days since the customer was last notified or answered "
        f"(auto-cancel date {order.auto_cancel_on:%Y-%m-%d})."
    )
    # The desk's own cancel: history row, SUP 1 to the losing carrier, open rejections
    # resolved. The customer's email is sent here, in the customer's words, not the rule's.
    order_cancel(
        order=order,
        user=None,
        reason=reason,
        actor_label=actor_label(AUTO_CANCEL),
        notify_customer=False,
        expected_status=Status.REJECTED,
        now=now,
    )
    system_comment(order, f"Cancelled automatically: {reason} The customer is emailed.", now=now)
    queue_cancellation_email(
        order,
        reason=f"there was no activity on it for {days} days after we told you it was rejected",
    )
    return "cancelled"


# --- R11: port window expired after the FOC -------------------------------------------------


def port_windows_expire(*, now: datetime.datetime) -> dict:
    """Cancel FOC'd port-out orders whose port window has passed with TNs not yet ported.

    `port_window_ends_on` is the FOC date plus our carrier's `port_window_business_days`
    (4: "up to 4 business days after the FOC date"); the order is cancelled the business day
    after it, when still `foc_sent` (no reject or cancellation came), no SUP arrived since the
    FOC in force (a SUP that re-issues the FOC moves the date instead), and at least one TN to
    port is not active in NPAC. Makes one NPAC subscription cancel record per pending TN and
    tells the requesting carrier's LSR contacts that a new LSR is needed. Business days only.
    """
    today = timezone.localdate(now)
    if not _desk_calendar().is_business_day(today):
        return {"cancelled": 0, "held": 0, "skipped": 0, "failed": 0, "closed_day": 1}
    ids = list(
        PortOrder.objects.filter(status=Status.FOC_SENT, port_window_ends_on__lt=today)
        .order_by("port_window_ends_on", "pk")
        .values_list("pk", flat=True)
    )

    def step(pk):
        return _expire_port_window(pk, now=now, today=today)

    return _counts(_each(PORT_WINDOWS, ids, step), "cancelled", "held", "skipped", "failed")


def _foc_in_force_since(order: PortOrder):
    """When the FOC now in force was given: the latest move to foc_sent, or the latest SUP
    that re-issued the FOC (it carries the new FOC date)."""
    moments = [
        StatusChange.objects.filter(order=order, to_status=Status.FOC_SENT)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first(),
        Supplement.objects.filter(order=order, new_foc_date__isnull=False)
        .order_by("-received_at")
        .values_list("received_at", flat=True)
        .first(),
    ]
    moments = [m for m in moments if m is not None]
    return max(moments) if moments else None


def _expire_port_window(pk: int, *, now, today) -> str:
    order = _claim(
        pk, status=Status.FOC_SENT, direction=Direction.PORT_OUT, port_window_ends_on__lt=today
    )
    if order is None:
        return "skipped"
    since = _foc_in_force_since(order)
    later_sups = Supplement.objects.filter(order=order)
    if since is not None:
        later_sups = later_sups.filter(received_at__gt=since)
    if later_sups.exists():
        # R11 applies only when no SUP came since the FOC: the desk decides this one.
        return "held"
    pending = list(
        order.numbers.filter(disposition=OrderNumber.Disposition.PORT)
        .exclude(npac_status__in=[OrderNumber.NpacStatus.ACTIVE, OrderNumber.NpacStatus.OLD])
        .values_list("tn", flat=True)
    )
    if not pending:
        # Every TN ported: the order is waiting to be completed, not expired.
        return "held"

    window = order.losing_carrier.port_window_business_days
    foc = f"{order.foc_date:%Y-%m-%d}" if order.foc_date else "(no FOC date)"
    record_reason = f"R11: not ported within {window} business days of FOC {foc}"
    transition(
        order,
        Status.CANCELLED,
        actor_label=actor_label(PORT_WINDOWS),
        reason=(
            f"{record_reason} (window ended {order.port_window_ends_on:%Y-%m-%d}); "
            f"{len(pending)} TN(s) not ported. A new LSR is needed."
        ),
        now=now,
        expected_status=Status.FOC_SENT,
    )
    NpacCancelRecord.objects.bulk_create(
        [
            NpacCancelRecord(order=order, tn=tn, reason=record_reason, created_at=now)
            for tn in pending
        ],
        ignore_conflicts=True,
    )
    recipients = sorted(
        set(
            Contact.objects.filter(carrier_id=order.new_carrier_id, role=Contact.Role.LSR)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if recipients:
        notice = f"The requesting carrier's LSR contact(s) are told: {', '.join(recipients)}."
        message = _port_window_notice(order, pending=pending, window=window, recipients=recipients)
        transaction.on_commit(message.send, robust=True)
    else:
        notice = (
            f"{order.new_carrier.name} has no LSR contact with an email address on file: "
            "tell them another way that a new LSR is needed."
        )
    system_comment(
        order,
        f"Cancelled automatically: {record_reason}. NPAC subscription cancel records were made "
        f"for {len(pending)} TN(s). {notice}",
        now=now,
    )
    return "cancelled"


def _port_window_notice(order, *, pending, window, recipients):
    context = {
        "pon": order.pon,
        "version": order.version,
        "requesting_carrier": order.new_carrier.name,
        "our_carrier": order.losing_carrier.name,
        "foc_date": order.foc_date,
        "window_business_days": window,
        "port_window_ends_on": order.port_window_ends_on,
        "tns": [format_tn(tn) for tn in pending],
        "tn_count": len(pending),
    }
    subject, text, html = render_email("port_window_expired", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=recipients)
    message.attach_alternative(html, "text/html")
    return message


# --- R1: CSR answer clock -------------------------------------------------------------------


def csr_requests_flag_overdue(*, now: datetime.datetime) -> dict:
    """Flag open CSR requests past their answer time (R1). One UPDATE through
    `csr_request_open_due`; a request already flagged is not touched again."""
    flagged = CsrRequest.objects.filter(
        status=CsrRequest.Status.OPEN, due_at__lte=now, is_overdue=False
    ).update(is_overdue=True)
    return {"flagged": flagged}


# --- Daily manager digest -------------------------------------------------------------------


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def digest_counts(*, now: datetime.datetime, since: datetime.date) -> dict:
    """What needs a manager, desk-wide; the job-cancelled counts cover `since` to today."""
    today = timezone.localdate(now)
    closed = [Status.COMPLETED, Status.CANCELLED]
    job_cancels = StatusChange.objects.filter(
        to_status=Status.CANCELLED,
        created_at__gte=_day_start(since),
        created_at__lt=_day_start(today),
    )
    return {
        "rejections_to_review": Rejection.objects.filter(
            resolved_at__isnull=True, order__direction=Direction.PORT_IN
        )
        .exclude(order__status__in=closed)
        .count(),
        "expedites_to_decide": PortOrder.objects.filter(status=Status.EXPEDITE_REVIEW).count(),
        "sup_flags_to_decide": PortOrder.objects.filter(sup_flag=PortOrder.Decision.PENDING)
        .exclude(status__in=closed)
        .count(),
        "csr_requests_overdue": CsrRequest.objects.filter(
            status=CsrRequest.Status.OPEN, due_at__lte=now
        ).count(),
        "auto_cancelled_f4": job_cancels.filter(actor_label=actor_label(AUTO_CANCEL)).count(),
        "cancelled_r11": job_cancels.filter(actor_label=actor_label(PORT_WINDOWS)).count(),
        "npac_cancels_unsent": NpacCancelRecord.objects.filter(sent_at__isnull=True).count(),
    }


def managers_for_digest():
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, groups__name=MANAGER_GROUP)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def manager_digest_send(*, now: datetime.datetime) -> dict:
    """One email per manager per business day with the counts that need them.

    Skipped on closed days (the next digest covers them: its "cancelled by jobs" counts run
    from the previous business day) and when every count is zero (nothing needs a manager).
    Each manager's digest is claimed by a DigestLog row, unique per (manager, day), before the
    email is queued: a second run or a second cluster the same day sends nothing.
    """
    today = timezone.localdate(now)
    calendar = _desk_calendar()
    if not calendar.is_business_day(today):
        return {"sent": 0, "already_sent": 0, "failed": 0, "closed_day": 1}
    since = calendar.previous_business_day(today)
    counts = digest_counts(now=now, since=since)
    if not any(counts.values()):
        return {"sent": 0, "already_sent": 0, "failed": 0, "nothing_to_report": 1}
    counter: Counter = Counter()
    for user in managers_for_digest():
        try:
            with transaction.atomic():
                _log, created = DigestLog.objects.get_or_create(
                    user=user, digest_date=today, defaults={"sent_at": now, "counts": counts}
                )
                if not created:
                    counter["already_sent"] += 1
                    continue
                message = _digest_message(user, counts=counts, today=today, since=since)
                transaction.on_commit(message.send, robust=True)
                counter["sent"] += 1
        except Exception:
            logger.exception("Job %s failed for manager %s; not sent today.", DIGEST, user.pk)
            counter["failed"] += 1
    return _counts(counter, "sent", "already_sent", "failed")


def _digest_message(user, *, counts, today, since):
    context = {
        "name": user.get_full_name() or user.get_username(),
        "today": today,
        "since": since,
        "since_is_yesterday": since == today - datetime.timedelta(days=1),
        **counts,
    }
    subject, text, html = render_email("manager_digest", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message
