"""R18: validation-field findings, their manager overrides and their reject codes; the order's account number encrypted at rest."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

MANAGER_GROUP = "Porting managers"
MANAGER_PERMS = ["override_finding"]

# (code, title, instructions, applies_to, rule): what the requesting carrier reads on the
# reject. Each names the field to correct, never the value we hold (CPNI).
REASONS = [
    (
        "R18-ACCT",
        "Account number does not match",
        "The account number on the LSR does not match the end user's account with us. Ask the "
        "end user for the account number on their bill from us and send it on a SUP or a new "
        "LSR.",
        "out",
        "R18",
    ),
    (
        "R18-ZIP",
        "ZIP code does not match",
        "The ZIP code on the LSR does not match the end user's service address with us. Send "
        "the 5-digit ZIP of the service address on a SUP or a new LSR.",
        "out",
        "R18",
    ),
    (
        "R18-PIN",
        "PIN/passcode missing or does not match",
        "The end user has a port-out PIN/passcode with us and the LSR's is missing or does not "
        "match. Ask the end user for it (they can reset it with us) and send it on a SUP or a "
        "new LSR.",
        "out",
        "R18",
    ),
]


def install_catalogue(apps, schema_editor):
    RejectionReason = apps.get_model("orders", "RejectionReason")
    for code, title, instructions, applies_to, rule in REASONS:
        RejectionReason.objects.update_or_create(
            code=code,
            defaults={
                "title": title,
                "instructions": instructions,
                "applies_to": applies_to,
                "rule": rule,
            },
        )


def grant_managers(apps, schema_editor):
    """Only managers override a finding (orders.override_finding)."""
    orders_config = apps.get_app_config("orders")
    orders_config.models_module = True
    create_permissions(orders_config, apps=apps, verbosity=0)
    orders_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    managers, _ = Group.objects.get_or_create(name=MANAGER_GROUP)
    managers.permissions.add(
        *Permission.objects.filter(content_type__app_label="orders", codename__in=MANAGER_PERMS)
    )


def install(apps, schema_editor):
    install_catalogue(apps, schema_editor)
    grant_managers(apps, schema_editor)


def remove(apps, schema_editor):
    apps.get_model("orders", "RejectionReason").objects.filter(
        code__in=[r[0] for r in REASONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0014_open_tn_claims"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="FindingOverride",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("rule", models.CharField(max_length=4)),
                (
                    "field",
                    models.CharField(help_text="The finding's field, e.g. “ZIP”.", max_length=40),
                ),
                ("at", models.DateTimeField()),
                ("reason", models.TextField()),
                ("voided_at", models.DateTimeField(blank=True, null=True)),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="overrides",
                        to="orders.portorder",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "id"],
                "permissions": [
                    ("override_finding", "Can override an R18 validation-field finding")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("voided_at__isnull", True)),
                        fields=("order", "rule", "field"),
                        name="finding_override_once_while_standing",
                    )
                ],
            },
        ),
        migrations.RunPython(install, remove),
    ]
