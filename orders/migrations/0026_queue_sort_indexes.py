"""Indexes for the sorts, filters and page depths the pages link to (issue 21).

The two mixed-status queues (in-csr, unassigned) get one partial index per sort besides their
default one (same predicate as the queue's own index: orders/queues/ entries name them in
`sort_indexes`, tests/orders/queues/test_indexes.py checks each pair); the order list gets
(status | direction, last_activity_at, id) for its two filters. Partial indexes hold 10,000-25,000
rows at a million orders (built in well under a second); the two order-list indexes cover the
table (a few seconds each). Plain AddIndex: the migration stays atomic and runs on SQLite too.
"""

from django.db import migrations, models

IN_CSR = models.Q(
    ("csr_status__in", ["pending", "mismatched"]),
    ("direction", "in"),
    ("status__in", ["draft", "exception", "review"]),
)
UNASSIGNED = models.Q(
    ("assignee__isnull", True),
    (
        "status__in",
        [
            "draft",
            "submitted",
            "accepted",
            "exception",
            "review",
            "rejected",
            "received",
            "expedite_review",
            "foc_sent",
        ],
    ),
    models.Q(("direction", "out"), ("status", "rejected"), _negated=True),
)
SORTS = (("due", "requested_due_date"), ("created", "created_at"), ("foc", "foc_date"))


class Migration(migrations.Migration):
    dependencies = [("orders", "0025_order_events")]

    operations = [
        *(
            migrations.AddIndex(
                model_name="portorder",
                index=models.Index(
                    condition=IN_CSR, fields=[field, "id"], name=f"order_queue_in_csr_{sort}"
                ),
            )
            for sort, field in SORTS
        ),
        *(
            migrations.AddIndex(
                model_name="portorder",
                index=models.Index(
                    condition=UNASSIGNED,
                    fields=[field, "id"],
                    name=f"order_queue_unassigned_{sort}",
                ),
            )
            for sort, field in SORTS
        ),
        *(
            migrations.AddIndex(
                model_name="portorder",
                index=models.Index(
                    condition=models.Q(("direction", "out"), ("status", "foc_sent")),
                    fields=[field, "id"],
                    name=f"order_queue_out_foc_{sort}",
                ),
            )
            for sort, field in (("window", "port_window_ends_on"), ("foc", "foc_date"))
        ),
        migrations.AddIndex(
            model_name="portorder",
            index=models.Index(
                fields=["status", "last_activity_at", "id"], name="order_list_status"
            ),
        ),
        migrations.AddIndex(
            model_name="portorder",
            index=models.Index(
                fields=["direction", "last_activity_at", "id"], name="order_list_direction"
            ),
        ),
    ]
