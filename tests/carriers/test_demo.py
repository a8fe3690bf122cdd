"""The demo reference data seed_demo loads: every kind of carrier and a realistic inventory,
created once (a second run changes nothing)."""

import io

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from carriers import demo
from carriers.fields import with_account_number
from carriers.models import (
    SPID,
    Carrier,
    Contact,
    CustomerAccount,
    IntervalGuideline,
    NonBusinessDay,
    TelephoneNumber,
)
from carriers.services import our_carrier, portability_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    demo.seed(io.StringIO())


def test_demo_has_at_least_twelve_carriers_of_every_kind(seeded):
    assert Carrier.objects.count() >= 12
    assert set(Carrier.objects.values_list("kind", flat=True)) == set(Carrier.Kind.values)


def test_demo_our_company_is_cascade_telecom_with_two_spids(seeded):
    ours = our_carrier()
    assert ours.name == "Cascade Telecom"
    assert ours.time_zone == "America/Los_Angeles"
    assert sorted(ours.spids.values_list("code", flat=True)) == ["7231", "7232"]


def test_demo_routes_one_carrier_through_a_local_peer_and_toll_free_through_somos(seeded):
    behind_peer = Carrier.objects.get(port_in_route="local_peer")
    assert behind_peer.porting_peer is not None
    assert behind_peer.porting_peer.port_in_route == "direct"
    resporg = Carrier.objects.get(kind="resporg")
    assert resporg.port_in_route == "somos" and not resporg.supports_csr


def test_demo_has_a_third_party_agent_and_a_carrier_without_csr_support(seeded):
    agent = Carrier.objects.get(name="Porting Partners LLC")
    assert agent.kind == "third_party"
    assert Carrier.objects.filter(supports_csr=False).exclude(kind__in=["resporg", "third_party"])


def test_demo_carriers_have_spids_and_contacts_of_several_roles(seeded):
    telecom = Carrier.objects.exclude(kind="third_party").annotate(
        spid_n=Count("spids", distinct=True), role_n=Count("contacts__role", distinct=True)
    )
    assert telecom.count() >= 12
    for carrier in telecom:
        assert carrier.spid_n >= 1, carrier
        assert carrier.role_n >= 3, carrier
    for code in SPID.objects.values_list("code", flat=True):
        SPID(code=code, carrier_id=1).clean_fields(exclude=["carrier"])


def test_demo_has_an_interval_override_and_closed_days(seeded):
    assert IntervalGuideline.objects.filter(carrier__isnull=False).count() == 1
    assert NonBusinessDay.objects.filter(carrier__isnull=True).exists()


def test_demo_inventory_has_a_few_thousand_numbers_across_accounts(seeded):
    assert 2000 <= TelephoneNumber.objects.count() <= 6000
    lines = CustomerAccount.objects.annotate(n=Count("numbers"))
    assert lines.filter(n=1).count() > 100
    assert lines.filter(n__gt=1).count() > 50
    assert lines.filter(n__gte=20).exists()
    assert TelephoneNumber.objects.filter(status="disconnected").count() > 10
    assert (
        TelephoneNumber.objects.filter(account__isnull=True, spid__carrier__is_ours=False).count()
        > 500
    )
    assert TelephoneNumber.objects.filter(has_centrex=True).exists()
    assert TelephoneNumber.objects.filter(has_isdn=True).exists()
    for number in TelephoneNumber.objects.select_related("account")[:200]:
        number.full_clean(exclude=["spid", "account"])


def test_demo_has_a_resold_number_and_toll_free_numbers_with_the_resporg(seeded):
    resold = TelephoneNumber.objects.get(account__name="Harbor Street Bakery")
    result = portability_check([resold.tn])[resold.tn]
    assert result.is_resold and result.carrier.name == "Columbia Bell"
    toll_free = TelephoneNumber.objects.filter(is_toll_free=True, spid__carrier__kind="resporg")
    assert toll_free.count() >= 3
    assert all(tn.tn[:3] in {"800", "833", "844", "855", "866", "877", "888"} for tn in toll_free)


def test_demo_accounts_have_btn_address_zip_and_some_have_a_hashed_pin(seeded):
    pat = with_account_number(CustomerAccount.objects, "CT-1000001").get()
    assert pat.btn == pat.numbers.get().tn
    assert pat.service_address and pat.zip_code and pat.authorized_person
    assert pat.check_pin("4821") and "4821" not in pat.pin_hash
    abc = with_account_number(CustomerAccount.objects, "CT-1000002").get()
    assert abc.numbers.count() == 8
    assert abc.btn in abc.numbers.values_list("tn", flat=True)


def test_demo_is_deterministic_and_a_second_run_changes_nothing_quickly(seeded):
    first = {
        "numbers": list(TelephoneNumber.objects.order_by("tn").values_list("tn", "spid__code")),
        "accounts": list(CustomerAccount.objects.order_by("account_number_digest").values()),
        "carriers": Carrier.objects.count(),
        "contacts": Contact.objects.count(),
    }
    out = io.StringIO()
    with CaptureQueriesContext(connection) as ctx:
        demo.seed(out)
    assert len(ctx) < 60
    assert "numbers: 0 created" in out.getvalue()
    assert first == {
        "numbers": list(TelephoneNumber.objects.order_by("tn").values_list("tn", "spid__code")),
        "accounts": list(CustomerAccount.objects.order_by("account_number_digest").values()),
        "carriers": Carrier.objects.count(),
        "contacts": Contact.objects.count(),
    }
