"""The reports' figures for a date range, by week or month: read from the daily rollup for
past days and computed live (reports.day_figures.compute_day, the same code) for today.

`build_report` returns tables (what the page shows and the CSV downloads write, cell for cell)
and trend charts. Counts are sums of daily rows; medians and 90th percentiles come from the
summed hour histograms (reports.stats), so they are exact to the hour over any range.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from carriers.models import Carrier

from . import measures as m
from .charts import trend_lines
from .cube import Cube, load_cube
from .stats import percentile, rate
from .tables import Table, _carrier_tables, _desk_tables, _period_tables, _reason_table, _rule_table


@dataclass
class Chart:
    slug: str
    title: str
    svg: str


@dataclass
class Report:
    first: datetime.date
    last: datetime.date
    grouping: str
    sections: dict[str, list[Table]]
    charts: dict[str, list[Chart]]
    days_missing: int
    live_today: bool
    today_as_of: datetime.datetime | None = None

    def table(self, slug: str) -> Table | None:
        for tables in self.sections.values():
            for table in tables:
                if table.slug == slug:
                    return table
        return None


# --- charts --------------------------------------------------------------------------------


def _charts(cube: Cube, grouping: str, *, desk: bool = True) -> dict[str, list[Chart]]:
    labels = [p.label(grouping) for p in cube.periods]
    rng = range(len(labels))

    def series(measure):
        return [cube.by_period[(i, measure)] for i in rng]

    def chart(slug, title, lines, unit=""):
        drawn = trend_lines(labels, lines, unit=unit)
        return Chart(slug, title, "" if drawn.empty else drawn.svg(title))

    cycle = [
        (m.DURATION_NAMES[d] + " (median)", [percentile(cube.hist_period[(i, d)], 50) for i in rng])
        for d in m.DURATIONS
    ]
    rates = [
        (
            "Reject rate %",
            [rate(cube.by_period[(i, m.IN_REJECTED)], cube.by_period[(i, m.IN_SENT)]) for i in rng],
        ),
    ]
    out_rates = [
        (
            "CSR answered on time %",
            [rate(cube.by_period[(i, m.CSR_ON_TIME)], cube.by_period[(i, m.CSR_DUE)]) for i in rng],
        ),
        (
            "LSRs decided that day %",
            [
                rate(cube.by_period[(i, m.OUT_SAME_DAY)], cube.by_period[(i, m.OUT_LSR)])
                for i in rng
            ],
        ),
    ]
    charts = {
        "in": [
            chart("in-cycle", "Port-in cycle times, median hours", cycle, " h"),
            chart("in-rates", "Port-in reject rate", rates, "%"),
        ],
        "out": [
            chart(
                "out-decisions",
                "Port-out FOCs and rejects",
                [("FOCs", series(m.OUT_FOC)), ("Rejects", series(m.OUT_REJECTED))],
            ),
            chart("out-rates", "Port-out answered in time", out_rates, "%"),
        ],
    }
    if desk:
        charts["desk"] = [
            chart(
                "desk-actions",
                "Desk actions",
                [("Actions", [sum(cube.by_period[(i, x)] for x in m.ACTIONS) for i in rng])],
            )
        ]
    return charts


# --- entry points ---------------------------------------------------------------------------


def build_report(
    first: datetime.date, last: datetime.date, grouping: str, *, person: int | None = None
) -> Report:
    """The reports page: everything (person=None, a manager) or one person's desk figures."""
    cube = load_cube(first, last, grouping, person=person)
    if person is None:
        in_periods, out_periods = _period_tables(cube, grouping)
        in_carriers, out_carriers = _carrier_tables(cube)
        sections = {
            "in": [in_periods, in_carriers, _reason_table(cube)],
            "out": [out_periods, out_carriers, _rule_table(cube)],
            "desk": _desk_tables(cube, grouping, person=None),
        }
        charts = _charts(cube, grouping)
    else:
        sections = {"desk": _desk_tables(cube, grouping, person=person)}
        charts = {"desk": _charts(cube, grouping)["desk"]}
    return Report(
        first,
        last,
        grouping,
        sections,
        charts,
        cube.days_missing,
        cube.live_today,
        cube.today_as_of,
    )


def build_scorecard(
    first: datetime.date, last: datetime.date, grouping: str, *, carrier: Carrier
) -> Report:
    """One trading partner on both desks: as the losing carrier of our port-ins and as the
    requester of port-outs and CSR requests."""
    cube = load_cube(first, last, grouping, carrier=carrier.pk)
    in_periods, out_periods = _period_tables(cube, grouping)
    sections = {
        "in": [in_periods, _reason_table(cube)],
        "out": [out_periods, _rule_table(cube)],
    }
    return Report(
        first,
        last,
        grouping,
        sections,
        _charts(cube, grouping, desk=False),
        cube.days_missing,
        cube.live_today,
        cube.today_as_of,
    )
