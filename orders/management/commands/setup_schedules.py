"""Create or update the django-q2 schedules of the porting desk's jobs (orders.tasks.JOBS).

Idempotent: a schedule is found by its name and updated in place, so running the command
twice (every deploy, every `make run`) leaves exactly one schedule per job. Duplicates left
by hand are removed, and so are schedules of `orders.tasks` functions that are no longer
declared. Cron lines are read in the portal's time zone (the cluster's `time_zone`).
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django_q.models import Schedule

from orders.tasks import JOBS


class Command(BaseCommand):
    help = "Create or update the scheduled jobs (django-q2 schedules); safe to run twice."

    @transaction.atomic
    def handle(self, *args, **options):
        created = updated = unchanged = 0
        declared = {job.name for job in JOBS}
        for job in JOBS:
            rows = list(Schedule.objects.select_for_update().filter(name=job.name).order_by("pk"))
            schedule, extras = (rows[0], rows[1:]) if rows else (None, [])
            for extra in extras:
                extra.delete()
            if schedule is None:
                schedule = Schedule(name=job.name)
                changed = True
                created += 1
            else:
                changed = (
                    schedule.func != job.func
                    or schedule.schedule_type != Schedule.CRON
                    or schedule.cron != job.cron
                    or schedule.repeats != -1
                    or schedule.args
                    or schedule.kwargs
                    or schedule.cluster
                )
            if not changed:
                unchanged += 1
                continue
            if schedule.pk is not None:
                updated += 1
            schedule.func = job.func
            schedule.schedule_type = Schedule.CRON
            schedule.cron = job.cron
            schedule.repeats = -1
            schedule.args = None
            schedule.kwargs = None
            schedule.cluster = None
            schedule.full_clean()
            schedule.next_run = schedule.calculate_next_run()
            schedule.save()
        # The desk's jobs, the reports' rollup and the API's webhooks (declared in JOBS by name).
        stale = Schedule.objects.filter(
            Q(func__startswith="orders.tasks.")
            | Q(func__startswith="reports.tasks.")
            | Q(func__startswith="api.tasks.")
        ).exclude(name__in=declared)
        removed = stale.count()
        stale.delete()
        self.stdout.write(
            self.style.SUCCESS(
                f"Schedules ({settings.TIME_ZONE}): {created} created, {updated} updated, "
                f"{unchanged} unchanged, {removed} removed."
            )
        )
        if options["verbosity"] > 1:
            for job in JOBS:
                self.stdout.write(f"  {job.name}: {job.cron} ({job.when}) -> {job.func}")
