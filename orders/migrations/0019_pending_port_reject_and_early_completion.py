"""F7 on the port-out desk: a TN already on another open port request is rejected with its own
code (logged, so the reply and the holder's R19 notice have a record); and completing a port
before its FOC date is a permission of its own, a manager's."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MANAGER_GROUP = "Porting managers"
MANAGER_PERMS = ["complete_before_foc"]

F7_REASON = {
    "code": "F7",
    "title": "TN already on a pending port request",
    "instructions": "A port request for this TN from another request is already pending with "
    "us. Wait for it to complete or be cancelled, or ask the end user which request is theirs.",
    "applies_to": "out",
    "rule": "F7",
}


def install_catalogue(apps, schema_editor):
    RejectionReason = apps.get_model("orders", "RejectionReason")
    values = dict(F7_REASON)
    RejectionReason.objects.update_or_create(code=values.pop("code"), defaults=values)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="orders", codename__in=MANAGER_PERMS)
    for group in Group.objects.filter(name=MANAGER_GROUP):
        group.permissions.add(*perms)


def install(apps, schema_editor):
    install_catalogue(apps, schema_editor)
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant(apps, schema_editor)


def remove(apps, schema_editor):
    apps.get_model("orders", "RejectionReason").objects.filter(code="F7").delete()


class Migration(migrations.Migration):
    dependencies = [("orders", "0018_order_account_number_cpni")]

    operations = [
        migrations.AlterModelOptions(
            name="portorder",
            options={
                "ordering": ["-created_at"],
                "permissions": [
                    ("decide_expedite", "Can accept or refuse an expedite"),
                    ("decide_sup_flag", "Can decide a SUP-threshold flag"),
                    ("bulk_reassign", "Can reassign orders in bulk"),
                    ("review_rejections", "Can work the rejection review queue"),
                    ("reveal_pin", "Can reveal a port-in PIN"),
                    ("review_port_out_risk", "Can work the port-out risk queue"),
                    ("complete_before_foc", "Can complete a port before its FOC date"),
                ],
            },
        ),
        migrations.RunPython(install, remove),
    ]
