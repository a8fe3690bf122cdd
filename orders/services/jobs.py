"""The scheduled jobs' services: the clocks staff must not have to remember (F4, F5, R1, R11)
and the managers' daily digest.

Every job here is set-based and idempotent:
- it selects only the rows that are due, through a partial index (`order_status_check_due`,
  `order_status_check_missing`, `order_auto_cancel_due`, `order_port_window_due`,
  `csr_request_open_due`), so its cost grows with the work due, not with the table;
- it works in batches of BATCH_SIZE orders, one transaction each: the batch's rows that are
  still due are locked (`select_for_update(skip_locked=True)` on PostgreSQL, with the due
  condition re-checked under the lock; SQLite serialises writers, where the re-check alone is
  the claim) and moved together with `orders.lifecycle.transition_many`, so a row another
  process holds or moved first is skipped, never moved twice;
- what a move owes is written in the same transaction, a few statements per batch: history
  rows, system comments, SUPs, NPAC cancel records (unique per order and TN) and the emails
  as outbox rows (`orders.services.outbox`), delivered by a worker after the commit;
  a manager's digest is claimed by a `DigestLog` row (unique per day);
- a batch that fails is rolled back and retried order by order; an order that still fails
  is logged with its id (logger `orders.jobs`; never a PIN or an account number), counted
  as failed and left as it was: the next run retries it.

Each function takes `now` explicitly and returns a small dict of counts for the task result
(`orders.tasks`), which the dashboard reads back (`orders.jobs_status`).
"""

import datetime
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from carriers.models import Carrier, Contact
from carriers.services import calendar_for
from orders import emails
from orders.emails import render_email
from orders.lifecycle import transition_many
from orders.models import (
    Comment,
    CsrRequest,
    DigestLog,
    Direction,
    NpacCancelRecord,
    OrderNumber,
    OutboundEmail,
    PortOrder,
    Rejection,
    Status,
    StatusChange,
    Supplement,
)
from orders.services import outbox
from orders.services.orders import unsaved_system_comment
from orders.services.portin import rejected_orders_cancel_many
from orders.services.status_checks import next_status_check_date
from portal.roles import MANAGER_GROUP

logger = logging.getLogger("orders.jobs")

STATUS_CHECKS = "status_checks_refresh_due"
AUTO_CANCEL = "rejected_orders_auto_cancel"
PORT_WINDOWS = "port_windows_expire"
CSR_OVERDUE = "csr_requests_flag_overdue"
DIGEST = "manager_digest_send"


# Rows moved per transaction: big enough that a 10,000-row run is a few dozen statements per
# batch, small enough that locks are held briefly and a failed batch is cheap to redo.
BATCH_SIZE = 500


def actor_label(job: str) -> str:
    """How a job signs the history rows it writes (StatusChange.actor_label)."""
    return f"job:{job}"


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

    `step` locks the batch's rows that are still due (`_claim`), moves them set-based and
    returns its counts; rows it could not lock or that are no longer due are "skipped" (another
    process has them). When a batch fails, its transaction rolls back (its outbox rows too)
    and its orders are retried one by one, so one bad row costs only itself: it is logged
    with its id (never a PIN or an account number), counted "failed" and left for the next run.
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
    locked = (
        PortOrder.objects.select_for_update(skip_locked=True)
        .filter(pk__in=batch, status=Status.SUBMITTED, direction=Direction.PORT_IN)
        .only(*STATUS_CHECK_FIELDS)
        .order_by("pk")
    )
    counter: Counter = Counter()
    new_dates = {}
    seen = 0
    for order in locked:
        seen += 1
        carrier = order.losing_carrier_id
        if carrier not in calendars:
            calendars[carrier] = calendar_for(Carrier.objects.filter(pk=carrier).first())
        value = next_status_check_date(order, today=today, calendar=calendars[carrier])
        if value == order.next_status_check_on:
            counter["unchanged"] += 1
        else:
            new_dates[order.pk] = value
    # The rows are locked: no status check can store a newer date meanwhile. One UPDATE per
    # distinct date (a handful: the dates fall within a few weeks), not one per order.
    by_date: dict = defaultdict(list)
    for pk, day in new_dates.items():
        by_date[day].append(pk)
    for day, pks in by_date.items():
        PortOrder.objects.filter(pk__in=pks).update(next_status_check_on=day)
    counter["updated"] += len(new_dates)
    if seen < len(batch):
        counter["skipped"] += len(batch) - seen  # moved or held by another process meanwhile
    return counter


# What next_status_check_date reads (orders.services.status_checks).
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


# --- F4: 45-day auto-cancel of rejected port-in orders --------------------------------------


