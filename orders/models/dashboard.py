"""The dashboard's shared figures, computed by a job rather than by a request."""

from django.db import models


class DashboardSummary(models.Model):
    """The queue counts and chart figures every user shares, as of `as_of`.

    At a national size these aggregates read every open order (about a second at 1M orders);
    the job `dashboard-summary-refresh` computes them every minute and the dashboard reads
    this one row, so no request ever waits for a count over the whole table."""

    key = models.CharField(max_length=40, primary_key=True)
    figures = models.JSONField(default=dict)
    as_of = models.DateTimeField()
    took_ms = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Dashboard summary {self.key} as of {self.as_of:%Y-%m-%d %H:%M}"
