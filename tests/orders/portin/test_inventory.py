"""F7 on the port-in desk: a completed port-in makes each TN ours in the inventory (our SPID,
working, on the customer's account), the order that did it is recorded, and from then on the
portability check, the new-order form and the port-out rules see the TN as ours."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carriers.models import CustomerAccount, TelephoneNumber
from carriers.services import portability_check
from orders.lifecycle import DomainError, transition
from orders.models import InventoryChange, PortOrder, Status
from orders.rules import assess_lsr
from orders.services import portin
from orders.services.inventory import inventory_follow
from orders.services.portout.facts import lsr_facts
from tests.factories import CarrierFactory, CustomerAccountFactory
from tests.orders.portout.conftest import make_lsr

from .conftest import END_USER, create_kwargs, due_in

pytestmark = pytest.mark.django_db


def accepted(order):
    """Bring a draft port-in to accepted (FOC today) through the lifecycle."""
    transition(
        order, Status.SUBMITTED, actor_label="test", changes={"submitted_at": timezone.now()}
    )
    transition(
        order, Status.ACCEPTED, actor_label="test", changes={"foc_date": timezone.localdate()}
    )
    return order


def number(tn):
    return TelephoneNumber.objects.select_related("spid", "account").get(tn=tn)


def test_completing_a_port_in_makes_each_tn_ours_working_on_a_new_account(desk, make_portin, maria):
    order = accepted(make_portin("5035550101", "5035550102"))
    assert CustomerAccount.objects.count() == 0

    portin.order_complete(order=order, by=maria)

    account = CustomerAccount.objects.get()
    assert account.name == END_USER["account_name"]
    assert account.account_number == END_USER["account_number"]
    assert account.btn == END_USER["btn"]
    assert account.zip_code == END_USER["zip_code"]
    assert account.service_address == END_USER["service_address"]
    for tn in ("5035550101", "5035550102"):
        row = number(tn)
        assert row.spid == desk.our_spid  # the order's new SPID, ours
        assert row.status == TelephoneNumber.Status.WORKING
        assert row.account == account
    changes = list(InventoryChange.objects.filter(order=order).order_by("tn"))
    assert [c.tn for c in changes] == ["5035550101", "5035550102"]
    assert {(c.spid_before, c.spid_after, c.account_before, c.account_after) for c in changes} == {
        (desk.lsp_spid, desk.our_spid, None, account)
    }
    assert {c.status_after for c in changes} == {"working"}


def test_activating_the_last_tn_completes_and_moves_the_inventory_too(desk, make_portin, maria):
    order = accepted(make_portin("5035550101", "5035550102"))
    portin.numbers_activate(order=order, by=maria, tns=["5035550101"])
    assert number("5035550101").spid == desk.lsp_spid  # not complete yet: nothing moved

    portin.numbers_activate(order=order, by=maria, tns=["5035550102"])

    order.refresh_from_db()
    assert order.status == Status.COMPLETED
    assert {number(tn).spid for tn in ("5035550101", "5035550102")} == {desk.our_spid}


def test_an_existing_account_with_the_orders_account_number_gets_the_tns(desk, make_portin, maria):
    existing = CustomerAccountFactory(account_number=END_USER["account_number"])
    order = accepted(make_portin("5035550101"))

    portin.order_complete(order=order, by=maria)

    assert CustomerAccount.objects.count() == 1
    assert number("5035550101").account == existing


def test_without_a_new_spid_on_the_order_our_carriers_spid_is_used(desk, make_portin, maria):
    order = accepted(make_portin("5035550101"))
    PortOrder.objects.filter(pk=order.pk).update(new_spid=None)
    order.refresh_from_db()

    portin.order_complete(order=order, by=maria)

    assert number("5035550101").spid == desk.our_spid


def test_a_second_port_in_for_a_number_we_now_own_is_refused_as_already_ours(
    desk, make_portin, maria, alice
):
    order = accepted(make_portin("5035550101"))
    portin.order_complete(order=order, by=maria)

    check = portability_check(["5035550101"])["5035550101"]
    assert check.is_ours and check.spid == desk.our_spid
    result = portin.portin_orders_create(
        tns=["5035550101"], by=alice, **create_kwargs(END_USER), requested_due_date=due_in()
    )
    assert result.orders == []
    assert [r.tn for r in result.refused] == ["5035550101"]
    assert "already ours" in result.refused[0].reason
    assert PortOrder.objects.count() == 1


def test_the_new_order_form_refuses_a_number_we_ported_in(desk, make_portin, maria, alice_client):
    order = accepted(make_portin("5035550101"))
    portin.order_complete(order=order, by=maria)

    response = alice_client.post(
        reverse("orders:portin_new"),
        {
            **END_USER,
            "requested_due_date": due_in(10).isoformat(),
            "authorization": "on",
            "tns": "503-555-0101",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "already ours" in response.content.decode()
    assert PortOrder.objects.count() == 1


def test_the_port_out_rules_see_a_ported_in_number_as_ours(desk, make_portin, maria):
    requester = CarrierFactory(name="Willamette Wireless")
    lsr = make_lsr(["5035550101"], account_number=END_USER["account_number"])
    before = assess_lsr(lsr, lsr_facts(lsr, requesting_carrier=requester))
    assert "R2" in {f.rule for f in before.findings}  # still the other carrier's number

    order = accepted(make_portin("5035550101"))
    portin.order_complete(order=order, by=maria)

    after = assess_lsr(lsr, lsr_facts(lsr, requesting_carrier=requester))
    assert "R2" not in {f.rule for f in after.findings}


def test_running_the_completion_twice_changes_nothing_the_second_time(desk, make_portin, maria):
    order = accepted(make_portin("5035550101", "5035550102"))
    portin.order_complete(order=order, by=maria)
    rows = {
        n.tn: (n.spid_id, n.account_id, n.status, n.updated_at)
        for n in TelephoneNumber.objects.all()
    }

    assert inventory_follow(order=order) == 0

    assert InventoryChange.objects.filter(order=order).count() == 2
    assert CustomerAccount.objects.count() == 1
    assert {
        n.tn: (n.spid_id, n.account_id, n.status, n.updated_at)
        for n in TelephoneNumber.objects.all()
    } == rows
    with pytest.raises(DomainError):
        portin.order_complete(order=order, by=maria)  # a completed order completes once
    assert InventoryChange.objects.count() == 2


def test_a_tn_missing_from_the_npac_view_at_completion_is_added_as_ours(desk, make_portin, maria):
    order = accepted(make_portin("5035550101"))
    TelephoneNumber.objects.filter(tn="5035550101").delete()

    portin.order_complete(order=order, by=maria)

    row = number("5035550101")
    assert row.spid == desk.our_spid and row.account is not None
    change = InventoryChange.objects.get(order=order)
    assert change.spid_before is None and change.status_before == ""


def test_the_completion_costs_the_same_queries_for_3_and_60_tns(desk, make_portin, maria):
    CustomerAccountFactory(account_number=END_USER["account_number"])

    def queries_for(tns):
        order = accepted(make_portin(*tns))
        order.refresh_from_db()
        with CaptureQueriesContext(connection) as ctx:
            assert inventory_follow(order=order) == len(tns)
        return len(ctx.captured_queries)

    small = queries_for([f"50355502{i:02d}" for i in range(3)])
    big = queries_for([f"50355503{i:02d}" for i in range(60)])
    assert big == small


def test_the_admin_lists_inventory_changes_and_cannot_edit_an_orders_numbers(
    desk, make_portin, maria, admin_client_
):
    order = accepted(make_portin("5035550101"))
    portin.order_complete(order=order, by=maria)
    line = order.numbers.get()

    listing = admin_client_.get(
        reverse("admin:orders_inventorychange_changelist") + "?q=5035550101"
    )
    assert listing.status_code == 200 and order.pon in listing.content.decode()
    # Numbers come from the services, which also claim them (F7): not added or edited here.
    assert admin_client_.get(reverse("admin:orders_ordernumber_add")).status_code == 403
    change = admin_client_.get(reverse("admin:orders_ordernumber_change", args=[line.pk]))
    assert b'name="tn"' not in change.content
