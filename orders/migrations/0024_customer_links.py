"""The customer's signed links, the LOA signature and the customer resubmission (issue 19)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import orders.models.activity


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0023_dashboard_summary"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CustomerLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "purpose",
                    models.CharField(
                        choices=[("loa", "Sign the LOA"), ("status", "Order status")], max_length=10
                    ),
                ),
                ("token_digest", models.CharField(editable=False, max_length=64, unique=True)),
                ("email", models.EmailField(max_length=254)),
                ("created_at", models.DateTimeField()),
                ("expires_at", models.DateTimeField()),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                ("first_viewed_at", models.DateTimeField(blank=True, null=True)),
                ("last_viewed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "loa_file",
                    models.FileField(
                        blank=True, upload_to=orders.models.activity.document_upload_path
                    ),
                ),
                ("loa_sha256", models.CharField(blank=True, max_length=64)),
                ("loa_content", models.JSONField(blank=True, default=dict)),
                ("used_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
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
                        related_name="customer_links",
                        to="orders.portorder",
                    ),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="CustomerLinkEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("viewed", "Opened"),
                            ("signed", "Signed the LOA"),
                            ("resubmitted", "Sent corrections"),
                            ("cancelled", "Cancelled the draft"),
                            ("refused", "Refused (the link cannot be used)"),
                        ],
                        max_length=12,
                    ),
                ),
                ("detail", models.CharField(blank=True, max_length=200)),
                ("at", models.DateTimeField()),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                ("user_agent", models.CharField(blank=True, max_length=300)),
                (
                    "link",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="orders.customerlink",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="customer_events",
                        to="orders.portorder",
                    ),
                ),
            ],
            options={
                "ordering": ["-at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="CustomerResubmission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("submitted_at", models.DateTimeField()),
                ("before", models.JSONField(default=dict)),
                ("after", models.JSONField(default=dict)),
                ("pin_changed", models.BooleanField(default=False)),
                ("note", models.TextField(blank=True)),
                (
                    "bill",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="orders.document",
                    ),
                ),
                (
                    "link",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="orders.customerlink",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="customer_resubmissions",
                        to="orders.portorder",
                    ),
                ),
            ],
            options={
                "ordering": ["-submitted_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="LoaSignature",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("signer_name", models.CharField(max_length=120)),
                ("signer_title", models.CharField(max_length=120)),
                ("consent", models.BooleanField()),
                ("signed_at", models.DateTimeField()),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                ("user_agent", models.CharField(blank=True, max_length=300)),
                (
                    "document_sha256",
                    models.CharField(max_length=64, verbose_name="SHA-256 of the LOA signed"),
                ),
                (
                    "link",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="signature",
                        to="orders.customerlink",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="loa_signatures",
                        to="orders.portorder",
                    ),
                ),
                (
                    "signed_document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="loa_signature",
                        to="orders.document",
                    ),
                ),
            ],
            options={
                "ordering": ["-signed_at"],
            },
        ),
        migrations.AddIndex(
            model_name="customerlink",
            index=models.Index(
                fields=["order", "purpose", "-created_at"], name="customer_link_order"
            ),
        ),
        migrations.AddIndex(
            model_name="customerlinkevent",
            index=models.Index(fields=["order", "-at"], name="customer_event_order"),
        ),
        migrations.AddIndex(
            model_name="customerresubmission",
            index=models.Index(
                fields=["order", "-submitted_at"], name="customer_resubmission_order"
            ),
        ),
    ]
