"""Reinstall what the data migrations put in the database.

A transactional test (live server, threads) ends with a flush that empties every table; the
next one would find no groups, no rejection catalogue and no default intervals. Django's
flush re-creates content types and permissions itself (post_migrate), not our data.
"""

from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group, Permission


def ensure_reference_data():
    if not Permission.objects.exists():
        # The flush after a `serialized_rollback=True` test skips post_migrate: the next
        # transactional test would start without content types and permissions.
        from django.core.management.sql import emit_post_migrate_signal

        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    import_module("carriers.migrations.0002_default_intervals").install(apps, None)
    import_module("orders.migrations.0002_rejection_catalogue").install(apps, None)
    roles = import_module("orders.migrations.0003_roles")

    def perms(names):
        found = []
        for name in names:
            app_label, codename = name.split(".")
            found.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        return found

    staff, _ = Group.objects.get_or_create(name=roles.STAFF_GROUP)
    staff.permissions.set(perms(roles.STAFF_PERMS))
    managers, _ = Group.objects.get_or_create(name=roles.MANAGER_GROUP)
    managers.permissions.set(perms(roles.STAFF_PERMS + roles.MANAGER_EXTRA))
    # R18: the validation-field reject codes and the managers' override permission.
    r18 = import_module("orders.migrations.0015_validation_fields")
    r18.install_catalogue(apps, None)
    managers.permissions.add(*perms(f"orders.{p}" for p in r18.MANAGER_PERMS))
    # R19: the locked-account reject code, the desk's lock and contact permissions and the
    # managers' port-out risk queue.
    r19 = import_module("orders.migrations.0016_port_out_protection")
    r19.install_catalogue(apps, None)
    r19.grant(apps, None)
    # F7: the pending-port reject code and the managers' early completion.
    f7 = import_module("orders.migrations.0019_pending_port_reject_and_early_completion")
    f7.install_catalogue(apps, None)
    f7.grant(apps, None)
