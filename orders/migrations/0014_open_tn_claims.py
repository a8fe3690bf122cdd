"""F7: a TN is on at most one open order per desk (enforced by a unique claim row), and the inventory changes each completed port made."""

import django.db.models.deletion
from django.db import migrations, models

# The claims of the orders open today, one per TN and desk. Existing data may already have a
# TN on two open orders of one desk: the first order (lowest id) keeps the claim, so this
# never fails; the desk sees the later order's TN as "already on open order" from now on.
# Open = not completed or cancelled, and not a rejected port-out (OPEN_STATUSES_Q). Only the
# TNs to port are claimed (a port-out's disconnect and remain lines are not).
BACKFILL = """
INSERT INTO orders_opentnclaim (tn, direction, order_id)
SELECT n.tn, o.direction, MIN(o.id)
FROM orders_ordernumber n
JOIN orders_portorder o ON o.id = n.order_id
WHERE n.disposition = 'port'
  AND o.status NOT IN ('completed', 'cancelled')
  AND NOT (o.direction = 'out' AND o.status = 'rejected')
GROUP BY n.tn, o.direction
ON CONFLICT DO NOTHING
"""


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0013_partial_number_search_trigram"),
        ("carriers", "0004_account_number_cpni"),
    ]

    operations = [
        migrations.CreateModel(
            name="OpenTnClaim",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("tn", models.CharField(max_length=10, verbose_name="TN")),
                (
                    "direction",
                    models.CharField(
                        choices=[("in", "Port-in"), ("out", "Port-out")], max_length=3
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tn_claims",
                        to="orders.portorder",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("tn", "direction"), name="open_tn_claim_one_per_desk"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="InventoryChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("tn", models.CharField(max_length=10, verbose_name="TN")),
                (
                    "status_before",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("working", "Working"),
                            ("disconnected", "Disconnected"),
                            ("reserved", "Reserved"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "status_after",
                    models.CharField(
                        choices=[
                            ("working", "Working"),
                            ("disconnected", "Disconnected"),
                            ("reserved", "Reserved"),
                        ],
                        max_length=20,
                    ),
                ),
                ("changed_at", models.DateTimeField()),
                (
                    "account_after",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="carriers.customeraccount",
                    ),
                ),
                (
                    "account_before",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="carriers.customeraccount",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="inventory_changes",
                        to="orders.portorder",
                    ),
                ),
                (
                    "spid_after",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="carriers.spid",
                    ),
                ),
                (
                    "spid_before",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="carriers.spid",
                    ),
                ),
            ],
            options={
                "ordering": ["order", "tn"],
                "indexes": [
                    models.Index(fields=["tn", "-changed_at"], name="inventory_change_tn_recent")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("order", "tn"), name="inventory_change_once_per_order"
                    )
                ],
            },
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
    ]
