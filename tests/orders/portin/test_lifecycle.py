"""The transition tables, exhaustively: every allowed move works through `transition`, every
other pair is refused and leaves the order and its history untouched."""

import datetime
import itertools

import pytest
from django.utils import timezone

from orders.lifecycle import (
    TRANSITIONS,
    OrderChanged,
    TransitionNotAllowed,
    allowed_moves,
    transition,
)
from orders.models import Direction, PortOrder, Status, StatusChange
from tests.factories import PortOrderFactory, PortOutOrderFactory

pytestmark = pytest.mark.django_db

ALL_PAIRS = [
    (direction, from_status, to_status)
    for direction in Direction.values
    for from_status, to_status in itertools.product(Status.values, Status.values)
]


def _order_in(direction, status):
    factory = PortOrderFactory if direction == Direction.PORT_IN else PortOutOrderFactory
    # Born straight into the status under test: the table, not the path, is what is tested.
    return factory(status=status, last_activity_at=timezone.now() - datetime.timedelta(days=1))


def _snapshot(order):
    row = PortOrder.objects.get(pk=order.pk)
    return (
        {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields},
        list(StatusChange.objects.filter(order=order).values_list("pk", flat=True)),
    )


def _is_allowed(direction, from_status, to_status):
    return to_status in TRANSITIONS[direction].get(from_status, frozenset())


@pytest.mark.parametrize(
    ("direction", "from_status", "to_status"),
    [p for p in ALL_PAIRS if _is_allowed(*p)],
    ids=lambda v: str(v),
)
def test_every_allowed_move_changes_status_and_writes_history(
    direction, from_status, to_status, alice
):
    order = _order_in(direction, from_status)
    before_activity = order.last_activity_at
    now = timezone.now()

    transition(order, to_status, actor=alice, reason="table test", now=now)

    row = PortOrder.objects.get(pk=order.pk)
    assert row.status == to_status
    assert row.last_activity_at == now > before_activity
    change = StatusChange.objects.filter(order=order).first()
    assert (change.from_status, change.to_status) == (from_status, to_status)
    assert change.actor == alice
    assert change.reason == "table test"
    assert change.created_at == now


@pytest.mark.parametrize(
    ("direction", "from_status", "to_status"),
    [p for p in ALL_PAIRS if not _is_allowed(*p)],
    ids=lambda v: str(v),
)
def test_every_other_pair_is_refused_and_leaves_the_order_untouched(
    direction, from_status, to_status, alice
):
    order = _order_in(direction, from_status)
    before = _snapshot(order)

    with pytest.raises(TransitionNotAllowed):
        transition(order, to_status, actor=alice, reason="should not happen")

    assert _snapshot(order) == before
    assert order.status == from_status


def test_tables_cover_both_directions_and_closed_states_have_no_moves():
    assert set(TRANSITIONS) == {Direction.PORT_IN, Direction.PORT_OUT}
    for table in TRANSITIONS.values():
        assert table[Status.COMPLETED] == frozenset()
        assert table[Status.CANCELLED] == frozenset()
        for moves in table.values():
            assert moves <= set(table), "every target is itself a state of the same desk"


def test_port_in_seed_004_path_is_in_the_table():
    path = [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.EXCEPTION,
        Status.REJECTED,
        Status.REVIEW,
        Status.SUBMITTED,
        Status.ACCEPTED,
        Status.SUBMITTED,  # SUP 2 asks for a new FOC
        Status.ACCEPTED,
        Status.COMPLETED,
    ]
    table = TRANSITIONS[Direction.PORT_IN]
    for a, b in itertools.pairwise(path):
        assert b in table[a], (a, b)


def test_stale_expected_status_raises_order_changed_and_saves_nothing(alice):
    order = _order_in(Direction.PORT_IN, Status.SUBMITTED)
    before = _snapshot(order)

    with pytest.raises(OrderChanged, match="changed while you were working"):
        transition(order, Status.ACCEPTED, actor=alice, expected_status=Status.DRAFT)

    assert _snapshot(order) == before


def test_a_stale_instance_is_refused_when_the_row_moved_meanwhile(alice):
    order = _order_in(Direction.PORT_IN, Status.DRAFT)
    other_copy = PortOrder.objects.get(pk=order.pk)
    transition(other_copy, Status.SUBMITTED, actor=alice)

    with pytest.raises(OrderChanged):
        transition(order, Status.CANCELLED, actor=alice)  # this copy still says draft

    assert PortOrder.objects.get(pk=order.pk).status == Status.SUBMITTED


def test_allowed_moves_reads_the_orders_own_table():
    assert allowed_moves(_order_in(Direction.PORT_IN, Status.DRAFT)) == {
        Status.SUBMITTED,
        Status.CANCELLED,
    }
    assert allowed_moves(_order_in(Direction.PORT_OUT, Status.REJECTED)) == frozenset()
