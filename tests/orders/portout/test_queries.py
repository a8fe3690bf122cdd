"""The rules' database reads are batched: the same number of queries for 5 TNs and for 500;
and so is the order page of a port-out order."""

import pytest
from django.urls import reverse

from orders.rules import evaluate_lsr
from orders.services import portout as services
from tests.factories import NpacCancelRecordFactory, RejectionFactory, SupplementFactory

from .conftest import MONDAY, make_lsr

pytestmark = pytest.mark.django_db

# Inventory (numbers, their SPIDs, their accounts), accounts' TNs, CSR contacts, calendar,
# 2 intervals.
FACT_QUERIES = 8
RECEIVE_QUERIES = 16  # + version lookup, savepoint, order, history row, numbers (one insert)
# R19: the holders' notices (here the missed-notice mark: the account has no contact email)
# and the requester's accounts of the day.
RECEIVE_QUERIES += 2
# F7: the TNs to port claimed for the desk (one insert) and the check no other open LSR
# holds one of them (one read).
RECEIVE_QUERIES += 2
# The partner API's lsr_received event (orders.events, one insert; issue 18).
RECEIVE_QUERIES += 1
# The order page of a port-out order: session (read; written at most every 5 minutes, not
# by this page), user, 2 for
# permissions, the order, its numbers (values, read once for the numbers card and the R13
# counts), supplements and rejections (+ their reasons) read once for the timeline and the
# port-out section, history, comments, documents, disputes, other versions, NPAC events,
# NPAC cancel records, the R18 overrides, the reject reasons and assignees offered by the
# forms. 24 before the
# TNs were read once and the supplements and rejections shared, 21 before the session stopped
# being saved on every request, 18 before permissions were read in one query.
PORTOUT_PAGE_QUERIES = 19  # 17 before the R18 overrides, 18 before the LSR contact check (issue 17)


@pytest.mark.parametrize("count", [5, 500])
def test_rule_facts_for_an_lsr_take_a_bounded_number_of_queries(
    count, make_account, requester, django_assert_max_num_queries
):
    _, tns = make_account(count + 3)
    lsr = make_lsr(tns[:count], mi="A", disconnect_tns=tns[count : count + 1])
    with django_assert_max_num_queries(FACT_QUERIES):
        facts = services.lsr_facts(lsr, requesting_carrier=requester)
        findings = evaluate_lsr(lsr, facts)
    assert not any(f.is_reject for f in findings)


@pytest.mark.parametrize("count", [5, 500])
def test_lsr_receive_takes_a_bounded_number_of_queries(
    count, make_account, requester, alice, django_assert_max_num_queries
):
    _, tns = make_account(count + 2)
    lsr = make_lsr(tns[:count], mi="A")
    with django_assert_max_num_queries(RECEIVE_QUERIES):
        order = services.lsr_receive(requesting_carrier=requester, lsr=lsr, by=alice)
    assert order.numbers.count() == count + 2


@pytest.mark.parametrize("count", [5, 500])
def test_the_port_out_order_page_takes_a_bounded_number_of_queries(
    count, make_account, requester, alice_client, django_assert_max_num_queries
):
    _, tns = make_account(count + 2)
    order = services.lsr_receive(
        requesting_carrier=requester,
        lsr=make_lsr(tns[:count], mi="A", disconnect_tns=tns[count : count + 1]),
        now=MONDAY,
    )
    SupplementFactory(order=order)
    RejectionFactory(order=order, source="validation", reasons=["OTHER"])
    NpacCancelRecordFactory(order=order, tn=tns[0])
    services.dispute_open(order=order, csr_request=None, description="Denied", by=None)
    url = reverse("orders:order_detail", args=[order.pk])
    alice_client.get(url)  # the session's first save is not the page's
    with django_assert_max_num_queries(PORTOUT_PAGE_QUERIES) as captured:
        response = alice_client.get(url)
    assert response.status_code == 200
    assert 'data-testid="dispute"' in response.content.decode()
    assert len(captured) == PORTOUT_PAGE_QUERIES, "the same at any number of TNs"
