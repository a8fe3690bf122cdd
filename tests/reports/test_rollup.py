"""The rollup job and the backfill command: a day rolled twice is the same day, a change
written later with a past time re-rolls its day, the job catches up days that ended."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from orders.lifecycle import transition
from reports import measures as m
from reports.models import DailyCount, DailyDuration, RolledDay
from reports.report import build_report
from reports.rollup import reports_rollup, roll_day, roll_range
from reports.sweep import mark_changed_days
from tests.factories import PortOutOrderFactory, SupplementFactory

from .conftest import DST_DAY, WINDOW_FIRST, WINDOW_LAST, local
from .reference import Raw, out_row

pytestmark = pytest.mark.django_db


def _rows(day):
    counts = sorted(
        (measure, carrier or 0, person or 0, key, value)
        for measure, carrier, person, key, value in DailyCount.objects.filter(day=day).values_list(
            "measure", "carrier_id", "person_id", "key", "value"
        )
    )
    durations = sorted(
        (measure, carrier or 0, sorted(hours.items()))
        for measure, carrier, hours in DailyDuration.objects.filter(day=day).values_list(
            "measure", "carrier_id", "hours"
        )
    )
    return counts, durations


def test_rolling_a_day_again_leaves_exactly_the_same_rows(desk):
    roll_day(DST_DAY)
    first = _rows(DST_DAY)
    roll_day(DST_DAY)
    roll_day(DST_DAY)

    assert _rows(DST_DAY) == first
    assert first[0] and first[1]  # the DST day has figures to compare
    assert RolledDay.objects.filter(day=DST_DAY, dirty=False).count() == 1


def test_rolling_one_day_leaves_the_other_days_alone(desk):
    roll_range(WINDOW_FIRST, WINDOW_LAST)
    before = {day: _rows(day) for day in (WINDOW_FIRST, WINDOW_LAST)}
    DailyCount.objects.filter(day=DST_DAY).delete()

    roll_day(DST_DAY)

    assert {day: _rows(day) for day in (WINDOW_FIRST, WINDOW_LAST)} == before
    assert DailyCount.objects.filter(day=DST_DAY).exists()


def test_a_sup_and_an_lsr_entered_later_for_a_past_day_re_roll_that_day(desk, maria):
    october = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    roll_range(october[0], WINDOW_LAST)
    reports_rollup()  # the first run sets the sweep's marks
    day = WINDOW_FIRST + datetime.timedelta(days=2)
    requester = desk.carriers[0]
    lsrs_before = build_report(day, day, "week").table("out-periods").rows[-1]

    # An LSR received that day, keyed in now; decided that day; and a SUP on it.
    late = PortOutOrderFactory(
        new_carrier=requester, received_at=local(day, 10), effective_received_on=day
    )
    transition(late, "foc_sent", actor=maria, now=local(day, 11))
    SupplementFactory(order=late, sup_type=2, received_at=local(day, 12))

    assert mark_changed_days() == {day}
    assert RolledDay.objects.get(day=day).dirty
    result = reports_rollup()

    assert result["rolled"] >= 1
    assert not RolledDay.objects.filter(dirty=True).exists()
    after = build_report(day, day, "week").table("out-periods").rows[-1]
    assert after[4] == lsrs_before[4] + 1  # LSRs
    assert after[5] == lsrs_before[5] + 1  # decided that day
    assert after[11] == lsrs_before[11] + 1  # SUPs
    assert after[1:] == out_row(Raw(), day, day)
    # The month's sums (what a range of whole months reads) were rewritten with the day.
    month = build_report(*october, "month").table("out-periods").rows[-1]
    assert month[1:] == out_row(Raw(), *october)


def test_the_job_rolls_the_days_that_ended_and_leaves_today_live(desk):
    today = timezone.localdate()

    result = reports_rollup()

    rolled = set(RolledDay.objects.values_list("day", flat=True))
    assert {today - datetime.timedelta(days=n) for n in range(1, 8)} <= rolled
    assert today not in rolled
    assert result["rolled"] == 7
    assert reports_rollup()["rolled"] == 0  # nothing ended or changed since


def test_the_backfill_command_rolls_a_range_and_says_how_long_it_took(desk):
    out = io.StringIO()
    call_command(
        "reports_backfill", "--from", str(WINDOW_FIRST), "--to", str(WINDOW_LAST), stdout=out
    )

    assert RolledDay.objects.count() == (WINDOW_LAST - WINDOW_FIRST).days + 1
    assert "Rolled 10 day(s)" in out.getvalue()
    assert DailyCount.objects.filter(measure=m.IN_SENT).exists()


def test_the_backfill_command_refuses_a_range_backwards(db):
    with pytest.raises(CommandError, match="comes before"):
        call_command("reports_backfill", "--from", "2026-11-02", "--to", "2026-11-01")
    with pytest.raises(CommandError, match="is not a date"):
        call_command("reports_backfill", "--from", "yesterday")


def test_the_job_keeps_todays_figures_warm_and_the_page_reads_them(desk, alice, settings):
    from django.core.cache import cache

    from reports.rollup import live_figures
    from tests.factories import CommentFactory

    settings.REPORTS_TODAY_SECONDS = 60
    cache.clear()
    reports_rollup()
    today = timezone.localdate()
    kept = live_figures(today)
    before = kept.today.counts[(m.ACT_COMMENTS, None, alice.pk, "")]

    CommentFactory(order=desk.orders[0], author=alice, created_at=timezone.now())

    assert live_figures(today).today.counts == kept.today.counts  # at most a minute old
    reports_rollup()
    assert live_figures(today).today.counts[(m.ACT_COMMENTS, None, alice.pk, "")] == before + 1
    assert live_figures(today).holdings == live_figures(today, fresh=True).holdings
    cache.clear()


def test_a_day_rolled_before_it_ended_is_rolled_again_once_it_has(desk):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    reports_rollup()
    # As if the backfill had been run for that day while it was still going on.
    RolledDay.objects.filter(day=yesterday).update(rolled_at=local(yesterday, 12))
    DailyCount.objects.filter(day=yesterday).delete()

    assert reports_rollup()["rolled"] == 1
    assert RolledDay.objects.get(day=yesterday).rolled_at > local(today, 0)
