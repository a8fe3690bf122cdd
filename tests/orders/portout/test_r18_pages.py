"""R18 on the pages, through the HTTP client: an LSR with R18 findings is never "every rule
passes" and never offered Send FOC; a manager's override (with its reason in the timeline) or
a SUP 3 fixing the field brings Send FOC back."""

import pytest
from django.urls import reverse

from orders.models import PortOrder, Status

from .test_pages import lsr_post

pytestmark = pytest.mark.django_db
PIN = "918273"


@pytest.fixture
def account_of_two(make_account):
    return make_account(2, pin=PIN, name="Rose City Bakery LLC", zip_code="97204")


def detail(order):
    return reverse("orders:order_detail", args=[order.pk])


def log_lsr(client, requester, tns, **overrides):
    response = client.post(
        reverse("orders:portout_lsr_new"), lsr_post(requester, tns, **overrides), follow=True
    )
    return PortOrder.objects.get(pon="PON-PAGE-1"), response.content.decode()


def test_the_fraudulent_lsr_is_not_every_rule_passes_and_offers_no_foc(
    alice_client, requester, account_of_two
):
    _, tns = account_of_two
    order, page = log_lsr(
        alice_client,
        requester,
        tns,
        account_number="ACCT-31337",
        account_name="Mallory Ports",
        pin="000000",
    )
    assert order.status == Status.RECEIVED
    assert "every rule passes" not in page.lower()
    assert "fails R18-PIN, R18-ACCT" in page
    assert 'data-testid="r18"' in page and page.count('data-testid="r18-finding"') == 3
    assert "Send FOC" not in page
    assert "Send reject (R18-PIN, R18-ACCT)" in page
    assert 'data-testid="override-form"' not in page  # staff do not override


def test_a_name_mismatch_alone_is_not_every_rule_passes(alice_client, requester, account_of_two):
    _, tns = account_of_two
    _, page = log_lsr(alice_client, requester, tns, account_name="Rose City Bakers", pin=PIN)
    assert "every rule passes" not in page.lower()
    assert "R18 end-user name must be resolved before any FOC" in page
    assert "Send FOC" not in page


def test_a_good_lsr_still_says_every_rule_passes(alice_client, requester, account_of_two):
    _, tns = account_of_two
    _, page = log_lsr(alice_client, requester, tns, pin=PIN)
    assert "every rule passes" in page and "Send FOC" in page


def test_a_manager_overrides_each_finding_and_send_foc_comes_back(
    client, alice, maria, requester, account_of_two
):
    _, tns = account_of_two
    client.force_login(alice)
    order, _ = log_lsr(client, requester, tns, account_name="Rose City Bakers", pin=PIN)
    url = reverse("orders:portout_override", args=[order.pk])
    assert client.post(url, {"field": "end-user name", "reason": "Fine."}).status_code == 403

    client.force_login(maria)
    page = client.get(detail(order)).content.decode()
    assert 'data-testid="override-form"' in page and "Send FOC" not in page
    response = client.post(
        url,
        {
            "field": "end-user name",
            "reason": "Bakers is the d/b/a on file.",
            "expected_status": "received",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "R18 end-user name finding overridden" in page
    assert "Overridden by maria" in page and "Bakers is the d/b/a on file." in page
    assert "R18 end-user name finding overridden by maria: Bakers is the d/b/a on file." in page
    assert "Send FOC" in page


def test_an_override_without_a_reason_is_refused(maria_client, requester, account_of_two):
    _, tns = account_of_two
    order, _ = log_lsr(maria_client, requester, tns, account_name="Other Name", pin=PIN)
    url = reverse("orders:portout_override", args=[order.pk])
    page = maria_client.post(url, {"field": "end-user name", "reason": ""}, follow=True)
    assert "Send FOC" not in page.content.decode()
    assert not order.overrides.exists()


def test_a_sup3_with_the_right_fields_brings_send_foc_back(alice_client, requester, account_of_two):
    account, tns = account_of_two
    order, _ = log_lsr(alice_client, requester, tns, zip_code="10001", pin="000000")
    response = alice_client.post(
        reverse("orders:portout_sup_new", args=[order.pk]),
        {"sup_type": "3", "zip_code": "97204-1234", "pin": PIN},
        follow=True,
    )
    page = response.content.decode()
    assert "rules re-run, all pass" in page
    assert "Send FOC" in page and PIN not in page


def test_the_reject_list_offers_the_r18_codes(alice_client, requester, account_of_two):
    _, tns = account_of_two
    _, page = log_lsr(alice_client, requester, tns, pin=PIN)
    for code in ("R18-ACCT", "R18-ZIP", "R18-PIN"):
        assert f'value="{code}"' in page
