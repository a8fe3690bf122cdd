"""The staff carrier directory at /carriers/: search, filter, pages, detail, permissions and
a query count that does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carriers.models import Carrier, Contact
from carriers.selectors import carrier_profile
from tests.factories import (
    CarrierFactory,
    ContactFactory,
    IntervalGuidelineFactory,
    NonBusinessDayFactory,
    OurCarrierFactory,
    SPIDFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("carriers:list")


def _detail(carrier):
    return reverse("carriers:detail", args=[carrier.pk])


@pytest.fixture
def bell():
    bell = CarrierFactory(name="Columbia Bell", kind=Carrier.Kind.ILEC)
    SPIDFactory(code="9102", carrier=bell)
    SPIDFactory(code="9103", carrier=bell)
    ContactFactory(
        carrier=bell,
        role=Contact.Role.CSR,
        name="Robin Sato",
        email="csr@columbiabell.example",
        phone="503-555-0150 x12",
    )
    ContactFactory(carrier=bell, role=Contact.Role.LSR, name="Kim Underwood")
    ContactFactory(carrier=bell, role=Contact.Role.LSR, name="Alex Baker")
    return bell


def _names(response):
    return [carrier.name for carrier in response.context["page"]]


# --- list -----------------------------------------------------------------------------------


def test_staff_see_the_directory_with_spid_and_contact_counts(alice_client, bell):
    CarrierFactory(name="Willamette Fiber")
    response = alice_client.get(LIST)
    assert response.status_code == 200
    assert _names(response) == ["Columbia Bell", "Willamette Fiber"]
    first = response.context["page"][0]
    assert (first.spid_count, first.contact_count) == (2, 3)
    assert "9102" in response.content.decode()


@pytest.mark.parametrize("q", ["columbia", "BELL", "9102", "9103"])
def test_search_finds_a_carrier_by_name_or_spid_in_any_case(alice_client, bell, q):
    CarrierFactory(name="Willamette Fiber")
    assert _names(alice_client.get(LIST, {"q": q})) == ["Columbia Bell"]


def test_search_by_lower_case_alphanumeric_spid(alice_client):
    beacon = CarrierFactory(name="Beacon Toll-Free", kind=Carrier.Kind.RESPORG)
    SPIDFactory(code="T098", carrier=beacon)
    CarrierFactory(name="Willamette Fiber")
    assert _names(alice_client.get(LIST, {"q": "t098"})) == ["Beacon Toll-Free"]


def test_spid_search_does_not_change_the_counts(alice_client, bell):
    carrier = alice_client.get(LIST, {"q": "9102"}).context["page"][0]
    assert (carrier.spid_count, carrier.contact_count) == (2, 3)


def test_kind_filter(alice_client, bell):
    CarrierFactory(name="Pinnacle Wireless", kind=Carrier.Kind.WIRELESS)
    assert _names(alice_client.get(LIST, {"kind": "wireless"})) == ["Pinnacle Wireless"]


def test_nothing_found_says_so(alice_client, bell):
    assert "No carriers match." in alice_client.get(LIST, {"q": "nobody"}).content.decode()


def test_list_is_paginated_and_keeps_the_filters_in_page_links(alice_client):
    for n in range(30):
        CarrierFactory(name=f"Clec {n:02d}", kind=Carrier.Kind.CLEC)
    first = alice_client.get(LIST, {"kind": "clec"})
    assert len(first.context["page"]) == 25
    assert "kind=clec&amp;page=2" in first.content.decode()
    second = alice_client.get(LIST, {"kind": "clec", "page": 2})
    assert _names(second) == [f"Clec {n:02d}" for n in range(25, 30)]


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _make_carriers(start, count):
    peer = Carrier.objects.filter(name="Peer").first() or CarrierFactory(name="Peer")
    for n in range(start, start + count):
        carrier = CarrierFactory(
            name=f"Carrier {n:03d}",
            port_in_route="local_peer" if n % 2 else "direct",
            porting_peer=peer if n % 2 else None,
        )
        SPIDFactory(code=f"C{n:03d}", carrier=carrier)
        ContactFactory.create_batch(2, carrier=carrier)


def test_list_query_count_does_not_grow_with_rows(alice_client, django_assert_max_num_queries):
    _make_carriers(0, 5)
    alice_client.get(LIST)
    with_5 = _count_queries(alice_client, LIST)
    _make_carriers(5, 45)
    with django_assert_max_num_queries(with_5):
        alice_client.get(LIST)
    with django_assert_max_num_queries(with_5):
        alice_client.get(LIST, {"q": "c001"})


# --- detail -----------------------------------------------------------------------------------


def test_detail_shows_spids_contacts_by_role_with_links(alice_client, bell):
    response = alice_client.get(_detail(bell))
    content = response.content.decode()
    assert response.status_code == 200
    assert "9102" in content and "9103" in content
    groups = [
        (g.label, [c.name for c in g.contacts]) for g in response.context["profile"].contact_groups
    ]
    assert groups == [("CSR", ["Robin Sato"]), ("LSR", ["Alex Baker", "Kim Underwood"])]
    assert 'href="mailto:csr@columbiabell.example"' in content
    assert 'href="tel:+15035550150"' in content


def test_detail_shows_direct_routing(alice_client, bell):
    assert "directly to Columbia Bell" in alice_client.get(_detail(bell)).content.decode()


def test_detail_shows_the_local_porting_peer(alice_client, bell):
    klamath = CarrierFactory(name="Klamath Valley", port_in_route="local_peer", porting_peer=bell)
    content = alice_client.get(_detail(klamath)).content.decode()
    assert "through the local porting peer" in content
    assert f'href="{_detail(bell)}">Columbia Bell' in content
    assert "Klamath Valley" in alice_client.get(_detail(bell)).content.decode()  # peer for


def test_detail_shows_somos_routing(alice_client):
    beacon = CarrierFactory(
        name="Beacon", kind=Carrier.Kind.RESPORG, port_in_route="somos", supports_csr=False
    )
    content = alice_client.get(_detail(beacon)).content.decode()
    assert "through Somos" in content
    assert "not supported" in content


def test_detail_shows_the_carriers_clocks(alice_client):
    carrier = CarrierFactory(
        lsr_cutoff=datetime.time(14, 30),
        csr_answer_hours=48,
        max_due_date_days=45,
        port_window_business_days=5,
        sup_threshold=4,
        time_zone="America/Chicago",
    )
    clocks = alice_client.get(_detail(carrier)).content.decode()
    for text in [
        "14:30 local",
        "America/Chicago",
        "48 h",
        "45 calendar days",
        "5 business days",
        '<dd class="col-5">4</dd>',
    ]:
        assert text in clocks, text


def test_detail_marks_the_trading_partner_override_in_the_interval_table(alice_client, bell):
    IntervalGuidelineFactory(carrier=bell, kind="other", min_tns=1, max_tns=49, business_days=3)
    response = alice_client.get(_detail(bell))
    rows = [
        (r.kind, r.tier_label, r.business_days, r.is_override)
        for r in response.context["profile"].intervals
    ]
    assert ("other", "1-49 TNs", 3, True) in rows
    assert ("other", "50+ TNs", 10, False) in rows
    assert ("simple", "1+ TNs", 1, False) in rows
    assert "Trading-partner override" in response.content.decode()


def test_detail_lists_upcoming_closed_days_company_wide_own_and_federal(bell):
    other = CarrierFactory(name="Other")
    NonBusinessDayFactory(date=datetime.date(2026, 12, 24), description="Company closed")
    NonBusinessDayFactory(date=datetime.date(2026, 12, 28), carrier=bell, description="Bell closed")
    NonBusinessDayFactory(date=datetime.date(2026, 12, 29), carrier=other, description="Not shown")
    NonBusinessDayFactory(date=datetime.date(2026, 1, 2), description="Past")
    now = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
    carrier = Carrier.objects.prefetch_related("contacts").get(pk=bell.pk)

    days = [(d.date, d.scope) for d in carrier_profile(carrier, now=now).closed_days]

    assert (datetime.date(2026, 12, 24), "company") in days
    assert (datetime.date(2026, 12, 28), "carrier") in days
    assert (datetime.date(2026, 12, 25), "federal") in days
    assert (datetime.date(2027, 1, 1), "federal") in days
    assert datetime.date(2026, 12, 29) not in [d for d, _ in days]
    assert datetime.date(2026, 1, 2) not in [d for d, _ in days]


def test_detail_tells_when_an_lsr_sent_now_counts_as_received(bell):
    carrier = Carrier.objects.prefetch_related("contacts").get(pk=bell.pk)
    friday_after_cutoff = datetime.datetime(2026, 11, 20, 23, 30, tzinfo=datetime.UTC)  # 15:30 PT
    profile = carrier_profile(carrier, now=friday_after_cutoff)
    assert profile.lsr_counts_on == datetime.date(2026, 11, 23)  # Monday
    assert profile.local_now.hour == 15


def test_detail_query_count_does_not_grow_with_rows(alice_client, django_assert_max_num_queries):
    carrier = CarrierFactory(name="Columbia Bell")
    SPIDFactory(code="9102", carrier=carrier)
    ContactFactory(carrier=carrier)
    url = _detail(carrier)
    alice_client.get(url)
    with_one = _count_queries(alice_client, url)
    today = timezone.localdate()
    for n in range(20):
        SPIDFactory(code=f"9{n:03d}", carrier=carrier)
        ContactFactory(carrier=carrier, role=Contact.Role.values[n % 6])
        CarrierFactory(name=f"Behind {n}", port_in_route="local_peer", porting_peer=carrier)
        NonBusinessDayFactory(date=today + datetime.timedelta(days=n + 1), carrier=carrier)
        IntervalGuidelineFactory(
            carrier=carrier, kind="other", min_tns=n * 2 + 1, max_tns=n * 2 + 2, business_days=2
        )
    with django_assert_max_num_queries(with_one):
        alice_client.get(url)


# --- permissions ------------------------------------------------------------------------------


def test_superuser_gets_an_edit_in_admin_link(client, admin_user, bell):
    client.force_login(admin_user)
    content = client.get(_detail(bell)).content.decode()
    assert reverse("admin:carriers_carrier_change", args=[bell.pk]) in content


def test_staff_get_no_edit_link_and_no_form_to_change_anything(alice_client, bell):
    content = alice_client.get(_detail(bell)).content.decode()
    assert "Edit in admin" not in content
    assert "/admin/" not in content
    assert alice_client.post(_detail(bell)).status_code == 405
    assert Carrier.objects.get(pk=bell.pk).name == "Columbia Bell"


def test_manager_sees_the_directory(maria_client, bell):
    assert maria_client.get(_detail(bell)).status_code == 200


def test_account_without_a_desk_role_is_refused(client, bob, bell):
    client.force_login(bob)
    assert client.get(LIST).status_code == 403
    assert client.get(_detail(bell)).status_code == 403


def test_unknown_carrier_is_404(alice_client):
    assert alice_client.get(reverse("carriers:detail", args=[999])).status_code == 404


def test_our_own_carrier_is_marked(alice_client):
    ours = OurCarrierFactory()
    assert "one of our companies" in alice_client.get(_detail(ours)).content.decode()
