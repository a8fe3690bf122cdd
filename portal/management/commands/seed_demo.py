"""Demo data for `make run`: users, carriers, numbers and orders. Idempotent."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from carriers import demo as carriers_demo
from orders import demo as orders_demo
from orders.roles import MANAGER_GROUP, STAFF_GROUP
from orders.services.dashboard_summary import refresh_dashboard_summary

# (username, password, first, last, group or None for the superuser)
DEMO_USERS = [
    ("alice", "alice-porting-desk", "Alice", "Porter", STAFF_GROUP),
    ("maria", "maria-porting-desk", "Maria", "Manager", MANAGER_GROUP),
    ("admin", "admin-porting-desk", "Ada", "Admin", None),
]


class Command(BaseCommand):
    help = "Create the demo users, carriers, number inventory and orders (safe to run twice)."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        for username, password, first, last, group in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@porting-desk.example.net",
                    "is_staff": group is None,
                    "is_superuser": group is None,
                },
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
            if group:
                user.groups.add(Group.objects.get(name=group))
        carriers_demo.seed(stdout=self.stdout)
        orders_demo.seed(stdout=self.stdout)
        # The dashboard reads a summary the worker refreshes every minute: have it ready for
        # the first page after `make run`, not a minute later.
        refresh_dashboard_summary()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
