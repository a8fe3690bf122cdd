"""R11: a FOC'd port-out order the new carrier did not port within its window is cancelled.

`port_window_ends_on` is the FOC date plus our carrier's `port_window_business_days` (4: "up
to 4 business days after the FOC date"); the daily job (`orders.services.jobs`) selects the
FOC'd orders whose window ended before today, locks them and hands them here in batches.
This module decides, for each, whether it is held or cancelled, and does what a cancel owes,
set-based (a few statements per batch, whatever its size):
- held: a SUP came since the FOC in force (the desk decides; a SUP that re-issued the FOC
  moved the window instead), or every TN to port is already active in NPAC (the order is
  waiting to be completed, not expired);
- cancelled: the move to cancelled with its history row (signed PORT_WINDOW_ACTOR), one NPAC
  subscription cancel record per TN still pending, a system comment, and the notice to the
  requesting carrier's LSR contacts (a new LSR is needed) through the outbox.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.db import connection
from django.db.models import Max

from carriers.models import Carrier, Contact
from orders import emails, events
from orders.lifecycle import transition_many
from orders.models import (
    Comment,
    Direction,
    NpacCancelRecord,
    OrderNumber,
    Status,
    StatusChange,
    Supplement,
)
from orders.services import outbox
from orders.services.orders import unsaved_system_comment

from ._common import Disposition, Npac

# How R11's cancels are signed in the order history (the managers' digest counts them by it).
PORT_WINDOW_ACTOR = "job:port_windows_expire"

# The columns of each locked order `port_windows_close` reads.
PORT_WINDOW_FIELDS = (
    "pon",
    "version",
    "foc_date",
    "port_window_ends_on",
    "new_carrier_id",
    "losing_carrier_id",
)

# A TN is still to port while it is on the order to port and not active (or old) in NPAC.
_PORTED = (Npac.ACTIVE, Npac.OLD)


def port_windows_close(*, rows: list[dict], now: datetime.datetime) -> Counter:
    """Hold or cancel each order of `rows` (R11); return the counts `cancelled` and `held`.

    `rows` are FOC'd port-out orders whose window ended, locked by the caller in its
    transaction (`select_for_update`, the due condition re-checked under the lock), each a
    dict with `pk` and PORT_WINDOW_FIELDS. Idempotent through that claim: a second run no
    longer finds a cancelled order due. Given the same, now stale, rows again, the move to
    cancelled raises `OrderChanged` and the caller's transaction writes nothing.
    """
    counter: Counter = Counter()
    if not rows:
        return counter
    pending = _pending_tns([row["pk"] for row in rows])
    held = _held(rows, pending)
    counter["held"] += len(held)
    expiring = [row for row in rows if row["pk"] not in held]
    if not expiring:
        return counter

    carriers = Carrier.objects.in_bulk(
        {row["new_carrier_id"] for row in expiring} | {row["losing_carrier_id"] for row in expiring}
    )
    record_reasons, reasons = {}, {}
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
        actor_label=PORT_WINDOW_ACTOR,
        reasons=reasons,
        now=now,
    )
    _make_npac_cancel_records(record_reasons, now=now)
    # The partner API's events, one bulk INSERT for the batch: the TNs the records cover.
    events.record_many(
        events.Kind.NPAC_CANCEL_RECORDED,
        ((pk, {"source": "port_window_expired", "tns": pending[pk]}) for pk in ids),
    )
    _tell_requesting_carriers(expiring, carriers, record_reasons, pending, now=now)
    counter["cancelled"] += len(ids)
    return counter


def _pending_tns(ids: list[int]) -> dict[int, list[str]]:
    """Per order, its TNs to port not yet active in NPAC (what the cancel records cover)."""
    pending: dict[int, list[str]] = defaultdict(list)
    for order_id, tn in (
        OrderNumber.objects.filter(order_id__in=ids, disposition=Disposition.PORT)
        .exclude(npac_status__in=_PORTED)
        .order_by("order_id", "tn")
        .values_list("order_id", "tn")
    ):
        pending[order_id].append(tn)
    return pending


def _held(rows: list[dict], pending: dict[int, list[str]]) -> set[int]:
    """The orders R11 leaves alone: a SUP came since the FOC in force, or nothing is pending."""
    ids = [row["pk"] for row in rows]
    since = _foc_in_force_since(ids)
    last_sup = dict(
        Supplement.objects.filter(order_id__in=ids)
        .values("order_id")
        .annotate(at=Max("received_at"))
        .values_list("order_id", "at")
    )
    held = set()
    for pk in ids:
        sup_at = last_sup.get(pk)
        if sup_at is not None and (pk not in since or sup_at > since[pk]):
            held.add(pk)  # R11 applies only when no SUP came since the FOC: the desk decides
        elif not pending[pk]:
            held.add(pk)  # every TN ported: waiting to be completed, not expired
    return held


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


def _make_npac_cancel_records(reasons: dict[int, str], *, now) -> None:
    """One NPAC cancel record per pending TN of each order, written by the database itself in
    one INSERT ... SELECT from the orders' numbers, each order's reason joined from a VALUES
    list. A 10,000-order run makes ~50,000 records: building them as model instances cost
    more than the rest of the job. The pending filter is `_pending_tns`'s; the unique
    (order, TN) constraint keeps a second run from adding any."""
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
                Disposition.PORT,
                *_PORTED,
            ],
        )


def _tell_requesting_carriers(expiring, carriers, record_reasons, pending, *, now) -> None:
    """Each cancelled order's comment, and its notice to the requesting carrier's LSR
    contacts (an outbox row; the desk is told to call when the carrier has none on file)."""
    contacts: dict[int, set[str]] = defaultdict(set)
    for carrier_id, email in (
        Contact.objects.filter(
            carrier_id__in={row["new_carrier_id"] for row in expiring}, role=Contact.Role.LSR
        )
        .exclude(email="")
        .values_list("carrier_id", "email")
    ):
        contacts[carrier_id].add(email)
    comments, notices = [], []
    for row in expiring:
        pk = row["pk"]
        recipients = sorted(contacts[row["new_carrier_id"]])
        if recipients:
            told = f"The requesting carrier's LSR contact(s) are told: {', '.join(recipients)}."
            notices.append(outbox.Owed(pk, recipients=recipients))
        else:
            told = (
                f"{carriers[row['new_carrier_id']].name} has no LSR contact with an email "
                "address on file: tell them another way that a new LSR is needed."
            )
        comments.append(
            unsaved_system_comment(
                pk,
                f"Cancelled automatically: {record_reasons[pk]}. NPAC subscription cancel "
                f"records were made for {len(pending[pk])} TN(s). {told}",
                now,
            )
        )
    Comment.objects.bulk_create(comments)
    # The notices go to a worker once this batch commits: the job never waits for SMTP.
    outbox.queue_many(emails.PORT_WINDOW_EXPIRED, notices, now=now, on_worker=True)
