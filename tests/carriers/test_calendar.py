"""The business-day calendar: weekends, observed US federal holidays, extra closed days, the
R7 cut-off. Pure: no database."""

import pickle
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carriers.calendar import (
    DEFAULT_CALENDAR,
    BusinessCalendar,
    federal_holidays,
)

CAL = DEFAULT_CALENDAR
LA = ZoneInfo("America/Los_Angeles")
NY = ZoneInfo("America/New_York")


def at(y, m, d, hh=0, mm=0, ss=0, tz=LA):
    return datetime(y, m, d, hh, mm, ss, tzinfo=tz)


# --- federal holidays --------------------------------------------------------------------


def test_thanksgiving_2026_is_closed_and_the_day_after_is_a_business_day():
    assert not CAL.is_business_day(date(2026, 11, 26))
    assert CAL.is_business_day(date(2026, 11, 27))


def test_christmas_2027_on_saturday_closes_friday_december_24():
    assert date(2027, 12, 25).weekday() == 5
    assert not CAL.is_business_day(date(2027, 12, 24))
    assert federal_holidays(2027)[date(2027, 12, 24)] == "Christmas Day (observed)"
    assert CAL.is_business_day(date(2027, 12, 27))


def test_independence_day_2026_on_saturday_closes_friday_july_3():
    assert not CAL.is_business_day(date(2026, 7, 3))
    assert CAL.next_business_day(date(2026, 7, 2)) == date(2026, 7, 6)


def test_new_years_day_2028_on_saturday_closes_friday_december_31_2027():
    # OPM: a holiday on a Saturday is observed the Friday before, even across the year end.
    assert date(2028, 1, 1).weekday() == 5
    assert not CAL.is_business_day(date(2027, 12, 31))
    assert federal_holidays(2027)[date(2027, 12, 31)] == "New Year's Day (observed)"
    assert date(2027, 12, 31) not in federal_holidays(2028)
    assert CAL.add_business_days(date(2027, 12, 30), 1) == date(2028, 1, 3)


def test_holiday_on_sunday_is_observed_the_monday_after():
    # Christmas 2022 was a Sunday.
    assert not CAL.is_business_day(date(2022, 12, 26))


def test_juneteenth_is_a_federal_holiday_from_2021_only():
    assert not CAL.is_business_day(date(2026, 6, 19))
    assert not CAL.is_business_day(date(2021, 6, 18))  # observed: the 19th was a Saturday
    assert CAL.is_business_day(date(2020, 6, 19))


def test_only_federal_holidays_close_the_desk():
    # Not state holidays (Cesar Chavez Day in California), not unofficial days (Christmas Eve
    # on a weekday), not one-off executive-order closures (Christmas Eve 2024).
    assert CAL.is_business_day(date(2026, 3, 31))
    assert CAL.is_business_day(date(2026, 12, 24))
    assert CAL.is_business_day(date(2024, 12, 24))
    assert set(federal_holidays(2026).values()) == {
        "New Year's Day",
        "Martin Luther King Jr. Day",
        "Washington's Birthday",
        "Memorial Day",
        "Juneteenth National Independence Day",
        "Independence Day",
        "Independence Day (observed)",
        "Labor Day",
        "Columbus Day",
        "Veterans Day",
        "Thanksgiving Day",
        "Christmas Day",
    }


def test_federal_holidays_returns_a_copy_the_caller_may_change():
    mine = federal_holidays(2026)
    mine.clear()
    assert date(2026, 11, 26) in federal_holidays(2026)
    assert not CAL.is_business_day(date(2026, 11, 26))


def test_years_the_holidays_package_does_not_cover_are_refused_not_treated_as_open():
    with pytest.raises(ValueError, match="2101"):
        federal_holidays(2101)
    with pytest.raises(ValueError):
        CAL.is_business_day(date(2150, 3, 4))  # a Wednesday


# --- weekends and arithmetic ---------------------------------------------------------------


def test_weekend_days_are_closed():
    assert not CAL.is_business_day(date(2026, 3, 7))
    assert not CAL.is_business_day(date(2026, 3, 8))
    assert CAL.is_business_day(date(2026, 3, 9))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 9), 0, date(2026, 3, 9)),  # Mon + 0 = Mon
        (date(2026, 3, 7), 0, date(2026, 3, 9)),  # Sat + 0 = Mon
        (date(2026, 3, 9), 1, date(2026, 3, 10)),  # Mon + 1 = Tue
        (date(2026, 3, 13), 1, date(2026, 3, 16)),  # Fri + 1 = Mon
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # Sat + 1 = Mon
        (date(2026, 3, 7), 2, date(2026, 3, 10)),  # Sat + 2 = Tue
        (date(2026, 3, 9), 5, date(2026, 3, 16)),  # a week
        (date(2026, 11, 25), 1, date(2026, 11, 27)),  # Thanksgiving skipped
    ],
)
def test_add_business_days(start, n, expected):
    assert CAL.add_business_days(start, n) == expected


