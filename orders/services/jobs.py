"""The scheduled jobs: the clocks staff must not have to remember (F5, F4, R11, R1) and the
managers' daily digest. This module only selects the rows that are due and works them in
batches; what a job does to an order is the desk's service's (`status_checks`,
`portin.rejected_orders_cancel_idle`, `portout.port_windows_close`, `digest`).

Every job is set-based and idempotent:
- it selects only the rows that are due, through a partial index (`order_status_check_due`,
  `order_status_check_missing`, `order_auto_cancel_due`, `order_port_window_due`,
  `csr_request_open_due`), so its cost grows with the work due, not with the table;
- it works in batches of BATCH_SIZE orders, one transaction each: the batch's rows that are
  still due are claimed (`select_for_update(skip_locked=True)` on PostgreSQL, with the due
  condition re-checked under the lock; SQLite serialises writers, where the re-check alone is
  the claim) and handed to the service, which moves them together
  (`orders.lifecycle.transition_many`) and writes what the move owes in the same
  transaction, emails as outbox rows; a row another process holds or moved first is skipped,
  never moved twice; a manager's digest is claimed by a `DigestLog` row (unique per day);
- a batch that fails is rolled back and retried order by order; an order that still fails
  is logged with its id (logger `orders.jobs`; never a PIN or an account number), counted
  as failed and left as it was: the next run retries it.

Each function takes `now` explicitly and returns a small dict of counts for the task result
(`orders.tasks`), which the dashboard reads back (`orders.jobs_status`).
"""

import datetime
import logging
from collections import Counter
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from carriers.services import calendar_for
from orders.models import CsrRequest, Direction, PortOrder, Status
from orders.services import digest, portin, portout
from orders.services.status_checks import STATUS_CHECK_FIELDS, status_checks_reschedule

logger = logging.getLogger("orders.jobs")

STATUS_CHECKS = "status_checks_refresh_due"
AUTO_CANCEL = "rejected_orders_auto_cancel"
PORT_WINDOWS = "port_windows_expire"
CSR_OVERDUE = "csr_requests_flag_overdue"
DIGEST = "manager_digest_send"


# Rows moved per transaction: big enough that a 10,000-row run is a few dozen statements per
# batch, small enough that locks are held briefly and a failed batch is cheap to redo.
BATCH_SIZE = 500


def _desk_calendar():
    """Our own business days: weekends, federal holidays, company-wide closed days."""
    return calendar_for(None)


def _counts(counter: Counter, *keys: str) -> dict:
    """The job's result: the named counts always present (0 when nothing happened)."""
    return {key: counter.get(key, 0) for key in keys} | dict(counter)


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _in_batches(job: str, ids: list[int], step: Callable[[list[int]], Counter]) -> Counter:
    """Run `step(batch)` over `ids` in batches of BATCH_SIZE, each in its own transaction.

    `step` claims the batch's rows that are still due (`_claim`), hands them to the job's
    service and returns its counts; rows it could not lock or that are no longer due are
    "skipped" (another process has them). When a batch fails, its transaction rolls back
    (its outbox rows too) and its orders are retried one by one, so one bad row costs only
    itself: it is logged with its id (never a PIN or an account number), counted "failed" and
    left for the next run.
    """
    counter: Counter = Counter()
    for batch in _chunks(ids, BATCH_SIZE):
        try:
            with transaction.atomic():
                counter.update(step(batch))
            continue
        except Exception:
            if len(batch) == 1:
                logger.exception(
                    "Job %s failed on order %s; the next run retries it.", job, batch[0]
                )
                counter["failed"] += 1
                continue
            logger.warning(
                "Job %s: a batch of %s orders failed; retrying them one by one.",
                job,
                len(batch),
                exc_info=True,
            )
        for pk in batch:
            try:
                with transaction.atomic():
                    counter.update(step([pk]))
            except Exception:
                logger.exception("Job %s failed on order %s; the next run retries it.", job, pk)
                counter["failed"] += 1
    return counter


