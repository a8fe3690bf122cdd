"""The reports' figures for a date range, by week or month: read from the daily rollup for
past days and computed live (reports.rollup.compute_day, the same code) for today.

`build_report` returns tables (what the page shows and the CSV downloads write, cell for cell)
and trend charts. Counts are sums of daily rows; medians and 90th percentiles come from the
summed hour histograms (reports.stats), so they are exact to the hour over any range.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from carriers.models import Carrier
from orders.models import Direction, RejectionReason
from orders.rules.names import rule_name

from . import measures as m
from .charts import trend_lines
from .days import days_between
from .models import DailyCount, DailyDuration, MonthlyCount, MonthlyDuration, RolledDay
from .rollup import live_figures
from .stats import percentile, rate

WEEK, MONTH = "week", "month"
GROUPINGS = {WEEK: "Week", MONTH: "Month"}
MAX_DAYS = 400  # about 13 months: the rollup the backfill keeps


@dataclass(frozen=True)
class Period:
    start: datetime.date  # the week's Monday or the month's first day (may precede the range)
    first: datetime.date  # the first day of the range inside the period
    last: datetime.date

    def label(self, grouping: str) -> str:
        return f"{self.start:%Y-%m}" if grouping == MONTH else f"{self.start:%Y-%m-%d}"


def period_start(day: datetime.date, grouping: str) -> datetime.date:
    if grouping == MONTH:
        return day.replace(day=1)
    return day - datetime.timedelta(days=day.weekday())


def periods_of(first: datetime.date, last: datetime.date, grouping: str) -> list[Period]:
    out: list[Period] = []
    for day in days_between(first, last):
        start = period_start(day, grouping)
        if out and out[-1].start == start:
            out[-1] = Period(start, out[-1].first, day)
        else:
            out.append(Period(start, day, day))
    return out


@dataclass
class Cube:
    """The range's figures summed per period and per carrier, person and key."""

    periods: list[Period]
    by_period: Counter = field(default_factory=Counter)  # (pi, measure)
    by_carrier: Counter = field(default_factory=Counter)  # (measure, carrier)
    by_key: Counter = field(default_factory=Counter)  # (measure, key)
    by_person: Counter = field(default_factory=Counter)  # (measure, person)
    by_person_period: Counter = field(default_factory=Counter)  # (pi, person)
    # Histograms {hours as text, as stored: n} (reports.stats reads either form).
    hist_period: dict = field(default_factory=lambda: defaultdict(dict))  # (pi, measure)
    hist_carrier: dict = field(default_factory=lambda: defaultdict(dict))  # (measure, c)
    days_missing: int = 0
    live_today: bool = False
    today_as_of: datetime.datetime | None = None
    holdings: dict | None = None  # who holds what now (with today's live figures)

    def add(self, pi, measure, carrier, person, key, n):
        self.add_period(pi, measure, person, n)
        self.add_totals(measure, carrier, person, key, n)

    def add_period(self, pi, measure, person, n):
        self.by_period[(pi, measure)] += n
        if person is not None:
            self.by_person_period[(pi, person)] += n

    def add_totals(self, measure, carrier, person, key, n):
        self.by_carrier[(measure, carrier)] += n
        self.by_key[(measure, key)] += n
        if person is not None:
            self.by_person[(measure, person)] += n

    def total(self, measure) -> int:
        return sum(self.by_period[(pi, measure)] for pi in range(len(self.periods)))

    def hist_all(self, measure) -> dict:
        merged: dict = {}
        for pi in range(len(self.periods)):
            _add_hist(merged, self.hist_period[(pi, measure)])
        return merged


def _add_hist(target: dict, hist) -> None:
    # The hot loop of a year's report (thousands of stored histograms): plain dicts keyed by
    # the stored text, no conversion per item.
    get = target.get
    for hours, n in hist.items():
        target[hours] = get(hours, 0) + n


