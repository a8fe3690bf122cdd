"""Words a clerk trusts, in Chromium (issue 16): alice records a CSR that does not match and
sees a warning (not a green success) and her name on the timeline; a failed edit keeps what
she typed and says the PIN must be typed again. Screenshots at desk and phone width."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from carriers.models import SPID, Carrier
from orders.services import portin
from tests.conftest import PASSWORD
from tests.factories import CarrierFactory, OurCarrierFactory, SPIDFactory, TelephoneNumberFactory
from tests.orders.portin.conftest import END_USER, create_kwargs, due_in

pytestmark = pytest.mark.django_db(transaction=True)

DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def order(alice):
    OurCarrierFactory()
    lsp = CarrierFactory(name="Pacific Bell", kind=Carrier.Kind.ILEC, supports_csr=True)
    spid = SPIDFactory(code="9100", carrier=lsp, region=SPID.Region.WEST_COAST)
    TelephoneNumberFactory(tn="5035550101", spid=spid)
    result = portin.portin_orders_create(
        tns=["5035550101"], by=alice, **create_kwargs({**END_USER, "requested_due_date": due_in()})
    )
    return result.orders[0]


def _open(page, slug):
    box = page.locator(f'details[data-action="{slug}"]')
    if not box.evaluate("el => el.open"):
        box.locator("summary").click()
    return box


def test_a_csr_mismatch_warns_credits_alice_and_a_failed_edit_keeps_the_typing(
    page, live_server, login, alice, order, artifacts
):
    page.set_viewport_size(DESK)
    login("alice", PASSWORD)
    page.goto(f"{live_server.url}{reverse('orders:order_detail', args=[order.pk])}")
    expect(page.get_by_role("heading", name="CSR check")).to_be_visible()

    box = _open(page, "csr")
    box.get_by_label("Account name").fill("ABC Co")
    box.get_by_label("Service address").fill("102 Main St Ste 4")
    with page.expect_navigation():
        box.get_by_role("button", name="Record and compare the CSR").click()

    warning = page.locator(".alert-warning").first
    expect(warning).to_contain_text("does not match the order on")
    expect(page.locator(".alert-success")).to_have_count(0)
    expect(page.get_by_test_id("csr-verdict")).to_have_attribute("data-verdict", "mismatched")
    expect(page.get_by_test_id("timeline")).to_contain_text(re.compile(r"· alice"))
    expect(page.get_by_test_id("timeline")).not_to_contain_text("· System")
    page.screenshot(path=str(artifacts / "desk-words-csr-mismatch.png"), full_page=True)

    box = _open(page, "edit")
    box.get_by_label("City").fill("Typed City")
    # A due date in the past: refused by the service (the browser lets it through).
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    box.get_by_label("Requested due date").fill(yesterday.isoformat())
    box.get_by_label("New PIN / passcode").fill("9876")
    with page.expect_navigation():
        box.get_by_role("button", name="Save the changes").click()

    expect(page.locator(".alert-danger").first).to_contain_text("in the past")
    box = page.locator('details[data-action="edit"]')
    expect(box.get_by_label("City")).to_have_value("Typed City")
    expect(box.get_by_label("New PIN / passcode")).to_have_value("")
    expect(box.locator('[data-retype="edit-pin"]')).to_contain_text("Re-type it")
    box.get_by_label("New PIN / passcode").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "desk-words-failed-edit.png"))

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{reverse('orders:order_detail', args=[order.pk])}")
    page.get_by_test_id("csr-comparison").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "desk-words-csr-mismatch-phone.png"))
