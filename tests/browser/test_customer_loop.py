"""The customer's loop in a real browser (issue 19): the desk sends the LOA link, the customer
signs it (no account), the desk submits, the losing carrier rejects the account number, the
desk returns it to the customer, who corrects the account number on their status page and
uploads a bill; the order lands in the review queue with the change shown, masked."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from carriers.end_user import EndUser
from carriers.models import Carrier
from orders import emails
from orders.models import OutboundEmail, PortOrder
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

FIRST_ACCOUNT = "88120458"
RIGHT_ACCOUNT = "88129931"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _email_url(order, kind: str, key: str) -> str:
    row = OutboundEmail.objects.filter(order=order, kind=kind).latest("pk")
    return row.context[key]


def test_the_customer_signs_the_loa_and_corrects_a_rejected_account_number(
    desk,  # noqa: F811
    live_server,
    login,
    browser,
    alice,
    inventory,  # noqa: F811
    artifacts,
    settings,
):
    settings.PORTING = {**settings.PORTING, "PUBLIC_URL": live_server.url}
    page = desk
    (tn,) = free_tns("V517", 1)  # Bridgeport Voice: no CSR to record first
    carrier = Carrier.objects.get(spids__code="V517")
    carrier.requires_loa = True
    carrier.save()
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
        authorization_indicator=False,
    )
    (order,) = result.orders
    order_url = f"{live_server.url}{reverse('orders:order_detail', args=[order.pk])}"
    login_as(page, login, "alice")
    page.goto(order_url)
    expect(page.get_by_test_id("loa-state")).to_have_text("not sent")
    expect(page.get_by_test_id("loa-required")).to_be_visible()

    # Without the LOA the LSR is refused.
    with page.expect_navigation():
        action_box(page, "submit").get_by_role("button", name="Send the LSR").click()
    expect(page.locator(".alert-danger")).to_contain_text("requires the end user's LOA")
    expect(status_of(page)).to_have_text("Draft")

    # The desk sends the LOA link.
    submit(page, action_box(page, "loa-link").get_by_role("button", name="Email the LOA link"))
    expect(page.get_by_test_id("loa-state")).to_have_text("sent")
    loa_url = _email_url(order, emails.CUSTOMER_LINK, "url")
    assert loa_url.startswith(live_server.url)

    # The customer, in a browser of their own, with no login, reads and signs it.
    customer_context = browser.new_context(viewport={"width": 390, "height": 844})
    customer = customer_context.new_page()
    customer.goto(loa_url)
    expect(customer.get_by_test_id("loa-document")).to_contain_text("Sam Okafor")
    expect(customer.get_by_test_id("loa-document")).to_contain_text("1200 NW Lovejoy St")
    expect(customer.locator("body")).not_to_contain_text(FIRST_ACCOUNT)
    expect(customer.get_by_role("button", name="Log out")).to_have_count(0)
    customer.get_by_label("Your full name").fill("Sam Okafor")
    customer.get_by_label("Your title").fill("Owner")
    customer.get_by_label("I have read this letter of authorization").check()
    with customer.expect_navigation():
        customer.get_by_role("button", name="Sign the LOA").click()
    expect(customer.get_by_test_id("loa-signed")).to_contain_text("Sam Okafor")
    customer.screenshot(path=str(artifacts / "customer-loa-signed.png"), full_page=True)

    # The desk sees it signed, and the LSR goes.
    page.reload()
    expect(page.get_by_test_id("loa-state")).to_have_text("signed")
    expect(page.locator("main")).to_contain_text("Customer (LOA link): Signed the LOA")
    submit(page, action_box(page, "submit").get_by_role("button", name="Send the LSR"))
    expect(status_of(page)).to_have_text("Submitted")

    # The losing carrier rejects the account number; the desk returns it to the customer.
    reject = action_box(page, "lsp-reject")
    reject.get_by_label("Reasons").select_option(["ACCT"])
    reject.get_by_label("The carrier's reject text").fill("Account number does not match.")
    submit(page, reject.get_by_role("button", name="Record the reject"))
    expect(status_of(page)).to_have_text("Exception (desk fixing)")
    back = action_box(page, "return-to-customer")
    submit(page, back.get_by_role("button", name="Return to the customer (email)"))
    expect(status_of(page)).to_have_text("Rejected")

    # The customer follows the rejection email's link, corrects the number, sends a bill.
    status_url = _email_url(order, emails.REJECTION, "status_url")
    customer.goto(status_url)
    expect(customer.get_by_test_id("rejection")).to_contain_text("Account number mismatch")
    expect(customer.get_by_test_id("rejection")).to_contain_text("recent bill")
    corrections = customer.get_by_test_id("corrections")
    expect(corrections.locator("input[name=zip_code]")).to_have_count(0)
    corrections.get_by_label("Account number").fill(RIGHT_ACCOUNT)
    corrections.get_by_label("A copy of your bill").set_input_files(
        {"name": "bill-march.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    with customer.expect_navigation():
        corrections.get_by_role("button", name="Send the corrections").click()
    expect(customer.locator(".alert-success")).to_contain_text("we received your corrections")
    expect(customer.get_by_test_id("customer-status")).to_have_text("In review")
    customer.screenshot(path=str(artifacts / "customer-status-review.png"), full_page=True)
    customer_context.close()

    # The order is in the review queue, and its page shows the customer's change, masked.
    page.goto(f"{live_server.url}{reverse('orders:queue', kwargs={'slug': 'in-review'})}")
    row_link = page.get_by_role("link", name=order.pon)
    expect(row_link).to_be_visible()
    with page.expect_navigation():
        row_link.first.click()
    expect(status_of(page)).to_have_text("In review")
    change = page.get_by_test_id("version-customer")
    expect(change).to_contain_text("The customer's changes (not sent yet)")
    account = change.locator('tr[data-field="account_number"]')
    expect(account).to_contain_text(FIRST_ACCOUNT[-4:])
    expect(account).to_contain_text(RIGHT_ACCOUNT[-4:])
    expect(change).to_contain_text("bill-march.pdf")
    expect(page.locator("main")).not_to_contain_text(RIGHT_ACCOUNT)
    page.screenshot(path=str(artifacts / "customer-change-on-the-order.png"), full_page=True)
    assert PortOrder.objects.get(pk=order.pk).account_number == RIGHT_ACCOUNT
