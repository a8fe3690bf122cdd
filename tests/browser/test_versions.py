"""The LSR's VER in a real browser: a port-in order is sent (VER 1), the losing carrier
rejects it, the desk fixes the service address and the account number and resends: the
header shows VER 2 and the Versions card what changed, the account number masked."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from carriers.end_user import EndUser
from orders.models import PortOrder
from orders.services import portin
from tests.browser.test_journeys import (
    action_box,
    desk,  # noqa: F401 (fixture)
    free_tns,
    inventory,  # noqa: F401 (fixture)
    login_as,
    status_of,
    submit,
)

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_ACCOUNT = "77120458"
RIGHT_ACCOUNT = "77129931"


def _shoot(page, artifacts, name, *, width, height):
    """The page at a desk's or a phone's width, and its Versions card alone."""
    page.set_viewport_size({"width": width, "height": height})
    page.reload()
    expect(page.get_by_test_id("version-2")).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"the order page is {scroll_width}px wide at {width}px"
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    page.get_by_test_id("versions").screenshot(path=str(artifacts / f"{name}-card.png"))


def test_a_resubmission_after_a_reject_is_ver_2_and_shows_its_changes(
    desk,  # noqa: F811
    live_server,
    login,
    alice,
    inventory,  # noqa: F811
    artifacts,
):
    page = desk
    (tn,) = free_tns("V517", 1)  # Bridgeport Voice: VoIP, no CSR to record first
    login_as(page, login, "alice")

    # The order is made through the service (its form has its own journey in test_journeys).
    result = portin.portin_orders_create(
        tns=[tn],
        by=alice,
        end_user=EndUser(
            account_name="Lovejoy Bakery",
            account_number=FIRST_ACCOUNT,
            btn=tn,
            authorized_person="Sam Okafor",
            service_address="1200 NW Lovejoy St",
            city="Portland",
            state="OR",
            zip_code="97209",
        ),
        requested_due_date=timezone.localdate() + datetime.timedelta(days=21),
        notification_email="sam@lovejoybakery.example",
        authorization_indicator=True,
    )
    (order,) = result.orders
    page.goto(f"{live_server.url}{reverse('orders:order_detail', args=[order.pk])}")

    # VER 1 goes out.
    submit(page, action_box(page, "submit").get_by_role("button", name="Send the LSR"))
    expect(status_of(page)).to_have_text("Submitted")
    expect(page.get_by_test_id("order-version")).to_have_text("VER 1")
    expect(page.get_by_test_id("version-1")).to_contain_text("Submitted")

    # The losing carrier rejects it: wrong suite, wrong account number.
    reject = action_box(page, "lsp-reject")
    reject.get_by_label("Reasons").select_option(["ADDR"])
    reject.get_by_label("The carrier's reject text").fill("Suite and account number do not match.")
    submit(page, reject.get_by_role("button", name="Record the reject"))
    expect(status_of(page)).to_have_text("Exception (desk fixing)")

    # The desk fixes both and resends.
    edit = action_box(page, "edit")
    edit.get_by_label("Service address").fill("1200 NW Lovejoy St Suite 3")
    edit.get_by_label("Account number").fill(RIGHT_ACCOUNT)
    submit(page, edit.get_by_role("button", name="Save the changes"))
    resend = action_box(page, "exception-resend")
    resend.get_by_label("What was fixed").fill("Suite and account number from the bill.")
    submit(page, resend.get_by_role("button", name="Resend the LSR"))
    expect(status_of(page)).to_have_text("Submitted")

    # The header says VER 2; the card says why and what changed.
    expect(page.get_by_test_id("order-version")).to_have_text("VER 2")
    v2 = page.get_by_test_id("version-2")
    expect(v2).to_contain_text("Resubmitted after a reject")
    expect(v2).to_contain_text("alice")
    address = v2.locator('tr[data-field="service_address"]')
    expect(address).to_contain_text("1200 NW Lovejoy St")
    expect(address).to_contain_text("1200 NW Lovejoy St Suite 3")
    account = v2.locator('tr[data-field="account_number"]')
    expect(account).to_contain_text(FIRST_ACCOUNT[-4:])
    expect(account).to_contain_text(RIGHT_ACCOUNT[-4:])
    expect(page.locator("main")).not_to_contain_text(RIGHT_ACCOUNT)
    expect(page.locator("main")).not_to_contain_text(FIRST_ACCOUNT)
    assert PortOrder.objects.get(numbers__tn=tn).version == 2
    _shoot(page, artifacts, "versions-desk", width=1280, height=900)
    _shoot(page, artifacts, "versions-phone", width=390, height=844)
