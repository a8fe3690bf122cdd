"""django-q2 task of the reports: a thin entry point over reports.rollup (its schedule is
declared with the desk's jobs, orders.tasks.JOBS, by name)."""

from django.utils import timezone

from . import rollup


def reports_rollup() -> dict:
    return rollup.reports_rollup(now=timezone.now())
