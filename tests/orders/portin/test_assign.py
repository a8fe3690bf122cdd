"""Who may change an order's assignee (issue 14, section 6): anyone on the desk takes an
order nobody holds or gives away their own; only a manager takes an order from another person
or clears their assignment, on the order page's Assign action and in the queues' bulk path
alike (one check: orders.services.orders.may_take)."""

import pytest
from django.urls import reverse

from orders.models import Comment, PortOrder
from orders.roles import STAFF_GROUP
from orders.services.orders import order_assign
from orders.services.queues import orders_assign
from tests.conftest import _user

from .test_flow import messages_of

pytestmark = pytest.mark.django_db

REFUSED = "only a manager can take it from them or clear its assignee"


@pytest.fixture
def carol(db):
    return _user("carol", group=STAFF_GROUP)


def assign(client, order, *, to=None, to_me=False):
    """The order page's Assign form as the browser posts it."""
    data = {"assign-expected_status": order.status, "assign-assignee": to.pk if to else ""}
    if to_me:
        data["to_me"] = "Assign to me"
    return client.post(
        reverse("orders:order_action", kwargs={"pk": order.pk, "action": "assign"}),
        data,
        follow=True,
    )


def assignee_of(order):
    return PortOrder.objects.get(pk=order.pk).assignee


@pytest.fixture
def carols_order(make_portin, carol):
    order = make_portin("5035550101")
    order_assign(order=order, assignee=carol, by=carol)
    return order


def test_staff_cannot_take_an_order_assigned_to_someone_else(
    desk, carols_order, carol, alice_client
):
    response = assign(alice_client, carols_order, to_me=True)

    assert REFUSED in " ".join(messages_of(response))
    assert assignee_of(carols_order) == carol
    assert not Comment.objects.filter(order=carols_order, body__contains="alice took").exists()


def test_staff_cannot_clear_the_assignee_of_someone_elses_order(
    desk, carols_order, carol, alice_client
):
    response = assign(alice_client, carols_order, to=None)

    assert REFUSED in " ".join(messages_of(response))
    assert assignee_of(carols_order) == carol


def test_staff_cannot_give_someone_elses_order_to_a_third_person(
    desk, carols_order, carol, maria, alice_client
):
    assign(alice_client, carols_order, to=maria)

    assert assignee_of(carols_order) == carol


def test_a_manager_takes_an_order_from_another_person_and_clears_its_assignee(
    desk, carols_order, alice, maria, maria_client
):
    assign(maria_client, carols_order, to=alice)
    assert assignee_of(carols_order) == alice

    response = assign(maria_client, carols_order, to=None)
    assert "Unassigned." in messages_of(response)
    assert assignee_of(carols_order) is None

    order_assign(order=carols_order, assignee=alice, by=alice)
    assign(maria_client, carols_order, to_me=True)
    assert assignee_of(carols_order) == maria


def test_staff_take_an_unassigned_order_and_give_away_or_clear_their_own(
    desk, make_portin, alice, carol, alice_client
):
    order = make_portin("5035550101")
    assign(alice_client, order, to_me=True)
    assert assignee_of(order) == alice

    assign(alice_client, order, to=None)
    assert assignee_of(order) is None

    assign(alice_client, order, to=carol)
    assert assignee_of(order) == carol


def test_the_bulk_path_applies_the_same_check_even_when_asked_to_reassign(
    desk, carols_order, carol, alice, maria
):
    """The service refuses a staff member's reassignment itself, not only the page."""
    result = orders_assign(order_ids=[carols_order.pk], assignee=alice, by=alice, reassign=True)
    assert result.done == [] and "assigned to carol" in result.skipped[0]
    assert assignee_of(carols_order) == carol

    result = orders_assign(order_ids=[carols_order.pk], assignee=alice, by=maria, reassign=True)
    assert result.done_count == 1
    assert assignee_of(carols_order) == alice