def test_friday_before_the_spring_daylight_saving_change_plus_one_is_monday():
    assert CAL.add_business_days(date(2026, 3, 6), 1) == date(2026, 3, 9)


def test_friday_before_the_autumn_daylight_saving_change_plus_one_is_monday():
    assert CAL.add_business_days(date(2026, 10, 30), 1) == date(2026, 11, 2)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 10), 0, date(2026, 3, 10)),  # Tue - 0 = Tue
        (date(2026, 3, 8), 0, date(2026, 3, 6)),  # Sun - 0 = Fri
        (date(2026, 3, 10), 1, date(2026, 3, 9)),  # Tue - 1 = Mon
        (date(2026, 3, 9), 1, date(2026, 3, 6)),  # Mon - 1 = Fri
        (date(2026, 3, 8), 1, date(2026, 3, 6)),  # Sun - 1 = Fri
        (date(2026, 9, 8), 1, date(2026, 9, 4)),  # Tue after Labor Day - 1 = Fri
    ],
)
def test_subtract_business_days(start, n, expected):
    assert CAL.subtract_business_days(start, n) == expected


def test_previous_business_day_skips_a_holiday_monday_and_the_weekend():
    # F5: the business day before a requested completion date of Tuesday 8 Sep 2026.
    assert CAL.previous_business_day(date(2026, 9, 8)) == date(2026, 9, 4)


def test_next_business_day_is_strictly_after_even_from_a_business_day():
    assert CAL.next_business_day(date(2026, 3, 9)) == date(2026, 3, 10)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 3, 9), date(2026, 3, 9), 0),  # d -> d
        (date(2026, 3, 9), date(2026, 3, 10), 1),  # Mon -> Tue
        (date(2026, 3, 13), date(2026, 3, 16), 1),  # Fri -> Mon
        (date(2026, 3, 13), date(2026, 3, 14), 0),  # Fri -> Sat
        (date(2026, 3, 14), date(2026, 3, 16), 1),  # Sat -> Mon
        (date(2026, 3, 16), date(2026, 3, 13), -1),  # backwards
        (date(2026, 1, 1), date(2027, 1, 1), 250),  # 261 weekdays - 11 weekday holidays
    ],
)
def test_business_days_between_counts_the_half_open_range(start, end, expected):
    assert CAL.business_days_between(start, end) == expected


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        CAL.add_business_days(date(2026, 3, 9), -1)
    with pytest.raises(ValueError):
        CAL.subtract_business_days(date(2026, 3, 9), -1)


def test_datetimes_are_refused_where_a_date_is_expected():
    # A datetime never equals a date, so it would silently miss every holiday.
    with pytest.raises(TypeError):
        CAL.is_business_day(datetime(2026, 11, 26, 12, 0))
    with pytest.raises(TypeError):
        BusinessCalendar(extra_closed_days=[datetime(2026, 11, 27)])


# --- extra closed days ---------------------------------------------------------------------


def test_extra_closed_days_are_honoured():
    cal = BusinessCalendar(extra_closed_days=frozenset({date(2026, 11, 27)}))
    assert not cal.is_business_day(date(2026, 11, 27))
    assert cal.add_business_days(date(2026, 11, 25), 1) == date(2026, 11, 30)
    assert cal.business_days_between(date(2026, 11, 25), date(2026, 11, 30)) == 1
    assert CAL.is_business_day(date(2026, 11, 27))  # the default calendar is untouched


def test_extra_closed_days_on_weekends_or_holidays_are_not_counted_twice():
    cal = BusinessCalendar(extra_closed_days=[date(2026, 11, 26), date(2026, 11, 28)])
    assert cal.business_days_between(date(2026, 11, 25), date(2026, 11, 30)) == 2


def test_calendar_is_immutable_hashable_and_picklable():
    cal = BusinessCalendar(extra_closed_days=[date(2026, 12, 24)])
    assert cal == BusinessCalendar(extra_closed_days={date(2026, 12, 24)})
    assert hash(cal) == hash(BusinessCalendar(extra_closed_days=(date(2026, 12, 24),)))
    assert cal != DEFAULT_CALENDAR
    assert pickle.loads(pickle.dumps(cal)) == cal
    with pytest.raises(AttributeError):
        cal.extra_closed_days = frozenset()  # type: ignore[misc]


