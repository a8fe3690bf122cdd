"""The order list's pages at any depth (issue 21): a page's ids are read first through the
sort's index, then only those rows; a search counts no further than its own, lower cap."""

import pytest
from django.urls import reverse

from orders import order_list
from orders.models import PortOrder
from orders.views import order_list as order_list_views
from tests.factories import PortOrderFactory

pytestmark = pytest.mark.django_db


def _listed(client, **params):
    response = client.get(reverse("orders:order_list"), params)
    return response, [o.pk for o in response.context["orders"]]


def test_every_page_lists_the_next_orders_by_activity(alice_client, monkeypatch):
    monkeypatch.setattr(order_list_views, "PAGE_SIZE", 2)
    for _ in range(5):
        PortOrderFactory()
    expected = list(
        PortOrder.objects.order_by("-last_activity_at", "-pk").values_list("pk", flat=True)
    )
    pages = [_listed(alice_client, page=n)[1] for n in (1, 2, 3)]
    assert pages == [expected[0:2], expected[2:4], expected[4:5]]


def test_a_deep_page_runs_as_many_queries_as_the_first(
    alice_client, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(order_list_views, "PAGE_SIZE", 2)
    for _ in range(7):
        PortOrderFactory()
    alice_client.get(reverse("orders:order_list"))  # the session refreshed once
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        alice_client.get(reverse("orders:order_list"))
    with django_assert_num_queries(len(first.captured_queries)):
        alice_client.get(reverse("orders:order_list"), {"page": 4})


def test_a_filtered_page_lists_only_that_status(alice_client, monkeypatch):
    monkeypatch.setattr(order_list_views, "PAGE_SIZE", 2)
    drafts = [PortOrderFactory(status="draft").pk for _ in range(3)]
    PortOrderFactory(status="submitted")
    _response, second_page = _listed(alice_client, status="draft", page=2)
    assert len(second_page) == 1 and set(second_page) <= set(drafts)


def test_a_search_counts_no_further_than_the_search_cap(alice_client, monkeypatch):
    monkeypatch.setattr(order_list, "SEARCH_COUNT_CAP", 2)
    for _ in range(3):
        PortOrderFactory(account_name="Widget Works")
    PortOrderFactory(account_name="Green Gadgets")
    response, listed = _listed(alice_client, q="widget")
    paginator = response.context["page"].paginator
    assert (paginator.count, paginator.capped) == (2, True)
    assert len(listed) == 2
    # Without a search, the list keeps its own cap.
    assert order_list.count_cap("") == order_list.ORDER_LIST_COUNT_CAP
    assert order_list.count_cap("widget") == 2
