"""F7 on the port-out desk: when NPAC activates the last TN, each ported TN moves to the new
carrier's SPID and leaves our account, each disconnect line is disconnected, each remain line
is untouched; every change names the order, and a second run changes nothing."""

import datetime

import pytest

from carriers.models import TelephoneNumber
from orders.lifecycle import DomainError, transition
from orders.models import InventoryChange, Status
from orders.rules import assess_lsr
from orders.services import portout as services
from orders.services.inventory import inventory_follow
from orders.services.portout.facts import lsr_facts
from tests.factories import CarrierFactory, SPIDFactory

from .conftest import MONDAY, at, make_lsr

pytestmark = pytest.mark.django_db

ACTIVATED = at(2026, 11, 30, 9)


def focd(order):
    """FOC'd through the lifecycle (the decision itself is the rules' tests' business)."""
    transition(
        order,
        Status.FOC_SENT,
        actor_label="test",
        now=MONDAY,
        changes={"foc_date": datetime.date(2026, 11, 30)},
    )
    return order


def row(tn):
    return TelephoneNumber.objects.get(tn=tn)


@pytest.fixture
def partial_port(make_account, requester):
    """Account with three lines: the first ports, the second is to be disconnected, the third
    remains with us."""
    account, tns = make_account(3)
    lsr = make_lsr(
        tns[:1],
        mi="A",
        disconnect_tns=tns[1:2],
        account_number=account.account_number,
        received_at=MONDAY,
    )
    order = services.lsr_receive(requesting_carrier=requester, lsr=lsr, now=MONDAY)
    assert dict(order.numbers.values_list("tn", "disposition")) == {
        tns[0]: "port",
        tns[1]: "disconnect",
        tns[2]: "remain",
    }
    return focd(order), account, tns


def test_activation_moves_the_ported_tn_disconnects_and_leaves_the_remaining_one(
    partial_port, our_spid, requester, alice
):
    order, account, (ported, disconnected, remaining) = partial_port
    untouched = row(remaining).updated_at

    services.npac_event_record(order=order, kind="activate", by=alice, now=ACTIVATED)

    order.refresh_from_db()
    assert order.status == Status.COMPLETED
    moved = row(ported)
    assert moved.spid == requester.spids.get()  # the requesting carrier's SPID
    assert moved.account is None
    gone = row(disconnected)
    assert gone.status == TelephoneNumber.Status.DISCONNECTED
    assert gone.spid == our_spid and gone.account == account
    kept = row(remaining)
    assert (kept.spid, kept.account, kept.status) == (our_spid, account, "working")
    assert kept.updated_at == untouched
    changes = {c.tn: c for c in InventoryChange.objects.filter(order=order)}
    assert set(changes) == {ported, disconnected}
    assert (changes[ported].spid_before, changes[ported].spid_after) == (our_spid, moved.spid)
    assert (changes[ported].account_before, changes[ported].account_after) == (account, None)
    assert (changes[disconnected].status_before, changes[disconnected].status_after) == (
        "working",
        "disconnected",
    )


def test_the_spid_named_on_the_lsr_is_where_the_tns_go(make_account, requester, alice):
    second = SPIDFactory(code="W002", carrier=requester)
    account, tns = make_account(1)
    lsr = make_lsr(tns, account_number=account.account_number)
    order = focd(
        services.lsr_receive(requesting_carrier=requester, lsr=lsr, new_spid=second, now=MONDAY)
    )

    services.npac_event_record(order=order, kind="activate", by=alice, now=ACTIVATED)

    assert row(tns[0]).spid == second


def test_activation_of_only_some_tns_moves_nothing_yet(make_account, requester, our_spid, alice):
    account, tns = make_account(2)
    lsr = make_lsr(tns, account_number=account.account_number)
    order = focd(services.lsr_receive(requesting_carrier=requester, lsr=lsr, now=MONDAY))

    services.npac_event_record(order=order, kind="activate", tns=tns[:1], by=alice, now=ACTIVATED)

    assert {row(tn).spid for tn in tns} == {our_spid}
    assert not InventoryChange.objects.exists()


def test_running_the_port_out_completion_twice_changes_nothing_twice(partial_port, alice):
    order, _account, tns = partial_port
    services.npac_event_record(order=order, kind="activate", by=alice, now=ACTIVATED)
    before = {
        n.tn: (n.spid_id, n.account_id, n.status, n.updated_at)
        for n in TelephoneNumber.objects.all()
    }

    assert inventory_follow(order=order) == 0

    assert InventoryChange.objects.filter(order=order).count() == 2
    assert {
        n.tn: (n.spid_id, n.account_id, n.status, n.updated_at)
        for n in TelephoneNumber.objects.all()
    } == before


def test_the_rules_see_a_ported_out_tn_as_the_other_carriers_at_once(partial_port, alice):
    order, account, (ported, disconnected, _remaining) = partial_port
    services.npac_event_record(order=order, kind="activate", by=alice, now=ACTIVATED)

    other = CarrierFactory(name="Another Wireless")
    lsr = make_lsr([ported, disconnected], pon="PON-2", account_number=account.account_number)
    findings = assess_lsr(lsr, lsr_facts(lsr, requesting_carrier=other)).findings

    by_tn = {(f.rule, f.field_or_tn) for f in findings}
    assert ("R2", ported) in by_tn  # now served by the requester's SPID, not ours
    assert ("R15", disconnected) in by_tn  # disconnected with us: not a working TN


def test_activation_without_any_spid_for_the_new_carrier_is_refused_and_nothing_changes(
    make_account, alice, our_spid
):
    nameless = CarrierFactory(name="No SPID Yet Inc.")
    account, tns = make_account(1)
    lsr = make_lsr(tns, account_number=account.account_number)
    order = focd(services.lsr_receive(requesting_carrier=nameless, lsr=lsr, now=MONDAY))

    with pytest.raises(DomainError, match="has no SPID on file"):
        services.npac_event_record(order=order, kind="activate", by=alice, now=ACTIVATED)

    order.refresh_from_db()
    assert order.status == Status.FOC_SENT
    assert row(tns[0]).spid == our_spid and row(tns[0]).account == account
