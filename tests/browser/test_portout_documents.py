"""Issue 17 in a real browser: staff log a port-out LSR that fails R18, preview the reject
notice, send the reject, and see the reject notice on the timeline with its codes, its PDF
and a Resend button."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from carriers.models import Carrier, Contact
from carriers.tn import format_tn
from orders.models import Document
from tests.factories import ContactFactory

from .test_journeys import login_as, status_of, submit
from .test_r18_fraud import victim  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_sent_reject_shows_its_notice_codes_and_pdf_on_the_timeline(
    page,
    live_server,
    login,
    alice,
    victim,  # noqa: F811 (the fixture imported above)
    artifacts,
):
    account, tns = victim
    ContactFactory(
        carrier=Carrier.objects.get(name="Mallory Mobile"),
        role=Contact.Role.LSR,
        email="lsr@mallory.example",
    )
    login_as(page, login, "alice")
    page.goto(f"{live_server.url}{reverse('orders:portout_lsr_new')}")
    page.locator("#id_requesting_carrier").select_option(label="Mallory Mobile")
    page.locator("#id_pon").fill("MM-0777")
    page.locator("#id_version").fill("1")
    page.locator("#id_reqtype").fill("C")
    page.locator("#id_act").fill("V")
    due = timezone.localdate() + datetime.timedelta(days=14)
    page.locator("#id_requested_due_date").fill(due.isoformat())
    page.locator("#id_authorization_indicator").select_option("Y")
    page.locator("#id_tns").fill("\n".join(format_tn(tn) for tn in tns))
    page.locator("#id_account_number").fill("99-1234567")  # wrong: R18-ACCT
    page.locator("#id_btn").fill(tns[0])
    page.locator("#id_account_name").fill(account.name)
    page.locator("#id_service_address").fill(account.service_address)
    page.locator("#id_zip_code").fill(account.zip_code)
    page.locator("#id_pin").fill("0000")  # wrong: R18-PIN
    submit(page, page.get_by_role("button", name="Log the LSR and run the rules"))
    expect(status_of(page)).to_have_text("Received (to decide)")

    # The reject notice can be read before it is sent; reading it stores nothing.
    preview = page.get_by_test_id("decision-previews").get_by_role("link", name="reject notice")
    expect(preview).to_be_visible()
    response = page.request.get(live_server.url + preview.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert not Document.objects.filter(order__pon="MM-0777").exists()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "portout-decision-preview.png"), full_page=True)

    submit(page, page.get_by_role("button", name="Send reject (R18-PIN, R18-ACCT)"))
    expect(status_of(page)).to_have_text("Rejected")
    timeline = page.get_by_test_id("timeline")
    notice = timeline.locator("li.tl-document").filter(has_text="Reject notice sent to")
    expect(notice).to_contain_text("lsr@mallory.example")
    document = Document.objects.get(order__pon="MM-0777", kind=Document.Kind.REJECT_NOTICE)
    expect(notice.get_by_role("link", name=document.original_name)).to_be_visible()
    expect(notice.get_by_role("button", name="Resend")).to_be_visible()
    rejection = timeline.locator("li.tl-rejection")
    expect(rejection).to_contain_text("R18-ACCT")
    expect(rejection).to_contain_text("R18-PIN")

    page.screenshot(path=str(artifacts / "portout-reject-notice-timeline.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "portout-reject-notice-phone.png"), full_page=True)
