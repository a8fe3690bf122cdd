"""Issue 17 in a real browser: the desk sends a port-in LSR and finds it on the order's
timeline, sent to the losing carrier's LSR contact, with its PDF one click away."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from carriers.end_user import EndUser
from carriers.models import Contact
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
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_submitted_lsr_is_on_the_timeline_with_its_pdf(
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
    result = portin.portin_orders_create(
        tns=[tn],
        by=alice,
        end_user=EndUser(
            account_name="Lovejoy Bakery",
            account_number="77120458",
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
    Contact.objects.filter(carrier=order.losing_carrier, role=Contact.Role.LSR).delete()
    ContactFactory(carrier=order.losing_carrier, role=Contact.Role.LSR, email="lsr@bridge.example")
    page.goto(f"{live_server.url}{reverse('orders:order_detail', args=[order.pk])}")

    submit(page, action_box(page, "submit").get_by_role("button", name="Send the LSR"))
    expect(status_of(page)).to_have_text("Submitted")

    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("LSR sent to lsr@bridge.example")
    link = timeline.get_by_role("link", name=f"{order.pon}-VER1-LSR.pdf")
    expect(link).to_be_visible()
    download = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert download.ok and download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF")

    for name, width in (("portin-lsr-timeline-desk", 1280), ("portin-lsr-timeline-phone", 390)):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        timeline.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
