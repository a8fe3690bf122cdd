"""R19: the locked-account reject code and what the port-out risk queue reads."""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

STAFF_GROUP = "Porting staff"
MANAGER_GROUP = "Porting managers"

R19_REASON = {
    "code": "R19",
    "title": "Account locked against port-out",
    "instructions": "The account holder has locked these numbers against port-out with us. "
    "The end user must ask us to remove the lock before a new LSR is sent.",
    "applies_to": "out",
    "rule": "R19",
}

# Staff and managers turn the lock on or off at the customer's request and keep the holder's
# contact email (the desk's account page); only managers work the port-out risk queue.
DESK_PERMS = [
    "carriers.view_portoutlockchange",
    "carriers.add_portoutlockchange",
    "carriers.change_customeraccount",
]
MANAGER_PERMS = ["orders.review_port_out_risk"]


def _perms(Permission, names):
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def install_catalogue(apps, schema_editor):
    RejectionReason = apps.get_model("orders", "RejectionReason")
    values = dict(R19_REASON)
    RejectionReason.objects.update_or_create(code=values.pop("code"), defaults=values)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    desk = _perms(Permission, DESK_PERMS)
    for group in Group.objects.filter(name__in=[STAFF_GROUP, MANAGER_GROUP]):
        group.permissions.add(*desk)
    for group in Group.objects.filter(name=MANAGER_GROUP):
        group.permissions.add(*_perms(Permission, MANAGER_PERMS))


def install(apps, schema_editor):
    install_catalogue(apps, schema_editor)
    # The new permissions exist before they are granted (post_migrate comes too late).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant(apps, schema_editor)


def remove(apps, schema_editor):
    apps.get_model("orders", "RejectionReason").objects.filter(code="R19").delete()
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [name.split(".")[1] for name in DESK_PERMS + MANAGER_PERMS]
    perms = list(Permission.objects.filter(codename__in=codenames))
    for group in Group.objects.filter(name__in=[STAFF_GROUP, MANAGER_GROUP]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0015_validation_fields"),
        ("carriers", "0003_port_out_protection"),
    ]

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
                ],
            },
        ),
        migrations.AddField(
            model_name="portorder",
            name="customer_account",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="port_out_orders",
                to="carriers.customeraccount",
            ),
        ),
        migrations.AddField(
            model_name="portorder",
            name="holder_notice",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "No account of ours"),
                    ("queued", "Emailed"),
                    ("missing", "Not told: no contact email"),
                ],
                default="",
                db_default="",
                editable=False,
                max_length=10,
                verbose_name="account holder notice (R19)",
            ),
        ),
        migrations.AddField(
            model_name="portorder",
            name="requester_burst",
            field=models.BooleanField(
                default=False,
                db_default=False,
                editable=False,
                verbose_name="requester sent LSRs for many accounts that day",
            ),
        ),
        migrations.AddField(
            model_name="portorder",
            name="validation_mismatch",
            field=models.BooleanField(
                default=False, db_default=False, editable=False, verbose_name="R18 mismatch"
            ),
        ),
        migrations.AddIndex(
            model_name="portorder",
            index=models.Index(
                condition=models.Q(("direction", "out")),
                fields=["new_carrier", "received_at"],
                name="order_lsr_by_requester",
            ),
        ),
        migrations.AddIndex(
            model_name="portorder",
            index=models.Index(
                condition=models.Q(
                    ("direction", "out"), ("status__in", ["received", "expedite_review"])
                ),
                fields=["received_at", "id"],
                name="order_queue_out_risk",
            ),
        ),
        migrations.RunPython(install, remove),
    ]
