"""The functions the porting rules read the reference data through (carriers.services)."""

import datetime

import pytest

from carriers.calendar import BusinessCalendar
from carriers.models import Carrier, IntervalGuideline, NonBusinessDay, TelephoneNumber
from carriers.services import (
    IntervalNotConfigured,
    PortabilityResult,
    calendar_for,
    effective_intervals,
    interval_business_days,
    our_carrier,
    portability_check,
)
from tests.factories import (
    CarrierFactory,
    CustomerAccountFactory,
    IntervalGuidelineFactory,
    OurCarrierFactory,
    SPIDFactory,
    TelephoneNumberFactory,
)

pytestmark = pytest.mark.django_db

# --- intervals (R8, R17) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "tn_count", "days"),
    [
        ("simple", 1, 1),
        ("port_only", 1, 4),
        ("port_only", 49, 4),
        ("port_only", 50, 10),
        ("other", 12, 4),
        ("other", 500, 10),
    ],
)
def test_interval_without_an_override_is_the_published_default(kind, tn_count, days):
    assert interval_business_days(kind=kind, tn_count=tn_count, carrier=CarrierFactory()) == days


def test_interval_without_a_carrier_is_the_default():
    assert interval_business_days(kind="other", tn_count=3, carrier=None) == 4


def test_trading_partner_override_wins_over_the_default():
    partner = CarrierFactory(name="Columbia Bell")
    IntervalGuidelineFactory(carrier=partner, kind="other", min_tns=1, max_tns=49, business_days=3)
    assert interval_business_days(kind="other", tn_count=5, carrier=partner) == 3


def test_override_of_one_carrier_does_not_change_another_carriers_interval():
    IntervalGuidelineFactory(carrier=CarrierFactory(), kind="other", business_days=2)
    assert interval_business_days(kind="other", tn_count=5, carrier=CarrierFactory()) == 4


def test_count_outside_the_overrides_tiers_falls_back_to_the_default_tier():
    partner = CarrierFactory()
    IntervalGuidelineFactory(carrier=partner, kind="other", min_tns=1, max_tns=49, business_days=3)
    assert interval_business_days(kind="other", tn_count=60, carrier=partner) == 10


def test_override_of_another_kind_leaves_this_kind_at_the_default():
    partner = CarrierFactory()
    IntervalGuidelineFactory(carrier=partner, kind="port_only", min_tns=1, business_days=2)
    assert interval_business_days(kind="simple", tn_count=1, carrier=partner) == 1
    assert interval_business_days(kind="port_only", tn_count=80, carrier=partner) == 2


def test_interval_lookup_is_one_query(django_assert_num_queries):
    partner = CarrierFactory()
    IntervalGuidelineFactory(carrier=partner, kind="other", business_days=3)
    with django_assert_num_queries(1):
        interval_business_days(kind="other", tn_count=7, carrier=partner)


def test_missing_interval_tier_is_an_explicit_error():
    IntervalGuideline.objects.filter(carrier=None, kind="other", min_tns=50).delete()
    with pytest.raises(IntervalNotConfigured, match="All other REQTYPEs for 60 TNs"):
        interval_business_days(kind="other", tn_count=60, carrier=None)


def test_unknown_interval_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown interval kind"):
        interval_business_days(kind="bb", tn_count=1, carrier=None)


def test_effective_intervals_merge_overrides_into_the_defaults_and_mark_them():
    partner = CarrierFactory()
    IntervalGuidelineFactory(
        carrier=partner, kind="other", min_tns=1, max_tns=10, business_days=2, note="TPA 2026"
    )
    rows = [
        (r.kind, r.min_tns, r.max_tns, r.business_days, r.is_override)
        for r in effective_intervals(partner)
        if r.kind == "other"
    ]
    assert rows == [
        ("other", 1, 10, 2, True),
        ("other", 11, 49, 4, False),
        ("other", 50, None, 10, False),
    ]


def test_effective_intervals_agree_with_the_lookup_for_every_count():
    partner = CarrierFactory()
    IntervalGuidelineFactory(
        carrier=partner, kind="port_only", min_tns=20, max_tns=99, business_days=6
    )
    IntervalGuidelineFactory(carrier=partner, kind="simple", min_tns=1, business_days=2)
    table = effective_intervals(partner)
    for kind in IntervalGuideline.Kind.values:
        for count in (1, 2, 19, 20, 49, 50, 99, 100, 1000):
            row = next(
                r
                for r in table
                if r.kind == kind
                and r.min_tns <= count
                and (r.max_tns is None or count <= r.max_tns)
            )
            assert row.business_days == interval_business_days(
                kind=kind, tn_count=count, carrier=partner
            ), (kind, count)


# --- calendar -----------------------------------------------------------------------------


def test_calendar_for_closes_company_wide_days_and_the_carriers_own_days_only():
    carrier, other = CarrierFactory(), CarrierFactory()
    company_day = datetime.date(2026, 12, 24)
    own_day = datetime.date(2026, 12, 28)
    others_day = datetime.date(2026, 12, 29)
    NonBusinessDay.objects.create(date=company_day, description="Company closed")
    NonBusinessDay.objects.create(date=own_day, carrier=carrier, description="Carrier closed")
    NonBusinessDay.objects.create(date=others_day, carrier=other, description="Other closed")

    calendar = calendar_for(carrier)

    assert isinstance(calendar, BusinessCalendar)
    assert not calendar.is_business_day(company_day)
    assert not calendar.is_business_day(own_day)
    assert calendar.is_business_day(others_day)
    assert not calendar.is_business_day(datetime.date(2026, 12, 25))  # federal holiday
    assert calendar_for(None).is_business_day(own_day)
    assert not calendar_for(None).is_business_day(company_day)


