"""The order page and the order list: constant query counts whatever the order's size."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.crypto import encrypt_pin
from orders.models import Comment, Direction, OrderNumber, Status, StatusChange
from orders.views import order_numbers
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
    alice_client.get(reverse("orders:order_list"))  # the session's refresh is not the page's

    counts = []
    for order in (small, large):
        with django_assert_max_num_queries(MAX_DETAIL_QUERIES) as captured:
            response = alice_client.get(reverse("orders:order_detail", args=[order.pk]))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], "the query count must not grow with TNs or timeline entries"

    html = response.content.decode()
    # 200 consecutive TNs in one state: one line, the DID range.
    assert "(503) 555-0000 – 0199<span" in html and "200 TNs" in html
    assert len(response.context["number_rows"]) == 1
    assert len(response.context["timeline"]) >= 100


def _numbers(order, tns, **fields):
    OrderNumber.objects.bulk_create(OrderNumber(order=order, tn=tn, **fields) for tn in tns)


def _consecutive(first: str, count: int) -> list[str]:
    return [f"{first[:6]}{int(first[6:]) + n:04d}" for n in range(count)]


def _number_lines(response):
    return [
        (r.tns, r.count, r.disposition, r.npac_status, r.activated)
        for r in response.context["number_rows"]
    ]


def test_a_small_order_lists_each_tn(alice_client):
    order = PortOrderFactory()
    _numbers(order, _consecutive("5035550100", 3))  # consecutive, but a small order
    response = alice_client.get(reverse("orders:order_detail", args=[order.pk]))
    assert _number_lines(response) == [
        ("(503) 555-0100", 1, "Port", "No subscription", ""),
        ("(503) 555-0101", 1, "Port", "No subscription", ""),
        ("(503) 555-0102", 1, "Port", "No subscription", ""),
    ]
    assert "TNs</span>" not in response.content.decode()


def test_a_project_port_shows_ranges_split_by_gaps_and_state(alice_client):
    order = PortOrderFactory(is_project_port=True)
    activated = timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 0))
    block = _consecutive("5035550100", 60)
    _numbers(order, block[:40], npac_status="active", activated_at=activated)
    _numbers(order, block[40:42], npac_status="active", activated_at=activated.replace(minute=7))
    _numbers(order, block[42:50], npac_status="conflict")
    _numbers(order, block[51:], npac_status="pending")  # 0150 is not on the order
    _numbers(order, ["3605550150"])  # another NPA-NXX, alone
    response = alice_client.get(reverse("orders:order_detail", args=[order.pk]))
    assert _number_lines(response) == [
        ("(360) 555-0150", 1, "Port", "No subscription", ""),
        ("(503) 555-0100 – 0141", 42, "Port", "Active", "2026-11-20 10:00 – 10:07"),
        ("(503) 555-0142 – 0149", 8, "Port", "Conflict", ""),
        ("(503) 555-0151 – 0159", 9, "Port", "Pending", ""),
    ]
    html = response.content.decode()
    assert "(503) 555-0100 – 0141<span" in html and "42 TNs" in html
    assert "Numbers (60; 42 activated)" in html
    assert reverse("orders:order_numbers_csv", args=[order.pk]) in html


def test_a_project_port_of_scattered_tns_shows_the_first_lines_and_points_to_the_csv(
    alice_client, monkeypatch
):
    monkeypatch.setattr(order_numbers, "MAX_NUMBER_ROWS", 10)
    order = PortOrderFactory()
    _numbers(order, [f"503555{n * 2:04d}" for n in range(60)])  # every other TN: no ranges
    response = alice_client.get(reverse("orders:order_detail", args=[order.pk]))
    assert len(response.context["number_rows"]) == 10
    html = response.content.decode()
    assert "and 50 more lines (50 TNs)" in html
    assert "(503) 555-0018" in html and "(503) 555-0020" not in html


def test_the_numbers_csv_lists_every_tn_and_nothing_of_the_account(alice_client):
    order = PortOrderFactory(pin_encrypted=encrypt_pin("918273"), pon="PON/77 A")
    tns = _consecutive("5035550100", 120)
    activated = timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 0, 5))
    _numbers(order, tns[:100], npac_status="active", activated_at=activated)
    _numbers(order, tns[100:])
    response = alice_client.get(reverse("orders:order_numbers_csv", args=[order.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="PON_77_A-v1-tns.csv"'
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["tn"] for r in rows] == tns
    assert rows[0] == {
        "tn": "5035550100",
        "disposition": "Port",
        "npac_status": "Active",
        "activated_at": "2026-11-20T10:00:05-08:00",  # the zone said in the export
    }
    assert rows[-1]["activated_at"] == "" and rows[-1]["npac_status"] == "No subscription"
    for secret in ("918273", order.account_number, "99887766", order.pin_encrypted):
        assert secret not in text


def test_the_numbers_csv_is_for_the_desks_only(bob, client):
    order = PortOrderFactory()
    url = reverse("orders:order_numbers_csv", args=[order.pk])
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(bob)
    assert client.get(url).status_code == 403


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
