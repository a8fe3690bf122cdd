"""F7: a TN is on at most one open port-in order, and the database enforces it: each new
order claims its TNs (unique per TN and desk), the claim goes when the order closes, and a
request that loses the race gets "already on open order X" with nothing saved."""

from importlib import import_module

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from orders.lifecycle import DomainError, transition
from orders.models import Direction, OpenTnClaim, OrderNumber, PortOrder, Status
from orders.services import portin
from orders.services.claims import TnOnOpenOrder, claims_backfill
from tests.factories import OrderNumberFactory, PortOrderFactory, PortOutOrderFactory

from .conftest import END_USER, create_kwargs, due_in

pytestmark = pytest.mark.django_db


def claims():
    return set(OpenTnClaim.objects.values_list("tn", "direction", "order_id"))


def test_the_database_refuses_a_second_open_claim_for_a_tn_on_one_desk():
    first, second = PortOrderFactory(), PortOrderFactory()
    OpenTnClaim.objects.create(tn="5035550101", direction=Direction.PORT_IN, order=first)

    with pytest.raises(IntegrityError), transaction.atomic():
        OpenTnClaim.objects.create(tn="5035550101", direction=Direction.PORT_IN, order=second)

    # The other desk is another queue: a port-out of the same TN may be open meanwhile.
    OpenTnClaim.objects.create(
        tn="5035550101", direction=Direction.PORT_OUT, order=PortOutOrderFactory()
    )


def test_a_new_port_in_claims_each_of_its_tns(desk, make_portin):
    order = make_portin("5035550101", "5035550102")

    assert claims() == {("5035550101", "in", order.pk), ("5035550102", "in", order.pk)}


def test_orders_split_by_losing_spid_each_claim_their_own_tns(desk, alice):
    desk.numbers(desk.lsp_spid, "5035550101")
    desk.numbers(desk.rural_spid, "5035550201")
    result = portin.portin_orders_create(
        tns=["5035550101", "5035550201"],
        by=alice,
        **create_kwargs(END_USER),
        requested_due_date=due_in(),
    )

    by_tn = {tn: order_id for tn, _desk, order_id in claims()}
    assert len(result.orders) == 2
    assert by_tn == {o.numbers.get().tn: o.pk for o in result.orders}


def test_a_tn_claimed_by_another_open_order_gets_the_clear_message_and_nothing_is_saved(
    desk, alice
):
    """What the losing one of two simultaneous requests meets: its early check saw no open
    order (the other had not committed), the claim is refused by the database."""
    desk.numbers(desk.lsp_spid, "5035550101", "5035550102")
    holder = PortOrderFactory(pon="PI2612040001")
    OpenTnClaim.objects.create(tn="5035550102", direction=Direction.PORT_IN, order=holder)
    orders_before = PortOrder.objects.count()

    with pytest.raises(TnOnOpenOrder) as caught:
        portin.portin_orders_create(
            tns=["5035550101", "5035550102"],
            by=alice,
            **create_kwargs(END_USER),
            requested_due_date=due_in(),
        )

    message = str(caught.value)
    assert "5035550102 is already on open port-in order PI2612040001 v1" in message
    assert f"order #{holder.pk}" in message
    assert caught.value.order_id == holder.pk and caught.value.pon == "PI2612040001"
    assert isinstance(caught.value, DomainError)  # the pages show it as any refusal
    assert PortOrder.objects.count() == orders_before
    assert not OrderNumber.objects.filter(tn__in=["5035550101", "5035550102"]).exists()
    assert claims() == {("5035550102", "in", holder.pk)}


def test_the_early_check_still_names_the_open_order_for_the_refused_tn(desk, make_portin, alice):
    first = make_portin("5035550101")

    result = portin.portin_orders_create(
        tns=["5035550101"], by=alice, **create_kwargs(END_USER), requested_due_date=due_in()
    )

    assert result.orders == []
    assert f"already on open port-in order {first.pon} v1" in result.refused[0].reason


def test_cancelling_a_port_in_releases_its_tns_for_a_new_order(desk, make_portin, alice):
    order = make_portin("5035550101")
    portin.order_cancel(order=order, by=alice, reason="Customer stays.")
    assert claims() == set()

    result = portin.portin_orders_create(
        tns=["5035550101"], by=alice, **create_kwargs(END_USER), requested_due_date=due_in()
    )

    assert len(result.orders) == 1
    assert claims() == {("5035550101", "in", result.orders[0].pk)}


def test_completing_a_port_in_releases_its_claims(desk, make_portin, maria):
    order = make_portin("5035550101")
    transition(
        order, Status.SUBMITTED, actor_label="test", changes={"submitted_at": timezone.now()}
    )
    transition(
        order, Status.ACCEPTED, actor_label="test", changes={"foc_date": timezone.localdate()}
    )
    assert claims() == {("5035550101", "in", order.pk)}  # still open while accepted

    portin.order_complete(order=order, by=maria)

    assert claims() == set()


def test_a_rejected_port_in_keeps_its_claim_it_is_still_open(desk, make_portin):
    order = make_portin("5035550101")
    for to in (Status.SUBMITTED, Status.EXCEPTION, Status.REJECTED):
        transition(order, to, actor_label="test")

    assert claims() == {("5035550101", "in", order.pk)}


def test_the_backfill_claims_open_orders_first_order_wins_and_skips_closed_ones():
    first = PortOrderFactory(pon="LD1")
    second = PortOrderFactory(pon="LD2")  # existing data: the same TN on two open orders
    closed = PortOrderFactory(pon="LD3", status=Status.CANCELLED)
    rejected_out = PortOutOrderFactory(pon="LD4", status=Status.REJECTED)
    out = PortOutOrderFactory(pon="LD5")
    other = PortOrderFactory(pon="XX1")
    for order in (first, second, closed, rejected_out, other):
        OrderNumberFactory(order=order, tn="5035550101")
    OrderNumberFactory(order=closed, tn="5035550102")
    OrderNumberFactory(order=out, tn="5035550101")
    OrderNumberFactory(order=out, tn="5035550103", disposition=OrderNumber.Disposition.REMAIN)

    assert claims_backfill(pon_prefix="LD") == 2

    assert claims() == {("5035550101", "in", first.pk), ("5035550101", "out", out.pk)}
    assert claims_backfill(pon_prefix="LD") == 0  # twice: nothing new, no error


def test_the_migration_backfill_does_not_fail_on_a_tn_already_on_two_open_orders():
    first, second = PortOrderFactory(), PortOrderFactory()
    for order in (first, second):
        OrderNumberFactory(order=order, tn="5035550101")
    backfill = import_module("orders.migrations.0014_open_tn_claims").BACKFILL

    with connection.cursor() as cursor:
        cursor.execute(backfill)
        cursor.execute(backfill)  # and again: existing claims are left alone

    assert claims() == {("5035550101", "in", first.pk)}
