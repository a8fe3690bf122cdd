"""The pure pieces: nearest-rank percentiles over hour histograms, local day bounds across
DST, and the trend-line geometry."""

import datetime
import math
import random

import pytest

from reports.charts import trend_lines
from reports.days import day_bounds
from reports.stats import percentile, rate, whole_hours


@pytest.mark.pure
def test_percentiles_of_a_histogram_are_the_nearest_rank_of_the_values_it_counts():
    rng = random.Random(7)
    for _ in range(200):
        values = [rng.randrange(0, 300) for _ in range(rng.randrange(1, 60))]
        hist = {}
        for v in values:
            hist[v] = hist.get(v, 0) + 1
        ordered = sorted(values)
        for p in (50, 90, 100, 1):
            assert percentile(hist, p) == ordered[math.ceil(p * len(values) / 100) - 1]


@pytest.mark.pure
def test_no_values_have_no_percentile_and_no_rate():
    assert percentile({}, 50) is None
    assert rate(3, 0) is None
    assert rate(1, 3) == 33.3


@pytest.mark.pure
def test_durations_are_whole_hours_rounded_down_and_never_negative():
    assert whole_hours(3599) == 0
    assert whole_hours(3600) == 1
    assert whole_hours(-5) == 0


def test_a_local_day_lasts_25_hours_when_dst_ends_and_23_when_it_starts(settings):
    settings.TIME_ZONE = "America/Los_Angeles"

    def hours(day):
        start, end = day_bounds(day)
        utc = datetime.UTC
        return (end.astimezone(utc) - start.astimezone(utc)) / datetime.timedelta(hours=1)

    assert hours(datetime.date(2026, 11, 1)) == 25
    assert hours(datetime.date(2026, 3, 8)) == 23
    assert hours(datetime.date(2026, 11, 2)) == 24
    start, _ = day_bounds(datetime.date(2026, 11, 2))
    assert start.astimezone(datetime.UTC).hour == 8  # PST midnight


@pytest.mark.pure
def test_trend_lines_draw_one_polyline_per_series_and_skip_missing_points():
    chart = trend_lines(
        ["2026-09", "2026-10", "2026-11"],
        [("median", [10, None, 30]), ("p90", [40, 50, 60])],
        unit=" h",
    )
    svg = chart.svg("Cycle <times>")
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 5
    assert "Cycle &lt;times&gt;" in svg and "style=" not in svg
    assert "2026-10 p90: 50 h" in svg
    assert not chart.empty
    assert trend_lines(["a"], [("x", [None])]).empty
