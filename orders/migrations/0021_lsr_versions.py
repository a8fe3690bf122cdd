"""Each version (VER) of a port-in LSR as it was sent, so the order page shows what changed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0020_out_risk_reason_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LsrVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveSmallIntegerField(verbose_name="VER")),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("submitted", "Submitted"),
                            ("resent_fix", "Resubmitted after a reject (fixed by the desk)"),
                            ("resent_review", "Resubmitted after the customer's changes"),
                            ("sup", "SUP"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "sup_type",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="SUP type"
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300)),
                ("fields", models.JSONField(default=dict, verbose_name="LSR as sent")),
                ("sent_at", models.DateTimeField()),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lsr_versions",
                        to="orders.portorder",
                    ),
                ),
            ],
            options={
                "ordering": ["order", "version"],
                "constraints": [
                    models.UniqueConstraint(fields=("order", "version"), name="lsr_version_unique")
                ],
            },
        ),
    ]
