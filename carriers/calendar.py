"""The business-day calendar behind the porting rules (R7, R8, R10, R11, F5).

A business day is Monday to Friday, minus US federal holidays as observed (a holiday on a
Saturday is observed the Friday before, one on a Sunday the Monday after, so New Year's Day
2028, a Saturday, closes Friday 31 December 2027), minus the extra closed days the caller
passes in (company-wide and per-carrier days live in the database; `carriers.services`
builds the calendar from them).

Pure and clock-free: every function takes explicit dates or aware datetimes. All arithmetic
is on local calendar dates, so a daylight-saving change can never move a deadline.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "DEFAULT_CALENDAR",
    "DEFAULT_CUTOFF",
    "HOLIDAY_YEARS",
    "BusinessCalendar",
    "CalendarRangeError",
    "federal_holidays",
]

DEFAULT_CUTOFF = time(15, 0)

# The `holidays` package silently returns no holidays at all outside the years it models
# (1777-2100 for the US in 0.109); refusing those years beats treating Christmas as a workday.
HOLIDAY_YEARS = range(holidays.US.start_year, holidays.US.end_year + 1)

_ONE_DAY = timedelta(days=1)


class CalendarRangeError(ValueError):
    """A date the calendar cannot count with (a year without holiday data, or past year
    9999). A ValueError, so existing callers still catch it; `str()` is a message for the
    desk that names the year, and the orders app turns it into a DomainError for the page
    instead of a 500."""


_SATURDAY = 5


# --- federal holidays ----------------------------------------------------------------------


@lru_cache(maxsize=512)
def _federal_holidays(year: int) -> Mapping[date, str]:
    """Observed US federal holidays falling in `year`, read-only (it is shared by the cache)."""
    if year not in HOLIDAY_YEARS:
        raise CalendarRangeError(
            f"No US federal holiday data for {year}: business days are counted only for "
            f"{HOLIDAY_YEARS.start}-{HOLIDAY_YEARS.stop - 1}; check the year of the date."
        )
    # An observed day can fall in the year before the holiday (New Year's Day on a Saturday
    # is observed on 31 December). The package files it under the year it falls in today;
    # asking for the neighbours too and keeping this year's dates holds whichever way it
    # files them. Only the "public" category: "government" adds one-off executive-order
    # closures (e.g. 24 December 2024), which belong in the database as extra closed days.
    years = [y for y in (year - 1, year, year + 1) if MINYEAR <= y <= MAXYEAR]
    found = holidays.country_holidays(
        "US", years=years, observed=True, categories=(holidays.PUBLIC,), language="en_US"
    )
    return MappingProxyType({d: name for d, name in sorted(found.items()) if d.year == year})


@lru_cache(maxsize=512)
def _holiday_dates(year: int) -> frozenset[date]:
    return frozenset(_federal_holidays(year))


@lru_cache(maxsize=512)
def _weekday_holidays(year: int) -> tuple[date, ...]:
    """The year's holidays that close a weekday, sorted: what counting by formula subtracts."""
    return tuple(d for d in _federal_holidays(year) if d.weekday() < _SATURDAY)


def federal_holidays(year: int) -> dict[date, str]:
    """US federal holidays of `year` (date -> name), observed days included, in date order.

    Observed days are named like "Christmas Day (observed)". A holiday on a weekend appears
    twice: on its own date (a weekend day, closed anyway) and on its observed weekday. An
    observed day belongs to the year it falls in: 31 Dec 2027 is in 2027's dictionary.
    Raises CalendarRangeError (a ValueError) outside `HOLIDAY_YEARS`.
    """
    return dict(_federal_holidays(year))


# --- helpers -------------------------------------------------------------------------------


def _require_date(value: object, name: str = "d") -> date:
    # A datetime is a date subclass that never compares equal to a date, so a datetime
    # would slip past every holiday unnoticed.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")
    return value


