"""The `reports` section of bench/run.py (issue 20): the managers' reports over the daily
rollup at the loaded size.

Measures, logged in as a manager (Django test client, server time): the reports page over
the last 12 months by month and by week and one carrier's scorecard (median and p95 of
`repeat` requests after one warm-up, SQL queries per request); counting one day with
`compute_day` (what the rollup job does for today every minute); rolling one day for real
(`roll_day`: delete + insert of the day and its month's sums, committed; the rollup tables
are the reports' own) for days spread over the year; and one idle run of the rollup job.
For the slowest page it EXPLAINs (ANALYZE, BUFFERS) the slowest SQL statement.

Needs the rollup backfilled first: `manage.py reports_backfill` (13 months, about 1 s a day).
"""

from __future__ import annotations

import datetime
import time

TARGET_PAGE_MS = 300.0
TARGET_DAY_S = 2.0


def _timed_sql():
    """Each statement's SQL and seconds (an execute wrapper)."""
    from django.db import connection

    seen: list[tuple[float, str, tuple]] = []

    def wrapper(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seen.append((time.perf_counter() - t0, sql, params))

    return connection.execute_wrapper(wrapper), seen


def bench_reports(*, client, summarize, count_queries, repeat=10) -> dict:
    from django.db import connection
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone

    from orders.models import Direction, PortOrder
    from reports.day_figures import compute_day
    from reports.models import DailyCount, MonthlyCount, RolledDay
    from reports.rollup import reports_rollup, roll_day

    today = timezone.localdate()
    first = today.replace(year=today.year - 1) + datetime.timedelta(days=1)
    days = (today - first).days
    rolled = RolledDay.objects.filter(day__gte=first, day__lt=today).count()
    out: dict = {
        "range": [str(first), str(today)],
        "days_rolled": rolled,
        "days_in_range_before_today": days,
        "rollup_rows": {
            "daily_counts": DailyCount.objects.count(),
            "monthly_counts": MonthlyCount.objects.count(),
        },
    }
    if rolled < days:
        out["warning"] = f"only {rolled} of {days} days rolled: run manage.py reports_backfill"

    t0 = time.perf_counter()
    compute_day(today)
    out["count_today_s"] = round(time.perf_counter() - t0, 3)

    busiest = (
        PortOrder.objects.filter(direction=Direction.PORT_IN)
        .values("losing_carrier")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    pages = {
        "report_12_months_by_month": (
            reverse("reports:index"),
            {"first": str(first), "last": str(today), "group": "month"},
        ),
        "report_12_months_by_week": (
            reverse("reports:index"),
            {"first": str(first), "last": str(today), "group": "week"},
        ),
    }
    if busiest:
        pages["scorecard_12_months_by_month"] = (
            reverse("reports:scorecard", args=[busiest["losing_carrier"]]),
            {"first": str(first), "last": str(today), "group": "month"},
        )
    # As on a running portal: the rollup job keeps today's figures warm every minute.
    reports_rollup()
    out["pages"] = {}
    slowest = (0.0, None)
    for name, (url, query) in pages.items():
        response = client.get(url, query)  # warm-up (templates, caches)
        assert response.status_code == 200, (name, response.status_code)
        samples, queries = [], 0
        for _ in range(repeat):
            with count_queries() as box:
                t0 = time.perf_counter()
                response = client.get(url, query)
                samples.append(time.perf_counter() - t0)
            queries = max(queries, box["n"])
        stats = summarize(samples)
        out["pages"][name] = stats | {
            "url": f"{url}?first={query['first']}&last={query['last']}&group={query['group']}",
            "queries": queries,
            "bytes": len(response.content),
            "within_target": stats["p95_ms"] <= TARGET_PAGE_MS,
        }
        if stats["median_ms"] > slowest[0]:
            slowest = (stats["median_ms"], (url, query, name))

    # The slowest page's statements, the slowest EXPLAINed.
    if slowest[1] is not None:
        url, query, name = slowest[1]
        wrapper, seen = _timed_sql()
        with wrapper:
            client.get(url, query)
        seconds, sql, params = max(seen, key=lambda item: item[0])
        out["slowest_sql"] = {
            "page": name,
            "ms": round(seconds * 1000, 1),
            "sql_ms_total": round(sum(s for s, _, _ in seen) * 1000, 1),
            "statements": len(seen),
            "sql": sql,
        }
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                out["slowest_sql"]["explain"] = [row[0] for row in cursor.fetchall()]

    # Days spread over the year, and the busiest (the generated history thickens near
    # today): each rolled three times; the first is the backfill's cold case.
    roll, first_runs = {}, {}
    for back in (1, 7, 30, 91, 182, 364):
        day = today - datetime.timedelta(days=back)
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            roll_day(day)
            runs.append(round(time.perf_counter() - t0, 3))
        first_runs[str(day)] = runs[0]
        roll[str(day)] = sorted(runs)[1]
    out["roll_one_day_s"] = roll  # median of three
    out["roll_one_day_first_s"] = first_runs
    out["roll_one_day_max_s"] = max(roll.values())
    out["roll_one_day_first_max_s"] = max(first_runs.values())
    out["roll_within_target"] = out["roll_one_day_max_s"] <= TARGET_DAY_S

    t0 = time.perf_counter()
    result = reports_rollup()
    out["job_idle"] = {"s": round(time.perf_counter() - t0, 3), "result": result}
    return out


def render(add, section: dict | None) -> None:
    """The section's part of BENCHMARKS.md (bench/run.py render_report)."""
    if not section:
        return
    add("### Reports (issue 20): 12 months over the daily rollup")
    add("")
    add(
        f"Range {section['range'][0]} to {section['range'][1]}; {section['days_rolled']} of "
        f"{section['days_in_range_before_today']} past days rolled up; today counted by "
        f"`compute_day` in {section['count_today_s']:.2f} s (the rollup job keeps it warm "
        "every minute). Django test client as a manager, after one warm-up request."
    )
    add("")
    add("| page | median ms | p95 ms | queries | <= 300 ms |")
    add("| --- | --- | --- | --- | --- |")
    for name, v in section["pages"].items():
        add(
            f"| `{v['url']}` ({name}) | {v['median_ms']:.1f} | {v['p95_ms']:.1f} | "
            f"{v['queries']} | {'PASS' if v['within_target'] else 'MISS'} |"
        )
    add("")
    # A results file from before the first runs were kept has no "first" figures.
    firsts = section.get("roll_one_day_first_s", {})
    days = ", ".join(
        f"{d}: {s:.2f} s" + (f" (first {firsts[d]:.2f} s)" if d in firsts else "")
        for d, s in section["roll_one_day_s"].items()
    )
    verdict = "PASS" if section["roll_within_target"] else "MISS"
    first_max = section.get("roll_one_day_first_max_s")
    add(
        f"Rolling one day (`roll_day`, committed; median of 3, first run in brackets): {days}; "
        f"worst {section['roll_one_day_max_s']:.2f} s (<= 2 s: {verdict})"
        + (f", worst first run {first_max:.2f} s" if first_max is not None else "")
        + ". Rollup job with nothing to roll "
        f"(sweep, and today's figures and holdings counted afresh): "
        f"{section['job_idle']['s']:.2f} s."
    )
    add("")
