"""The one table renderer: every list of rows (the work queues, the order list, the dashboard's
FOC list) is a sequence of `Column`s whose `cell()` turns a row into a `Cell`, and
`render_row()` turns a row's cells into its `<tr>`.

A `Cell`'s text is both what the page shows and what the CSV holds (NetBox's
`render()`/`value()` split): `Column.value()` is the CSV's, `render_row()` the page's.

Rows are rendered here by one compiled Jinja2 row template rather than cell by cell in the
page's Django template: a queue page has 400-500 cells, and per-cell template logic was most
of its rendering time. The row template escapes every value it is given (autoescape); no
markup is put together by hand.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from django.urls import reverse
from django.utils.safestring import SafeString
from jinja2 import Environment, StrictUndefined

from carriers.timefmt import local_time, zone_name


class PageClock(Protocol):
    """The clock a page's rows are rendered at (orders.queues.base.QueueContext is one)."""

    today: datetime.date
    now: datetime.datetime


class Cell(NamedTuple):
    """One table cell: the text (also what the CSV holds), an optional link, CSS class and
    title, and how the page dresses the text: as a badge of that CSS class, or followed by a
    secondary note (a carrier's SPID). A named tuple: the row template unpacks it, cheaper
    than six attribute lookups per cell."""

    text: str = ""
    href: str | None = None
    css: str = ""
    title: str = ""
    badge: str = ""
    note: str = ""


EMPTY = Cell("")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    cell: Callable[[Any, RowContext], Cell]
    sort: str | None = None  # a key of the list's `sorts`
    numeric: bool = False
    # Relations the cell reads beyond its kind of row's shape (joined only for lists that
    # show such a column).
    joins: tuple[str, ...] = ()
    # A time in the portal's zone (dt_text): the CSV's header names the zone.
    zoned: bool = False

    @property
    def csv_label(self) -> str:
        return f"{self.label} ({zone_name()})" if self.zoned else self.label

    def value(self, obj, rc: RowContext) -> str:
        """The CSV's text: the same as the page's."""
        return self.cell(obj, rc).text


def col(key, label, cell, sort=None, numeric=False, joins=(), zoned=False) -> Column:
    return Column(
        key=key, label=label, cell=cell, sort=sort, numeric=numeric, joins=joins, zoned=zoned
    )


# A number no real primary key reaches, reversed in place of one (RowContext.url).
_PK_MARK = 987654321987


class RowContext:
    """What cells need besides the row: the clock, calendars (one per carrier, cached for
    the page) and the detail pages' URLs."""

    def __init__(self, ctx: PageClock):
        self.today = ctx.today
        self.now = ctx.now
        self._calendars: dict[int | None, Any] = {}
        self._urls: dict[str, list[str]] = {}

    def url(self, name: str, pk: int) -> str:
        """The detail page of row `pk`. reverse() once per name and page, then the pk is put
        in the URL's place: 50 reverse() calls per page were a tenth of its time."""
        parts = self._urls.get(name)
        if parts is None:
            parts = self._urls[name] = reverse(name, args=[_PK_MARK]).split(str(_PK_MARK))
        return str(int(pk)).join(parts)

    def calendar(self, carrier):
        key = carrier.pk if carrier is not None else None
        if key not in self._calendars:
            from carriers.services import calendar_for

            self._calendars[key] = calendar_for(carrier)
        return self._calendars[key]


# --- text helpers shared by the cells ---------------------------------------------------------


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def date_text(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def dt_text(moment: datetime.datetime | None) -> str:
    return local_time(moment)


# --- rendering --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """A row's leading checkbox (bulk actions): the value it posts and the row it names."""

    name: str
    value: Any
    label: str


@dataclass(frozen=True)
class Trail:
    """A queue row's last cell: the overdue badge, the Claim button, the decision link."""

    overdue_title: str = ""  # the badge's title; no badge when empty
    claim_value: Any = None  # no Claim button when None
    claim_url: str = ""
    decide_href: str | None = None  # no decision link when None
    decide_text: str = ""


# ONE compiled template for every row of every list. Jinja2 (autoescape on, MarkupSafe's C
# escaping) rather than format_html: a queue page escapes about 1,100 values, and Django's
# escape() wrapper cost 8-12 ms a page there against 1-2 ms here (bench/run.py, issue 15).
_ROW = Environment(autoescape=True, undefined=StrictUndefined).from_string(
    "<tr{% for name, value in attrs %}{% if value is not none %}"
    ' {{ name }}="{{ value }}"{% endif %}{% endfor %}>'
    '{% if check %}<td class="queue-check">'
    '<input type="checkbox" name="{{ check.name }}" value="{{ check.value }}"'
    ' class="form-check-input" aria-label="Select row {{ check.label }}">'
    "</td>{% endif %}{% for text, href, css, title, badge, note in cells %}"
    '<td{% if css %} class="{{ css }}"{% endif %}{% if title %} title="{{ title }}"{% endif %}>'
    '{% if href %}<a href="{{ href }}">{% endif %}{% if badge %}'
    '<span class="badge {{ badge }}">{{ text }}</span>{% else %}{{ text }}{% endif %}'
    "{% if href %}</a>{% endif %}{% if note %} "
    '<span class="text-body-secondary small">{{ note }}</span>{% endif %}</td>'
    '{% endfor %}{% if trail %}<td class="text-end text-nowrap">'
    "{% if trail.overdue_title %}"
    '<span class="badge text-bg-danger" title="{{ trail.overdue_title }}">overdue'
    "</span>{% endif %}{% if trail.claim_value is not none %}"
    '<button class="btn btn-sm btn-outline-primary" type="submit" name="claim"'
    ' value="{{ trail.claim_value }}" formaction="{{ trail.claim_url }}" formnovalidate'
    ' data-testid="claim">'
    "Claim</button>{% endif %}{% if trail.decide_href %}"
    '<a class="btn btn-sm btn-outline-warning" href="{{ trail.decide_href }}" data-testid="decide">'
    "{{ trail.decide_text }}</a>{% endif %}</td>{% endif %}</tr>"
)


def render_row(
    cells: Iterable[Cell],
    *,
    attrs: Sequence[tuple[str, Any]] = (),
    check: Check | None = None,
    trail: Trail | None = None,
) -> SafeString:
    """One `<tr>`: its attributes (name, value; a value of None leaves the attribute out), a
    leading checkbox, the cells and a trailing cell of buttons; every value escaped by the
    row template."""
    row = _ROW.render(attrs=attrs, check=check, cells=cells, trail=trail)
    # MarkupSafe writes quotes as &#34; and &#39;; Django's escape() (every other page) as
    # &quot; and &#x27;. Those two entities can only come from escaping a quote (an "&" in a
    # value is written &amp;), so one pass over the row gives Django's output exactly.
    return SafeString(row.replace("&#34;", "&quot;").replace("&#39;", "&#x27;"))