# --- R7: effective receipt date ------------------------------------------------------------


def test_friday_at_cutoff_counts_as_next_monday():
    assert CAL.effective_receipt_date(at(2026, 3, 13, 15), tz=LA) == date(2026, 3, 16)


def test_friday_at_cutoff_before_labor_day_counts_as_tuesday():
    assert CAL.effective_receipt_date(at(2026, 9, 4, 15), tz=LA) == date(2026, 9, 8)


def test_one_second_before_cutoff_is_the_same_day_and_cutoff_is_the_next():
    assert CAL.effective_receipt_date(at(2026, 3, 10, 14, 59, 59), tz=LA) == date(2026, 3, 10)
    assert CAL.effective_receipt_date(at(2026, 3, 10, 15, 0, 0), tz=LA) == date(2026, 3, 11)


def test_last_microsecond_before_cutoff_is_the_same_day():
    received = at(2026, 3, 10, 14, 59, 59).replace(microsecond=999_999)
    assert CAL.effective_receipt_date(received, tz=LA) == date(2026, 3, 10)


def test_receipt_in_utc_is_converted_to_the_carrier_zone_first():
    # 22:30 UTC on 10 Jun 2026 is 15:30 PDT: after the cut-off.
    received = datetime(2026, 6, 10, 22, 30, tzinfo=UTC)
    assert CAL.effective_receipt_date(received, tz="America/Los_Angeles") == date(2026, 6, 11)
    # The same instant is 18:30 in New York, also late; 21:30 UTC is 14:30 PDT, on time.
    assert CAL.effective_receipt_date(received, tz=NY) == date(2026, 6, 11)
    early = datetime(2026, 6, 10, 21, 30, tzinfo=UTC)
    assert CAL.effective_receipt_date(early, tz=LA) == date(2026, 6, 10)


def test_receipt_late_in_utc_can_still_be_the_previous_local_day():
    # 02:00 UTC Tuesday is 19:00 PDT Monday: Monday after the cut-off -> Tuesday.
    received = datetime(2026, 6, 9, 2, 0, tzinfo=UTC)
    assert CAL.effective_receipt_date(received, tz=LA) == date(2026, 6, 9)
    # 16:00 UTC Tuesday is 09:00 PDT Tuesday: Tuesday.
    assert CAL.effective_receipt_date(received + timedelta(hours=14), tz=LA) == date(2026, 6, 9)


def test_receipt_on_a_weekend_or_holiday_counts_on_the_next_business_day():
    assert CAL.effective_receipt_date(at(2026, 3, 14, 9), tz=LA) == date(2026, 3, 16)
    assert CAL.effective_receipt_date(at(2026, 3, 14, 18), tz=LA) == date(2026, 3, 16)
    assert CAL.effective_receipt_date(at(2026, 11, 26, 9), tz=LA) == date(2026, 11, 27)


def test_receipt_on_an_extra_closed_day_counts_on_the_next_business_day():
    cal = BusinessCalendar(extra_closed_days={date(2026, 3, 10)})
    assert cal.effective_receipt_date(at(2026, 3, 10, 9), tz=LA) == date(2026, 3, 11)


def test_cutoff_is_configurable():
    received = at(2026, 3, 10, 16, 30)
    assert CAL.effective_receipt_date(received, tz=LA, cutoff=time(17, 0)) == date(2026, 3, 10)
    assert CAL.effective_receipt_date(received, tz=LA, cutoff=time(16, 30)) == date(2026, 3, 11)


def test_cutoff_on_the_daylight_saving_sunday_does_not_shift_by_an_hour():
    # Monday 9 Mar 2026 is the first PDT weekday; 14:59 local is 21:59 UTC, not 22:59.
    received = datetime(2026, 3, 9, 21, 59, tzinfo=UTC)
    assert CAL.effective_receipt_date(received, tz=LA) == date(2026, 3, 9)
    assert CAL.effective_receipt_date(received + timedelta(minutes=1), tz=LA) == date(2026, 3, 10)


def test_receipt_with_a_fixed_offset_is_accepted():
    received = datetime(2026, 3, 10, 14, 0, tzinfo=timezone(timedelta(hours=-5)))
    # 14:00 at UTC-5 on 10 Mar 2026 (already PDT) is 12:00 in Los Angeles: before the cut-off.
    assert CAL.effective_receipt_date(received, tz=LA) == date(2026, 3, 10)


