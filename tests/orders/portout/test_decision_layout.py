"""Issue 16, where the work happens: the port-out decision and the findings behind it head the
order page's actions column (before the numbers in the page, whatever their count), and a long
number table folds after 20 lines with a "show all" and the CSV of every TN, on both desks.
The browser test (tests/browser/test_layout.py) checks the same on screen."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import OrderNumberFactory, PortOrderFactory

from .test_pages import detail, received_order

pytestmark = pytest.mark.django_db


def _part(page: str, start: str, end: str) -> str:
    """The page's HTML from `start` to the first `end` after it."""
    at = page.index(start)
    return page[at : page.index(end, at)]


def _decision(page: str) -> str:
    return _part(page, 'data-testid="decision-summary"', "</section>")


def test_the_decision_comes_before_the_numbers_of_a_24_tn_lsr(
    alice_client, make_account, requester
):
    _, tns = make_account(24)
    order = received_order(requester, tns)
    page = alice_client.get(detail(order)).content.decode()
    decision = _decision(page)
    assert page.index('data-testid="decision-summary"') < page.index('data-testid="numbers"')
    assert 'class="order-decision"' in page
    assert 'data-testid="decide-form"' in decision and "Send reject" in decision
    # One decision form on the page: it moved, it was not copied.
    assert page.count('data-testid="decide-form"') == 1


def test_the_decision_shows_the_failing_rules_the_r18_blockers_and_the_proposed_foc(
    alice_client, make_account, requester
):
    _, tns = make_account(2, pin="918273")
    order = received_order(
        requester, tns, account_number="ACCT-WRONG", authorization_indicator=False
    )
    decision = _decision(alice_client.get(detail(order)).content.decode())
    assert 'data-testid="failing">Failing: R4, R18-PIN, R18-ACCT<' in decision
    assert decision.count('data-testid="decision-r18"') == 2
    assert '<span class="badge text-bg-danger">R18-ACCT</span> account number' in decision
    assert '<span class="badge text-bg-danger">R18-PIN</span> PIN' in decision
    assert "proposed <strong>" in decision
    assert "Send FOC" not in decision and "Send reject (R4, R18-PIN, R18-ACCT)" in decision


def test_a_clean_lsr_shows_its_proposed_foc_next_to_send_foc(alice_client, make_account, requester):
    _, tns = make_account(1)
    order = received_order(requester, tns, requested_due_date=datetime.date(2026, 11, 20))
    decision = _decision(alice_client.get(detail(order)).content.decode())
    assert "proposed <strong>Fri 2026-11-20</strong>" in decision
    assert "nothing stops the FOC" in decision and "Send FOC" in decision


def test_a_24_tn_table_shows_20_lines_and_folds_4_behind_show_all(
    alice_client, make_account, requester
):
    _, tns = make_account(24)
    order = received_order(requester, tns)
    page = alice_client.get(detail(order)).content.decode()
    card = _part(page, 'id="numbers"', 'data-testid="portout-section"')
    assert card.count("<tr>") - 1 == 20  # the head's row, then 20 TNs shown
    assert card.count("<tr hidden data-numbers-extra>") == 4
    assert "Show all 24 TNs" in card and 'data-testid="numbers-show-all"' in card
    assert reverse("orders:order_numbers_csv", args=[order.pk]) in card


def test_a_port_in_of_20_tns_shows_them_all_with_no_show_all(alice_client):
    order = PortOrderFactory()
    for n in range(20):
        OrderNumberFactory(order=order, tn=f"50355501{n:02d}")
    page = alice_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    assert "data-numbers-extra" not in page and "Show all" not in page
    assert 'class="order-decision"' not in page  # a port-in has no port-out decision


def test_a_port_in_of_21_tns_folds_one(alice_client):
    order = PortOrderFactory()
    for n in range(21):
        OrderNumberFactory(order=order, tn=f"50355502{n:02d}")
    page = alice_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    assert page.count("<tr hidden data-numbers-extra>") == 1 and "Show all 21 TNs" in page
