"""The desk's groups: staff work orders, managers also decide. Superusers keep carriers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "Porting staff"
MANAGER_GROUP = "Porting managers"

STAFF_PERMS = [
    *(
        f"orders.{a}_{m}"
        for m in (
            "portorder",
            "ordernumber",
            "comment",
            "document",
            "supplement",
            "rejection",
            "statuscheck",
            "csrrequest",
            "portincsr",
            "authorizationdispute",
            "npaccancelrecord",
        )
        for a in ("view", "add", "change")
    ),
    "orders.view_statuschange",
    "orders.view_rejectionreason",
    *(
        f"carriers.view_{m}"
        for m in (
            "carrier",
            "spid",
            "contact",
            "intervalguideline",
            "nonbusinessday",
            "customeraccount",
            "telephonenumber",
        )
    ),
]
MANAGER_EXTRA = [
    "orders.decide_expedite",
    "orders.decide_sup_flag",
    "orders.bulk_reassign",
    "orders.review_rejections",
    "orders.reveal_pin",
]


def install(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(names):
        found = []
        for name in names:
            app_label, codename = name.split(".")
            found.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        return found

    staff, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    staff.permissions.set(perms(STAFF_PERMS))
    managers, _ = Group.objects.get_or_create(name=MANAGER_GROUP)
    managers.permissions.set(perms(STAFF_PERMS + MANAGER_EXTRA))


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[STAFF_GROUP, MANAGER_GROUP]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_rejection_catalogue"),
        ("carriers", "0002_default_intervals"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(install, remove)]
