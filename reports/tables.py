"""The reports' tables built from a Cube: what the page shows and the CSV downloads write,
cell for cell (per period, per carrier, per reject reason or rule, per person)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from django.contrib.auth import get_user_model

from carriers.models import Carrier
from orders.models import Direction, RejectionReason
from orders.rules.names import rule_name

from . import measures as m
from .cube import Cube
from .periods import GROUPINGS
from .rollup import live_figures
from .stats import percentile, rate


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