def _claim(ids: list[int], *fields: str, **due) -> list[dict]:
    """Lock the rows of `ids` that are still due; skip those another process holds or moved.

    PostgreSQL: `FOR UPDATE SKIP LOCKED` with the due condition re-checked under the lock.
    SQLite serialises writers: the re-check in the batch's transaction is the claim.
    """
    return list(
        PortOrder.objects.select_for_update(skip_locked=True)
        .filter(pk__in=ids, **due)
        .order_by("pk")
        .values("pk", *fields)
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
    submitted = PortOrder.objects.filter(status=Status.SUBMITTED, direction=Direction.PORT_IN)
    # Two selections, each served by its own partial index (an OR of the two is not).
    ids = sorted(
        {
            *submitted.filter(next_status_check_on__lte=today).values_list("pk", flat=True),
            *submitted.filter(next_status_check_on__isnull=True).values_list("pk", flat=True),
        }
    )
    calendars: dict = {}  # one calendar per losing carrier in this run

    def step(batch):
        return _refresh_status_checks(batch, today=today, calendars=calendars)

    counter = _in_batches(STATUS_CHECKS, ids, step)
    counter["due"] = PortOrder.objects.filter(
        status=Status.SUBMITTED, next_status_check_on__lte=today
    ).count()
    return _counts(counter, "due", "updated", "failed")


def _refresh_status_checks(batch: list[int], *, today, calendars: dict) -> Counter:
    locked = list(
        PortOrder.objects.select_for_update(skip_locked=True)
        .filter(pk__in=batch, status=Status.SUBMITTED, direction=Direction.PORT_IN)
        .only(*STATUS_CHECK_FIELDS)
        .order_by("pk")
    )
    counter = status_checks_reschedule(orders=locked, today=today, calendars=calendars)
    if len(locked) < len(batch):
        counter["skipped"] += len(batch) - len(locked)  # moved or held by another process
    return counter


# --- F4: 45-day auto-cancel of rejected port-in orders --------------------------------------


def rejected_orders_auto_cancel(*, now: datetime.datetime) -> dict:
    """Cancel rejected port-in orders whose F4 clock ran out (`auto_cancel_on <= today`).

    The port-in services set `auto_cancel_on` when the customer is notified and move it on
    any customer activity (a customer comment, a resubmission), so the date is the clock.
    Each batch is cancelled by `portin.rejected_orders_cancel_idle` (the desk's cancel, with
    the customer's email).
    """
    today = timezone.localdate(now)
    ids = list(
        PortOrder.objects.filter(
            status=Status.REJECTED, direction=Direction.PORT_IN, auto_cancel_on__lte=today
        )
        .order_by("auto_cancel_on", "pk")
        .values_list("pk", flat=True)
    )

    def step(batch):
        return _cancel_rejected_orders(batch, now=now, today=today)

    return _counts(_in_batches(AUTO_CANCEL, ids, step), "cancelled", "skipped", "failed")


def _cancel_rejected_orders(batch: list[int], *, now, today) -> Counter:
    rows = _claim(
        batch,
        *portin.AUTO_CANCEL_FIELDS,
        status=Status.REJECTED,
        direction=Direction.PORT_IN,
        auto_cancel_on__lte=today,
    )
    if not rows:
        return Counter(skipped=len(batch))
    ids = portin.rejected_orders_cancel_idle(rows=rows, now=now)
    return Counter(cancelled=len(ids), skipped=len(batch) - len(ids))


# --- R11: port window expired after the FOC -------------------------------------------------


def port_windows_expire(*, now: datetime.datetime) -> dict:
    """Close FOC'd port-out orders whose port window ended before today (R11).

    The business day after the window ends, each such order still `foc_sent` is handed to
    `portout.port_windows_close`, which holds it (a SUP since the FOC, every TN ported) or
    cancels it with its NPAC cancel records and the requesting carrier's notice.
    Business days only.
    """
    today = timezone.localdate(now)
    if not _desk_calendar().is_business_day(today):
        return {"cancelled": 0, "held": 0, "skipped": 0, "failed": 0, "closed_day": 1}
    ids = list(
        PortOrder.objects.filter(status=Status.FOC_SENT, port_window_ends_on__lt=today)
        .order_by("port_window_ends_on", "pk")
        .values_list("pk", flat=True)
    )

    def step(batch):
        return _expire_port_windows(batch, now=now, today=today)

    return _counts(_in_batches(PORT_WINDOWS, ids, step), "cancelled", "held", "skipped", "failed")


def _expire_port_windows(batch: list[int], *, now, today) -> Counter:
    rows = _claim(
        batch,
        *portout.PORT_WINDOW_FIELDS,
        status=Status.FOC_SENT,
        direction=Direction.PORT_OUT,
        port_window_ends_on__lt=today,
    )
    counter: Counter = Counter(skipped=len(batch) - len(rows))
    counter.update(portout.port_windows_close(rows=rows, now=now))
    return counter


# --- R1: CSR answer clock -------------------------------------------------------------------


def csr_requests_flag_overdue(*, now: datetime.datetime) -> dict:
    """Flag open CSR requests past their answer time (R1). One UPDATE through
    `csr_request_open_due`; a request already flagged is not touched again."""
    flagged = CsrRequest.objects.filter(
        status=CsrRequest.Status.OPEN, due_at__lte=now, is_overdue=False
    ).update(is_overdue=True)
    return {"flagged": flagged}


# --- Daily manager digest -------------------------------------------------------------------


def manager_digest_send(*, now: datetime.datetime) -> dict:
    """One digest per manager per business day with the counts that need them.

    Skipped on closed days (the next digest covers them: its "cancelled by jobs" counts run
    from the previous business day) and when every count is zero (nothing needs a manager).
    Each manager's digest is owed in its own transaction (`digest.manager_digest_queue`,
    claimed by a DigestLog row unique per manager and day): one failure costs only that
    manager's digest, and a second run or a second cluster the same day owes nothing.
    """
    today = timezone.localdate(now)
    calendar = _desk_calendar()
    if not calendar.is_business_day(today):
        return {"sent": 0, "already_sent": 0, "failed": 0, "closed_day": 1}
    since = calendar.previous_business_day(today)
    counts = digest.digest_counts(now=now, since=since)
    if not any(counts.values()):
        return {"sent": 0, "already_sent": 0, "failed": 0, "nothing_to_report": 1}
    counter: Counter = Counter()
    for user in digest.managers_for_digest():
        try:
            with transaction.atomic():
                queued = digest.manager_digest_queue(
                    user=user, counts=counts, today=today, since=since, now=now
                )
            counter["sent" if queued else "already_sent"] += 1
        except Exception:
            logger.exception("Job %s failed for manager %s; not sent today.", DIGEST, user.pk)
            counter["failed"] += 1
    return _counts(counter, "sent", "already_sent", "failed")
