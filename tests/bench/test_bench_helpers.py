"""bench/run.py's pure helpers: the statistics quoted in BENCHMARKS.md."""

import pytest

from bench.run import (
    MARK_END,
    MARK_START,
    median,
    p95,
    percentile,
    ratio,
    replace_section,
    summarize,
    verdict,
)


def test_median_of_odd_and_even_counts():
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert median([7]) == 7


def test_percentile_interpolates_between_closest_ranks():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([1, 2, 3, 4], 0) == 1
    assert percentile([1, 2, 3, 4], 100) == 4
    assert percentile([10, 20], 25) == 12.5


def test_p95_of_twenty_samples_sits_between_the_two_slowest():
    values = list(range(1, 21))  # 1..20 ms
    assert p95(values) == pytest.approx(19.05)
    assert p95(list(reversed(values))) == pytest.approx(19.05)


def test_p95_of_one_sample_is_that_sample():
    assert p95([42.0]) == 42.0


def test_helpers_refuse_empty_input():
    with pytest.raises(ValueError):
        median([])
    with pytest.raises(ValueError):
        p95([])
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_summarize_reports_milliseconds():
    summary = summarize([0.010, 0.020, 0.030])
    assert summary["median_ms"] == 20.0
    assert summary["min_ms"] == 10.0
    assert summary["max_ms"] == 30.0
    assert summary["n"] == 3
    assert summary["p95_ms"] == pytest.approx(29.0)


def test_verdict_and_ratio():
    assert verdict(49.9, 50) == "PASS"
    assert verdict(50.1, 50) == "MISS"
    assert verdict(2500, 2000, at_least=True) == "PASS"
    assert verdict(None, 50) == "n/a"
    assert ratio(30, 12) == 2.5
    assert ratio(30, 0) is None


def test_replace_section_keeps_other_sections():
    document = "# Benchmarks\n\n## Load test (issue 9)\n\np95 12 ms\n"
    once = replace_section(document, "## Run A")
    assert "## Load test (issue 9)" in once
    assert once.count(MARK_START) == 1 and "## Run A" in once
    twice = replace_section(once, "## Run B")
    assert "## Run A" not in twice and "## Run B" in twice
    assert twice.count(MARK_START) == 1 and twice.count(MARK_END) == 1
    assert "## Load test (issue 9)" in twice


def test_job_seconds_are_measured_or_projected_per_row():
    from bench.run import job_seconds_for

    idle = {"median_ms": 100.0}
    seconds, how = job_seconds_for({"median_ms": 2100.0, "rows_due": 200}, idle, rows=10_000)
    assert seconds == pytest.approx(0.1 + 10.0 * 10_000 / 1000)  # 10 ms per row
    assert how.startswith("projected from 200 rows")
    seconds, how = job_seconds_for({"median_ms": 9000.0, "rows_due": 10_000}, idle, rows=10_000)
    assert seconds == 9.0 and how.startswith("measured")