def _full_months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The calendar months wholly inside [first, last], by their first day."""
    month = first.replace(day=1)
    if month < first:
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    out = []
    while True:
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        if following - datetime.timedelta(days=1) > last:
            return out
        out.append(month)
        month = following


def load_cube(
    first: datetime.date,
    last: datetime.date,
    grouping: str,
    *,
    carrier: int | None = None,
    person: int | None = None,
    today: datetime.date | None = None,
) -> Cube:
    """Sum the rollup's rows of [first, last] (today live). `carrier` keeps one carrier's
    figures (the scorecard); `person` keeps one person's desk actions and nothing else.

    The whole desk's report reads the months wholly inside the range from the monthly sums
    and only the days at its ends from the daily rows; its trend lines read the daily
    all-carrier histograms (three rows a day)."""
    today = today or timezone.localdate()
    periods = periods_of(first, last, grouping)
    cube = Cube(periods)
    index = {p.start: pi for pi, p in enumerate(periods)}
    stored_last = min(last, today - datetime.timedelta(days=1))
    if first <= stored_last:
        # A person's figures are few rows a day: the daily rows serve them.
        months = _full_months(first, stored_last) if person is None else []
        edges = Q(day__gte=first, day__lte=stored_last)
        if months:
            after = (months[-1] + datetime.timedelta(days=32)).replace(day=1)
            edges &= Q(day__lt=months[0]) | Q(day__gte=after)
        _load_counts(cube, index, grouping, first, stored_last, months, edges, carrier, person)
        if person is None:
            _load_durations(cube, index, grouping, first, stored_last, months, edges, carrier)
        rolled = RolledDay.objects.filter(day__gte=first, day__lte=stored_last).aggregate(
            n=Count("id")
        )["n"]
        cube.days_missing = (stored_last - first).days + 1 - rolled
    if first <= today <= last:
        cube.live_today = True
        live = live_figures(today)
        figures, cube.today_as_of = live.today, live.as_of
        cube.holdings = live.holdings
        pi = index[period_start(today, grouping)]
        for (measure, c, p, key), n in figures.counts.items():
            if carrier is not None and c != carrier:
                continue
            if person is not None and (p != person or measure not in m.ACTIONS):
                continue
            cube.add(pi, measure, c, p, key, n)
        if person is None:
            for (measure, c), hist in figures.durations.items():
                if carrier is None or c == carrier:
                    stored = {str(h): n for h, n in hist.items()}
                    _add_hist(cube.hist_period[(pi, measure)], stored)
                    _add_hist(cube.hist_carrier[(measure, c)], stored)
    return cube


def _load_counts(cube, index, grouping, first, last, months, edges, carrier, person):
    if grouping == WEEK and months:
        _load_week_counts(cube, index, first, last, months, edges, carrier)
        return
    if grouping == MONTH and months:
        monthly = MonthlyCount.objects.filter(month__in=months)
        if carrier is not None:
            monthly = monthly.filter(carrier_id=carrier)
        for month, measure, c, p, key, n in monthly.values_list(
            "month", "measure", "carrier_id", "person_id", "key", "value"
        ):
            cube.add(index[month], measure, c, p, key, n)
        daily = DailyCount.objects.filter(edges)
    else:
        daily = DailyCount.objects.filter(day__gte=first, day__lte=last)
    if carrier is not None:
        daily = daily.filter(carrier_id=carrier)
    if person is not None:
        daily = daily.filter(person_id=person, measure__in=m.ACTIONS)
    trunc = TruncMonth if grouping == MONTH else TruncWeek
    rows = (
        daily.annotate(period=trunc("day"))
        .values_list("period", "measure", "carrier_id", "person_id", "key")
        .annotate(n=Sum("value"))
        .order_by()
    )
    for period, measure, c, p, key, n in rows:
        cube.add(index[_as_date(period)], measure, c, p, key, n)


def _load_week_counts(cube, index, first, last, months, edges, carrier):
    """By week, weeks straddle months: the per-week sums come from the daily rows without
    the carrier and key (a third of the rows), the range's totals per carrier, person and
    key from the months' sums and the days at the ends."""
    daily = DailyCount.objects.filter(day__gte=first, day__lte=last)
    monthly = MonthlyCount.objects.filter(month__in=months)
    ends = DailyCount.objects.filter(edges)
    if carrier is not None:
        daily, monthly, ends = (q.filter(carrier_id=carrier) for q in (daily, monthly, ends))
    for period, measure, p, n in (
        daily.annotate(period=TruncWeek("day"))
        .values_list("period", "measure", "person_id")
        .annotate(n=Sum("value"))
        .order_by()
    ):
        cube.add_period(index[_as_date(period)], measure, p, n)
    for measure, c, p, key, n in monthly.values_list(
        "measure", "carrier_id", "person_id", "key", "value"
    ):
        cube.add_totals(measure, c, p, key, n)
    for measure, c, p, key, n in (
        ends.values_list("measure", "carrier_id", "person_id", "key")
        .annotate(n=Sum("value"))
        .order_by()
    ):
        cube.add_totals(measure, c, p, key, n)


