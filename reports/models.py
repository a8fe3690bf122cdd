"""The reports' daily rollup (reports.rollup fills it; reports.report reads it).

One local day (settings.TIME_ZONE, so a DST day has 23 or 25 hours) is the unit: a day's rows
are deleted and inserted again in one transaction, so rolling a day twice leaves the same rows.
Counts add up over any range; durations are kept as per-day histograms of whole hours, which
add up too, so a median or 90th percentile over any range is exact to the hour.
"""

from django.conf import settings
from django.db import models

from carriers.models import Carrier


class DailyCount(models.Model):
    """How many of `measure` happened on `day`, per carrier (the losing carrier of a port-in,
    the requesting carrier of a port-out or CSR request), per person (desk actions) and per
    key (a reject code or a rule id), whichever of those the measure is counted by."""

    day = models.DateField()
    measure = models.CharField(max_length=32)
    carrier = models.ForeignKey(
        Carrier, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # read by day only; a person's rows come with their days
    )
    key = models.CharField(max_length=20, blank=True)
    value = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # A report reads a range of days, every column: covering, so PostgreSQL reads the
            # index alone (visibility map permitting).
            models.Index(
                fields=["day", "measure", "carrier", "person", "key", "value"],
                name="report_count_by_day",
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.measure}={self.value}"


class DailyDuration(models.Model):
    """Durations of `measure` that ended on `day`, per carrier, as {whole hours: how many};
    the row without a carrier is every carrier's together (the trend lines read only it)."""

    day = models.DateField()
    measure = models.CharField(max_length=32)
    carrier = models.ForeignKey(
        Carrier, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    hours = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["day", "measure"], name="report_duration_by_day")]

    def __str__(self):
        return f"{self.day} {self.measure}"


class MonthlyCount(models.Model):
    """A calendar month's DailyCount rows summed, rewritten whenever one of its days is
    rolled: a year's report reads twelve months of these instead of 365 days of rows."""

    month = models.DateField(help_text="The month's first day.")
    measure = models.CharField(max_length=32)
    carrier = models.ForeignKey(
        Carrier, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    key = models.CharField(max_length=20, blank=True)
    value = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "measure"], name="report_count_by_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.measure}={self.value}"


class MonthlyDuration(models.Model):
    """A calendar month's DailyDuration histograms merged (as MonthlyCount)."""

    month = models.DateField(help_text="The month's first day.")
    measure = models.CharField(max_length=32)
    carrier = models.ForeignKey(
        Carrier, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    hours = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["month", "measure"], name="report_duration_by_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.measure}"


class RolledDay(models.Model):
    """A day whose rows are in the rollup; `dirty` once something it counts changed since."""

    day = models.DateField(unique=True)
    rolled_at = models.DateTimeField()
    dirty = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["day"], condition=models.Q(dirty=True), name="report_day_dirty")
        ]

    def __str__(self):
        return f"{self.day}{' (dirty)' if self.dirty else ''}"


class SweepMark(models.Model):
    """How far the rollup job has looked for changes (reports.sweep.mark_changed_days):
    the highest id seen per history table, and the last order activity seen."""

    name = models.CharField(max_length=40, unique=True)
    last_id = models.BigIntegerField(default=0)
    last_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name
