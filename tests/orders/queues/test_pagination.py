"""Pagination over a capped count: never an unbounded COUNT over the table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import PortOrder
from orders.queues.base import QueueContext, capped_count
from orders.queues.registry import QUEUES
from orders.tables import RowContext
from orders.views import queues as views
from tests.factories import OurCarrierFactory, PortOrderFactory
from tests.orders.queues.conftest import queue_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafts(db):
    ours = OurCarrierFactory()
    return [PortOrderFactory(pon=f"PG{i:03d}", new_carrier=ours) for i in range(12)]


def test_capped_count_stops_at_the_cap_with_a_limited_subquery(drafts):
    with CaptureQueriesContext(connection) as queries:
        count = capped_count(PortOrder.objects.all(), 5)
    assert (count.value, count.capped) == (5, True)
    (query,) = queries.captured_queries
    assert "LIMIT 6" in query["sql"]
    assert capped_count(PortOrder.objects.all(), 50).value == 12


def test_pages_walk_every_row_once_in_sort_order(alice_client, drafts, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 5)
    seen = []
    for page in (1, 2, 3):
        response = alice_client.get(queue_url("in-drafts", sort="created", page=page))
        seen += [row.obj.pon for row in response.context["rows"]]
    assert seen == [f"PG{i:03d}" for i in range(12)]
    assert response.context["pages"] == 3


def test_a_page_past_the_end_shows_the_last_page(alice_client, drafts, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 5)
    response = alice_client.get(queue_url("in-drafts", page=99))
    assert response.context["page"] == 3
    response = alice_client.get(queue_url("in-drafts", page="abc"))
    assert response.context["page"] == 1


def test_beyond_the_cap_the_page_says_so(alice_client, drafts, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    monkeypatch.setattr(views, "COUNT_CAP", 6)
    response = alice_client.get(queue_url("in-drafts"))
    assert response.context["total"].capped
    assert response.context["pages"] == 3
    content = response.content.decode()
    assert "6+" in content
    assert "Narrow the filters" in content


def test_pagination_links_keep_the_filters(alice_client, drafts, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 5)
    response = alice_client.get(queue_url("in-drafts", q="ABC Company"))
    assert "?q=ABC+Company&amp;page=2" in response.content.decode()


@pytest.mark.parametrize("page", [1, 2])
def test_a_page_reads_its_ids_first_and_shows_the_same_rows_as_a_plain_slice(alice, maria, page):
    """Queue.page_objects (the page's ids, then those rows with their joins) lists exactly
    the rows, in the order and with the cells, of slicing the sorted queue, for every queue
    and sort key."""
    from tests.orders.queues.conftest import populate

    populate(500, users=[alice, maria])
    ctx = QueueContext.build(user=maria)
    start, stop = (page - 1) * views.PER_PAGE, page * views.PER_PAGE
    for queue in QUEUES:
        for key in queue.sorts:
            for sort in (key, f"-{key}"):
                listed = queue.rows_queryset(ctx).order_by(*queue.ordering(sort)[1])
                rc = RowContext(ctx)
                expected = [
                    (o.pk, o.queue_overdue, [c.cell(o, rc) for c in queue.columns])
                    for o in listed[start:stop]
                ]
                shown = [
                    (o.pk, o.queue_overdue, [c.cell(o, rc) for c in queue.columns])
                    for o in queue.page_objects(ctx, listed, start, stop)
                ]
                assert shown == expected, (queue.slug, sort)


def test_a_filtered_view_counts_no_further_than_the_filtered_cap(alice_client, drafts, monkeypatch):
    # Issue 21: a filter's column is not in the queue's index, so its count reads table rows;
    # it stops at FILTERED_COUNT_CAP ("Narrow the filters"), the unfiltered queue at COUNT_CAP.
    monkeypatch.setattr(views, "PER_PAGE", 2)
    monkeypatch.setattr(views, "FILTERED_COUNT_CAP", 4)
    filtered = alice_client.get(queue_url("in-drafts", q="ABC Company"))
    unfiltered = alice_client.get(queue_url("in-drafts"))
    assert filtered.context["total"].capped and filtered.context["total"].value == 4
    assert not unfiltered.context["total"].capped


def _drafts_listed():
    from orders.queues.registry import get_queue

    queue = get_queue("in-drafts")
    ctx = QueueContext.build()
    return queue, ctx, queue.rows_queryset(ctx).order_by(*queue.ordering("created")[1])


def test_a_count_of_nothing_skips_the_pages_statement(drafts):
    queue, ctx, listed = _drafts_listed()
    empty = listed.filter(pon="NOPE")
    total = capped_count(empty, 50)
    with CaptureQueriesContext(connection) as queries:
        assert queue.page_objects(ctx, empty, 0, 5, total=total) == []
    assert queries.captured_queries == []


def test_the_last_page_is_read_without_a_limit_and_stays_a_page(drafts):
    # Issue 21: a LIMIT let PostgreSQL walk the queue's whole index hoping to meet the few
    # matches early; when the count says the page holds the last ones, none is set.
    queue, ctx, listed = _drafts_listed()
    total = capped_count(listed, 50)  # 12
    with CaptureQueriesContext(connection) as queries:
        last = queue.page_objects(ctx, listed, 10, 15, total=total)
    assert [o.pon for o in last] == ["PG010", "PG011"]
    sql = queries.captured_queries[0]["sql"]
    assert "OFFSET 10" in sql and "LIMIT 5" not in sql  # SQLite writes "LIMIT -1 OFFSET 10"
    # Orders added after the count follow the last match: the page shows no more than a page.
    PortOrderFactory(pon="PG100", new_carrier=drafts[0].new_carrier)
    PortOrderFactory(pon="PG101", new_carrier=drafts[0].new_carrier)
    page = queue.page_objects(ctx, listed, 10, 13, total=total)
    assert [o.pon for o in page] == ["PG010", "PG011", "PG100"]