def _load_durations(cube, index, grouping, first, last, months, edges, carrier):
    days = DailyDuration.objects.filter(day__gte=first, day__lte=last)
    if carrier is not None:
        by_month = grouping == MONTH and bool(months)
        for month, measure, hist in MonthlyDuration.objects.filter(
            month__in=months, carrier_id=carrier
        ).values_list("month", "measure", "hours"):
            _add_hist(cube.hist_carrier[(measure, carrier)], hist)
            if by_month:
                _add_hist(cube.hist_period[(index[month], measure)], hist)
        after = (months[-1] + datetime.timedelta(days=32)).replace(day=1) if months else None
        for day, measure, hist in (
            (DailyDuration.objects.filter(edges) if by_month else days)
            .filter(carrier_id=carrier)
            .values_list("day", "measure", "hours")
        ):
            _add_hist(cube.hist_period[(index[period_start(day, grouping)], measure)], hist)
            if not months or day < months[0] or day >= after:
                _add_hist(cube.hist_carrier[(measure, carrier)], hist)
        return
    # The trend: every carrier together, per period (by month: the months' own sums).
    trend_days = days
    if grouping == MONTH and months:
        trend_days = DailyDuration.objects.filter(edges)
    for day, measure, hist in trend_days.filter(carrier__isnull=True).values_list(
        "day", "measure", "hours"
    ):
        _add_hist(cube.hist_period[(index[period_start(day, grouping)], measure)], hist)
    # Per carrier over the whole range: the months' sums and the days at the ends.
    for month, measure, c, hist in MonthlyDuration.objects.filter(month__in=months).values_list(
        "month", "measure", "carrier_id", "hours"
    ):
        if c is not None:
            _add_hist(cube.hist_carrier[(measure, c)], hist)
        elif grouping == MONTH:
            _add_hist(cube.hist_period[(index[month], measure)], hist)
    for measure, c, hist in DailyDuration.objects.filter(edges, carrier__isnull=False).values_list(
        "measure", "carrier_id", "hours"
    ):
        _add_hist(cube.hist_carrier[(measure, c)], hist)


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


# --- tables --------------------------------------------------------------------------------


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list]
    note: str = ""
    first_text_columns: int = 1  # columns of text on the left; the rest are figures
    csv_url: str = ""  # set by the view

    def body_html(self) -> str:
        """The rows as <tr> markup, every text escaped (the template marks it safe). Built
        in one pass: as template loops a year's tables were most of the page's time."""
        text = self.first_text_columns
        parts = []
        for row in self.rows:
            parts.append('<tr data-testid="row">')
            for i, v in enumerate(row):
                if v is None:
                    parts.append(
                        '<td class="text-end tn"><span class="text-body-secondary">–</span></td>'
                    )
                elif i < text:
                    parts.append(f"<td>{escape(str(v))}</td>")
                else:
                    parts.append(f'<td class="text-end tn">{v:,}</td>')
            parts.append("</tr>")
        return "".join(parts)


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


