"""The registry: every work queue, in the navbar's order, and lookups by slug, desk and user.
The desks' queues are declared in orders/queues/portin.py and portout.py; the queues of
everyone and the managers' rejection review here."""

from __future__ import annotations

from django.db.models import Q

from orders.models.order_indexes import QUEUE_SORT_FIELDS
from orders.models.statuses import OPEN_STATUS_VALUES, REJECTION_OPEN_STATUSES
from orders.queues.base import (
    DESKS,
    EVERYONE,
    IN,
    MANAGERS,
    Queue,
    QueueContext,
    S,
    open_orders_q,
    warning_day,
)
from orders.queues.columns import (
    ACCOUNT_COL,
    ACTIVITY_COL,
    CARRIER_COL,
    DIRECTION_COL,
    DUE_COL,
    FOC_COL,
    ORDER_COL,
    STATUS_COL,
    c_rej_age,
    c_rej_assignee,
    c_rej_carrier,
    c_rej_days_left,
    c_rej_direction,
    c_rej_order,
    c_rej_reasons,
    c_rej_returned,
    c_rej_source,
    c_rej_status,
)
from orders.queues.portin import PORT_IN_QUEUES
from orders.queues.portout import PORT_OUT_QUEUES, PORT_OUT_RISK
from orders.queues.rows import REJECTION
from orders.tables import col

# Mine and Unassigned show the same columns: what to act on next, on either desk.
OPEN_ORDER_COLUMNS = (
    ORDER_COL,
    DIRECTION_COL,
    STATUS_COL,
    CARRIER_COL,
    ACCOUNT_COL,
    DUE_COL,
    FOC_COL,
    ACTIVITY_COL,
)


def attention_q(ctx: QueueContext) -> Q:
    """An open order that needs someone today, whatever its desk."""
    return (
        Q(status=S.SUBMITTED, next_status_check_on__lt=ctx.today)
        | Q(direction=IN, status=S.REJECTED, auto_cancel_on__lte=warning_day(ctx))
        | Q(status__in=[S.ACCEPTED, S.FOC_SENT], foc_date__lt=ctx.today)
        | Q(
            status__in=[S.DRAFT, S.SUBMITTED, S.RECEIVED, S.EXPEDITE_REVIEW],
            requested_due_date__lt=ctx.today,
        )
    )


def mine_q(ctx: QueueContext) -> Q:
    user = ctx.user
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__isnull=True)  # nobody: matches no row (and compiles inside COUNT FILTER)
    return Q(assignee_id=user.pk) & open_orders_q()


EVERYONES_QUEUES: tuple[Queue, ...] = (
    Queue(
        slug="mine",
        title="Mine",
        desk=EVERYONE,
        description="Open orders assigned to you, both desks.",
        where=mine_q,
        # One person's open orders, sorted in memory (a small set).
        index="assignee, status",
        overdue=attention_q,
        overdue_label="need attention today",
        default_sort="due",
        columns=OPEN_ORDER_COLUMNS,
        hide_filters=("assignee",),
        statuses=OPEN_STATUS_VALUES,
    ),
    Queue(
        slug="unassigned",
        title="Unassigned",
        desk=EVERYONE,
        description="Open orders nobody holds, both desks.",
        where=lambda ctx: Q(assignee__isnull=True) & open_orders_q(),
        index="order_queue_unassigned",
        filter_index="order_queue_unassigned",
        sort_indexes={sort: f"order_queue_unassigned_{sort}" for sort, _ in QUEUE_SORT_FIELDS},
        overdue=attention_q,
        overdue_label="need attention today",
        default_sort="activity",
        columns=OPEN_ORDER_COLUMNS,
        hide_filters=("assignee",),
        statuses=OPEN_STATUS_VALUES,
    ),
)

REJECTION_REVIEW = Queue(
    slug="rejections",
    title="Rejection review",
    desk=MANAGERS,
    description="Every open rejection on both desks, by age: reassign, or return port-in "
    "exceptions to the customer.",
    kind=REJECTION,
    where=lambda ctx: Q(resolved_at__isnull=True),
    index="rejection_open_by_age",
    filter_index="order_rejection_review",
    overdue=lambda ctx: Q(raised_at__lt=ctx.midnight(ctx.days(-30))),
    overdue_label="over 30 days old",
    default_sort="raised",
    sorts={"raised": ("raised_at",)},
    statuses=REJECTION_OPEN_STATUSES,
    columns=(
        col("order", "Order", c_rej_order),
        col("direction", "Desk", c_rej_direction),
        col("status", "Order status", c_rej_status),
        col("carrier", "Carrier", c_rej_carrier),
        col("reasons", "Reasons", c_rej_reasons),
        col("age", "Age", c_rej_age, sort="raised", numeric=True),
        col("source", "Source", c_rej_source),
        col("returned", "Returned", c_rej_returned),
        col("days_left", "Days left", c_rej_days_left, numeric=True),
        col("assignee", "Assignee", c_rej_assignee),
    ),
)

QUEUES: tuple[Queue, ...] = (
    *PORT_IN_QUEUES,
    *PORT_OUT_QUEUES,
    *EVERYONES_QUEUES,
    REJECTION_REVIEW,
    PORT_OUT_RISK,
)

QUEUES_BY_SLUG: dict[str, Queue] = {q.slug: q for q in QUEUES}


def get_queue(slug: str) -> Queue | None:
    return QUEUES_BY_SLUG.get(slug)


def queues_by_desk() -> list[tuple[str, list[Queue]]]:
    return [(desk, [q for q in QUEUES if q.desk == desk]) for desk in DESKS]


def visible_queues(user) -> list[Queue]:
    return [queue for queue in QUEUES if user.has_perm(queue.view_perm)]
