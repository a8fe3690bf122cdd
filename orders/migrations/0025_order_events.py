"""The order events the partner API's feed and webhooks read (issue 18)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("orders", "0024_customer_links")]

    operations = [
        migrations.CreateModel(
            name="OrderEvent",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("status_changed", "Order status changed"),
                            ("foc_set", "FOC set"),
                            ("rejected", "Rejected"),
                            ("lsr_received", "LSR received"),
                            ("lsr_decided", "LSR decided"),
                            ("npac_cancel_recorded", "NPAC cancel recorded"),
                            ("document_sent", "Document sent"),
                        ],
                        max_length=30,
                    ),
                ),
                ("data", models.JSONField(blank=True, default=dict)),
                ("created_at", models.DateTimeField()),
                (
                    "order",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="orders.portorder",
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
                "indexes": [models.Index(fields=["order", "id"], name="order_event_order_id")],
            },
        ),
    ]
