"""The fraudulent port-out LSR of issue 14, in a real browser: staff log an LSR whose account
number, PIN and end-user name are all wrong; the page shows the R18 findings and offers no
Send FOC; staff send the reject, and the reject lists the R18 codes and none of our stored
values."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from carriers.models import Carrier
from carriers.tn import format_tn
from orders.models import PortOrder, Rejection, Status
from tests.factories import (
    CarrierFactory,
    CustomerAccountFactory,
    OurCarrierFactory,
    SPIDFactory,
    TelephoneNumberFactory,
)

from .test_journeys import login_as, status_of, submit

pytestmark = pytest.mark.django_db(transaction=True)
PIN = "918273"


@pytest.fixture
def victim(db):
    """Our customer: two working lines and a port-out PIN (porting both is not a simple port,
    so the end-user name counts too)."""
    spid = SPIDFactory(code="7231", carrier=OurCarrierFactory())
    SPIDFactory(
        code="T321", carrier=CarrierFactory(name="Mallory Mobile", kind=Carrier.Kind.WIRELESS)
    )
    account = CustomerAccountFactory(
        account_number="RC-5501-77", name="Rose City Bakery LLC", zip_code="97204", pin=PIN
    )
    tns = [
        TelephoneNumberFactory(tn=tn, spid=spid, account=account).tn
        for tn in ("5035557700", "5035557701")
    ]
    return account, tns


def test_the_fraudulent_lsr_shows_its_r18_findings_no_foc_and_ends_in_a_reject(
    page, live_server, login, alice, victim, artifacts
):
    account, tns = victim
    login_as(page, login, "alice")
    page.goto(f"{live_server.url}{reverse('orders:portout_lsr_new')}")
    page.locator("#id_requesting_carrier").select_option(label="Mallory Mobile")
    page.locator("#id_pon").fill("MM-0666")
    page.locator("#id_version").fill("1")
    page.locator("#id_reqtype").fill("C")
    page.locator("#id_act").fill("V")
    due = timezone.localdate() + datetime.timedelta(days=14)
    page.locator("#id_requested_due_date").fill(due.isoformat())
    page.locator("#id_authorization_indicator").select_option("Y")
    page.locator("#id_tns").fill("\n".join(format_tn(tn) for tn in tns))
    page.locator("#id_account_number").fill("99-1234567")  # wrong
    page.locator("#id_btn").fill(tns[0])
    page.locator("#id_account_name").fill("Mallory Ports")  # wrong
    page.locator("#id_service_address").fill(account.service_address)
    page.locator("#id_zip_code").fill(account.zip_code)  # right
    page.locator("#id_pin").fill("0000")  # wrong
    submit(page, page.get_by_role("button", name="Log the LSR and run the rules"))

    # Never "every rule passes": the R18 findings are listed, and Send FOC is not offered.
    expect(status_of(page)).to_have_text("Received (to decide)")
    expect(page.get_by_text("every rule passes")).to_have_count(0)
    expect(page.get_by_role("alert").filter(has_text="fails R18-PIN, R18-ACCT")).to_be_visible()
    r18 = page.get_by_test_id("r18")
    expect(r18.get_by_test_id("r18-finding")).to_have_count(3)
    expect(r18).to_contain_text("account number")
    expect(r18).to_contain_text("PIN")
    expect(r18).to_contain_text("end-user name")
    expect(r18.get_by_test_id("foc-blocked")).to_be_visible()
    expect(page.get_by_role("button", name="Send FOC")).to_have_count(0)
    expect(page.get_by_test_id("override-form")).to_have_count(0)  # staff do not override
    expect(page.get_by_test_id("portout-detail")).not_to_contain_text(account.account_number)

    page.screenshot(path=str(artifacts / "r18-fraudulent-lsr.png"), full_page=True)

    # Staff send the reject: it lists the R18 codes and names the fields only.
    submit(page, page.get_by_role("button", name="Send reject (R18-PIN, R18-ACCT)"))
    expect(status_of(page)).to_have_text("Rejected")
    detail = page.get_by_test_id("portout-detail")
    expect(detail).to_contain_text("Rejects sent")
    expect(detail).to_contain_text("R18-ACCT")
    expect(detail).to_contain_text("R18-PIN")
    order = PortOrder.objects.get(pon="MM-0666")
    assert order.status == Status.REJECTED
    rejection = Rejection.objects.get(order=order)
    assert set(rejection.reasons.values_list("code", flat=True)) == {"R18-ACCT", "R18-PIN"}
    for secret in (account.account_number, "RC550177", PIN):
        assert secret not in rejection.text
