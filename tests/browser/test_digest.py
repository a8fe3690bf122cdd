"""The managers' digest as a page, in a real browser: reached from the dashboard, each line's
count equal to the count its linked queue page shows; at desk and phone width."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.factories import CsrRequestFactory
from tests.orders.queues.conftest import build_world

pytestmark = pytest.mark.django_db(transaction=True)

DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _number(text: str) -> int:
    # "4 in the queue", "1 matching", "1,204": the count without its words.
    return int(re.match(r"\s*([\d,]+)", text).group(1).replace(",", ""))


def test_maria_opens_the_digest_from_the_dashboard_and_each_count_is_its_queues(
    page, live_server, alice, maria, login, artifacts
):
    world = build_world(alice=alice, maria=maria)
    now = timezone.now()
    CsrRequestFactory(  # past the 24-hour answer clock (R1)
        requesting_carrier=world.rival,
        tns=["5035550178"],
        received_at=now - datetime.timedelta(hours=30),
        due_at=now - datetime.timedelta(hours=6),
    )
    page.set_viewport_size(DESK)
    login("maria", PASSWORD)
    page.screenshot(path=str(artifacts / "digest-dashboard-link.png"))
    page.get_by_test_id("digest-page-link").click()
    expect(page.get_by_role("heading", name="Manager's digest")).to_be_visible()
    page.screenshot(path=str(artifacts / "digest.png"), full_page=True)

    lines = page.get_by_test_id("digest-line")
    expect(lines).to_have_count(5)
    shown = []
    for i in range(lines.count()):
        line = lines.nth(i)
        shown.append(
            (
                line.get_by_test_id("digest-link").inner_text(),
                line.get_by_test_id("digest-link").get_attribute("href"),
                _number(line.get_by_test_id("digest-count").inner_text()),
            )
        )
    counts = {label: n for label, _href, n in shown}
    # Both desks' open rejections, as the review queue lists them (the email said 3).
    assert counts["Rejections awaiting review (both desks)"] == 4

    digest_url = page.url
    for label, href, count in shown:
        page.goto(digest_url)
        page.get_by_role("link", name=label).click()
        page.wait_for_url(re.compile(re.escape(href) + "$"))
        total = _number(page.get_by_test_id("queue-total").inner_text())
        assert total == count, f"{label}: the digest says {count}, the queue {total}"

    page.set_viewport_size(PHONE)
    page.goto(digest_url)
    expect(page.get_by_test_id("digest-line").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts / "digest-phone.png"), full_page=True)
