"""The dashboard's shared figures, refreshed by a job (orders.tasks, every minute).

The queue counts and charts aggregate every open order: about a second at 1M orders. A
request must never wait for that, so this job computes them in the dashboard's own two
set-based queries (orders.queues.dashboard.dashboard_figures) and stores the result in one
row that every web worker reads. Idempotent: a second run replaces the row with the figures
as of its own `now`.
"""

import time

from django.db import transaction
from django.utils import timezone

from orders.models import DashboardSummary
from orders.queues.base import QueueContext
from orders.queues.dashboard import SUMMARY_KEY, dashboard_figures, shared_queues


def refresh_dashboard_summary(*, now=None) -> dict:
    """Recompute the shared queue counts and chart figures as of `now` and store them."""
    now = now or timezone.now()
    started = time.monotonic()
    with transaction.atomic():
        figures = dashboard_figures(QueueContext.build(now=now), queues=shared_queues())
        took_ms = round((time.monotonic() - started) * 1000)
        DashboardSummary.objects.update_or_create(
            key=SUMMARY_KEY,
            defaults={"figures": figures.as_json(), "as_of": now, "took_ms": took_ms},
        )
    return {"queues": len(figures.counts), "ms": took_ms}
