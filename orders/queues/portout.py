"""The port-out desk's queues (seed 000: R1-R17) and the managers' port-out risk queue
(R18, R19), each declared once: its rows, the index that serves them, its columns and its
sort."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import F, Q

from carriers.models import CustomerAccount
from orders.models import CsrRequest, PortOrder
from orders.queues.base import (
    MANAGERS,
    OUT,
    PORT_OUT_DESK,
    Queue,
    QueueContext,
    S,
    open_orders_q,
    stale,
)
from orders.queues.columns import (
    ACTIVITY_COL,
    ASSIGNEE_COL,
    DUE_COL,
    FOC_COL,
    ORDER_COL,
    SPID_COL,
    STATUS_COL,
    TNS_COL,
    c_bdays_left,
    c_carrier,
    c_csr_assignee,
    c_csr_carrier,
    c_csr_due,
    c_csr_received,
    c_csr_request,
    c_csr_time_left,
    c_csr_tns,
    c_npac_assignee,
    c_npac_carrier,
    c_npac_created,
    c_npac_order,
    c_npac_reason,
    c_npac_tn,
    c_npac_window,
    c_received,
    c_risk_reasons,
    c_sups,
)
from orders.queues.rows import CSR_REQUEST, NPAC_CANCEL
from orders.tables import col

REQUESTER_COL = col("carrier", "Requesting carrier", c_carrier)
RECEIVED_COL = col("received", "Received", c_received, sort="received", zoned=True)
# LSRs to decide, by receipt (order_lsr_to_decide) or requested date (order_queue_due).
LSR_SORTS = {"received": ("received_at",), "due": ("requested_due_date",)}


def _received_a_day_ago(ctx: QueueContext) -> Q:
    return Q(received_at__lt=ctx.now - datetime.timedelta(days=1))


def _details_changed_since(ctx: QueueContext) -> datetime.datetime:
    return ctx.now - datetime.timedelta(days=settings.PORTING.get("RISK_DETAILS_CHANGED_DAYS", 30))


OPEN_LSR = Q(direction=OUT, status__in=[S.RECEIVED, S.EXPEDITE_REVIEW])


def portout_risk_q(ctx: QueueContext) -> Q:
    """R19: open LSRs with an R18 mismatch, from a requester that asked for many accounts
    that day (both stored at intake), or on an account locked against port-out or whose
    contact or address changed recently (read live: the desk may lock it after the LSR).

    One OR over the order's flags and its account reads every open LSR (83 ms at a million
    orders: 18,000 rows filtered for a handful); each reason is found through its own small
    partial index instead (order_out_risk_flagged, order_out_risk_account) and the two are
    united: 0.2 ms.
    """
    risky_accounts = CustomerAccount.objects.filter(
        Q(port_out_locked=True) | Q(details_changed_at__gte=_details_changed_since(ctx))
    ).values("pk")
    flagged = PortOrder.objects.filter(
        OPEN_LSR & (Q(validation_mismatch=True) | Q(requester_burst=True))
    ).values("pk")
    on_risky_account = PortOrder.objects.filter(
        OPEN_LSR & Q(customer_account__in=risky_accounts)
    ).values("pk")
    return OPEN_LSR & Q(pk__in=flagged.union(on_risky_account, all=True))


def portout_risk_annotations(ctx: QueueContext) -> dict:
    """What the "Why" cell reads: the stored flags and the account's lock and change time
    (one LEFT JOIN in the page's statement)."""
    return {
        "risk_mismatch": F("validation_mismatch"),
        "risk_burst": F("requester_burst"),
        "risk_locked": F("customer_account__port_out_locked"),
        "risk_details_changed_at": F("customer_account__details_changed_at"),
    }


PORT_OUT_QUEUES: tuple[Queue, ...] = (
    Queue(
        slug="out-csr-requests",
        title="CSR requests",
        desk=PORT_OUT_DESK,
        description="Other carriers' CSR requests, by time left on the 24-hour clock (R1).",
        kind=CSR_REQUEST,
        where=lambda ctx: Q(status=CsrRequest.Status.OPEN),
        index="csr_request_open_due",
        overdue=lambda ctx: Q(due_at__lt=ctx.now),
        overdue_label="past the answer clock",
        default_sort="due",
        sorts={"due": ("due_at",)},
        columns=(
            col("request", "Request", c_csr_request),
            col("carrier", "Requesting carrier", c_csr_carrier),
            col("tns", "TNs", c_csr_tns),
            col("received", "Received", c_csr_received, zoned=True),
            col("due", "Answer due", c_csr_due, sort="due", zoned=True),
            col("left", "Time left", c_csr_time_left, sort="due", numeric=True),
            col("assignee", "Assignee", c_csr_assignee),
        ),
    ),
    Queue(
        slug="out-lsrs",
        title="LSRs to decide",
        desk=PORT_OUT_DESK,
        description="LSRs received: FOC or reject them against the rules (R2-R17).",
        where=lambda ctx: Q(direction=OUT, status=S.RECEIVED),
        index="order_lsr_to_decide",
        overdue=_received_a_day_ago,
        overdue_label="received over 24 hours ago",
        default_sort="received",
        sorts=LSR_SORTS,
        columns=(
            ORDER_COL,
            REQUESTER_COL,
            SPID_COL,
            TNS_COL,
            RECEIVED_COL,
            DUE_COL,
            ASSIGNEE_COL,
        ),
    ),
    Queue(
        slug="out-expedites",
        title="Expedites awaiting a manager",
        desk=PORT_OUT_DESK,
        description="LSRs with the expedite field set: a manager accepts or refuses (R8).",
        where=lambda ctx: Q(direction=OUT, status=S.EXPEDITE_REVIEW),
        index="order_queue_due",
        overdue=lambda ctx: Q(requested_due_date__lte=ctx.today),
        overdue_label="requested date today or past",
        default_sort="due",
        sorts={"due": ("requested_due_date",), "activity": ("last_activity_at",)},
        columns=(
            ORDER_COL,
            REQUESTER_COL,
            TNS_COL,
            col("received", "Received", c_received, zoned=True),
            DUE_COL,
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
        decision="Decide the expedite",
        decision_perm="orders.decide_expedite",
    ),
    Queue(
        slug="out-sup-flags",
        title="SUP-threshold flags",
        desk=PORT_OUT_DESK,
        description="Orders with too many due-date SUPs: a manager contacts the carrier or "
        "rejects (R12).",
        where=lambda ctx: Q(direction=OUT, sup_flag=PortOrder.Decision.PENDING) & open_orders_q(),
        index="order_queue_sup_flags",
        overdue=stale,
        overdue_label="waiting over a day",
        default_sort="activity",
        sorts={"activity": ("last_activity_at",)},
        columns=(
            ORDER_COL,
            STATUS_COL,
            REQUESTER_COL,
            col("sups", "Due-date SUPs", c_sups, numeric=True),
            FOC_COL,
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
        hide_filters=("direction",),
        statuses=(S.RECEIVED, S.EXPEDITE_REVIEW, S.FOC_SENT),
        decision="Decide the flag",
        decision_perm="orders.decide_sup_flag",
    ),
    Queue(
        slug="out-foc-sent",
        title="FOC'd, awaiting port",
        desk=PORT_OUT_DESK,
        description="FOC sent; the new carrier must port within the window or the order is "
        "cancelled (R11).",
        where=lambda ctx: Q(direction=OUT, status=S.FOC_SENT),
        index="order_port_window_due",
        filter_index="order_queue_out_foc_window",
        sort_indexes={
            "window": "order_queue_out_foc_window",
            "foc": "order_queue_out_foc_foc",
        },
        overdue=lambda ctx: Q(port_window_ends_on__lte=ctx.today),
        overdue_label="last day of the port window or past",
        default_sort="window",
        # The FOC sort: (status, foc_date).
        sorts={"window": ("port_window_ends_on",), "foc": ("foc_date",)},
        columns=(
            ORDER_COL,
            REQUESTER_COL,
            TNS_COL,
            FOC_COL,
            col("bdays_left", "Business days left", c_bdays_left, sort="window", numeric=True),
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
    ),
    Queue(
        slug="out-npac-cancels",
        title="NPAC cancel records to send",
        desk=PORT_OUT_DESK,
        description="Subscription cancels made by the R11 job, not yet sent to NPAC.",
        kind=NPAC_CANCEL,
        where=lambda ctx: Q(sent_at__isnull=True),
        index="npac_cancel_unsent",
        overdue=lambda ctx: Q(created_at__lt=ctx.now - datetime.timedelta(days=1)),
        overdue_label="waiting over a day",
        default_sort="created",
        sorts={"created": ("created_at",)},
        columns=(
            col("tn", "TN", c_npac_tn),
            col("order", "Order", c_npac_order),
            col("carrier", "Requesting carrier", c_npac_carrier),
            col("window", "Window ended", c_npac_window),
            col("reason", "Reason", c_npac_reason),
            col("created", "Created", c_npac_created, sort="created", zoned=True),
            col("assignee", "Order assignee", c_npac_assignee),
        ),
    ),
)

# A managers' queue (listed with theirs), on the port-out desk's rows.
PORT_OUT_RISK = Queue(
    slug="out-risk",
    title="Port-out risk",
    desk=MANAGERS,
    description="Open LSRs that look like port-out fraud (R18, R19): a validation-field "
    "mismatch, a locked account, an account whose contact or address changed lately, or "
    "a requester asking for many accounts in one day. Each row says why.",
    where=portout_risk_q,
    # The open LSRs, a small set; the conditions above are residual filters over it (the
    # accounts' side: partial indexes on carriers' accounts).
    index="order_queue_out_risk",
    overdue=_received_a_day_ago,
    overdue_label="received over 24 hours ago",
    default_sort="received",
    sorts=LSR_SORTS,
    columns=(
        ORDER_COL,
        STATUS_COL,
        REQUESTER_COL,
        col("why", "Why", c_risk_reasons),
        TNS_COL,
        RECEIVED_COL,
        DUE_COL,
        ASSIGNEE_COL,
    ),
    hide_filters=("direction",),
    statuses=(S.RECEIVED, S.EXPEDITE_REVIEW),
    direction=OUT,
    view_perm="orders.review_port_out_risk",
    row_annotations=portout_risk_annotations,
)
