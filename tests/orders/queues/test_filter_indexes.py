"""Each busy queue's filter panel is answered by one index (`Queue.filter_index`, issue 21).

A filter whose column its queue's index does not hold reads the queue's rows from the table
to test it: at a million orders 27,000-50,000 random reads, 100-650 ms for a filter that
matches little (`rejections?carrier=`, `unassigned?status=rejected`,
`out-foc-sent?is_project_port=true`). The filter index carries every column the panel tests
(INCLUDE), so the test runs in the index. These checks keep the filters, their columns and
the indexes in step: a new filter names its columns (`ORDER_FILTER_COLUMNS`) and every
filter index carries them.
"""

import pytest
from django.db.models import Q

from orders.filters import ORDER_FILTER_COLUMNS, OrderFilter, RejectionFilter, _load_choices
from orders.models import PortOrder, Rejection
from orders.models.order_indexes import QUEUE_FILTER_COLUMNS
from orders.models.statuses import OPEN_STATUS_VALUES, REJECTION_OPEN_STATUSES
from orders.queues.base import QueueContext
from orders.queues.registry import QUEUES, get_queue
from orders.queues.rows import ORDER, REJECTION
from tests.factories import CarrierFactory, OurCarrierFactory
from tests.orders.queues.conftest import build_world, populate

pytestmark = pytest.mark.django_db

FILTERED = [queue for queue in QUEUES if queue.filter_index]
ORDER_FILTERED = [queue for queue in FILTERED if queue.kind == ORDER]


def _index(model, name):
    found = [index for index in model._meta.indexes if index.name == name]
    assert found, f"{model.__name__} has no index {name!r}"
    return found[0]


def _ids(condition) -> set[int]:
    return set(PortOrder.objects.filter(condition).values_list("pk", flat=True))


@pytest.fixture
def orders_of_every_shape(db, alice, maria):
    build_world(alice=alice, maria=maria)
    populate(30, users=[alice, maria])


def _order_filters(queue) -> set[str]:
    """The panel's filters that test the order's columns."""
    names = set(queue.filterset_for(None, QueueContext.build()).filters)
    if queue.kind == REJECTION:
        names &= set(RejectionFilter.ORDER_FILTERS)
    return names


def test_the_queues_with_a_filter_index_are_the_ones_measured_slow():
    assert {queue.slug for queue in FILTERED} == {
        "unassigned",
        "in-submitted",
        "in-rejected",
        "out-foc-sent",
        "rejections",
    }


def test_every_order_filter_names_the_columns_it_tests():
    assert set(OrderFilter.base_filters) == set(ORDER_FILTER_COLUMNS)
    named = {column for columns in ORDER_FILTER_COLUMNS.values() for column in columns}
    assert named <= set(QUEUE_FILTER_COLUMNS)


@pytest.mark.parametrize("queue", FILTERED, ids=[q.slug for q in FILTERED])
def test_the_filter_index_carries_every_column_its_panel_tests(queue):
    index = _index(PortOrder, queue.filter_index)
    carried = {*index.fields, *index.include}
    assert _order_filters(queue), f"{queue.slug} has no filter on the order"
    for name in _order_filters(queue):
        missing = set(ORDER_FILTER_COLUMNS[name]) - carried
        assert not missing, f"{queue.slug}'s filter {name!r} tests {missing}, not in the index"


@pytest.mark.parametrize("queue", ORDER_FILTERED, ids=[q.slug for q in ORDER_FILTERED])
def test_the_filter_index_holds_exactly_its_queues_rows(orders_of_every_shape, alice, queue):
    in_queue = _ids(queue.where(QueueContext.build(user=alice)))
    assert in_queue, f"the fixture has no row in {queue.slug}"
    # Exactly: PostgreSQL uses a partial index only if the query implies its predicate.
    assert in_queue == _ids(_index(PortOrder, queue.filter_index).condition)


def test_the_rejection_review_index_holds_the_orders_an_open_rejection_can_be_on():
    index = _index(PortOrder, get_queue("rejections").filter_index)
    assert index.condition == Q(status__in=list(REJECTION_OPEN_STATUSES))


def test_the_review_names_those_statuses_only_when_a_filter_tests_the_order(maria):
    ctx = QueueContext.build(user=maria)
    review = get_queue("rejections")
    carrier = CarrierFactory()
    on_order = review.filterset_for({"carrier": str(carrier.pk)}, ctx).qs
    on_rejection = review.filterset_for({"source": Rejection.Source.MANAGER}, ctx).qs
    assert "orders_portorder" in str(on_order.query)
    assert "exception" in str(on_order.query)
    # The rejection's own columns need no order: no join for them.
    assert "orders_portorder" not in str(on_rejection.query).split("WHERE")[1]


def test_the_status_filter_offers_only_the_statuses_a_queue_can_hold():
    def offered(slug):
        status = get_queue(slug).filterset_for(None, QueueContext.build()).filters["status"]
        return [value for value, _ in status.extra["choices"]]

    assert offered("mine") == offered("unassigned")
    assert set(offered("unassigned")) == set(OPEN_STATUS_VALUES)
    assert set(offered("rejections")) == set(REJECTION_OPEN_STATUSES)
    assert "completed" not in offered("unassigned")


def test_every_queue_with_a_status_filter_offers_exactly_the_statuses_its_rows_hold(
    orders_of_every_shape, alice
):
    ctx = QueueContext.build(user=alice)
    for queue in QUEUES:
        status = queue.filterset_for(None, ctx).filters.get("status")
        if status is None:
            continue
        assert queue.statuses, f"{queue.slug} offers every status; declare the ones it holds"
        if queue.kind == REJECTION:
            # The fixture opens rejections on orders in any status, which the services never
            # do: tests/orders/portin/test_rejection_statuses.py holds the review to its list.
            continue
        held = set(queue.queryset(ctx).values_list("status", flat=True).distinct())
        assert held <= set(queue.statuses), queue.slug


def test_the_carrier_filters_never_offer_our_own_carrier():
    ours = OurCarrierFactory()
    rival = CarrierFactory(name="Rival Telecom")
    offered = {int(pk) for pk, _ in _load_choices()["carrier"]}
    assert rival.pk in offered
    assert ours.pk not in offered


def test_the_carrier_filter_of_one_desks_queue_tests_only_that_desks_column():
    carrier = CarrierFactory()
    port_in = get_queue("in-submitted").filterset_for({"carrier": str(carrier.pk)}, _ctx()).qs
    port_out = get_queue("out-foc-sent").filterset_for({"carrier": str(carrier.pk)}, _ctx()).qs
    both = get_queue("unassigned").filterset_for({"carrier": str(carrier.pk)}, _ctx()).qs
    where = {
        name: str(qs.query).split("WHERE")[1]
        for name, qs in [("in", port_in), ("out", port_out), ("both", both)]
    }
    assert "losing_carrier_id" in where["in"] and "new_carrier_id" not in where["in"]
    assert "new_carrier_id" in where["out"] and "losing_carrier_id" not in where["out"]
    assert "losing_carrier_id" in where["both"] and "new_carrier_id" in where["both"]


def _ctx():
    return QueueContext.build()


def test_each_queue_with_a_desk_holds_only_that_desks_rows(orders_of_every_shape, alice):
    ctx = QueueContext.build(user=alice)
    for queue in QUEUES:
        if queue.direction is None:
            continue
        rows = queue.queryset(ctx)
        field = "direction" if queue.kind in (ORDER, REJECTION) else None
        assert field and not rows.exclude(**{field: queue.direction}).exists(), queue.slug
