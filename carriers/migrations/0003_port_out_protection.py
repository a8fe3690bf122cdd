"""R19: the port-out lock on a customer account (who, when, why), the account holder's contact email and when the account's contact or address last changed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("carriers", "0002_default_intervals"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="customeraccount",
            name="contact_email",
            field=models.EmailField(
                blank=True,
                db_default="",
                help_text="Told at once of every LSR received for the account's numbers (R19).",
                max_length=254,
                verbose_name="account holder's contact email",
            ),
        ),
        migrations.AddField(
            model_name="customeraccount",
            name="port_out_locked",
            field=models.BooleanField(
                default=False,
                db_default=False,
                editable=False,
                help_text="R19",
                verbose_name="port-out lock",
            ),
        ),
        migrations.AddField(
            model_name="customeraccount",
            name="details_changed_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="contact or address last changed",
            ),
        ),
        migrations.AddField(
            model_name="customeraccount",
            name="notice_missed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="last LSR notice missed"
            ),
        ),
        migrations.AddIndex(
            model_name="customeraccount",
            index=models.Index(
                condition=models.Q(("port_out_locked", True)),
                fields=["id"],
                name="account_port_out_locked",
            ),
        ),
        migrations.AddIndex(
            model_name="customeraccount",
            index=models.Index(
                condition=models.Q(("details_changed_at__isnull", False)),
                fields=["details_changed_at"],
                name="account_details_changed",
            ),
        ),
        migrations.AddIndex(
            model_name="customeraccount",
            index=models.Index(
                condition=models.Q(("contact_email", "")),
                fields=["name", "id"],
                name="account_no_contact",
            ),
        ),
        migrations.CreateModel(
            name="PortOutLockChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("locked", models.BooleanField()),
                ("changed_at", models.DateTimeField()),
                ("reason", models.CharField(max_length=300)),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lock_changes",
                        to="carriers.customeraccount",
                    ),
                ),
                (
                    "changed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-changed_at", "-id"],
                "indexes": [
                    models.Index(fields=["account", "-changed_at"], name="lock_change_history")
                ],
            },
        ),
    ]
