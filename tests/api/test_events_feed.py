"""`api.events.events_for`: the events feed reads only the events of the orders the partner may
see (`Partner.visible_orders()`), in id order, a page at a time after a cursor, in a fixed
number of queries and never a COUNT."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.events import events_for
from api.models import PartnerOrder
from orders import events
from orders.models import OrderEvent
from tests.factories import CarrierFactory, PortOrderFactory, PortOutOrderFactory

pytestmark = pytest.mark.django_db
K = OrderEvent.Kind


def ids(rows) -> list[int]:
    return [row.id for row in rows]


def event_on(order, n=1) -> list[int]:
    return [events.record(order, K.STATUS_CHANGED, step=i).id for i in range(n)]


@pytest.fixture
def world(crm, other_system, wireless, requester):
    """Orders of each partner, with events interleaved in id order."""
    crm_in = PortOrderFactory()
    other_in = PortOrderFactory()
    lsr = PortOutOrderFactory(new_carrier=requester)  # keyed in by the desk
    lsr_api = PortOutOrderFactory(new_carrier=requester)  # sent through the API
    stranger = PortOutOrderFactory(new_carrier=CarrierFactory(name="Elsewhere Tel"))
    PartnerOrder.objects.create(partner=crm, order=crm_in)
    PartnerOrder.objects.create(partner=other_system, order=other_in)
    PartnerOrder.objects.create(partner=wireless, order=lsr_api)
    made = {}
    for _ in range(3):
        for name, order in [
            ("crm_in", crm_in),
            ("other_in", other_in),
            ("lsr", lsr),
            ("lsr_api", lsr_api),
            ("stranger", stranger),
        ]:
            made.setdefault(name, []).extend(event_on(order))
    return made


def test_one_of_our_systems_reads_only_the_orders_it_made(crm, world):
    assert ids(events_for(crm, None, 100)) == world["crm_in"]


def test_a_trading_partner_reads_its_carriers_port_outs_once_each(wireless, world):
    # The LSR sent through the API is both its carrier's and linked to it: listed once.
    assert ids(events_for(wireless, None, 100)) == sorted(world["lsr"] + world["lsr_api"])


def test_the_feed_is_the_visible_orders_definition(crm, other_system, wireless, world):
    for partner in (crm, other_system, wireless):
        expected = list(
            OrderEvent.objects.filter(order__in=partner.visible_orders())
            .order_by("id")
            .values_list("id", flat=True)
        )
        assert ids(events_for(partner, None, 1000)) == expected


def test_the_cursor_pages_through_without_gaps_or_repeats(wireless, world):
    seen, after = [], None
    while True:
        page = events_for(wireless, after, 2)
        if not page:
            break
        assert len(page) <= 2
        seen += ids(page)
        after = page[-1].id
    assert seen == sorted(world["lsr"] + world["lsr_api"])
    assert events_for(wireless, after, 2) == []


def test_after_an_event_of_another_partner_the_feed_goes_on_from_there(crm, world):
    cursor = world["stranger"][0]
    assert ids(events_for(crm, cursor, 100)) == [e for e in world["crm_in"] if e > cursor]


def test_a_page_costs_one_query_per_branch_and_never_a_count(wireless, crm, world):
    for partner, branches in ((crm, 1), (wireless, 2)):
        with CaptureQueriesContext(connection) as ctx:
            page = events_for(partner, None, 3)
            # The order's few fields come with the event, the rest is not even read.
            shown = [(e.order.pon, e.order.status, e.order.direction) for e in page]
        assert len(ctx.captured_queries) == branches
        assert all("COUNT(" not in q["sql"].upper() for q in ctx.captured_queries)
        assert len(shown) == 3
        assert "account_number" in page[0].order.get_deferred_fields()


def test_a_limit_of_zero_reads_nothing(crm, world, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert events_for(crm, None, 0) == []
