"""Where the eye is (issue 16), in a real browser: the port-out decision within the first
screen of a 24-TN LSR at desk width, long number tables folded to 20 rows with a "show all",
and every main page at phone width (390 px) with no sideways scroll of the whole page and a
collapsed navbar that opens.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from carriers import demo as carriers_demo
from carriers.models import CustomerAccount
from orders import demo as orders_demo
from orders.models import Direction, PortOrder, Status

from .test_journeys import _log_lsr, business_days_ahead, login_as

pytestmark = pytest.mark.django_db(transaction=True)

DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# The demo inventory's 24-line Centrex account (CT-1000004 in carriers.demo.inventory).
TWENTY_FOUR_LINES = "Lloyd District Medical Group"


@pytest.fixture
def inventory(db):
    carriers_demo.seed()


# When a page is too wide: the elements reaching furthest right, to say which one to fix.
WIDEST = """() => [...document.querySelectorAll('body *')]
    .map(el => [Math.round(el.getBoundingClientRect().right), el.tagName, el.className])
    .filter(([right]) => right > window.innerWidth)
    .sort((a, b) => b[0] - a[0])
    .slice(0, 5)"""


def _shot(page, artifacts, name):
    """The first screen, and the whole page, to look at."""
    page.screenshot(path=str(artifacts / f"layout-{name}.png"))
    page.screenshot(path=str(artifacts / f"layout-{name}-full.png"), full_page=True)


def test_the_decision_on_a_24_tn_lsr_is_on_the_first_screen_and_the_numbers_fold(
    page, live_server, login, alice, inventory, artifacts
):
    page.set_viewport_size(DESK)
    account = CustomerAccount.objects.get(name=TWENTY_FOUR_LINES)
    tns = sorted(account.numbers.values_list("tn", flat=True))
    assert len(tns) == 24
    login_as(page, login, "alice")
    _log_lsr(
        page,
        live_server.url,
        account=account,
        tns=tns,
        version=1,
        due=business_days_ahead(10),
        authorization="Y",
        pon="PW-24TN",
    )
    page.evaluate("window.scrollTo(0, 0)")

    # The decision (reasons, details, Send reject / Send FOC) is on the first screen, with
    # the findings that drive it, without scrolling past the numbers.
    decision = page.get_by_test_id("decide-form")
    send = decision.get_by_role("button", name="Send reject")
    expect(send).to_be_visible()
    assert send.bounding_box()["y"] + send.bounding_box()["height"] <= DESK["height"]
    summary = page.get_by_test_id("decision-summary")
    expect(summary).to_contain_text("R18")
    assert summary.bounding_box()["y"] < DESK["height"]
    _shot(page, artifacts, "decision-desk")

    # 20 of the 24 TNs, a "show all" that shows the other 4, and the CSV of every TN.
    rows = page.get_by_test_id("numbers").locator("tbody tr")
    expect(rows.locator("visible=true")).to_have_count(20)
    expect(page.get_by_test_id("numbers-csv")).to_be_visible()
    show_all = page.get_by_role("button", name="Show all 24")
    show_all.click()
    expect(rows.locator("visible=true")).to_have_count(24)
    expect(show_all).to_be_hidden()


def _fits_the_phone(page, name, artifacts):
    """The document is no wider than the viewport: only the tables scroll sideways."""
    _shot(page, artifacts, f"phone-{name}")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    wide = page.evaluate(WIDEST) if width[0] > width[1] else []
    assert width[0] <= width[1], f"{name}: {width[0]} px wide at {width[1]} px: {wide}"


def _navbar_collapses_and_opens(page):
    menu = page.locator("#mainnav")
    expect(menu).to_be_hidden()
    toggler = page.get_by_role("button", name="Toggle navigation")
    expect(toggler).to_be_visible()
    toggler.click()
    expect(menu.get_by_role("link", name="Dashboard")).to_be_visible()
    expect(menu.get_by_role("button", name="Log out")).to_be_visible()


def test_every_main_page_fits_a_phone_and_its_navbar_collapses(
    page, live_server, login, alice, maria, inventory, artifacts
):
    orders_demo.seed()
    page.set_viewport_size(PHONE)
    login_as(page, login, "maria")
    port_in = (
        PortOrder.objects.filter(direction=Direction.PORT_IN, csr__isnull=False)
        .order_by("pk")
        .first()
    )
    port_out = PortOrder.objects.filter(
        direction=Direction.PORT_OUT, status=Status.RECEIVED
    ).order_by("pk")[0]
    pages = {
        "dashboard": reverse("dashboard"),
        "queue": reverse("orders:queue", args=["rejections"]),
        "order-list": reverse("orders:order_list"),
        "port-in": reverse("orders:order_detail", args=[port_in.pk]),
        "port-out": reverse("orders:order_detail", args=[port_out.pk]),
    }
    for name, url in pages.items():
        page.goto(f"{live_server.url}{url}")
        _fits_the_phone(page, name, artifacts)
    page.goto(f"{live_server.url}{pages['port-in']}")
    expect(page.get_by_test_id("csr-comparison")).to_be_visible()
    _navbar_collapses_and_opens(page)