def test_naive_datetime_raises_value_error():
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.effective_receipt_date(datetime(2026, 3, 10, 12, 0), tz=LA)


def test_missing_time_zone_is_refused():
    with pytest.raises(TypeError):
        CAL.effective_receipt_date(at(2026, 3, 10, 12), tz=None)  # type: ignore[arg-type]


# --- properties ----------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
COUNTS = st.integers(min_value=0, max_value=120)
PROPERTY = settings(max_examples=200, deadline=None)


@st.composite
def scenarios(draw, *, business_day: bool = False):
    """(calendar, day): often the default calendar, otherwise one with extra closed days
    close after or before the day, so they meet weekends, holidays and each other."""
    d = draw(DAYS)
    offsets = draw(st.lists(st.integers(min_value=-60, max_value=180), max_size=15))
    cal = BusinessCalendar(extra_closed_days={d + timedelta(days=o) for o in offsets})
    if business_day and not cal.is_business_day(d):
        d = cal.next_business_day(d)
    return cal, d


def naive_count(cal, start, end):
    days = (start + timedelta(days=k) for k in range(1, (end - start).days + 1))
    return sum(1 for day in days if cal.is_business_day(day))


@PROPERTY
@given(scenario=scenarios(), n=st.integers(min_value=1, max_value=120))
def test_adding_one_or_more_business_days_lands_on_a_later_business_day(scenario, n):
    cal, d = scenario
    result = cal.add_business_days(d, n)
    assert cal.is_business_day(result)
    assert result > d


@PROPERTY
@given(scenario=scenarios(business_day=True), n=COUNTS)
def test_adding_from_a_business_day_lands_on_a_business_day_and_counts_back(scenario, n):
    cal, d = scenario
    result = cal.add_business_days(d, n)
    assert cal.is_business_day(result)
    assert cal.business_days_between(d, result) == n
    assert cal.business_days_between(result, d) == -n


@PROPERTY
@given(scenario=scenarios(business_day=True), n=COUNTS)
def test_subtracting_is_the_mirror_of_adding(scenario, n):
    cal, d = scenario
    earlier = cal.subtract_business_days(d, n)
    assert cal.is_business_day(earlier)
    assert cal.business_days_between(earlier, d) == n
    assert cal.add_business_days(earlier, n) == d


@PROPERTY
@given(scenario=scenarios(), n=st.integers(min_value=1, max_value=120))
def test_between_inverts_add_from_any_day_when_n_is_positive(scenario, n):
    cal, d = scenario
    assert cal.business_days_between(d, cal.add_business_days(d, n)) == n


@PROPERTY
@given(scenario=scenarios(), n=COUNTS)
def test_add_business_days_is_monotonic_in_n(scenario, n):
    cal, d = scenario
    assert cal.add_business_days(d, n) <= cal.add_business_days(d, n + 1)
    if n >= 1 or cal.is_business_day(d):
        assert cal.add_business_days(d, n) < cal.add_business_days(d, n + 1)
    else:
        # From a closed day, +0 and +1 both mean the next business day (Sat + 0 = Sat + 1).
        assert cal.add_business_days(d, 0) == cal.add_business_days(d, 1)


@PROPERTY
@given(scenario=scenarios(), span=st.integers(min_value=-400, max_value=400))
def test_business_days_between_matches_counting_day_by_day(scenario, span):
    cal, start = scenario
    end = start + timedelta(days=span)
    expected = naive_count(cal, start, end) if span >= 0 else -naive_count(cal, end, start)
    assert cal.business_days_between(start, end) == expected


@PROPERTY
@given(
    scenario=scenarios(business_day=True),
    cutoff=st.times(min_value=time(1, 0), max_value=time(23, 0)).map(
        lambda t: t.replace(microsecond=0)
    ),
    zone=st.sampled_from(["America/Los_Angeles", "America/Denver", "America/New_York"]),
)
def test_cutoff_is_exact_to_the_second_on_any_business_day(scenario, cutoff, zone):
    cal, d = scenario
    at_cutoff = datetime.combine(d, cutoff, tzinfo=ZoneInfo(zone))
    just_before = at_cutoff - timedelta(seconds=1)

    def effective(received):
        return cal.effective_receipt_date(received, tz=zone, cutoff=cutoff)

    # Given in UTC, as a mail gateway would stamp it.
    assert effective(just_before.astimezone(UTC)) == d
    assert effective(at_cutoff.astimezone(UTC)) == cal.next_business_day(d)
