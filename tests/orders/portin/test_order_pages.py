"""The order page and the order list: constant query counts whatever the order's size."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Comment, Direction, OrderNumber, Status, StatusChange
from tests.factories import (
    CommentFactory,
    OrderNumberFactory,
    PortInCsrFactory,
    PortOrderFactory,
    PortOutOrderFactory,
    RejectionFactory,
    SupplementFactory,
)

pytestmark = pytest.mark.django_db

# The page's queries: session, user, permissions, the order, its numbers, the five timeline
# sources (+ rejection reasons), the action forms' choices. Independent of the order's size.
MAX_DETAIL_QUERIES = 20


def _big_order(alice, *, tns, entries):
    order = PortOrderFactory(
        assignee=alice, created_by=alice, pin_encrypted="", status=Status.SUBMITTED
    )
    OrderNumber.objects.bulk_create(
        OrderNumber(order=order, tn=f"503{5550000 + n:07d}") for n in range(tns)
    )
    base = timezone.now() - datetime.timedelta(days=30)
    per_kind = max(entries // 4, 1)
    StatusChange.objects.bulk_create(
        StatusChange(
            order=order,
            from_status="draft",
            to_status="submitted",
            actor=alice,
            reason=f"move {n}",
            created_at=base + datetime.timedelta(minutes=n),
        )
        for n in range(per_kind)
    )
    Comment.objects.bulk_create(
        Comment(
            order=order, author=alice, body=f"c {n}", created_at=base + datetime.timedelta(hours=n)
        )
        for n in range(per_kind)
    )
    for n in range(per_kind):
        SupplementFactory(
            order=order, created_by=alice, received_at=base + datetime.timedelta(days=n % 20)
        )
        RejectionFactory(order=order, raised_by=alice, reasons=["ACCT", "ZIP"])
    PortInCsrFactory(order=order, recorded_by=alice)
    return order


def test_the_order_page_renders_in_constant_queries(
    alice, alice_client, django_assert_max_num_queries
):
    small = _big_order(alice, tns=2, entries=5)
    large = _big_order(alice, tns=200, entries=100)

    counts = []
    for order in (small, large):
        with django_assert_max_num_queries(MAX_DETAIL_QUERIES) as captured:
            response = alice_client.get(reverse("orders:order_detail", args=[order.pk]))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], "the query count must not grow with TNs or timeline entries"

    html = response.content.decode()
    assert html.count('class="tn"') >= 200
    assert "(503) 555-0199" in html
    assert len(response.context["timeline"]) >= 100


def test_the_timeline_merges_every_kind_newest_first(alice, alice_client):
    order = PortOrderFactory()
    t0 = timezone.now() - datetime.timedelta(days=1)
    CommentFactory(order=order, author=alice, body="older comment", created_at=t0)
    SupplementFactory(
        order=order, received_at=t0 + datetime.timedelta(minutes=1), remarks="sup three"
    )
    RejectionFactory(order=order, raised_at=t0 + datetime.timedelta(minutes=2), reasons=["ZIP"])
    CommentFactory(order=order, author=alice, body="newest comment", created_at=timezone.now())

    response = alice_client.get(reverse("orders:order_detail", args=[order.pk]))

    kinds = [entry.kind for entry in response.context["timeline"]]
    assert kinds[0] == "comment"  # newest
    assert set(kinds) == {"comment", "status", "supplement", "rejection"}
    html = response.content.decode()
    assert html.index("newest comment") < html.index("ZIP code mismatch") < html.index("sup three")
    assert html.index("sup three") < html.index("older comment")


def test_a_port_out_order_page_renders(alice_client):
    order = PortOutOrderFactory()
    OrderNumberFactory(order=order)

    response = alice_client.get(reverse("orders:order_detail", args=[order.pk]))

    assert response.status_code == 200
    assert response.context["order"].direction == Direction.PORT_OUT
    # The port-in desk's moves are not offered on a port-out order.
    assert 'data-action="submit"' not in response.content.decode()


def test_the_list_filters_and_searches(alice_client):
    a = PortOrderFactory(account_name="Blue Widgets LLC", btn="5035550177")
    OrderNumberFactory(order=a, tn="5035550123")
    b = PortOutOrderFactory(account_name="Green Gadgets")
    url = reverse("orders:order_list")

    def pons(**params):
        return [o.pon for o in alice_client.get(url, params).context["orders"]]

    assert set(pons()) == {a.pon, b.pon}
    assert pons(direction="out") == [b.pon]
    assert pons(q="(503) 555-0123") == [a.pon]
    assert pons(q="503-555-0177") == [a.pon]
    assert pons(q="widgets") == [a.pon]
    assert pons(q=b.pon) == [b.pon]
    assert pons(status="draft") == [a.pon]
    assert pons(losing_carrier=a.losing_carrier_id) == [a.pon]


def test_the_list_paginates_in_constant_queries(alice_client, django_assert_max_num_queries):
    for _ in range(60):
        PortOrderFactory()
    url = reverse("orders:order_list")
    with django_assert_max_num_queries(12):
        first = alice_client.get(url)
    with django_assert_max_num_queries(12):
        second = alice_client.get(url, {"page": 2})
    assert len(first.context["orders"]) == 50 and len(second.context["orders"]) == 10


def test_users_outside_the_desk_see_no_orders(bob, client):
    client.force_login(bob)
    assert client.get(reverse("orders:order_list")).status_code == 403