def test_calendar_for_sees_a_day_added_after_an_earlier_call():
    carrier = CarrierFactory()
    day = datetime.date(2027, 3, 10)
    assert calendar_for(carrier).is_business_day(day)
    NonBusinessDay.objects.create(date=day, carrier=carrier, description="Storm closure")
    assert not calendar_for(carrier).is_business_day(day)


def test_calendar_for_is_one_query(django_assert_num_queries):
    carrier = CarrierFactory()
    with django_assert_num_queries(1):
        calendar_for(carrier)


# --- portability check (R2, R3, R15) --------------------------------------------------------


@pytest.fixture
def inventory():
    ours = OurCarrierFactory()
    bell = CarrierFactory(name="Columbia Bell", kind=Carrier.Kind.ILEC)
    our_spid = SPIDFactory(code="7231", carrier=ours)
    bell_spid = SPIDFactory(code="9102", carrier=bell)
    resporg = SPIDFactory(code="T098", carrier=CarrierFactory(kind=Carrier.Kind.RESPORG))
    account = CustomerAccountFactory()
    return {
        "ours": ours,
        "bell": bell,
        "working": TelephoneNumberFactory(tn="5032410100", spid=our_spid, account=account),
        "disconnected": TelephoneNumberFactory(
            tn="5032410101", spid=our_spid, account=account, status="disconnected"
        ),
        "bells": TelephoneNumberFactory(tn="5032220100", spid=bell_spid),
        "resold": TelephoneNumberFactory(tn="5032220101", spid=bell_spid, account=account),
        "toll_free": TelephoneNumberFactory(tn="8005550100", spid=resporg, is_toll_free=True),
        "account": account,
    }


def test_portability_check_tells_spid_carrier_and_status_of_our_working_number(inventory):
    result = portability_check(["5032410100"])["5032410100"]
    assert result == PortabilityResult(
        tn="5032410100",
        known=True,
        spid=inventory["working"].spid,
        carrier=inventory["ours"],
        is_toll_free=False,
        is_ours=True,
        is_working=True,
        number=inventory["working"],
        account=inventory["account"],
        is_resold=False,
    )


def test_portability_check_reports_a_disconnected_number_of_ours_as_not_working(inventory):
    result = portability_check(["5032410101"])["5032410101"]
    assert result.known and result.is_ours and not result.is_working


def test_portability_check_reports_another_carriers_number_as_not_ours(inventory):
    result = portability_check(["5032220100"])["5032220100"]
    assert result.known and not result.is_ours and not result.is_resold
    assert result.carrier == inventory["bell"]
    assert result.spid.code == "9102"


def test_our_account_on_another_carriers_spid_is_resold(inventory):
    result = portability_check(["5032220101"])["5032220101"]
    assert result.is_resold and not result.is_ours
    assert result.carrier == inventory["bell"]
    assert result.account == inventory["account"]


def test_toll_free_number_is_reported_toll_free(inventory):
    assert portability_check(["8005550100"])["8005550100"].is_toll_free


def test_unknown_numbers_are_reported_unknown_not_guessed(inventory):
    results = portability_check(["5039990000", "8889990000"])
    unknown = results["5039990000"]
    assert not unknown.known
    assert unknown.spid is None and unknown.carrier is None and unknown.number is None
    assert not unknown.is_ours and not unknown.is_working and not unknown.is_resold
    assert results["8889990000"].is_toll_free and not results["8889990000"].known


def test_portability_check_answers_every_tn_once_in_the_order_given(inventory):
    tns = ["5039990000", "5032410100", "5032220100", "5032410100"]
    assert list(portability_check(tns)) == ["5039990000", "5032410100", "5032220100"]


@pytest.mark.parametrize("count", [1, 40, 400])
def test_portability_check_is_three_queries_whatever_the_count(count, django_assert_num_queries):
    spid = SPIDFactory(code="7231", carrier=OurCarrierFactory())
    account = CustomerAccountFactory()
    TelephoneNumber.objects.bulk_create(
        TelephoneNumber(tn=f"503241{n:04d}", spid=spid, account=account) for n in range(count)
    )
    tns = [f"503241{n:04d}" for n in range(count)] + ["5039990000"]
    # The numbers, their SPIDs with carriers, their accounts.
    with django_assert_num_queries(3):
        results = portability_check(tns)
        # Everything a rule reads is loaded by those queries.
        for result in results.values():
            if result.known:
                assert result.carrier.is_ours and result.account.name


def test_portability_check_of_nothing_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert portability_check([]) == {}


# --- our carrier -------------------------------------------------------------------------------


def test_our_carrier_is_the_first_carrier_marked_ours():
    CarrierFactory(name="Columbia Bell")
    first = OurCarrierFactory()
    CarrierFactory(name="Cascade Telecom of Idaho", is_ours=True)
    assert our_carrier() == first


def test_missing_our_carrier_says_what_to_do():
    CarrierFactory()
    with pytest.raises(Carrier.DoesNotExist, match="one of our companies"):
        our_carrier()
