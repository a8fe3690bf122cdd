"""The FOC arithmetic (R7, R8, R10): pure tables on the calendar (marked `pure`), then the
interval tiers and trading-partner overrides read from the database."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carriers.calendar import BusinessCalendar
from orders.rules import assess_lsr, compute_foc, compute_sup_foc, expedite_outcome
from orders.services.portout import lsr_facts
from tests.factories import IntervalGuidelineFactory, NonBusinessDayFactory

from .conftest import LA, at, make_lsr

D = datetime.date
CAL = BusinessCalendar()
CUTOFF = datetime.time(15, 0)


def foc(received_at, *, days=4, kind="port_only", requested=None, expedite=False, **kw):
    return compute_foc(
        received_at=received_at,
        calendar=CAL,
        tz=LA,
        cutoff=CUTOFF,
        interval_days=days,
        kind=kind,
        requested_date=requested,
        expedite=expedite,
        reqtype="C",
        **kw,
    )


@pytest.mark.pure
@pytest.mark.parametrize(
    ("received", "days", "requested", "effective", "expected"),
    [
        # 14:59 on a Monday counts Monday; port only 4 business days -> Friday.
        (at(2026, 11, 16, 14, 59), 4, None, D(2026, 11, 16), D(2026, 11, 20)),
        # 15:00 is at the cut-off: counts Tuesday -> Monday after.
        (at(2026, 11, 16, 15, 0), 4, None, D(2026, 11, 17), D(2026, 11, 23)),
        # Friday after the cut-off counts Monday; Tue, Wed, (Thanksgiving) Fri, Mon.
        (at(2026, 11, 20, 15, 20), 4, None, D(2026, 11, 23), D(2026, 11, 30)),
        # The day before Thanksgiving after the cut-off: Thursday is closed -> Friday 11/27,
        # then Mon, Tue, Wed, Thu -> Thu 12/3.
        (at(2026, 11, 25, 15, 30), 4, None, D(2026, 11, 27), D(2026, 12, 3)),
        # The day before Thanksgiving before the cut-off: Wed, + Fri, Mon, Tue, Wed.
        (at(2026, 11, 25, 10, 0), 4, None, D(2026, 11, 25), D(2026, 12, 2)),
        # A requested date inside the interval goes to the interval.
        (at(2026, 11, 16, 10), 4, D(2026, 11, 18), D(2026, 11, 16), D(2026, 11, 20)),
        # A requested date outside the interval is kept.
        (at(2026, 11, 16, 10), 4, D(2026, 11, 24), D(2026, 11, 16), D(2026, 11, 24)),
        # A requested Saturday moves to the next business day.
        (at(2026, 11, 16, 10), 4, D(2026, 11, 28), D(2026, 11, 16), D(2026, 11, 30)),
    ],
)
def test_foc_table(received, days, requested, effective, expected):
    decision = foc(received, days=days, requested=requested)
    assert decision.effective_receipt == effective
    assert decision.date == expected
    assert not decision.needs_expedite_review


@pytest.mark.pure
def test_foc_explanation_is_one_line_of_arithmetic():
    decision = foc(at(2026, 11, 20, 15, 20), days=1, kind="simple", requested=D(2026, 11, 23))
    assert decision.explanation == (
        "received Fri 11/20 15:20 -> Mon 11/23; simple port 1 business day -> Tue 11/24; "
        "requested Mon 11/23 -> FOC Tue 11/24"
    )


@pytest.mark.pure
def test_expedite_inside_the_interval_needs_a_manager():
    decision = foc(at(2026, 11, 16, 10), requested=D(2026, 11, 17), expedite=True)
    assert decision.needs_expedite_review
    assert decision.date == D(2026, 11, 20)  # what a refusal gives
    assert decision.expedite_date == D(2026, 11, 17)


@pytest.mark.pure
def test_expedite_accepted_gives_the_requested_date():
    decision = foc(at(2026, 11, 16, 10), requested=D(2026, 11, 17), expedite=True)
    day, explanation = expedite_outcome(decision, accepted=True)
    assert day == D(2026, 11, 17)
    assert explanation.endswith("expedite accepted -> FOC Tue 11/17")


@pytest.mark.pure
def test_expedite_refused_gives_the_interval():
    decision = foc(at(2026, 11, 16, 10), requested=D(2026, 11, 17), expedite=True)
    day, explanation = expedite_outcome(decision, accepted=False)
    assert day == D(2026, 11, 20)
    assert explanation.endswith("expedite refused -> FOC Fri 11/20")


@pytest.mark.pure
def test_expedite_outside_the_interval_needs_nobody():
    decision = foc(at(2026, 11, 16, 10), requested=D(2026, 11, 24), expedite=True)
    assert not decision.needs_expedite_review and decision.date == D(2026, 11, 24)


# --- R10: supplements ----------------------------------------------------------------------------


def sup(received_at, requested, established, days=4):
    return compute_sup_foc(
        sup_received_at=received_at,
        calendar=CAL,
        tz=LA,
        cutoff=CUTOFF,
        interval_days=days,
        kind="port_only",
        requested_date=requested,
        established_foc=established,
        reqtype="C",
    )


@pytest.mark.pure
def test_sup2_three_business_days_before_the_due_date_keeps_the_requested_date():
    # Established FOC Thu 11/19; SUP Mon 11/16 (3 business days before); interval -> Fri 11/20.
    decision = sup(at(2026, 11, 16, 10), D(2026, 11, 23), D(2026, 11, 19))
    assert decision.date == D(2026, 11, 23)
    assert "requested Mon 11/23 kept" in decision.explanation


@pytest.mark.pure
def test_sup2_in_time_keeps_its_date_even_inside_the_interval():
    # R10 (seed 000): a SUP 48 h ahead keeps the date it asks for; the interval is only for a
    # late SUP. Mon 11/16 asking Wed 11/18 (interval Fri 11/20) keeps Wed 11/18.
    decision = sup(at(2026, 11, 16, 10), D(2026, 11, 18), D(2026, 11, 19))
    assert decision.date == D(2026, 11, 18)
    assert "at least 2 business days before FOC Thu 11/19" in decision.explanation
    assert "requested Wed 11/18 kept" in decision.explanation


@pytest.mark.pure
def test_the_48_hour_test_changes_the_outcome_not_only_the_wording():
    # The same SUP asking Fri 11/20 (inside the 4-day interval) against an FOC of Mon 11/23:
    # received Tue 11/17 it is in time and keeps Fri 11/20; received Fri 11/20 it is late and
    # gets the interval from the SUP: Fri + 4 = Fri 11/27 (Thanksgiving Thu 11/26 is closed).
    in_time = sup(at(2026, 11, 17, 10), D(2026, 11, 20), D(2026, 11, 23))
    late = sup(at(2026, 11, 20, 10), D(2026, 11, 20), D(2026, 11, 23))
    assert in_time.date == D(2026, 11, 20)
    assert late.date == D(2026, 11, 27)
    assert "interval counted from the SUP" in late.explanation
    assert "interval counted from the SUP" not in in_time.explanation


@pytest.mark.pure
@pytest.mark.parametrize(
    ("requested", "why"),
    [
        (D(2026, 11, 21), "is not a business day"),  # a Saturday
        (D(2026, 11, 13), "is in the past"),
        (D(2026, 12, 17), "more than 30 days out (R9)"),
    ],
)
def test_sup2_in_time_whose_date_cannot_be_met_gets_a_new_foc_from_the_interval(requested, why):
    decision = compute_sup_foc(
        sup_received_at=at(2026, 11, 16, 10),
        calendar=CAL,
        tz=LA,
        cutoff=CUTOFF,
        interval_days=4,
        kind="port_only",
        requested_date=requested,
        established_foc=D(2026, 11, 19),
        max_days=30,
        reqtype="C",
    )
    assert decision.date != requested
    assert decision.date >= D(2026, 11, 20)  # never inside the interval counted from the SUP
    assert CAL.is_business_day(decision.date)
    assert why in decision.explanation
    assert "interval counted from the SUP" in decision.explanation


@pytest.mark.pure
def test_sup2_one_business_day_before_the_due_date_counts_the_interval_from_the_sup():
    # SUP Wed 11/18, FOC Thu 11/19: too late; Wed + 4 business days = Tue 11/24.
    decision = sup(at(2026, 11, 18, 10), D(2026, 11, 20), D(2026, 11, 19))
    assert decision.date == D(2026, 11, 24)
    assert "less than 2 business days before FOC Thu 11/19" in decision.explanation


@pytest.mark.pure
def test_sup2_after_the_cutoff_counts_from_the_next_business_day():
    # Mon 11/16 at 16:00 counts Tue 11/17: Tue + 2 = Thu 11/19, still in time.
    decision = sup(at(2026, 11, 16, 16), D(2026, 11, 30), D(2026, 11, 19))
    assert decision.effective_receipt == D(2026, 11, 17)
    assert decision.date == D(2026, 11, 30)


# --- tiers and trading-partner overrides (database) ----------------------------------------------


def proposed(lsr, requester):
    return assess_lsr(lsr, lsr_facts(lsr, requesting_carrier=requester))


def test_project_port_tier_uses_its_interval(make_account, requester):
    _, tns = make_account(60)
    evaluation = proposed(make_lsr(tns, mi=""), requester)
    # 60 TNs, port only: the 50+ tier, 10 business days from Mon 11/16 (Thanksgiving closed).
    assert evaluation.foc.interval_date == D(2026, 12, 1)
    assert evaluation.foc.date == D(2026, 12, 1)
    assert "port only (C), 60 TNs, 10 business days -> Tue 12/1" in evaluation.foc.explanation


def test_trading_partner_override_wins_over_the_default(make_account, requester):
    IntervalGuidelineFactory(carrier=requester, kind="port_only", min_tns=1, business_days=2)
    _, tns = make_account(2)
    evaluation = proposed(make_lsr(tns, requested_due_date=D(2026, 11, 17)), requester)
    assert evaluation.foc.date == D(2026, 11, 18)


def test_simple_port_uses_the_simple_interval(make_account, requester):
    _, tns = make_account(1)
    evaluation = proposed(make_lsr(tns, requested_due_date=D(2026, 11, 16)), requester)
    assert evaluation.kind == "simple"
    assert evaluation.foc.date == D(2026, 11, 17)


def test_company_closed_day_moves_the_foc(make_account, requester):
    NonBusinessDayFactory(date=D(2026, 11, 19), description="Inventory day")
    _, tns = make_account(2)
    evaluation = proposed(make_lsr(tns, requested_due_date=D(2026, 11, 17)), requester)
    assert evaluation.foc.date == D(2026, 11, 23)


# --- properties -------------------------------------------------------------------------------


@pytest.mark.pure
@settings(max_examples=60, deadline=None)
@given(
    received=st.datetimes(
        min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2027, 12, 1)
    ),
    days=st.integers(min_value=0, max_value=12),
    offset=st.one_of(st.none(), st.integers(min_value=-5, max_value=40)),
    expedite=st.booleans(),
)
def test_foc_is_a_business_day_never_inside_the_interval_unless_a_manager_decides(
    received, days, offset, expedite
):
    received_at = received.replace(tzinfo=LA)
    requested = None if offset is None else received.date() + datetime.timedelta(days=offset)
    decision = foc(received_at, days=days, requested=requested, expedite=expedite)
    assert CAL.is_business_day(decision.effective_receipt)
    assert decision.effective_receipt >= received_at.date()
    assert CAL.is_business_day(decision.date)
    assert decision.date >= decision.interval_date
    if requested is not None:
        assert decision.date >= requested
    inside = requested is not None and requested < decision.interval_date
    assert decision.needs_expedite_review == (inside and expedite)
    if decision.needs_expedite_review:
        assert CAL.is_business_day(decision.expedite_date)
        assert decision.expedite_date >= decision.effective_receipt
