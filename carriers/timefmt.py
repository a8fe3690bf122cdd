"""One way to print a moment: in the portal's zone (settings.TIME_ZONE), "2026-12-04 15:24".

Pages use the `local_time` filter (carriers.templatetags.carrier_tags), Python code (table
cells, the admin, exports) `local_time()`. A stored ISO string (a JSON snapshot's
`evaluated_at`) is read back first, so it is never printed in UTC as written.
"""

import datetime

from django.utils import timezone

MINUTE = "%Y-%m-%d %H:%M"
DAY_MINUTE = "%a %Y-%m-%d %H:%M"  # where the weekday matters (cut-offs, business days)


def as_moment(value) -> datetime.datetime | None:
    """An aware datetime from a datetime or an ISO string (naive ones are UTC, as stored)."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime.datetime):
        return None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


def local_time(value, *, weekday: bool = False) -> str:
    """The moment in the portal's zone and format; "" for nothing (or an unreadable string)."""
    moment = as_moment(value)
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime(DAY_MINUTE if weekday else MINUTE)


def zone_name() -> str:
    """The portal's zone, for the CSV headers and the page footer ("America/Los_Angeles")."""
    return timezone.get_default_timezone_name()


def csv_time(value) -> str:
    """A moment for a CSV: ISO 8601 in the portal's zone with its offset, so a spreadsheet or
    a script reading the export knows the zone ("2026-12-04T15:24:05-08:00")."""
    moment = as_moment(value)
    if moment is None:
        return ""
    return timezone.localtime(moment).isoformat(timespec="seconds")