IN_HEADERS = [
    "LSR sends",
    "FOCs",
    "Completed",
    "Rejects (losing carrier)",
    "Reject rate %",
    "Rejects fixed by the desk",
    "Returned to the customer",
    "Auto-cancelled (F4)",
] + [f"{m.DURATION_NAMES[d]} {q} h" for d in m.DURATIONS for q in ("median", "p90")]
OUT_HEADERS = [
    "CSR requests due",
    "Answered on time (R1)",
    "On time %",
    "LSRs (counted day, R7)",
    "Decided that day",
    "Same day %",
    "FOCs",
    "Rejects",
    "Expedites asked",
    "Expedites granted",
    "SUPs",
    "SUPs per LSR",
    "Port windows expired (R11)",
]


def _in_row(n, hist) -> list:
    sends, rejects = n(m.IN_SENT), n(m.IN_REJECTED)
    row = [
        sends,
        n(m.IN_FOC),
        n(m.IN_COMPLETED),
        rejects,
        rate(rejects, sends),
        n(m.IN_FIXED),
        n(m.IN_RETURNED),
        n(m.IN_AUTO_CANCELLED),
    ]
    for d in m.DURATIONS:
        h = hist(d)
        row += [percentile(h, 50), percentile(h, 90)]
    return row


def _out_row(n) -> list:
    due, lsrs = n(m.CSR_DUE), n(m.OUT_LSR)
    return [
        due,
        n(m.CSR_ON_TIME),
        rate(n(m.CSR_ON_TIME), due),
        lsrs,
        n(m.OUT_SAME_DAY),
        rate(n(m.OUT_SAME_DAY), lsrs),
        n(m.OUT_FOC),
        n(m.OUT_REJECTED),
        n(m.OUT_EXPEDITE_ASKED),
        n(m.OUT_EXPEDITE_GRANTED),
        n(m.OUT_SUP),
        round(n(m.OUT_SUP) / lsrs, 2) if lsrs else None,
        n(m.OUT_WINDOW_EXPIRED),
    ]


IN_MEASURES = (
    m.IN_SENT,
    m.IN_FOC,
    m.IN_COMPLETED,
    m.IN_REJECTED,
    m.IN_FIXED,
    m.IN_RETURNED,
    m.IN_AUTO_CANCELLED,
)
OUT_MEASURES = (
    m.CSR_DUE,
    m.CSR_ON_TIME,
    m.OUT_LSR,
    m.OUT_SAME_DAY,
    m.OUT_FOC,
    m.OUT_REJECTED,
    m.OUT_EXPEDITE_ASKED,
    m.OUT_EXPEDITE_GRANTED,
    m.OUT_SUP,
    m.OUT_WINDOW_EXPIRED,
)


def _period_tables(cube: Cube, grouping: str, prefix: str = "") -> tuple[Table, Table]:
    labels = [p.label(grouping) for p in cube.periods]
    in_rows = [
        [
            label,
            *_in_row(
                lambda x, i=i: cube.by_period[(i, x)], lambda d, i=i: cube.hist_period[(i, d)]
            ),
        ]
        for i, label in enumerate(labels)
    ]
    in_rows.append(["Whole range", *_in_row(cube.total, cube.hist_all)])
    out_rows = [
        [label, *_out_row(lambda x, i=i: cube.by_period[(i, x)])] for i, label in enumerate(labels)
    ]
    out_rows.append(["Whole range", *_out_row(cube.total)])
    head = GROUPINGS[grouping]
    return (
        Table(f"{prefix}in-periods", f"Port-in by {head.lower()}", [head, *IN_HEADERS], in_rows),
        Table(
            f"{prefix}out-periods", f"Port-out by {head.lower()}", [head, *OUT_HEADERS], out_rows
        ),
    )


