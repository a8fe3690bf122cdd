"""The work queues and the dashboard in a real browser (Playwright + Debian's Chromium):
filter and search a queue, claim, bulk assign, and the dashboard's cards and charts.
Screenshots go to test-artifacts/."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from orders.models import PortOrder
from tests.conftest import PASSWORD
from tests.orders.queues.conftest import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def rows(page):
    return page.get_by_test_id("queue-row")


def row_for(page, pon):
    return rows(page).filter(has_text=pon)


def test_alice_filters_a_queue_by_carrier_and_bulk_assigns_two_orders(
    page, live_server, alice, maria, login, artifacts
):
    world = build_world(alice=alice, maria=maria)
    login("alice", PASSWORD)
    page.goto(f"{live_server.url}{reverse('orders:queue', args=['unassigned'])}")
    expect(page.get_by_role("heading", name="Unassigned")).to_be_visible()
    expect(rows(page)).to_have_count(14)

    page.get_by_role("button", name="Filters").click()
    # The panel fully open before using it (see test_journeys: a click during the slide).
    expect(page.locator("#queue-filter-panel")).to_have_class(re.compile(r"\bcollapse show\b"))
    page.get_by_label("Carrier (losing or requesting)").select_option(label="Rival Wireless")
    page.get_by_test_id("apply-filters").click()
    page.wait_for_url(re.compile(r".*carrier=\d+.*"))
    expect(rows(page)).to_have_count(5)
    expect(page.get_by_test_id("queue-total")).to_contain_text("5 matching")
    page.screenshot(path=str(artifacts / "queue-filtered.png"), full_page=True)

    # Bulk assign: the button waits for a selection.
    expect(page.get_by_test_id("bulk-assign")).to_be_disabled()
    row_for(page, "OUT-LSR").get_by_role("checkbox").check()
    row_for(page, "OUT-EXPEDITE").get_by_role("checkbox").check()
    expect(page.get_by_text("2 selected")).to_be_visible()
    page.locator("select[name=assignee]").select_option(label="Maria")
    page.get_by_test_id("bulk-assign").click()
    expect(page.get_by_role("alert")).to_contain_text("Assigned 2")
    # back on the same filtered page, without the two rows now assigned
    assert "carrier=" in page.url
    expect(rows(page)).to_have_count(3)
    assert set(
        PortOrder.objects.filter(pon__in=["OUT-LSR", "OUT-EXPEDITE"]).values_list(
            "assignee__username", flat=True
        )
    ) == {"maria"}
    # alice is staff: no manager-only reassign button
    expect(page.get_by_test_id("bulk-reassign")).to_have_count(0)
    assert world.rival.name == "Rival Wireless"


def test_alice_searches_by_a_formatted_tn_sorts_and_claims(
    page, live_server, alice, maria, login, artifacts
):
    build_world(alice=alice, maria=maria)
    login("alice", PASSWORD)
    page.goto(f"{live_server.url}{reverse('orders:queue', args=['unassigned'])}")
    page.get_by_test_id("queue-search").fill("(503) 555-0123")
    page.get_by_test_id("queue-search").press("Enter")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("IN-REVIEW")
    row_for(page, "IN-REVIEW").get_by_test_id("claim").click()
    expect(page.get_by_role("alert")).to_contain_text("Claimed 1: IN-REVIEW v1")
    expect(page.get_by_test_id("queue-empty")).to_be_visible()  # no longer unassigned

    page.goto(f"{live_server.url}{reverse('orders:queue', args=['in-foc-week'])}")
    first = rows(page).first
    expect(first).to_contain_text("IN-FOC-TODAY")
    page.get_by_test_id("sort--foc").click()
    expect(rows(page).first).to_contain_text("IN-FOC-WEEK")
    page.screenshot(path=str(artifacts / "queue-foc-week.png"), full_page=True)

    page.goto(f"{live_server.url}{reverse('orders:queue', args=['mine'])}")
    expect(row_for(page, "IN-REVIEW")).to_have_count(1)


def test_maria_sees_every_queue_card_and_the_charts_on_the_dashboard(
    page, live_server, alice, maria, login, artifacts
):
    from orders.services.dashboard_summary import refresh_dashboard_summary

    build_world(alice=alice, maria=maria)
    refresh_dashboard_summary()  # as the every-minute job would have
    login("maria", PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_test_id("figures-as-of")).to_contain_text("Counts and charts as of")
    card = page.get_by_test_id("queue-card-in-status-checks")
    expect(card.get_by_test_id("count")).to_have_text("2")
    expect(card.get_by_test_id("overdue")).to_have_text("1 overdue")
    expect(page.get_by_test_id("queue-card-rejections")).to_be_visible()
    for chart in ("chart-reasons", "chart-carriers", "chart-statuses", "chart-focs"):
        expect(page.get_by_test_id(chart).locator("svg rect").first).to_be_visible()
    expect(page.get_by_test_id("focs-soon")).to_contain_text("IN-FOC-TODAY v1")
    expect(page.get_by_test_id("job-runs")).to_be_visible()
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)

    # The overdue link opens the queue with only the overdue rows.
    card.get_by_test_id("overdue").click()
    page.wait_for_url(re.compile(r".*/queues/in-status-checks/\?overdue=1"))
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("IN-CHECK-LATE")

    # The navbar's Queues menu reaches the rejection review.
    page.get_by_test_id("nav-queues").click()
    page.get_by_role("link", name="Rejection review").click()
    expect(page.get_by_role("heading", name="Rejection review")).to_be_visible()
    expect(rows(page)).to_have_count(4)
    expect(page.get_by_test_id("bulk-reassign")).to_be_visible()
    page.screenshot(path=str(artifacts / "queue-rejections.png"), full_page=True)
