"""Model validation of the reference data: SPID format and uniqueness, carrier routing,
interval tiers, closed days, masked account numbers and hashed PINs."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from carriers.models import SPID, Carrier, IntervalGuideline, NonBusinessDay
from tests.factories import (
    CarrierFactory,
    CustomerAccountFactory,
    IntervalGuidelineFactory,
    SPIDFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["7231", "T098", "0A1Z", "ZZZZ"])
def test_spid_of_four_digits_or_capital_letters_is_valid(code):
    SPID(code=code, carrier=CarrierFactory()).full_clean()


@pytest.mark.parametrize("code", ["723", "72311", "t098", "72-1", "72 1", "ÄB12"])
def test_spid_in_another_format_is_refused_naming_the_npac_format(code):
    spid = SPID(code=code, carrier=CarrierFactory())
    with pytest.raises(ValidationError) as excinfo:
        spid.full_clean()
    assert any("NPAC SPID format" in m for m in excinfo.value.message_dict["code"])


def test_spid_is_required():
    with pytest.raises(ValidationError) as excinfo:
        SPID(code="", carrier=CarrierFactory()).full_clean()
    assert "code" in excinfo.value.message_dict


def test_database_refuses_a_lower_case_spid_written_around_validation():
    carrier = CarrierFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SPID.objects.create(code="t098", carrier=carrier)


def test_spid_is_unique_across_carriers():
    SPIDFactory(code="7231", carrier=CarrierFactory(name="Cascade"))
    duplicate = SPID(code="7231", carrier=CarrierFactory(name="Columbia Bell"))
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "already exists" in excinfo.value.message_dict["code"][0]


def test_a_carrier_may_own_several_spids():
    carrier = CarrierFactory()
    SPIDFactory(code="7231", carrier=carrier)
    SPIDFactory(code="7232", carrier=carrier)
    assert sorted(carrier.spids.values_list("code", flat=True)) == ["7231", "7232"]


def test_carrier_clock_defaults_are_the_seed_values():
    carrier = CarrierFactory()
    assert carrier.lsr_cutoff.strftime("%H:%M") == "15:00"
    assert carrier.csr_answer_hours == 24
    assert carrier.max_due_date_days == 30
    assert carrier.port_window_business_days == 4
    assert carrier.sup_threshold == 3


def test_carrier_reached_through_a_local_peer_must_name_it():
    carrier = Carrier(name="Klamath Valley", kind=Carrier.Kind.ILEC, port_in_route="local_peer")
    with pytest.raises(ValidationError) as excinfo:
        carrier.full_clean()
    assert "must name it" in str(excinfo.value)


def test_interval_tier_upper_bound_may_not_be_below_the_lower():
    row = IntervalGuideline(kind="other", min_tns=50, max_tns=10, business_days=4)
    with pytest.raises(ValidationError) as excinfo:
        row.full_clean()
    assert "'to TNs' must not be below 'from TNs'" in str(excinfo.value)


def test_only_one_override_tier_per_carrier_kind_and_start():
    carrier = CarrierFactory()
    IntervalGuidelineFactory(carrier=carrier, kind="other", min_tns=1, business_days=3)
    duplicate = IntervalGuideline(carrier=carrier, kind="other", min_tns=1, business_days=2)
    with pytest.raises(ValidationError):
        duplicate.full_clean()


def test_default_intervals_are_installed_by_the_migration():
    defaults = {
        (row.kind, row.min_tns, row.max_tns): row.business_days
        for row in IntervalGuideline.objects.filter(carrier=None)
    }
    assert defaults == {
        ("simple", 1, None): 1,
        ("port_only", 1, 49): 4,
        ("port_only", 50, None): 10,
        ("other", 1, 49): 4,
        ("other", 50, None): 10,
    }


def test_a_day_is_closed_company_wide_only_once():
    import datetime

    NonBusinessDay.objects.create(date=datetime.date(2026, 12, 24), description="Closed")
    duplicate = NonBusinessDay(date=datetime.date(2026, 12, 24), description="Again")
    with pytest.raises(ValidationError):
        duplicate.full_clean()


def test_account_number_is_masked_but_for_the_last_four():
    account = CustomerAccountFactory(account_number="ACCT-99887766")
    assert account.masked_account_number == "•••••••••7766"
    assert "99887766" not in str(account)


def test_pin_is_stored_only_as_a_salted_hash_and_can_be_checked():
    first = CustomerAccountFactory(pin="4821")
    second = CustomerAccountFactory(pin="4821")
    assert "4821" not in first.pin_hash
    assert first.pin_hash != second.pin_hash  # salted
    assert first.check_pin("4821")
    assert not first.check_pin("1234")
    assert not CustomerAccountFactory().check_pin("")
