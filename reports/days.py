"""Local days: the reports count by the portal's day (settings.TIME_ZONE), not UTC's, so a
day is midnight to midnight on the desk's clock: 23 hours in March, 25 in November."""

import datetime
import zoneinfo

from django.utils import timezone


def zone() -> zoneinfo.ZoneInfo:
    return timezone.get_current_timezone()


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The moments [start, end) of a local day, aware; zoneinfo gives DST days their length."""
    tz = zone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, zone()).date()


def days_between(first: datetime.date, last: datetime.date):
    """Every day from first to last, both included."""
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)
