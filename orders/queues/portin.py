"""The port-in desk's queues (seed 004: F1-F5), each declared once: its rows, the index that
serves them, its columns and its sort."""

from __future__ import annotations

import datetime

from django.db.models import Q

from orders.models import PortOrder
from orders.models.order_indexes import QUEUE_SORT_FIELDS
from orders.queues.base import IN, ORDER_SORTS, PORT_IN_DESK, Queue, S, stale, warning_day
from orders.queues.columns import (
    ACCOUNT_COL,
    ACTIVITY_COL,
    ASSIGNEE_COL,
    CARRIER_COL,
    DUE_COL,
    FOC_COL,
    ORDER_COL,
    STATUS_COL,
    TNS_COL,
    c_completed,
    c_csr,
    c_days_left,
    c_next_check,
)
from orders.tables import col

CSR_COL = col("csr", "CSR", c_csr)
# The queues of orders the desk is working on (fixing, reviewing).
BEING_WORKED_COLUMNS = (
    ORDER_COL,
    CARRIER_COL,
    ACCOUNT_COL,
    TNS_COL,
    DUE_COL,
    ACTIVITY_COL,
    ASSIGNEE_COL,
)

PORT_IN_QUEUES: tuple[Queue, ...] = (
    Queue(
        slug="in-drafts",
        title="Drafts",
        desk=PORT_IN_DESK,
        description="Port-in orders not yet sent to the losing carrier.",
        where=lambda ctx: Q(direction=IN, status=S.DRAFT),
        # The other sorts: (direction, status, -last_activity_at), order_queue_created.
        index="order_queue_due",
        overdue=lambda ctx: Q(requested_due_date__lte=ctx.today),
        overdue_label="due date today or past",
        default_sort="due",
        columns=(
            ORDER_COL,
            CARRIER_COL,
            ACCOUNT_COL,
            TNS_COL,
            CSR_COL,
            DUE_COL,
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
    ),
    Queue(
        slug="in-csr",
        title="CSR pending or mismatched",
        desk=PORT_IN_DESK,
        description="The losing carrier's CSR is awaited, or differs from the order (F1).",
        where=lambda ctx: Q(
            direction=IN,
            status__in=[S.DRAFT, S.EXCEPTION, S.REVIEW],
            csr_status__in=[PortOrder.CsrStatus.PENDING, PortOrder.CsrStatus.MISMATCHED],
        ),
        index="order_queue_in_csr",
        sort_indexes={sort: f"order_queue_in_csr_{sort}" for sort, _ in QUEUE_SORT_FIELDS},
        overdue=stale,
        overdue_label="untouched for a day",
        default_sort="activity",
        columns=(
            ORDER_COL,
            STATUS_COL,
            CARRIER_COL,
            ACCOUNT_COL,
            CSR_COL,
            DUE_COL,
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
        hide_filters=("direction",),
        statuses=(S.DRAFT, S.EXCEPTION, S.REVIEW),
    ),
    Queue(
        slug="in-submitted",
        title="Submitted, awaiting FOC",
        desk=PORT_IN_DESK,
        description="LSR sent; waiting for the losing carrier's FOC or reject (F2).",
        where=lambda ctx: Q(direction=IN, status=S.SUBMITTED),
        # The other sorts: (direction, status, -last_activity_at), order_queue_created,
        # (status, foc_date), order_status_check_due.
        index="order_queue_in_submitted",
        filter_index="order_queue_in_submitted",
        overdue=lambda ctx: Q(requested_due_date__lt=ctx.today),
        overdue_label="past the requested due date",
        default_sort="due",
        sorts={**ORDER_SORTS, "check": ("next_status_check_on",)},  # order_status_check_due
        columns=(
            ORDER_COL,
            CARRIER_COL,
            ACCOUNT_COL,
            TNS_COL,
            DUE_COL,
            col("next_check", "Next check", c_next_check, sort="check"),
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
    ),
    Queue(
        slug="in-status-checks",
        title="Status checks due",
        desk=PORT_IN_DESK,
        description="Submitted orders whose status check is due today or overdue (F5).",
        where=lambda ctx: Q(direction=IN, status=S.SUBMITTED, next_status_check_on__lte=ctx.today),
        index="order_queue_in_checks",
        overdue=lambda ctx: Q(next_status_check_on__lt=ctx.today),
        overdue_label="check overdue",
        default_sort="check",
        sorts={"check": ("next_status_check_on",), "due": ("requested_due_date",)},
        columns=(
            ORDER_COL,
            CARRIER_COL,
            ACCOUNT_COL,
            TNS_COL,
            col("next_check", "Check due", c_next_check, sort="check"),
            DUE_COL,
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
    ),
    Queue(
        slug="in-exceptions",
        title="Exceptions being fixed",
        desk=PORT_IN_DESK,
        description="Rejected by the losing carrier; the desk tries to fix it first (F2).",
        where=lambda ctx: Q(direction=IN, status=S.EXCEPTION),
        index="direction, status, -last_activity_at",
        overdue=stale,
        overdue_label="untouched for a day",
        default_sort="activity",
        columns=BEING_WORKED_COLUMNS,
    ),
    Queue(
        slug="in-rejected",
        title="Rejected, awaiting the customer",
        desk=PORT_IN_DESK,
        description="Returned to the customer; cancelled automatically 45 days after the "
        "notification without activity (F4).",
        where=lambda ctx: Q(direction=IN, status=S.REJECTED),
        index="order_auto_cancel_due",
        filter_index="order_auto_cancel_due",
        overdue=lambda ctx: Q(auto_cancel_on__lte=warning_day(ctx)),
        overdue_label="a week or less before auto-cancel",
        default_sort="days_left",
        sorts={"days_left": ("auto_cancel_on",)},
        columns=(
            ORDER_COL,
            CARRIER_COL,
            ACCOUNT_COL,
            col("days_left", "Days left", c_days_left, sort="days_left", numeric=True),
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
    ),
    Queue(
        slug="in-review",
        title="In review",
        desk=PORT_IN_DESK,
        description="The customer resubmitted; the desk checks the changes and resends (F3).",
        where=lambda ctx: Q(direction=IN, status=S.REVIEW),
        index="direction, status, -last_activity_at",
        overdue=stale,
        overdue_label="untouched for a day",
        default_sort="activity",
        columns=BEING_WORKED_COLUMNS,
    ),
    Queue(
        slug="in-foc-week",
        title="FOC today, tomorrow, this week",
        desk=PORT_IN_DESK,
        description="Accepted orders porting within 7 days, and FOCs passed without completion.",
        # FOC today, tomorrow and the rest of the coming week, plus FOCs already passed
        # without completion (those are the overdue ones).
        where=lambda ctx: Q(direction=IN, status=S.ACCEPTED, foc_date__lte=ctx.days(6)),
        index="order_queue_in_foc_week",
        overdue=lambda ctx: Q(foc_date__lt=ctx.today),
        overdue_label="FOC passed, not completed",
        default_sort="foc",
        sorts={"foc": ("foc_date",)},
        columns=(ORDER_COL, CARRIER_COL, ACCOUNT_COL, TNS_COL, FOC_COL, ACTIVITY_COL, ASSIGNEE_COL),
    ),
    Queue(
        slug="in-completed",
        title="Completed in the last 7 days",
        desk=PORT_IN_DESK,
        description="Port-in orders completed during the past week.",
        where=lambda ctx: Q(
            direction=IN,
            status=S.COMPLETED,
            completed_at__gte=ctx.now - datetime.timedelta(days=7),
        ),
        index="order_queue_in_completed",
        default_sort="-completed",
        sorts={"completed": ("completed_at",)},
        columns=(
            ORDER_COL,
            CARRIER_COL,
            ACCOUNT_COL,
            TNS_COL,
            FOC_COL,
            col("completed", "Completed", c_completed, sort="completed", zoned=True),
            ASSIGNEE_COL,
        ),
    ),
)
