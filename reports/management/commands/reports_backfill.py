"""Roll up a range of past days for the reports (each day replaced in its own transaction,
so the command is safe to rerun or to stop half way).

    manage.py reports_backfill                          # the last 13 months up to yesterday
    manage.py reports_backfill --from 2026-01-01 --to 2026-03-31
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.rollup import roll_range


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = "Roll up the reports' daily figures for a range of days (default: 13 months)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="last", help="last day, YYYY-MM-DD (default yesterday)")

    def handle(self, *args, first=None, last=None, **options):
        today = timezone.localdate()
        last = _date(last) if last else today - datetime.timedelta(days=1)
        if first:
            first = _date(first)
        else:
            month = today.month - 13
            first = datetime.date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        if last < first:
            raise CommandError("--to comes before --from.")
        if last >= today:
            self.stdout.write(
                self.style.WARNING(
                    "Today is counted live by the reports; its rows are rolled again by the "
                    "rollup job once it ends."
                )
            )
        started = time.perf_counter()
        verbose = options["verbosity"] > 1
        quiet = options["verbosity"] == 0  # make run: one line of its own says what happens

        def progress(day):
            if not quiet and (verbose or day.day == 1):
                self.stdout.write(f"  {day} rolled ({time.perf_counter() - started:.1f} s)")

        n = roll_range(first, last, progress=progress)
        took = time.perf_counter() - started
        if quiet:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Rolled {n} day(s) from {first} to {last} in {took:.1f} s "
                f"({took / max(n, 1):.2f} s a day)."
            )
        )
