"""The admin's Sent mail page in a real browser: reached from the admin's user links, one
email shown as its recipient reads it, and the portal's icon on admin pages (no 404 for
/favicon.ico in the console)."""

import pytest
from playwright.sync_api import expect

from orders import emails
from orders.services import outbox
from tests.conftest import PASSWORD
from tests.factories import OrderNumberFactory, PortOrderFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_reads_a_sent_email_and_admin_pages_have_the_portals_icon(
    page, live_server, admin_user, login, artifacts
):
    order = PortOrderFactory(notification_email="customer@example.net", pon="PON-SENT-1")
    OrderNumberFactory(order=order)
    outbox.queue(emails.COMPLETION, order=order)  # delivered after its commit
    not_found = []
    page.on("response", lambda r: not_found.append(r.url) if r.status == 404 else None)

    page.set_viewport_size({"width": 1280, "height": 800})
    login("admin", PASSWORD)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_test_id("admin-sent-mail").click()
    expect(page.get_by_role("heading", name="Sent mail")).to_be_visible()
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("customer@example.net")
    expect(row).to_contain_text("sent")
    page.screenshot(path=str(artifacts / "admin-sent-mail.png"), full_page=True)

    row.get_by_role(
        "link", name="Your numbers have ported: port order PON-SENT-1 is complete"
    ).click()
    expect(page.locator("pre.sent-mail-text")).to_contain_text("PON-SENT-1")
    page.screenshot(path=str(artifacts / "admin-sent-mail-one.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "admin-sent-mail-one-phone.png"), full_page=True)

    icon = page.locator('link[rel="icon"]')
    expect(icon).to_have_count(1)
    assert not [url for url in not_found if "favicon" in url], not_found
