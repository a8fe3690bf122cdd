import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_partners"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="What the key is for, e.g. “CRM production”.", max_length=80
                    ),
                ),
                ("prefix", models.CharField(editable=False, max_length=16, unique=True)),
                ("key_hash", models.CharField(editable=False, max_length=64)),
                (
                    "can_read",
                    models.BooleanField(
                        default=True,
                        help_text="Read orders and events.",
                        verbose_name="scope: read",
                    ),
                ),
                (
                    "can_write_port_in",
                    models.BooleanField(
                        default=False,
                        help_text=(
                            "Create, submit and cancel port-in orders; comment; upload documents."
                        ),
                        verbose_name="scope: port-in write",
                    ),
                ),
                (
                    "can_submit_port_out",
                    models.BooleanField(
                        default=False,
                        help_text="Submit port-out LSRs and their SUPs (trading partners only).",
                        verbose_name="scope: port-out submit",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("last_used_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("revoked_at", models.DateTimeField(blank=True, editable=False, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="keys",
                        to="api.partner",
                    ),
                ),
            ],
            options={
                "verbose_name": "API key",
                "ordering": ["partner__name", "name"],
            },
        ),
        migrations.CreateModel(
            name="IdempotencyRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=255)),
                ("request_hash", models.CharField(max_length=64)),
                ("status", models.PositiveSmallIntegerField()),
                ("body", models.JSONField()),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                (
                    "partner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="api.partner",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("partner", "key"), name="api_idempotency_unique_key"
                    )
                ],
            },
        ),
    ]
