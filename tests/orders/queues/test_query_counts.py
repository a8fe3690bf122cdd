"""Every queue page, export and the index run a constant number of SQL queries: the same
maximum with 5 rows as with 500 (no N+1: carriers, SPIDs, assignees, reasons are joined or
prefetched; TN counts come from PortOrder.tn_count), and counts are capped."""

import pytest
from django.urls import reverse

from orders.queues import QUEUES
from tests.orders.queues.conftest import populate, queue_url

pytestmark = pytest.mark.django_db

# Counted on SQLite: session read + user + the two permission lookups of the roles context
# processor (4), the session save of SESSION_SAVE_EVERY_REQUEST (3 with its savepoint), the
# capped count, the page of rows, a prefetch (rejections' reasons), the choices of the filter
# form (carriers, reasons, desk users) and of the assign form (desk users), and the calendar's
# closed days (port-out windows). Whatever the number of rows.
PAGE_MAX_QUERIES = 14
EXPORT_MAX_QUERIES = 10
INDEX_MAX_QUERIES = 11  # 4 + 3 + one count query per kind of row (orders, CSR, rejections, NPAC)


@pytest.fixture(params=[5, 500], ids=["5-rows", "500-rows"])
def volume(request, db, alice, maria):
    populate(request.param, users=[alice, maria])
    return request.param


@pytest.mark.parametrize("slug", [queue.slug for queue in QUEUES])
def test_queue_page_queries_do_not_grow_with_rows(
    maria_client, volume, slug, django_assert_max_num_queries
):
    with django_assert_max_num_queries(PAGE_MAX_QUERIES):
        response = maria_client.get(queue_url(slug))
    assert response.status_code == 200
    assert 0 < len(response.context["rows"]) <= 50, slug
    if volume == 500:
        assert response.context["pages"] > 1, slug


@pytest.mark.parametrize("slug", ["unassigned", "rejections", "out-csr-requests"])
def test_filtered_and_searched_pages_stay_constant(
    maria_client, volume, slug, django_assert_max_num_queries
):
    params = {"q": "503 555 0100", "assignee": "null", "sort": "-" + "activity"}
    with django_assert_max_num_queries(PAGE_MAX_QUERIES + 1):  # + the carrier choice lookup
        response = maria_client.get(queue_url(slug, **params, carrier=1))
    assert response.status_code == 200


@pytest.mark.parametrize("slug", ["unassigned", "rejections", "out-foc-sent", "out-npac-cancels"])
def test_csv_export_queries_do_not_grow_with_rows_below_a_chunk(
    maria_client, volume, slug, django_assert_max_num_queries
):
    with django_assert_max_num_queries(EXPORT_MAX_QUERIES):
        response = maria_client.get(reverse("orders:queue_export", args=[slug]))
        body = b"".join(response.streaming_content)
    assert body.count(b"\n") > 1


def test_queue_index_counts_every_queue_in_four_queries(
    maria_client, volume, django_assert_max_num_queries
):
    with django_assert_max_num_queries(INDEX_MAX_QUERIES):
        response = maria_client.get(reverse("orders:queue_index"))
    assert response.status_code == 200
