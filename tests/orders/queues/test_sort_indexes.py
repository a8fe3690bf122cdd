"""Each index added for a sort or a filter the pages link to (issue 21) stays tied to it.

A queue entry names, per sort its default index cannot serve, the partial index that gives
its rows in that order (`Queue.sort_indexes`); the order list names the index of each filter
of its form (`order_list.FILTER_INDEXES`). If the queue's filter drifts from the index's
predicate, or the sort from the index's leading field, PostgreSQL silently goes back to
reading and sorting every row of the queue (unassigned by created: 183 ms at a million
orders), which no test at this size would notice by time; these checks notice by shape.
"""

import pytest
from django.db import connection

from orders import order_list
from orders.forms.order_list import OrderFilterForm
from orders.models import PortOrder
from orders.queues.base import QueueContext
from orders.queues.registry import QUEUES
from tests.orders.queues.conftest import build_world, populate

pytestmark = pytest.mark.django_db

SORT_INDEXES = [
    (queue, sort, name) for queue in QUEUES for sort, name in queue.sort_indexes.items()
]
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's planner and partial indexes"
)


def _index(name):
    found = [index for index in PortOrder._meta.indexes if index.name == name]
    assert found, f"PortOrder has no index {name!r}"
    return found[0]


def _ids(condition) -> set[int]:
    return set(PortOrder.objects.filter(condition).values_list("pk", flat=True))


@pytest.fixture
def orders_of_every_shape(db, alice, maria):
    build_world(alice=alice, maria=maria)
    populate(30, users=[alice, maria])


def test_the_queues_with_an_index_per_sort_are_the_ones_measured_slow():
    # unassigned by created (183 ms), in-csr by FOC (52 ms), out-foc-sent's deep pages (186 ms)
    assert {(q.slug, sort) for q, sort, _ in SORT_INDEXES} == {
        ("in-csr", "due"),
        ("in-csr", "created"),
        ("in-csr", "foc"),
        ("unassigned", "due"),
        ("unassigned", "created"),
        ("unassigned", "foc"),
        ("out-foc-sent", "window"),
        ("out-foc-sent", "foc"),
    }


@pytest.mark.parametrize(
    ("queue", "sort", "name"), SORT_INDEXES, ids=[f"{q.slug}-{s}" for q, s, _ in SORT_INDEXES]
)
def test_each_sort_index_leads_with_its_sort_then_the_tie_breaker(queue, sort, name):
    assert sort in queue.sorts
    # The page's ORDER BY is the sort's fields then the primary key (Queue.ordering).
    assert _index(name).fields == [*queue.sorts[sort], "id"]


@pytest.mark.parametrize(
    ("queue", "sort", "name"), SORT_INDEXES, ids=[f"{q.slug}-{s}" for q, s, _ in SORT_INDEXES]
)
def test_each_sort_index_holds_exactly_its_queues_rows(
    orders_of_every_shape, alice, queue, sort, name
):
    in_queue = _ids(queue.where(QueueContext.build(user=alice)))
    assert in_queue, f"the fixture has no row in {queue.slug}"
    # Exactly: PostgreSQL uses a partial index only if the query's WHERE implies its
    # predicate, and an index wider than the queue would be read with a filter.
    assert in_queue == _ids(_index(name).condition)


@pytest.mark.parametrize("field", sorted(order_list.FILTER_INDEXES))
def test_each_order_list_filter_has_an_index_in_the_lists_sort(field):
    assert field in OrderFilterForm.base_fields
    sort = order_list.ORDER_LIST.sorts[order_list.ORDER_LIST.default_sort.removeprefix("-")]
    index = _index(order_list.FILTER_INDEXES[field])
    assert index.fields == [field, *sort, "id"] and index.condition is None


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Tiny test tables are cheaper to scan and sort: forbid both to see which index
        # gives the rows in order.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@on_postgres
@pytest.mark.parametrize(
    ("queue", "sort", "name"), SORT_INDEXES, ids=[f"{q.slug}-{s}" for q, s, _ in SORT_INDEXES]
)
@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
def test_the_page_of_each_sort_is_read_through_its_index(
    orders_of_every_shape, alice, queue, sort, name, descending
):
    ctx = QueueContext.build(user=alice)
    _key, ordering = queue.ordering(f"-{sort}" if descending else sort)
    ids = queue.rows_queryset(ctx).order_by(*ordering).values("pk")[:50]
    assert name in _plan(ids)


@on_postgres
@pytest.mark.parametrize("field", sorted(order_list.FILTER_INDEXES))
def test_a_filtered_order_lists_deep_page_is_read_through_its_index(orders_of_every_shape, field):
    value = PortOrder.objects.values_list(field, flat=True).first()
    listed = order_list.orders_listed(**{field: value})
    assert order_list.FILTER_INDEXES[field] in _plan(listed.values("pk")[100:150])