def _carrier_names(ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    return dict(Carrier.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def _carrier_tables(cube: Cube) -> tuple[Table, Table]:
    names = _carrier_names(c for _, c in cube.by_carrier)
    ordered = sorted(names.items(), key=lambda item: item[1].lower())
    in_rows, out_rows = [], []
    for pk, name in ordered:
        if any(cube.by_carrier[(x, pk)] for x in IN_MEASURES):
            in_rows.append(
                [
                    name,
                    *_in_row(
                        lambda x, c=pk: cube.by_carrier[(x, c)],
                        lambda d, c=pk: cube.hist_carrier[(d, c)],
                    ),
                ]
            )
        if any(cube.by_carrier[(x, pk)] for x in OUT_MEASURES):
            out_rows.append([name, *_out_row(lambda x, c=pk: cube.by_carrier[(x, c)])])
    return (
        Table(
            "in-carriers", "Port-in per losing carrier", ["Losing carrier", *IN_HEADERS], in_rows
        ),
        Table(
            "out-carriers",
            "Port-out per requesting carrier",
            ["Requesting carrier", *OUT_HEADERS],
            out_rows,
        ),
    )


def _reason_table(cube: Cube, slug="in-reasons") -> Table:
    counts = {key: n for (measure, key), n in cube.by_key.items() if measure == m.IN_REASON and n}
    titles = dict(RejectionReason.objects.filter(code__in=counts).values_list("code", "title"))
    whole = sum(counts.values())
    rows = [
        [code, titles.get(code, ""), n, rate(n, whole)]
        for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return Table(
        slug,
        "Port-in rejects per reason",
        ["Code", "Reason", "Rejects", "Share %"],
        rows,
        note="A reject with several reasons counts once per reason.",
        first_text_columns=2,
    )


def _rule_table(cube: Cube, slug="out-rules") -> Table:
    counts = {key: n for (measure, key), n in cube.by_key.items() if measure == m.OUT_RULE and n}
    rows = [
        [rule or "no rule id", _named(rule), n]
        for rule, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return Table(
        slug,
        "Port-out rejects per rule",
        ["Rule", "Name", "Rejects"],
        rows,
        note="A reject counts once per rule its reasons cite.",
        first_text_columns=2,
    )


def _named(rule: str) -> str:
    """The desk's name of a rule id; none for an R-code (the industry's own id)."""
    name = rule_name(rule) if rule else ""
    return "" if name == rule else name


def _person_names(ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    users = get_user_model().objects.filter(pk__in=ids).only("username", "first_name", "last_name")
    return {u.pk: (u.get_full_name() or u.get_username()) for u in users}


def _desk_tables(cube: Cube, grouping: str, *, person: int | None) -> list[Table]:
    weeks = max(1, math.ceil(((cube.periods[-1].last - cube.periods[0].first).days + 1) / 7))
    people = {p for (_, p) in cube.by_person}
    holdings = cube.holdings if cube.holdings is not None else live_figures().holdings
    if person is not None:
        holdings = {pk: held for pk, held in holdings.items() if pk == person}
    people |= set(holdings)
    names = _person_names(people)
    ordered = sorted(names.items(), key=lambda item: item[1].lower())
    action_rows, period_rows, held_rows = [], [], []
    for pk, name in ordered:
        kinds = [cube.by_person[(x, pk)] for x in m.ACTIONS]
        if any(kinds):
            total = sum(kinds)
            action_rows.append([name, *kinds, total, round(total / weeks, 1)])
            period_rows.append(
                [name, *[cube.by_person_period[(i, pk)] for i in range(len(cube.periods))], total]
            )
        if pk in holdings:
            held = holdings[pk]
            held_rows.append(
                [name, held[Direction.PORT_IN], held[Direction.PORT_OUT], sum(held.values())]
            )
    head = GROUPINGS[grouping]
    return [
        Table(
            "desk-actions",
            "Actions per person",
            [
                "Person",
                "Status moves",
                "Comments",
                "Status checks",
                "CSR answers",
                "Total",
                "Per week",
            ],
            action_rows,
            note=f"Per week: the total over the range's {weeks} week(s).",
        ),
        Table(
            "desk-periods",
            f"Actions per person by {head.lower()}",
            ["Person", *[p.label(grouping) for p in cube.periods], "Total"],
            period_rows,
        ),
        Table(
            "desk-holdings",
            "Open orders each person holds now",
            ["Person", "Port-in", "Port-out", "Total"],
            held_rows,
            note="Counted now (with today's figures), whatever the range: who holds what is "
            "not kept per day.",
        ),
    ]


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
