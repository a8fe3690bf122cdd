"""The managers' reports in a real browser: from the navbar to the reports page (sections,
trend charts drawn under the CSP, a table's CSV), then from a carrier's page to its
scorecard."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.rollup import roll_range
from tests.conftest import PASSWORD
from tests.reports.conftest import WINDOW_FIRST, WINDOW_LAST, build_desk

pytestmark = pytest.mark.django_db(transaction=True)


def test_maria_reads_the_reports_downloads_a_table_and_opens_a_carrier_scorecard(
    page, live_server, alice, maria, login, artifacts, settings
):
    settings.REPORTS_TODAY_SECONDS = 0
    desk = build_desk(alice, maria)
    roll_range(WINDOW_FIRST, timezone.localdate() - datetime.timedelta(days=1))
    blocked = []
    page.on(
        "console", lambda msg: blocked.append(msg.text) if "Content Security" in msg.text else None
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    login("maria", PASSWORD)

    page.get_by_test_id("nav-reports").click()
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    page.get_by_label("From", exact=True).fill(str(WINDOW_FIRST))
    page.get_by_label("To", exact=True).fill(str(WINDOW_LAST))
    page.get_by_label("By", exact=True).select_option("week")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("table-in-periods")).to_be_visible()
    for section in ("port-in", "port-out", "desk"):
        expect(page.locator(f"#{section}")).to_be_visible()
    cycle = page.get_by_test_id("chart-in-cycle").locator("svg polyline")
    expect(cycle.first).to_be_visible()
    box = page.get_by_test_id("chart-in-cycle").locator("svg").bounding_box()
    assert box["width"] > 200 and box["height"] > 50  # drawn, styled by the local CSS
    weeks = page.get_by_test_id("table-in-periods").get_by_test_id("row")
    expect(weeks).to_have_count(3)  # two weeks of the range and the whole range
    page.screenshot(path=str(artifacts / "reports.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_test_id("csv-in-carriers").click()
    with open(download.value.path(), encoding="utf-8") as f:
        rows = list(csv.reader(io.StringIO(f.read())))
    assert rows[0][0] == "Losing carrier"
    assert {row[0] for row in rows[1:]} <= {"Acme Wireless", "Beta Cable", "'=Gamma"}

    carrier = desk.carriers[0]
    page.goto(f"{live_server.url}/carriers/{carrier.pk}/")
    page.get_by_test_id("carrier-scorecard").click()
    expect(page.get_by_test_id("scorecard-title")).to_have_text(f"{carrier.name}: scorecard")
    expect(page.get_by_test_id("table-in-periods")).to_be_visible()
    expect(page.get_by_test_id("table-out-periods")).to_be_visible()
    page.screenshot(path=str(artifacts / "reports-scorecard.png"), full_page=True)
    assert not blocked, blocked


def test_alice_sees_only_her_own_desk_figures(page, live_server, alice, maria, login, settings):
    settings.REPORTS_TODAY_SECONDS = 0
    build_desk(alice, maria)
    roll_range(WINDOW_FIRST, timezone.localdate() - datetime.timedelta(days=1))
    login("alice", PASSWORD)

    page.goto(f"{live_server.url}/reports/?first={WINDOW_FIRST}&last={WINDOW_LAST}&group=month")

    expect(page.get_by_role("heading", name="Your desk figures")).to_be_visible()
    expect(page.get_by_test_id("table-in-periods")).to_have_count(0)
    people = page.get_by_test_id("table-desk-actions").get_by_test_id("row")
    expect(people).to_have_count(1)
    expect(people.first).to_contain_text(alice.get_full_name())