def _require_count(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, not {type(n).__name__}")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    return n


def _weekdays_through(d: date) -> int:
    """Monday-to-Friday days from 1 Jan 0001 (a Monday, ordinal 1) through `d` inclusive."""
    ordinal = d.toordinal()
    return 5 * (ordinal // 7) + min(ordinal % 7, 5)


def _count_in(sorted_days: tuple[date, ...], start: date, end: date) -> int:
    """How many of `sorted_days` lie in (start, end]."""
    return bisect_right(sorted_days, end) - bisect_right(sorted_days, start)


def _zone(tz: str | tzinfo) -> tzinfo:
    if isinstance(tz, str):
        return ZoneInfo(tz)
    if isinstance(tz, tzinfo):
        return tz
    # None included: R7 is about the receiving carrier's zone, never the sender's.
    raise TypeError(f"tz must be a time zone name or a tzinfo, not {type(tz).__name__}")


# --- the calendar --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, init=False)
class BusinessCalendar:
    """Weekends + observed US federal holidays + `extra_closed_days`; immutable and hashable.

    `BusinessCalendar(extra_closed_days=frozenset({date(2026, 12, 24)}))` closes one more day.
    Extra days on weekends or holidays are harmless.
    """

    extra_closed_days: frozenset[date]
    # Extra closed weekdays that are not also holidays, sorted, for counting by formula.
    _extra_weekdays: tuple[date, ...] = field(repr=False, compare=False)

    def __init__(self, extra_closed_days: Iterable[date] = ()) -> None:
        days = frozenset(_require_date(d, "extra_closed_days item") for d in extra_closed_days)
        extra_weekdays = tuple(
            sorted(
                d
                for d in days
                if d.weekday() < _SATURDAY
                and not (d.year in HOLIDAY_YEARS and d in _holiday_dates(d.year))
            )
        )
        object.__setattr__(self, "extra_closed_days", days)
        object.__setattr__(self, "_extra_weekdays", extra_weekdays)

    # The hot path: no argument checks here, the public methods do them once.
    def _is_open(self, d: date) -> bool:
        return (
            d.weekday() < _SATURDAY
            and d not in self.extra_closed_days
            and d not in _holiday_dates(d.year)
        )

    def _next(self, d: date) -> date:
        try:
            d += _ONE_DAY
            while not self._is_open(d):
                d += _ONE_DAY
        except OverflowError:
            raise CalendarRangeError(f"No business day after {d:%Y-%m-%d}.") from None
        return d

    def _previous(self, d: date) -> date:
        try:
            d -= _ONE_DAY
            while not self._is_open(d):
                d -= _ONE_DAY
        except OverflowError:
            raise CalendarRangeError(f"No business day before {d:%Y-%m-%d}.") from None
        return d

    def is_business_day(self, d: date) -> bool:
        """True on a weekday that is neither an observed federal holiday nor an extra day."""
        return self._is_open(_require_date(d))

    def next_business_day(self, d: date) -> date:
        """The first business day strictly after `d`."""
        return self._next(_require_date(d))

    def previous_business_day(self, d: date) -> date:
        """The last business day strictly before `d` (F5: the day before a due date)."""
        return self._previous(_require_date(d))

    def add_business_days(self, d: date, n: int) -> date:
        """`d` moved forward by `n` business days (n >= 0).

        n == 0: `d` itself if it is a business day, else the next business day.
        n > 0: starting from `d`, step to the next business day strictly after the current
        one, n times. `d` itself never counts, business day or not: Mon + 1 = Tue,
        Fri + 1 = Mon, Sat + 1 = Mon, Sat + 2 = Tue.

        Always `business_days_between(d, add_business_days(d, n)) == n` for n >= 1, and for
        n == 0 too when `d` is a business day.
        """
        _require_date(d)
        if _require_count(n) == 0:
            return d if self._is_open(d) else self._next(d)
        for _ in range(n):
            d = self._next(d)
        return d

    def subtract_business_days(self, d: date, n: int) -> date:
        """`d` moved back by `n` business days (n >= 0), the mirror of `add_business_days`.

        n == 0: `d` itself if it is a business day, else the previous business day.
        n > 0: step to the previous business day strictly before the current one, n times:
        Tue - 1 = Mon, Mon - 1 = Fri, Sun - 1 = Fri.

        For a business day `d`: `business_days_between(subtract_business_days(d, n), d) == n`.
        """
        _require_date(d)
        if _require_count(n) == 0:
            return d if self._is_open(d) else self._previous(d)
        for _ in range(n):
            d = self._previous(d)
        return d

    def business_days_between(self, start: date, end: date) -> int:
        """The number of business days in the half-open range (start, end].

        `start` never counts and `end` does (when it is a business day): Mon -> Tue is 1,
        Fri -> Mon is 1, Fri -> Sat is 0, d -> d is 0. Antisymmetric: when end < start the
        answer is minus the count over (end, start]. Inverse of `add_business_days`:
        `business_days_between(d, add_business_days(d, n)) == n` for a business day `d`.

        Counted by formula (weekdays minus closed weekdays), not day by day, so long ranges
        cost one bisection per year.
        """
        _require_date(start, "start")
        _require_date(end, "end")
        if end < start:
            return -self.business_days_between(end, start)
        weekdays = _weekdays_through(end) - _weekdays_through(start)
        holidays_closed = sum(
            _count_in(_weekday_holidays(year), start, end)
            for year in range(start.year, end.year + 1)
        )
        return weekdays - holidays_closed - _count_in(self._extra_weekdays, start, end)

    def effective_receipt_date(
        self,
        received_at: datetime,
        *,
        tz: str | tzinfo,
        cutoff: time = DEFAULT_CUTOFF,
    ) -> date:
        """R7: the business day an LSR counts as received on.

        `received_at` must be timezone-aware (ValueError otherwise); it is converted to the
        receiving carrier's zone `tz` (a name such as "America/Los_Angeles", or a tzinfo).
        At or after `cutoff` local time (a naive time, exact to the microsecond: 14:59:59 is
        the same day, 15:00:00 is not), or on a day that is not a business day, the receipt
        counts on the next business day; otherwise on the local date.
        """
        if not isinstance(received_at, datetime):
            raise TypeError(f"received_at must be a datetime, not {type(received_at).__name__}")
        if received_at.utcoffset() is None:
            raise ValueError(
                f"received_at must be timezone-aware, got naive {received_at.isoformat()}"
            )
        if cutoff.tzinfo is not None:
            raise ValueError("cutoff is a local wall-clock time in tz: pass a naive time")
        local = received_at.astimezone(_zone(tz))
        day = local.date()
        if local.time() >= cutoff or not self._is_open(day):
            return self._next(day)
        return day


DEFAULT_CALENDAR = BusinessCalendar()
