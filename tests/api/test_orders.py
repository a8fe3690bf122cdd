"""Reading orders: only the partner's own (another's is 404, never 403), filters, keyset
paging without a COUNT, and a fixed number of queries per answer."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import PartnerOrder
from orders.models import PortOrder
from tests.api.conftest import portin_body
from tests.factories import OrderNumberFactory, PortOrderFactory, PortOutOrderFactory

pytestmark = pytest.mark.django_db


def _linked_orders(partner, n, **fields):
    orders = [PortOrderFactory(**fields) for _ in range(n)]
    PartnerOrder.objects.bulk_create([PartnerOrder(partner=partner, order=o) for o in orders])
    return orders


def test_a_key_for_one_partner_cannot_read_anothers_order(crm_api, other_system):
    (theirs,) = _linked_orders(other_system, 1)
    response = crm_api.get(f"/orders/{theirs.pk}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    # The same answer as for an id that does not exist: nothing confirms it is real.
    missing = crm_api.get("/orders/999999")
    assert missing.status_code == 404
    assert response.json()["title"] == missing.json()["title"]
    assert crm_api.get("/orders").json()["items"] == []


def test_a_desk_order_is_not_visible_to_our_systems(crm_api):
    order = PortOrderFactory()
    assert crm_api.get(f"/orders/{order.pk}").status_code == 404


def test_a_trading_partner_reads_every_port_out_its_carrier_requested(wireless_api, requester):
    keyed_by_desk = PortOutOrderFactory(new_carrier=requester)
    someone_elses = PortOutOrderFactory()
    assert wireless_api.get(f"/orders/{keyed_by_desk.pk}").status_code == 200
    assert wireless_api.get(f"/orders/{someone_elses.pk}").status_code == 404
    ids = [o["id"] for o in wireless_api.get("/orders").json()["items"]]
    assert ids == [keyed_by_desk.pk]


def test_get_one_order_masks_the_account_number_and_never_shows_the_pin(crm_api, desk):
    desk.numbers(desk.rural_spid, "5415550102")
    created = crm_api.post("/port-ins", portin_body(["5415550102"])).json()["orders"][0]
    response = crm_api.get(f"/orders/{created['id']}")
    assert response.status_code == 200
    text = response.content.decode()
    assert "4321" not in text and "ACCT-99887766" not in text
    body = response.json()
    assert body["end_user"]["account_number"] == "•" * 9 + "7766"
    assert body["numbers"] == [{"tn": "5415550102", "disposition": "port"}]
    assert body["evaluation"] is None


def test_list_pages_by_cursor_newest_first(crm_api, crm):
    orders = _linked_orders(crm, 5)
    newest_first = sorted((o.pk for o in orders), reverse=True)
    seen, cursor = [], None
    for _page in range(3):
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = crm_api.get("/orders", params).json()
        seen += [o["id"] for o in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == newest_first
    assert cursor is None


def test_list_filters_by_status_pon_and_updated_since(crm_api, crm):
    draft, cancelled = _linked_orders(crm, 2)
    PortOrder.objects.filter(pk=cancelled.pk).update(status="cancelled")
    by_status = crm_api.get("/orders", {"status": "cancelled"}).json()["items"]
    assert [o["id"] for o in by_status] == [cancelled.pk]
    by_pon = crm_api.get("/orders", {"pon": draft.pon}).json()["items"]
    assert [o["id"] for o in by_pon] == [draft.pk]
    old = timezone.now() - datetime.timedelta(days=3)
    PortOrder.objects.filter(pk=draft.pk).update(updated_at=old)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    recent = crm_api.get("/orders", {"updated_since": since}).json()["items"]
    assert [o["id"] for o in recent] == [cancelled.pk]
    assert crm_api.get("/orders", {"status": "nonsense"}).status_code == 422
    # A time without its offset is ambiguous: refused, not guessed.
    assert crm_api.get("/orders", {"updated_since": "2026-12-01T00:00:00"}).status_code == 422


def test_the_list_never_counts(crm_api, crm):
    _linked_orders(crm, 3)
    with CaptureQueriesContext(connection) as queries:
        assert crm_api.get("/orders", {"limit": 2}).status_code == 200
    order_queries = [q["sql"] for q in queries if "orders_portorder" in q["sql"]]
    assert order_queries and not any("COUNT(" in sql.upper() for sql in order_queries)


# Every API request: the key with its partner (1) and the rate-limit counter in the shared
# database cache (incr: its read, then the write: the cache's cull count, a savepoint, the
# row's check and its update, the savepoint's release: 6). Each test's first request makes
# the minute's counter and writes the key's last use, so the counted request finds both.
AUTH_QUERIES = 1
RATE_LIMIT_QUERIES = 6


def test_get_one_order_takes_a_fixed_number_of_queries(crm_api, crm, django_assert_num_queries):
    (order,) = _linked_orders(crm, 1)
    for _ in range(3):
        OrderNumberFactory(order=order)
    crm_api.get("/orders")  # the key's last use and this minute's counter are written
    # + the order with its carriers and SPIDs (1), its numbers (1), its rejections (1).
    with django_assert_num_queries(AUTH_QUERIES + RATE_LIMIT_QUERIES + 3):
        assert crm_api.get(f"/orders/{order.pk}").status_code == 200


def test_a_list_page_takes_a_fixed_number_of_queries(
    wireless_api, wireless, requester, django_assert_num_queries
):
    _linked_orders(wireless, 3, direction="out", status="received", new_carrier=requester)
    for _ in range(3):
        PortOutOrderFactory(new_carrier=requester)
    wireless_api.get("/orders")
    # + one query per visibility branch (the partner's API orders, its carrier's port-outs),
    # whatever the page size.
    with django_assert_num_queries(AUTH_QUERIES + RATE_LIMIT_QUERIES + 2):
        page = wireless_api.get("/orders", {"limit": 50}).json()
    assert len(page["items"]) == 6
