"""A port-out order's account number is CPNI (R18): only in the order's encrypted column,
never in the LSR snapshot; a SUP 3 that changes it moves its keyed hash along."""

import pytest

from carriers.fields import with_account_number
from orders.models import PortOrder
from orders.services import portout as services

from .conftest import at, make_lsr

pytestmark = pytest.mark.django_db

LSR_AT = at(2026, 11, 9, 10)


def test_the_lsr_snapshot_keeps_no_account_number_and_the_lsr_reads_it_back(
    make_account, requester
):
    account, tns = make_account(1, account_number="OUT-424242")
    lsr = make_lsr(tns, received_at=LSR_AT, account_number="OUT-424242")
    order = services.lsr_receive(requesting_carrier=requester, lsr=lsr, now=LSR_AT)
    order = PortOrder.objects.get(pk=order.pk)
    assert "account_number" not in order.lsr_snapshot
    assert "424242" not in repr(order.lsr_snapshot)
    assert services.lsr_of(order).end_user.account_number == "OUT-424242"
    assert order.account_number_digest == account.account_number_digest


def test_a_sup3_changing_the_account_number_moves_its_digest(make_account, requester, alice):
    _, tns = make_account(1, account_number="OUT-1")
    lsr = make_lsr(tns, received_at=LSR_AT, account_number="OUT-1")
    order = services.lsr_receive(requesting_carrier=requester, lsr=lsr, now=LSR_AT)
    services.sup_receive(order=order, sup_type=3, by=alice, changes={"account_number": "OUT-2"})
    assert list(with_account_number(PortOrder.objects, "out 2")) == [order]
    assert not with_account_number(PortOrder.objects, "out-1").exists()
    order = PortOrder.objects.get(pk=order.pk)
    assert services.lsr_of(order).end_user.account_number == "OUT-2"
    assert "account_number" not in order.lsr_snapshot
