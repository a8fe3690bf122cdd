"""The rules' database reads are batched: the same number of queries for 5 TNs and for 500."""

import pytest

from orders.rules import evaluate_lsr
from orders.services import portout as services

from .conftest import make_lsr

pytestmark = pytest.mark.django_db

FACT_QUERIES = 6  # inventory, accounts' TNs, CSR contacts, our carrier's calendar, 2 intervals
RECEIVE_QUERIES = 14  # + version lookup, savepoint, order, history row, numbers (one insert)


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
