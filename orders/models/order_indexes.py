"""The port order's indexes, each named for what it serves (a queue, a sort, a filter, a
job); the queue declarations name them (`Queue.index`, `sort_indexes`, `filter_index`) and
tests/orders/queues/test_indexes.py, test_sort_indexes.py and test_filter_indexes.py hold
each to its queue. Kept apart from the model: the list is longer than the model's fields."""

from django.db import models
from django.db.models import Q

from .statuses import OPEN_STATUS_VALUES, REJECTION_OPEN_STATUSES

# The sorts (key, field) of the queues with an index per sort (issue 21; the default sort,
# "activity", has the queue's own index).
QUEUE_SORT_FIELDS = (("due", "requested_due_date"), ("created", "created_at"), ("foc", "foc_date"))

# The order columns the queues' filter panels test (orders/filters.py ORDER_FILTER_COLUMNS),
# carried by a busy queue's index (`Queue.filter_index`): a filter whose value the index
# cannot answer reads the queue's rows from the table to apply it (issue 21: 10,000-50,000
# random reads, 100-650 ms at a million orders), while INCLUDE-d columns are tested in the
# index. Partial indexes only: an order outside the predicate costs them nothing.
QUEUE_FILTER_COLUMNS = (
    "direction",
    "status",
    "losing_carrier",
    "new_carrier",
    "losing_spid",
    "new_spid",
    "assignee",
    "is_project_port",
    "requested_due_date",
    "foc_date",
    "created_at",
    # The search box (orders/filters.py order_search_q).
    "pon",
    "btn",
    "account_name",
)

