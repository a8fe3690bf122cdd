"""Read-only queries of the staff carrier directory (`/carriers/`).

Each function issues a fixed number of queries whatever the number of carriers, SPIDs,
contacts or closed days.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .calendar import HOLIDAY_YEARS, BusinessCalendar, federal_holidays
from .models import SPID, Carrier, Contact, NonBusinessDay
from .services import EffectiveInterval, effective_intervals

UPCOMING_DAYS = 90


def carrier_directory(*, q: str = "", kind: str = "") -> QuerySet[Carrier]:
    """Carriers matching a name fragment or a SPID (any case), with SPID and contact counts.

    Counts are correlated subqueries so that the SPID search (an EXISTS) never multiplies
    rows; the SPID codes come from one prefetch.
    """
    spid_count = (
        SPID.objects.filter(carrier=OuterRef("pk"))
        .order_by()
        .values("carrier")
        .annotate(n=Count("pk"))
        .values("n")
    )
    contact_count = (
        Contact.objects.filter(carrier=OuterRef("pk"))
        .order_by()
        .values("carrier")
        .annotate(n=Count("pk"))
        .values("n")
    )
    carriers = (
        Carrier.objects.select_related("porting_peer")
        .prefetch_related("spids")
        .annotate(spid_count=_coalesce(spid_count), contact_count=_coalesce(contact_count))
        .order_by("name")
    )
    q = q.strip()
    if q:
        carriers = carriers.filter(
            Q(name__icontains=q)
            | Exists(SPID.objects.filter(carrier=OuterRef("pk"), code__iexact=q))
        )
    if kind:
        carriers = carriers.filter(kind=kind)
    return carriers


def _coalesce(subquery):
    return Coalesce(Subquery(subquery, output_field=IntegerField()), Value(0))


@dataclass(frozen=True, slots=True)
class ContactGroup:
    role: str
    label: str
    contacts: list[Contact]


@dataclass(frozen=True, slots=True)
class ClosedDay:
    date: datetime.date
    description: str
    scope: str  # "federal", "company" or "carrier"


@dataclass(frozen=True, slots=True)
class CarrierProfile:
    """Everything the directory's detail page shows about one carrier."""

    carrier: Carrier
    contact_groups: list[ContactGroup]
    intervals: list[EffectiveInterval]
    closed_days: list[ClosedDay]
    peer_for: list[Carrier]
    local_now: datetime.datetime
    lsr_counts_on: datetime.date


def carrier_profile(carrier: Carrier, *, now: datetime.datetime | None = None) -> CarrierProfile:
    """The carrier's contacts by role, effective intervals, closed days of the next 90 days
    (federal holidays, company-wide and its own) and the day an LSR sent now counts as
    received on (R7, in the carrier's zone and with its cut-off).

    `carrier` should come with `spids` and `contacts` prefetched and `porting_peer` selected.
    """
    now = now or timezone.now()
    by_role: dict[str, list[Contact]] = {}
    for contact in carrier.contacts.all():
        by_role.setdefault(contact.role, []).append(contact)
    groups = [
        ContactGroup(role.value, role.label, sorted(by_role[role.value], key=lambda c: c.name))
        for role in Contact.Role
        if role.value in by_role
    ]

    local_now = now.astimezone(_zone(carrier.time_zone))
    today = local_now.date()
    horizon = today + datetime.timedelta(days=UPCOMING_DAYS)
    rows = list(NonBusinessDay.objects.filter(Q(carrier__isnull=True) | Q(carrier=carrier)))
    calendar = BusinessCalendar(extra_closed_days={row.date for row in rows})
    closed = [
        ClosedDay(row.date, row.description, "carrier" if row.carrier_id else "company")
        for row in rows
        if today <= row.date <= horizon
    ]
    for year in {today.year, horizon.year}:
        if year not in HOLIDAY_YEARS:
            continue
        closed.extend(
            ClosedDay(day, name, "federal")
            for day, name in federal_holidays(year).items()
            if today <= day <= horizon and day.weekday() < 5
        )
    closed.sort(key=lambda day: (day.date, day.scope))
    return CarrierProfile(
        carrier=carrier,
        contact_groups=groups,
        intervals=effective_intervals(carrier),
        closed_days=closed,
        peer_for=list(carrier.peer_for.order_by("name")),
        local_now=local_now,
        lsr_counts_on=calendar.effective_receipt_date(
            now, tz=local_now.tzinfo, cutoff=carrier.lsr_cutoff
        ),
    )


def _zone(name: str):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()
