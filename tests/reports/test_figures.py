"""Every figure of the reports against the plain computation over the raw rows
(tests/reports/reference.py), for ranges by week and by month that cross the October/November
month end and the end of daylight saving time, a single DST day, and a range ending today
(today is counted live, the days before from the rollup)."""

import datetime

import pytest
from django.utils import timezone

from orders.models import PortOrder, RejectionReason
from orders.rules.names import RULE_NAMES
from reports.report import build_report, build_scorecard
from reports.rollup import roll_range

from .conftest import DST_DAY, WINDOW_FIRST, WINDOW_LAST
from .reference import Raw, in_row, labels, out_row, pct

pytestmark = pytest.mark.django_db

RANGES = [
    (WINDOW_FIRST, WINDOW_LAST, "week"),
    (WINDOW_FIRST, WINDOW_LAST, "month"),
    (datetime.date(2026, 10, 31), datetime.date(2026, 11, 1), "week"),  # month end + DST day
    (DST_DAY, DST_DAY, "month"),
    (datetime.date(2026, 10, 1), datetime.date(2026, 11, 30), "month"),
    (datetime.date(2026, 10, 1), datetime.date(2026, 11, 30), "week"),  # weeks over months
]


def _roll_everything(today):
    roll_range(datetime.date(2026, 10, 1), today - datetime.timedelta(days=1))


def _expected_period_tables(raw, first, last, grouping, **where):
    in_rows, out_rows = [], []
    for label in labels(first, last, grouping):
        in_rows.append([label, *in_row(raw, first, last, period=label, grouping=grouping, **where)])
        out_rows.append(
            [label, *out_row(raw, first, last, period=label, grouping=grouping, **where)]
        )
    in_rows.append(["Whole range", *in_row(raw, first, last, **where)])
    out_rows.append(["Whole range", *out_row(raw, first, last, **where)])
    return in_rows, out_rows


def _expected_reasons(raw, first, last, **where):
    codes = {k for m, day, c, p, k in raw.events if m == "reason"}
    counts = {code: raw.count("reason", first, last, key=code, **where) for code in codes}
    counts = {code: n for code, n in counts.items() if n}
    whole = sum(counts.values())
    titles = dict(RejectionReason.objects.values_list("code", "title"))
    return [
        [code, titles[code], n, pct(n, whole)]
        for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def _expected_rules(raw, first, last, **where):
    rules = {k for m, day, c, p, k in raw.events if m == "rule"}
    counts = {rule: raw.count("rule", first, last, key=rule, **where) for rule in rules}
    return [
        [rule or "no rule id", RULE_NAMES.get(rule, ""), n]
        for rule, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if n
    ]


@pytest.mark.parametrize(("first", "last", "grouping"), RANGES)
def test_every_port_in_and_port_out_figure_matches_the_raw_rows(desk, first, last, grouping):
    _roll_everything(timezone.localdate())
    raw = Raw()
    report = build_report(first, last, grouping)

    in_rows, out_rows = _expected_period_tables(raw, first, last, grouping)
    assert report.table("in-periods").rows == in_rows
    assert report.table("out-periods").rows == out_rows
    assert report.table("in-reasons").rows == _expected_reasons(raw, first, last)
    assert report.table("out-rules").rows == _expected_rules(raw, first, last)

    expected_in, expected_out = [], []
    for carrier in sorted(desk.carriers, key=lambda c: c.name.lower()):
        row = in_row(raw, first, last, carrier=carrier.pk)
        if any(row[:8]):
            expected_in.append([carrier.name, *row])
        row = out_row(raw, first, last, carrier=carrier.pk)
        if any(v for i, v in enumerate(row) if i not in (2, 5, 11)):
            expected_out.append([carrier.name, *row])
    assert report.table("in-carriers").rows == expected_in
    assert report.table("out-carriers").rows == expected_out
    assert report.days_missing == 0
    # The data set is not empty where it is meant to be full.
    if (first, last) == (WINDOW_FIRST, WINDOW_LAST):
        whole_in, whole_out = in_rows[-1], out_rows[-1]
        assert whole_in[1] and whole_in[3] and whole_in[4] and whole_in[9] is not None
        assert whole_out[1] and whole_out[4] and whole_out[7]


@pytest.mark.parametrize(("first", "last", "grouping"), [*RANGES[:3], RANGES[5]])
def test_desk_actions_per_person_match_the_raw_rows(desk, alice, maria, first, last, grouping):
    _roll_everything(timezone.localdate())
    raw = Raw()
    report = build_report(first, last, grouping)
    weeks = -(-((last - first).days + 1) // 7)
    expected, by_period = [], []
    for person in sorted([alice, maria], key=lambda u: u.get_full_name().lower()):
        kinds = [
            raw.count(kind, first, last, person=person.pk)
            for kind in ("moves", "comments", "checks", "csr_answers")
        ]
        if any(kinds):
            expected.append(
                [person.get_full_name(), *kinds, sum(kinds), round(sum(kinds) / weeks, 1)]
            )
            by_period.append(
                [
                    person.get_full_name(),
                    *[
                        sum(
                            raw.count(
                                k, first, last, person=person.pk, period=label, grouping=grouping
                            )
                            for k in ("moves", "comments", "checks", "csr_answers")
                        )
                        for label in labels(first, last, grouping)
                    ],
                    sum(kinds),
                ]
            )
    assert report.table("desk-actions").rows == expected
    assert report.table("desk-periods").rows == by_period
    held = []
    for person in sorted([alice, maria], key=lambda u: u.get_full_name().lower()):
        mine = [o for o in PortOrder.objects.filter(assignee=person) if o.is_open]
        n_in = sum(1 for o in mine if o.direction == "in")
        if mine:
            held.append([person.get_full_name(), n_in, len(mine) - n_in, len(mine)])
    assert report.table("desk-holdings").rows == held
    assert held  # the data set gives orders to people


def test_a_range_ending_today_counts_today_live_on_the_same_code_path(desk, alice):
    today = timezone.localdate()
    first = today - datetime.timedelta(days=6)
    _roll_everything(today)
    raw = Raw()
    report = build_report(first, today, "week")

    assert report.live_today
    in_rows, out_rows = _expected_period_tables(raw, first, today, "week")
    assert report.table("in-periods").rows == in_rows
    assert report.table("out-periods").rows == out_rows
    assert in_rows[-1][3] >= 1  # the port-in completed today is in


@pytest.mark.parametrize(
    ("first", "last", "grouping"), [RANGES[0], RANGES[4], (RANGES[4][0], RANGES[4][1], "week")]
)
def test_the_scorecard_shows_one_carriers_figures_on_both_desks(desk, first, last, grouping):
    _roll_everything(timezone.localdate())
    raw = Raw()
    for carrier in desk.carriers:
        card = build_scorecard(first, last, grouping, carrier=carrier)
        in_rows, out_rows = _expected_period_tables(raw, first, last, grouping, carrier=carrier.pk)
        assert card.table("in-periods").rows == in_rows
        assert card.table("out-periods").rows == out_rows
        assert card.table("in-reasons").rows == _expected_reasons(
            raw, first, last, carrier=carrier.pk
        )
        assert card.table("out-rules").rows == _expected_rules(raw, first, last, carrier=carrier.pk)


def test_days_not_rolled_up_are_counted_as_missing_not_as_zero(desk):
    roll_range(WINDOW_FIRST, WINDOW_FIRST + datetime.timedelta(days=2))

    report = build_report(WINDOW_FIRST, WINDOW_LAST, "month")

    assert report.days_missing == (WINDOW_LAST - WINDOW_FIRST).days + 1 - 3
