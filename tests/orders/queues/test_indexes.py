"""The partial indexes of the big queues (PortOrder.Meta.indexes, migration 0008) cover
exactly their queue's rows: PostgreSQL uses a partial index only when the query's WHERE
implies the index's predicate, so a queue whose predicate drifts away from its index would
silently go back to reading thousands of heap rows at a national size."""

import pytest
from django.db.models import Q

from orders.models import PortOrder
from orders.models.statuses import OPEN_STATUS_VALUES
from orders.order_list import ORDER_LIST
from orders.queues.base import QueueContext
from orders.queues.dashboard import focs_soon
from orders.queues.registry import QUEUES, get_queue
from tests.orders.queues.conftest import build_world, populate

pytestmark = pytest.mark.django_db

# index name -> the queue it serves, and whether the queue adds a range on the sort key
# (its rows are then a subset of the index's, else exactly the index's rows).
QUEUE_INDEXES = {
    "order_queue_in_csr": ("in-csr", False),
    "order_queue_unassigned": ("unassigned", False),
    "order_queue_sup_flags": ("out-sup-flags", False),
    "order_queue_in_foc_week": ("in-foc-week", True),
    "order_queue_in_completed": ("in-completed", True),
    "order_queue_in_checks": ("in-status-checks", True),
    # R19: the risky ones among the open LSRs the index holds.
    "order_queue_out_risk": ("out-risk", True),
}


def _index(name):
    return next(index for index in PortOrder._meta.indexes if index.name == name)


def _ids(condition: Q) -> set[int]:
    return set(PortOrder.objects.filter(condition).values_list("pk", flat=True))


@pytest.fixture
def orders_of_every_shape(db, alice, maria):
    build_world(alice=alice, maria=maria)
    populate(30, users=[alice, maria])


@pytest.mark.parametrize("name", sorted(QUEUE_INDEXES))
def test_each_queue_index_covers_its_queue(orders_of_every_shape, alice, name):
    slug, ranged = QUEUE_INDEXES[name]
    queue = get_queue(slug)
    ctx = QueueContext.build(user=alice)
    in_queue = _ids(queue.where(ctx))
    in_index = _ids(_index(name).condition)
    assert in_queue, f"the fixture has no row in {slug}"
    if ranged:
        assert in_queue <= in_index
    else:
        assert in_queue == in_index


def _named(model, name):
    """The index an entry names: by its name, or by its fields for an unnamed one."""
    for index in model._meta.indexes:
        if name in (index.name, ", ".join(index.fields)):
            return index
    raise AssertionError(f"{model.__name__} has no index {name!r}")


@pytest.mark.parametrize("queue", [*QUEUES, ORDER_LIST], ids=lambda queue: queue.slug)
def test_each_queue_names_an_index_that_holds_its_rows(orders_of_every_shape, alice, queue):
    index = _named(queue.model, queue.index)
    if queue.where is not None and index.condition is not None:
        # A partial index serves the queue only if every row of the queue is in it.
        ctx = QueueContext.build(user=alice)
        rows = queue.model.objects.filter(queue.where(ctx))
        in_queue = set(rows.values_list("pk", flat=True))
        in_index = set(queue.model.objects.filter(index.condition).values_list("pk", flat=True))
        assert in_queue <= in_index, queue.slug


def test_the_focs_soon_index_covers_the_dashboard_list(orders_of_every_shape, alice):
    ctx = QueueContext.build(user=alice)
    listed = {order.pk for order in focs_soon(ctx)}
    assert listed
    assert listed <= _ids(_index("order_focs_soon").condition)


@pytest.mark.parametrize("name", ["order_queue_unassigned", "order_queue_sup_flags"])
def test_the_open_order_indexes_list_the_queues_open_statuses(name):
    # The model cannot import the queues (selectors depend on models, not the reverse), so
    # the index spells the open statuses out: they must stay the queues' OPEN_STATUS_VALUES.
    condition = _index(name).condition
    spelled = [c[1] for c in condition.children if isinstance(c, tuple) and c[0] == "status__in"]
    assert spelled == [list(OPEN_STATUS_VALUES)]