def rejected_orders_auto_cancel(*, now: datetime.datetime) -> dict:
    """Cancel rejected port-in orders whose F4 clock ran out (`auto_cancel_on <= today`).

    The port-in services set `auto_cancel_on` when the customer is notified and move it on
    any customer activity (a customer comment, a resubmission), so the date is the clock.
    Each batch is cancelled as the port-in desk's cancel does (`rejected_orders_cancel_many`:
    history rows signed `job:rejected_orders_auto_cancel`, SUP 1, open rejections resolved),
    with a system comment and the customer's cancellation email (outbox, sent after commit).
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
        "auto_cancel_on",
        "foc_date",
        status=Status.REJECTED,
        direction=Direction.PORT_IN,
        auto_cancel_on__lte=today,
    )
    if not rows:
        return Counter(skipped=len(batch))
    days = settings.PORTING["REJECTED_AUTO_CANCEL_DAYS"]
    reasons = {
        row["pk"]: (
            f"F4: no activity for {days} days since the customer was last notified or "
            f"answered (auto-cancel date {row['auto_cancel_on']:%Y-%m-%d})."
        )
        for row in rows
    }
    # The desk's own cancel, for the whole batch. The customer's email is sent here, in the
    # customer's words, not the rule's.
    ids = rejected_orders_cancel_many(
        rows, reasons=reasons, actor_label=actor_label(AUTO_CANCEL), now=now
    )
    Comment.objects.bulk_create(
        unsaved_system_comment(
            pk, f"Cancelled automatically: {reasons[pk]} The customer is emailed.", now
        )
        for pk in ids
    )
    customer_reason = (
        f"there was no activity on it for {days} days after we told you it was rejected"
    )
    OutboundEmail.objects.bulk_create(
        outbox.outbound(
            emails.CANCELLATION, order_id=pk, context={"reason": customer_reason}, now=now
        )
        for pk in ids
    )
    outbox.deliver_later()  # once this batch commits, on a worker
    return Counter(cancelled=len(ids), skipped=len(batch) - len(ids))


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

    def step(batch):
        return _expire_port_windows(batch, now=now, today=today)

    return _counts(_in_batches(PORT_WINDOWS, ids, step), "cancelled", "held", "skipped", "failed")


def _make_npac_cancel_records(reasons: dict[int, str], *, now) -> None:
    """One NPAC cancel record per pending TN of each order, written by the database itself in
    one INSERT ... SELECT from the orders' numbers, each order's reason joined from a VALUES
    list. A 10,000-order run makes ~50,000 records: building them as model instances cost
    more than the rest of the job. The pending filter is the one the job counted with; the
    unique (order, TN) constraint keeps a second run from adding any."""
    if not reasons:
        return
    records, numbers = NpacCancelRecord._meta.db_table, OrderNumber._meta.db_table
    values = ", ".join(["(CAST(%s AS bigint), %s)"] * len(reasons))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {records} (order_id, tn, reason, created_at) "
            f"SELECT n.order_id, n.tn, r.column2, %s FROM {numbers} n "
            f"JOIN (VALUES {values}) AS r ON r.column1 = n.order_id "
            "WHERE n.disposition = %s AND n.npac_status NOT IN (%s, %s) "
            "ON CONFLICT DO NOTHING",
            [
                connection.ops.adapt_datetimefield_value(now),
                *(item for pair in reasons.items() for item in pair),
                OrderNumber.Disposition.PORT,
                OrderNumber.NpacStatus.ACTIVE,
                OrderNumber.NpacStatus.OLD,
            ],
        )


def _foc_in_force_since(ids: list[int]) -> dict[int, datetime.datetime]:
    """Per order, when the FOC now in force was given: the latest move to foc_sent, or the
    latest SUP that re-issued the FOC (it carries the new FOC date)."""
    since: dict[int, datetime.datetime] = {}
    moments = [
        StatusChange.objects.filter(order_id__in=ids, to_status=Status.FOC_SENT)
        .values("order_id")
        .annotate(at=Max("created_at"))
        .values_list("order_id", "at"),
        Supplement.objects.filter(order_id__in=ids, new_foc_date__isnull=False)
        .values("order_id")
        .annotate(at=Max("received_at"))
        .values_list("order_id", "at"),
    ]
    for query in moments:
        for order_id, at in query:
            since[order_id] = max(at, since.get(order_id, at))
    return since


def _expire_port_windows(batch: list[int], *, now, today) -> Counter:
    rows = _claim(
        batch,
        "pon",
        "version",
        "foc_date",
        "port_window_ends_on",
        "new_carrier_id",
        "losing_carrier_id",
        status=Status.FOC_SENT,
        direction=Direction.PORT_OUT,
        port_window_ends_on__lt=today,
    )
    counter: Counter = Counter(skipped=len(batch) - len(rows))
    if not rows:
        return counter
    ids = [row["pk"] for row in rows]
    since = _foc_in_force_since(ids)
    last_sup = dict(
        Supplement.objects.filter(order_id__in=ids)
        .values("order_id")
        .annotate(at=Max("received_at"))
        .values_list("order_id", "at")
    )
    pending: dict[int, list[str]] = defaultdict(list)
    for order_id, tn in (
        OrderNumber.objects.filter(order_id__in=ids, disposition=OrderNumber.Disposition.PORT)
        .exclude(npac_status__in=[OrderNumber.NpacStatus.ACTIVE, OrderNumber.NpacStatus.OLD])
        .order_by("order_id", "tn")
        .values_list("order_id", "tn")
    ):
        pending[order_id].append(tn)

    expiring = []
    for row in rows:
        pk, sup_at = row["pk"], last_sup.get(row["pk"])
        if sup_at is not None and (pk not in since or sup_at > since[pk]):
            # R11 applies only when no SUP came since the FOC: the desk decides this one.
            counter["held"] += 1
        elif not pending[pk]:
            # Every TN ported: the order is waiting to be completed, not expired.
            counter["held"] += 1
        else:
            expiring.append(row)
    if not expiring:
        return counter

    carriers = Carrier.objects.in_bulk(
        {row["new_carrier_id"] for row in expiring} | {row["losing_carrier_id"] for row in expiring}
    )
    contacts: dict[int, set[str]] = defaultdict(set)
    for carrier_id, email in (
        Contact.objects.filter(
            carrier_id__in={row["new_carrier_id"] for row in expiring}, role=Contact.Role.LSR
        )
        .exclude(email="")
        .values_list("carrier_id", "email")
    ):
        contacts[carrier_id].add(email)

    reasons, record_reasons = {}, {}
    for row in expiring:
        pk = row["pk"]
        window = carriers[row["losing_carrier_id"]].port_window_business_days
        foc = f"{row['foc_date']:%Y-%m-%d}" if row["foc_date"] else "(no FOC date)"
        record_reasons[pk] = f"R11: not ported within {window} business days of FOC {foc}"
        reasons[pk] = (
            f"{record_reasons[pk]} (window ended {row['port_window_ends_on']:%Y-%m-%d}); "
            f"{len(pending[pk])} TN(s) not ported. A new LSR is needed."
        )
    ids = transition_many(
        list(reasons),
        Status.CANCELLED,
        direction=Direction.PORT_OUT,
        from_status=Status.FOC_SENT,
        actor_label=actor_label(PORT_WINDOWS),
        reasons=reasons,
        now=now,
    )
    _make_npac_cancel_records(record_reasons, now=now)
    comments, notices = [], []
    for row in expiring:
        pk = row["pk"]
        recipients = sorted(contacts[row["new_carrier_id"]])
        if recipients:
            notice = f"The requesting carrier's LSR contact(s) are told: {', '.join(recipients)}."
            notices.append(
                outbox.outbound(
                    emails.PORT_WINDOW_EXPIRED, order_id=pk, recipients=recipients, now=now
                )
            )
        else:
            notice = (
                f"{carriers[row['new_carrier_id']].name} has no LSR contact with an email "
                "address on file: tell them another way that a new LSR is needed."
            )
        comments.append(
            unsaved_system_comment(
                pk,
                f"Cancelled automatically: {record_reasons[pk]}. NPAC subscription cancel "
                f"records were made for {len(pending[pk])} TN(s). {notice}",
                now,
            )
        )
    Comment.objects.bulk_create(comments)
    if notices:
        OutboundEmail.objects.bulk_create(notices)
        outbox.deliver_later()  # once this batch commits, on a worker
    counter["cancelled"] += len(ids)
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


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def digest_counts(*, now: datetime.datetime, since: datetime.date) -> dict:
    """What needs a manager, desk-wide; the job-cancelled counts cover `since` to today."""
    today = timezone.localdate(now)
    closed = [Status.COMPLETED, Status.CANCELLED]
    # One count per job, through the partial index `history_cancelled_by`.
    job_cancels = dict(
        StatusChange.objects.filter(
            to_status=Status.CANCELLED,
            actor_label__in=[actor_label(AUTO_CANCEL), actor_label(PORT_WINDOWS)],
            created_at__gte=_day_start(since),
            created_at__lt=_day_start(today),
        )
        .values("actor_label")
        .annotate(n=Count("id"))
        .values_list("actor_label", "n")
    )
    return {
        # Closing a port-in order resolves its rejections (cancel, and the resubmission
        # every completed order went through), so the open ones are all on open orders:
        # counted through `rejection_open_by_desk`, without joining the orders.
        "rejections_to_review": Rejection.objects.filter(
            resolved_at__isnull=True, direction=Direction.PORT_IN
        ).count(),
        "expedites_to_decide": PortOrder.objects.filter(status=Status.EXPEDITE_REVIEW).count(),
        "sup_flags_to_decide": PortOrder.objects.filter(sup_flag=PortOrder.Decision.PENDING)
        .exclude(status__in=closed)
        .count(),
        "csr_requests_overdue": CsrRequest.objects.filter(
            status=CsrRequest.Status.OPEN, due_at__lte=now
        ).count(),
        "auto_cancelled_f4": job_cancels.get(actor_label(AUTO_CANCEL), 0),
        "cancelled_r11": job_cancels.get(actor_label(PORT_WINDOWS), 0),
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
