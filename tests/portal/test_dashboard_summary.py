"""The dashboard's shared figures come from a summary the job refreshes every minute (issue 21):
no request counts the whole order table, the figures equal a plain count over the rows as of
the refresh, and the refresh is idempotent."""

import datetime
import os
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orders import tasks
from orders.models import DashboardSummary, PortOrder
from orders.models.statuses import OPEN_STATUS_VALUES
from orders.queues.base import QueueContext
from orders.queues.dashboard import summary_figures
from orders.queues.registry import QUEUES
from orders.services.dashboard_summary import refresh_dashboard_summary
from tests.factories import PortOrderFactory
from tests.orders.queues.conftest import build_world, client_for, populate

pytestmark = pytest.mark.django_db

DASHBOARD_MAX_QUERIES = 12  # as tests/portal/test_dashboard.py


@pytest.fixture
def world(db, alice, maria):
    return build_world(alice=alice, maria=maria)


def card_count(content: str, slug: str) -> str:
    block = content.split(f'data-testid="queue-card-{slug}"', 1)[1]
    return block.split('data-testid="count">', 1)[1].split("</div>", 1)[0]


def whole_table_counts(queries) -> list[str]:
    """Aggregates over the order table that are not one person's (Mine reads the
    (assignee, status) index): the count a request must never run."""
    return [
        q["sql"]
        for q in queries
        if "COUNT(" in q["sql"].upper()
        and '"orders_portorder"' in q["sql"]
        and '"assignee_id" =' not in q["sql"]
    ]


def test_the_figures_equal_a_plain_count_over_the_rows_after_the_refresh(world, alice, maria):
    populate(40, users=[alice, maria])
    now = timezone.now()
    refresh_dashboard_summary(now=now)
    figures = summary_figures()
    ctx = QueueContext.build(now=now)
    for queue in QUEUES:
        if queue.slug == "mine":
            assert queue.slug not in figures.counts  # one person's, counted per request
            continue
        rows = queue.model.objects.filter(queue.where(ctx))
        late = queue.overdue_q(ctx)
        expected = (rows.count(), rows.filter(late).count() if late is not None else 0)
        assert figures.counts[queue.slug] == expected, queue.slug
    open_orders = Counter(
        PortOrder.objects.filter(status__in=OPEN_STATUS_VALUES).values_list("direction", "status")
    )
    assert {(d, s): n for d, s, n in figures.statuses} == {
        key: n for key, n in open_orders.items() if key != ("out", "rejected")
    }
    assert figures.as_of == now


def test_a_dashboard_request_never_counts_the_whole_order_table(world, alice, maria):
    populate(40, users=[alice, maria])
    refresh_dashboard_summary()
    client = client_for(maria)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert len(captured.captured_queries) <= DASHBOARD_MAX_QUERIES
    assert whole_table_counts(captured.captured_queries) == []
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("orders:queue_index"))
    assert whole_table_counts(captured.captured_queries) == []


def test_the_dashboard_shows_the_figures_as_of_the_last_refresh(world, alice):
    then = timezone.now() - datetime.timedelta(seconds=30)
    refresh_dashboard_summary(now=then)
    client = client_for(alice)
    before = client.get(reverse("dashboard")).content.decode()
    assert card_count(before, "in-drafts") == "2"
    assert f"as of {timezone.localtime(then):%H:%M}" in before
    PortOrderFactory(status="draft", direction="in")
    # Not counted until the job's next run: the request reads the summary, not the rows.
    assert card_count(client.get(reverse("dashboard")).content.decode(), "in-drafts") == "2"
    tasks.dashboard_summary_refresh()
    assert card_count(client.get(reverse("dashboard")).content.decode(), "in-drafts") == "3"


def test_before_the_first_refresh_the_cards_wait_rather_than_count(world, alice):
    client = client_for(alice)
    with CaptureQueriesContext(connection) as captured:
        content = client.get(reverse("dashboard")).content.decode()
    assert whole_table_counts(captured.captured_queries) == []
    assert card_count(content, "in-drafts").endswith("—</span>")
    assert card_count(content, "mine") == "2"  # one person's count is still live
    assert "Counts and charts appear within a minute" in content


def test_figures_the_job_stopped_refreshing_say_how_old_they_are(world, alice):
    refresh_dashboard_summary(now=timezone.now() - datetime.timedelta(minutes=20))
    content = client_for(alice).get(reverse("dashboard")).content.decode()
    as_of = content.split('data-testid="figures-as-of"', 1)[1].split("</span>", 1)[0]
    assert "20\xa0minutes ago" in as_of and "job cluster" in as_of


def test_the_refresh_job_is_idempotent(world):
    now = timezone.now()
    first = refresh_dashboard_summary(now=now)
    figures = DashboardSummary.objects.get().figures
    second = refresh_dashboard_summary(now=now)
    assert DashboardSummary.objects.count() == 1
    assert DashboardSummary.objects.get().figures == figures
    assert first["queues"] == second["queues"] == len(QUEUES) - 1


def test_the_refresh_is_scheduled_every_minute():
    job = next(job for job in tasks.JOBS if job.func == "orders.tasks.dashboard_summary_refresh")
    assert job.cron == "* * * * *"


@pytest.mark.skipif(bool(os.environ.get("CACHE_URL")), reason="CACHE_URL chooses another cache")
def test_the_default_cache_is_the_database_shared_by_every_worker():
    from django.core.cache import cache

    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    cache.set("issue-21", "shared", 60)  # its table exists (created by migrate)
    assert cache.get("issue-21") == "shared"
