"""generate_load_data: small sets on SQLite, reproducible per seed, consistent clocks."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Q

from carriers.models import Carrier, TelephoneNumber
from orders.models import (
    Comment,
    CsrRequest,
    NpacCancelRecord,
    OrderNumber,
    PortOrder,
    Rejection,
    StatusChange,
    StatusCheck,
    Supplement,
)

TODAY = datetime.date(2026, 11, 20)
MODELS = [
    PortOrder,
    OrderNumber,
    TelephoneNumber,
    StatusChange,
    Comment,
    StatusCheck,
    Rejection,
    Supplement,
    CsrRequest,
    NpacCancelRecord,
]


def _generate(seed=1, orders=200):
    out = StringIO()
    call_command(
        "generate_load_data",
        orders=orders,
        tns_per_order=3,
        seed=seed,
        today=TODAY,
        stdout=out,
    )
    return out.getvalue()


def _snapshot():
    counts = {model.__name__: model.objects.count() for model in MODELS}
    pons = list(PortOrder.objects.order_by("pon", "version").values_list("pon", "version"))
    statuses = dict(
        PortOrder.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return counts, pons, statuses


@pytest.mark.django_db
def test_generate_load_data_200_orders_on_sqlite():
    output = _generate()
    assert "Done in" in output
    assert PortOrder.objects.count() == 200
    assert Carrier.objects.filter(is_ours=True).exists()
    assert Carrier.objects.filter(is_ours=False).count() >= 10
    # Both directions, many statuses; about 3 TNs per order.
    assert set(PortOrder.objects.values_list("direction", flat=True)) == {"in", "out"}
    assert PortOrder.objects.values("status").distinct().count() >= 8
    assert 200 <= OrderNumber.objects.count() <= 200 * 10


@pytest.mark.django_db
def test_same_seed_gives_same_counts_and_pons():
    _generate(seed=1)
    first = _snapshot()
    call_command("generate_load_data", reset=True, stdout=StringIO())
    assert not PortOrder.objects.filter(pon__startswith="LD").exists()
    assert not OrderNumber.objects.exists()
    _generate(seed=1)
    assert _snapshot() == first


@pytest.mark.django_db
def test_another_seed_gives_other_pons():
    _generate(seed=1)
    first = _snapshot()
    call_command("generate_load_data", reset=True, stdout=StringIO())
    _generate(seed=2)
    assert _snapshot()[1] != first[1]


@pytest.mark.django_db
def test_generating_twice_without_reset_is_refused():
    _generate(orders=20)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--reset"):
        _generate(orders=20)


@pytest.mark.django_db
def test_history_clocks_and_counts_are_consistent():
    _generate(seed=3, orders=300)
    orders = PortOrder.objects.annotate(
        port_tns=Count("numbers", filter=Q(numbers__disposition="port"))
    )
    for order in orders:
        # One history row per status passed through, oldest from "", newest = status.
        history = list(order.history.order_by("created_at", "id"))
        assert history[0].from_status == ""
        assert history[-1].to_status == order.status
        for before, after in zip(history, history[1:], strict=False):
            assert after.from_status == before.to_status
        assert order.last_activity_at >= history[-1].created_at
        assert order.tn_count == order.port_tns
        assert order.is_project_port == (order.tn_count >= 50)
        if order.direction == "in" and order.status == "rejected":
            assert order.customer_notified_at is not None
            assert order.auto_cancel_on == (
                order.customer_notified_at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
                + datetime.timedelta(days=45)
            )
            assert order.auto_cancel_on > TODAY
        if order.status == "submitted":
            assert order.next_status_check_on is not None
        if order.status == "foc_sent":
            assert order.port_window_ends_on >= TODAY
            assert order.foc_date is not None
        if order.status == "completed":
            assert order.completed_at is not None
    # Every TN on an order is in the inventory.
    order_tns = set(OrderNumber.objects.values_list("tn", flat=True))
    inventory = set(TelephoneNumber.objects.values_list("tn", flat=True))
    assert order_tns <= inventory
    # Rejections carry coded reasons; open CSR requests exist.
    assert Rejection.objects.exists()
    assert not Rejection.objects.filter(reasons__isnull=True).exists()
    assert CsrRequest.objects.filter(status="open").exists()
