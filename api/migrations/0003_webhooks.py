"""Webhooks (issue 18): subscriptions, deliveries and the fan-out's high-water mark."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import api.models.webhooks
import carriers.fields


def create_fan_out_mark(apps, schema_editor):
    # The one row every fan-out run locks; made here so that no run races another to create it.
    apps.get_model("api", "WebhookFanOut").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_keys_idempotency"),
        ("orders", "0025_order_events"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="WebhookFanOut",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("last_event_id", models.BigIntegerField(default=0)),
                ("updated_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "webhook fan-out mark",
            },
        ),
        migrations.CreateModel(
            name="WebhookSubscription",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        help_text="An http(s) address of the partner's receiver; redirects are not followed.",
                        max_length=500,
                        verbose_name="URL",
                    ),
                ),
                (
                    "event_types",
                    models.JSONField(
                        default=list,
                        help_text="The kinds of events sent (orders.OrderEvent.Kind values).",
                    ),
                ),
                (
                    "secret",
                    carriers.fields.EncryptedCharField(
                        default=api.models.webhooks.new_secret, editable=False, max_length=64
                    ),
                ),
                ("active", models.BooleanField(default=True)),
                ("description", models.CharField(blank=True, max_length=120)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "secret_rotated_at",
                    models.DateTimeField(blank=True, editable=False, null=True),
                ),
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
                        related_name="webhooks",
                        to="api.partner",
                    ),
                ),
            ],
            options={
                "verbose_name": "webhook subscription",
                "ordering": ["partner__name", "url"],
            },
        ),
        migrations.CreateModel(
            name="WebhookDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("failed", "Failed (retrying)"),
                            ("delivered", "Delivered"),
                            ("given_up", "Given up"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("next_attempt_at", models.DateTimeField(blank=True, null=True)),
                ("last_attempt_at", models.DateTimeField(blank=True, null=True)),
                ("last_response_status", models.PositiveSmallIntegerField(blank=True, null=True)),
                (
                    "last_response_body",
                    models.CharField(
                        blank=True, max_length=500, verbose_name="last response (excerpt)"
                    ),
                ),
                ("last_error", models.CharField(blank=True, max_length=300)),
                ("delivered_at", models.DateTimeField(blank=True, null=True)),
                (
                    "replays",
                    models.PositiveIntegerField(
                        default=0, help_text="Times replayed from the admin."
                    ),
                ),
                ("created_at", models.DateTimeField()),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="orders.orderevent",
                    ),
                ),
                (
                    "subscription",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="api.webhooksubscription",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "webhook deliveries",
                "ordering": ["-id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("status__in", ["pending", "failed"])),
                        fields=["next_attempt_at"],
                        name="webhook_delivery_due",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("subscription", "event"), name="webhook_delivery_once"
                    )
                ],
            },
        ),
        migrations.RunPython(create_fan_out_mark, migrations.RunPython.noop),
    ]
