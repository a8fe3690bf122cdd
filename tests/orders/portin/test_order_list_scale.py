"""The order list at a national size: it never counts the whole table, its first page is read
through an index in order, and its text search is answered by trigram indexes (PostgreSQL)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders import order_list
from orders.models import PortOrder
from orders.views import order_list as order_list_views
from tests.factories import OrderNumberFactory, PortOrderFactory

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's planner and trigram indexes"
)


def test_the_list_counts_no_further_than_the_cap(alice_client, monkeypatch):
    monkeypatch.setattr(order_list_views, "PAGE_SIZE", 2)
    monkeypatch.setattr(order_list, "ORDER_LIST_COUNT_CAP", 3)
    for _ in range(5):
        PortOrderFactory()
    with CaptureQueriesContext(connection) as captured:
        response = alice_client.get(reverse("orders:order_list"))
    assert "Page 1 of 2 (3+ orders)" in response.content.decode()
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts)


def test_under_the_cap_the_count_is_exact(alice_client, monkeypatch):
    monkeypatch.setattr(order_list_views, "PAGE_SIZE", 2)
    for _ in range(3):
        PortOrderFactory()
    response = alice_client.get(reverse("orders:order_list"))
    assert "Page 1 of 2 (3 orders)" in response.content.decode()
    assert "+ orders" not in response.content.decode()


def test_the_list_rows_do_not_load_the_pin_or_the_account_number(alice_client):
    PortOrderFactory()
    with CaptureQueriesContext(connection) as captured:
        alice_client.get(reverse("orders:order_list"))
    rows = [q["sql"] for q in captured.captured_queries if 'FROM "orders_portorder"' in q["sql"]]
    assert rows
    for sql in rows:
        assert "account_number" not in sql and '"pin' not in sql


def _plan(sql, params, *, bitmap_only=False):
    with connection.cursor() as cursor:
        # Tiny test tables are cheaper to scan; forbid that to see which index can answer.
        cursor.execute("SET LOCAL enable_seqscan = off")
        if bitmap_only:
            # Nor a whole B-tree read in order with the LIKE as a filter: only an index that
            # answers the condition itself (a bitmap scan) is left.
            cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@on_postgres
def test_the_first_page_is_read_through_the_activity_index():
    PortOrderFactory()
    qs = PortOrder.objects.order_by("-last_activity_at", "-pk")[:50]
    sql, params = qs.query.sql_with_params()
    assert "order_list_activity" in _plan(sql, params)


@on_postgres
@pytest.mark.parametrize(
    ("lookup", "index"),
    [("account_name__icontains", "order_account_name_trgm"), ("pon__icontains", "order_pon_trgm")],
)
def test_the_text_search_is_answered_by_a_trigram_index(lookup, index):
    PortOrderFactory(account_name="Blue Widgets LLC")
    qs = PortOrder.objects.filter(**{lookup: "widget"}).order_by().values("pk")
    sql, params = qs.query.sql_with_params()
    assert index in _plan(sql, params, bitmap_only=True)


def test_each_row_shows_the_order_escaped_and_linked(alice_client, alice):
    order = PortOrderFactory(
        account_name='<script>alert("x")</script> & Sons', assignee=alice, foc_date=None
    )
    html = alice_client.get(reverse("orders:order_list")).content.decode()
    row = html[html.index(f'href="{reverse("orders:order_detail", args=[order.pk])}"') :]
    row = row[: row.index("</tr>")]
    assert f">{order.pon} v{order.version}</a>" in row
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons" in row
    assert "<script>" not in html.split('data-testid="order-list"', 1)[1].split("</table>")[0]
    assert f"<td>{order.losing_carrier.name}" in row and f"<td>{order.new_carrier.name}</td>" in row
    assert 'class="badge text-bg-secondary">Draft</span>' in row
    assert f'<td class="text-nowrap">{order.requested_due_date.isoformat()}</td>' in row
    assert '<td class="text-nowrap">—</td>' in row  # no FOC yet
    assert "<td>alice</td>" in row


def test_part_of_a_number_finds_orders_by_tn_and_by_btn(alice_client):
    by_tn = PortOrderFactory(btn="3605550100")
    OrderNumberFactory(order=by_tn, tn="5035550123")
    by_btn = PortOrderFactory(btn="5035550177")
    neither = PortOrderFactory(btn="2065550000")
    url = reverse("orders:order_list")

    def pons(q):
        return {o.pon for o in alice_client.get(url, {"q": q}).context["orders"]}

    assert pons("555-0123") == {by_tn.pon}
    assert pons("5035550") == {by_tn.pon, by_btn.pon}
    assert pons("0177") == {by_btn.pon}
    assert neither.pon not in pons("5035550")


@on_postgres
@pytest.mark.parametrize(
    ("model_name", "lookup", "index"),
    [
        ("OrderNumber", "tn__contains", "order_number_tn_trgm"),
        ("PortOrder", "btn__contains", "order_btn_trgm"),
    ],
)
def test_part_of_a_number_is_answered_by_a_trigram_index(model_name, lookup, index):
    from orders import models

    PortOrderFactory()
    qs = getattr(models, model_name).objects.filter(**{lookup: "0113"}).order_by().values("pk")
    sql, params = qs.query.sql_with_params()
    assert index in _plan(sql, params, bitmap_only=True)


@pytest.mark.parametrize("cap", [1, 10_000])
def test_a_search_lists_the_same_orders_whether_or_not_its_matches_pass_the_cap(
    alice_client, monkeypatch, cap
):
    # Under the cap the matches are read by primary key, past it through the query itself.
    monkeypatch.setattr(order_list, "ORDER_LIST_COUNT_CAP", cap)
    first = PortOrderFactory(account_name="Blue Widgets LLC")
    second = PortOrderFactory(account_name="Widget Works")
    PortOrderFactory(account_name="Green Gadgets")
    PortOrder.objects.filter(pk=first.pk).update(last_activity_at=second.last_activity_at)
    response = alice_client.get(reverse("orders:order_list"), {"q": "widget"})
    listed = [o.pk for o in response.context["orders"]]
    expected = PortOrder.objects.filter(account_name__icontains="widget").order_by(
        "-last_activity_at", "-pk"
    )
    # The list never goes past its cap (pages stop there, "1+ orders").
    assert listed == [o.pk for o in expected][:cap] and expected.count() == 2