PORT_ORDER_INDEXES = [
    # Orders by account number (R18 matching; carriers.fields.with_account_number).
    models.Index(
        fields=["account_number_digest"],
        condition=Q(account_number_digest__isnull=False),
        name="order_account_number_digest",
    ),
    # Queues filter by direction + status and sort by recency or a clock.
    models.Index(fields=["direction", "status", "-last_activity_at"]),
    models.Index(fields=["status", "foc_date"]),
    models.Index(fields=["assignee", "status"]),
    models.Index(
        fields=["next_status_check_on"],
        condition=Q(status="submitted"),
        name="order_status_check_due",
    ),
    models.Index(
        fields=["id"],
        condition=Q(status="submitted", direction="in", next_status_check_on__isnull=True),
        name="order_status_check_missing",
    ),  # F5's daily pass: submitted port-ins the services could not date yet
    models.Index(
        fields=["auto_cancel_on", "id"],
        condition=Q(status="rejected", direction="in"),
        include=QUEUE_FILTER_COLUMNS,
        name="order_auto_cancel_due",
    ),  # F4's job; in-rejected, and its filters
    models.Index(
        fields=["port_window_ends_on"],
        condition=Q(status="foc_sent"),
        name="order_port_window_due",
    ),
    models.Index(fields=["pon"]),
    models.Index(fields=["btn"]),
    models.Index(fields=["account_name"]),
    models.Index(fields=["losing_carrier", "status"]),
    # Work queues (orders/queues/), filter -> sort keys served:
    #   (direction, status, -last_activity_at): status queues, sort "activity";
    #   (status, foc_date): in-foc-week, out-foc-sent "foc", dashboard FOC lists;
    #   (assignee, status): mine, unassigned (assignee IS NULL);
    #   order_status_check_due: in-status-checks, in-submitted "check";
    #   order_auto_cancel_due: in-rejected "days_left";
    #   order_port_window_due: out-foc-sent "window";
    #   (losing_carrier, status) / order_new_carrier_status: the carrier filter.
    models.Index(
        fields=["direction", "status", "requested_due_date"], name="order_queue_due"
    ),  # status queues, sort "due"
    models.Index(
        fields=["direction", "status", "created_at"], name="order_queue_created"
    ),  # status queues, sort "created" and the "created" date filter
    models.Index(
        fields=["received_at"],
        condition=Q(status="received"),
        name="order_lsr_to_decide",
    ),  # out-lsrs, sort "received"
    models.Index(
        fields=["completed_at"],
        condition=Q(status="completed"),
        name="order_completed_recent",
    ),  # in-completed, sort "completed"; the dashboard's 7-day count
    models.Index(
        fields=["last_activity_at"],
        condition=Q(sup_flag="pending"),
        name="order_sup_flag_pending",
    ),  # out-sup-flags
    models.Index(fields=["new_carrier", "status"], name="order_new_carrier_status"),
    # R19: one requester's LSRs of a day (how many accounts it asked to port).
    models.Index(
        fields=["new_carrier", "received_at"],
        condition=Q(direction="out"),
        name="order_lsr_by_requester",
    ),
    # The port-out risk queue: open LSRs, a small set, by receipt.
    models.Index(
        fields=["received_at", "id"],
        condition=Q(direction="out", status__in=["received", "expedite_review"]),
        name="order_queue_out_risk",
    ),
    # Its reasons, each through its own small index (orders/queues/portout.py): the
    # flags stored at intake, and the open LSRs of an account (locked or changed).
    models.Index(
        fields=["id"],
        condition=Q(direction="out", status__in=["received", "expedite_review"])
        & (Q(validation_mismatch=True) | Q(requester_burst=True)),
        name="order_out_risk_flagged",
    ),
    models.Index(
        fields=["customer_account"],
        condition=Q(direction="out", status__in=["received", "expedite_review"]),
        name="order_out_risk_account",
    ),
    # The order list's default sort (most recent activity first, read backwards):
    # without it, its first page sorted every order (0.9 s at a million).
    models.Index(fields=["last_activity_at", "id"], name="order_list_activity"),
    # One partial index per big queue, on its sort key with EXACTLY its predicate
    # (orders/queues/): the capped count is then an index-only scan and the first
    # page is read in order, whatever the table size. Keep them in step with the
    # queue entry's `where`; each entry names its `index`, and
    # tests/orders/queues/test_indexes.py checks they match.
    models.Index(
        fields=["last_activity_at", "id"],
        condition=Q(
            direction="in",
            status__in=["draft", "exception", "review"],
            csr_status__in=["pending", "mismatched"],
        ),
        name="order_queue_in_csr",
    ),  # in-csr, sort "activity"
    models.Index(
        fields=["last_activity_at", "id"],
        condition=Q(
            assignee__isnull=True,
            status__in=list(OPEN_STATUS_VALUES),
        )
        & ~Q(direction="out", status="rejected"),
        include=QUEUE_FILTER_COLUMNS,
        name="order_queue_unassigned",
    ),  # unassigned, sort "activity", and its filters
    models.Index(
        fields=["foc_date", "id"],
        condition=Q(direction="in", status="accepted"),
        name="order_queue_in_foc_week",
    ),  # in-foc-week, sort "foc"
    models.Index(
        fields=["completed_at", "id"],
        condition=Q(direction="in", status="completed"),
        name="order_queue_in_completed",
    ),  # in-completed, sort "completed"
    models.Index(
        fields=["next_status_check_on", "id"],
        condition=Q(direction="in", status="submitted"),
        name="order_queue_in_checks",
    ),  # in-status-checks, in-submitted sort "check"
    models.Index(
        fields=["last_activity_at", "id"],
        condition=Q(
            direction="out",
            sup_flag="pending",
            status__in=list(OPEN_STATUS_VALUES),
        )
        & ~Q(direction="out", status="rejected"),
        name="order_queue_sup_flags",
    ),  # out-sup-flags
    models.Index(
        fields=["foc_date", "pon", "id", "direction"],
        condition=Q(status__in=["accepted", "foc_sent"]),
        name="order_focs_soon",
    ),  # the dashboard's FOCs today and tomorrow, in its order; and FOCs per day
    # and desk, read from the index alone
    # The other sorts of the two mixed-status queues (issue 21): no composite index
    # gives their rows in these orders, so each sort read and sorted every row of
    # the queue (unassigned by created: 183 ms at a million orders). Same predicate
    # as the queue's own index; the entry's `sort_indexes` names them and
    # tests/orders/queues/test_indexes.py checks each pair.
    *(
        models.Index(
            fields=[field, "id"],
            condition=Q(
                direction="in",
                status__in=["draft", "exception", "review"],
                csr_status__in=["pending", "mismatched"],
            ),
            name=f"order_queue_in_csr_{sort}",
        )
        for sort, field in QUEUE_SORT_FIELDS
    ),
    *(
        models.Index(
            fields=[field, "id"],
            condition=Q(
                assignee__isnull=True,
                status__in=list(OPEN_STATUS_VALUES),
            )
            & ~Q(direction="out", status="rejected"),
            name=f"order_queue_unassigned_{sort}",
        )
        for sort, field in QUEUE_SORT_FIELDS
    ),
    # out-foc-sent's two sorts with the desk in the predicate: order_port_window_due
    # and (status, foc_date) hold port-ins too, so a deep page read every FOC'd
    # order's row to check its desk (page 200: 186 ms at a million orders).
    models.Index(
        fields=["port_window_ends_on", "id"],
        condition=Q(direction="out", status="foc_sent"),
        include=QUEUE_FILTER_COLUMNS,
        name="order_queue_out_foc_window",
    ),  # and out-foc-sent's filters
    models.Index(
        fields=["foc_date", "id"],
        condition=Q(direction="out", status="foc_sent"),
        name="order_queue_out_foc_foc",
    ),
    # in-submitted (27,000 orders at a million) and its filters; its other sorts use
    # the composite (direction, status, ...) indexes.
    models.Index(
        fields=["requested_due_date", "id"],
        condition=Q(direction="in", status="submitted"),
        include=QUEUE_FILTER_COLUMNS,
        name="order_queue_in_submitted",
    ),
    # The rejection review's filters on the order (50,000 open rejections at a
    # million: a filter read each one's order from the table, 300-500 ms).
    models.Index(
        fields=["id"],
        condition=Q(status__in=list(REJECTION_OPEN_STATUSES)),
        include=QUEUE_FILTER_COLUMNS,
        name="order_rejection_review",
    ),
    # The order list filtered by status or by desk, most recent activity first: the
    # page's ids come from the index alone at any depth (a status's page 200 read
    # and discarded 10,000-200,000 orders of other statuses: 0.3-1.3 s).
    models.Index(fields=["status", "last_activity_at", "id"], name="order_list_status"),
    models.Index(fields=["direction", "last_activity_at", "id"], name="order_list_direction"),
    # ... and by losing carrier (Columbia Bell's page 200: 67,000 orders of other
    # carriers read and discarded, 235 ms at a million).
    models.Index(
        fields=["losing_carrier", "last_activity_at", "id"],
        name="order_list_losing_carrier",
    ),
    # Every queue's project-port filter: 0.3% of orders (89 of out-foc-sent's 32,403
    # at a million), which a queue's own index found only by reading the whole queue
    # from the table (220 ms). Tiny, and untouched by the jobs' status updates of
    # ordinary orders.
    models.Index(fields=["id"], condition=Q(is_project_port=True), name="order_project_ports"),
]
