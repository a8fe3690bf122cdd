"""What the porting rules ask of the reference data, as small functions with a fixed number of
queries each (one, except portability_check: three, whatever the number of TNs).

- `calendar_for(carrier)`: the business-day calendar that applies to a carrier (R7, R8, R10,
  R11, F5): weekends, US federal holidays, company-wide closed days and that carrier's own.
- `interval_business_days(kind=, tn_count=, carrier=)`: the interval guideline (R8, R17), a
  trading-partner override first, then the published defaults.
- `effective_intervals(carrier)`: the same answers as a table, for the carrier directory.
- `portability_check(tns)`: our NPAC view and inventory for a list of TNs (R2, R3, R15, R17).
- `our_carrier()`: the carrier port-in orders name as the new carrier.

Nothing here is cached across calls: an administrator's change in the admin is seen by the
next request, and tests can add rows and ask again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from .calendar import BusinessCalendar
from .models import (
    SPID,
    Carrier,
    CustomerAccount,
    IntervalGuideline,
    NonBusinessDay,
    TelephoneNumber,
)
from .tn import TOLL_FREE_NPAS

# SQLite refuses statements with more than 32,766 parameters; PostgreSQL has no such limit
# that matters here. Above this many TNs portability_check() reads the numbers in chunks.
PORTABILITY_CHUNK = 30_000


class IntervalNotConfigured(LookupError):
    """No interval guideline row covers a kind and TN count (defaults are installed by a
    migration, so this means an administrator deleted them)."""


# --- calendar -------------------------------------------------------------------------------


def closed_days_for(carrier: Carrier | None) -> frozenset[datetime.date]:
    """Company-wide NonBusinessDay dates plus the carrier's own (one query)."""
    scope = Q(carrier__isnull=True)
    if carrier is not None and carrier.pk is not None:
        scope |= Q(carrier=carrier)
    return frozenset(NonBusinessDay.objects.filter(scope).values_list("date", flat=True))


def calendar_for(carrier: Carrier | None) -> BusinessCalendar:
    """Weekends + US federal holidays (observed) + company-wide and this carrier's closed days.

    `carrier=None` gives the company-wide calendar. One query.
    """
    return BusinessCalendar(extra_closed_days=closed_days_for(carrier))


# --- interval guidelines (R8, R17) ----------------------------------------------------------


def _covers(row: IntervalGuideline, tn_count: int) -> bool:
    return row.min_tns <= tn_count and (row.max_tns is None or tn_count <= row.max_tns)


def _pick(rows, tn_count: int) -> IntervalGuideline | None:
    """The row that answers for `tn_count` among one kind's rows (defaults and at most one
    carrier's overrides): an override before a default; within each, the narrowest tier
    (highest `from TNs`) when an administrator made tiers overlap."""
    covering = [row for row in rows if _covers(row, tn_count)]
    if not covering:
        return None
    return max(covering, key=lambda row: (row.carrier_id is not None, row.min_tns, -row.pk))


def interval_business_days(*, kind: str, tn_count: int, carrier: Carrier | None) -> int:
    """Business days from effective receipt to the earliest FOC for `kind` and `tn_count`.

    `kind` is an `IntervalGuideline.Kind` value ("port_only", "other", "simple"). A
    trading-partner override of `carrier` that covers the TN count wins over the defaults;
    a count the override's tiers do not cover falls back to the default tier. One query.
    Raises `IntervalNotConfigured` when no row covers the count.
    """
    if kind not in IntervalGuideline.Kind.values:
        raise ValueError(
            f"Unknown interval kind {kind!r}: use one of {IntervalGuideline.Kind.values}."
        )
    if tn_count < 1:
        raise ValueError("An interval is looked up for at least one TN.")
    scope = Q(carrier__isnull=True)
    if carrier is not None and carrier.pk is not None:
        scope |= Q(carrier=carrier)
    rows = list(
        IntervalGuideline.objects.filter(scope, kind=kind, min_tns__lte=tn_count).filter(
            Q(max_tns__isnull=True) | Q(max_tns__gte=tn_count)
        )
    )
    row = _pick(rows, tn_count)
    if row is None:
        label = IntervalGuideline.Kind(kind).label
        raise IntervalNotConfigured(
            f"No interval guideline covers {label} for {tn_count} TNs: add a default tier in "
            "the admin (Interval guidelines)."
        )
    return row.business_days


@dataclass(frozen=True, slots=True)
class EffectiveInterval:
    """One line of a carrier's effective interval table."""

    kind: str
    kind_label: str
    min_tns: int
    max_tns: int | None
    business_days: int
    is_override: bool
    note: str

    @property
    def tier_label(self) -> str:
        if self.max_tns is None:
            return f"{self.min_tns}+ TNs"
        if self.max_tns == self.min_tns:
            return f"{self.min_tns} TN" + ("" if self.min_tns == 1 else "s")
        return f"{self.min_tns}-{self.max_tns} TNs"


def effective_intervals(carrier: Carrier | None) -> list[EffectiveInterval]:
    """The interval table `interval_business_days` answers from for this carrier: defaults
    merged with the carrier's overrides, split into the TN-count ranges where the answer is
    the same row. One query."""
    scope = Q(carrier__isnull=True)
    if carrier is not None and carrier.pk is not None:
        scope |= Q(carrier=carrier)
    rows_by_kind: dict[str, list[IntervalGuideline]] = {}
    for row in IntervalGuideline.objects.filter(scope):
        rows_by_kind.setdefault(row.kind, []).append(row)
    table = []
    for kind in IntervalGuideline.Kind:
        rows = rows_by_kind.get(kind.value, [])
        points = sorted(
            {row.min_tns for row in rows}
            | {row.max_tns + 1 for row in rows if row.max_tns is not None}
        )
        # Consecutive segments [points[i], points[i+1] - 1]; the last one is open-ended.
        segments = []
        for index, start in enumerate(points):
            end = points[index + 1] - 1 if index + 1 < len(points) else None
            row = _pick(rows, start)
            if row is None:
                continue
            if segments and segments[-1][2] is row and segments[-1][1] == start - 1:
                segments[-1] = (segments[-1][0], end, row)
            else:
                segments.append((start, end, row))
        for start, end, row in segments:
            table.append(
                EffectiveInterval(
                    kind=kind.value,
                    kind_label=kind.label,
                    min_tns=start,
                    max_tns=end,
                    business_days=row.business_days,
                    is_override=row.carrier_id is not None,
                    note=row.note,
                )
            )
    return table


# --- portability check (R2, R3, R15, R17) -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class PortabilityResult:
    """What our NPAC view and inventory say about one TN. Unknown TNs are `known=False` with
    every other fact empty (never guessed), except `is_toll_free`, which the NPA tells."""

    tn: str
    known: bool
    spid: SPID | None = None
    carrier: Carrier | None = None
    is_toll_free: bool = False
    is_ours: bool = False
    is_working: bool = False
    number: TelephoneNumber | None = None
    account: CustomerAccount | None = None
    is_resold: bool = False


def portability_check(tns: list[str]) -> dict[str, PortabilityResult]:
    """For each 10-digit TN: its serving SPID and carrier, toll-free, ours, working, its
    account and whether we resell it (our account on another carrier's SPID: R3).

    Three queries at most, whatever the count: the numbers (one query per 30,000 TNs,
    SQLite's parameter limit), their SPIDs with carriers, their accounts. A project port's
    20,000 TNs share a handful of SPIDs: joining them row by row built 60,000 model
    instances where 20,000 and a few dozen do (0.5-0.8 s of a 20,000-TN order). Every
    number's spid, carrier and account are attached, so reading them queries nothing.
    The answer has one entry per distinct TN given, in the order given.
    """
    wanted = list(dict.fromkeys(tns))
    found: dict[str, TelephoneNumber] = {}
    for start in range(0, len(wanted), PORTABILITY_CHUNK):
        chunk = wanted[start : start + PORTABILITY_CHUNK]
        for number in TelephoneNumber.objects.filter(tn__any_of=chunk):
            found[number.tn] = number
    spids = SPID.objects.select_related("carrier").in_bulk({n.spid_id for n in found.values()})
    accounts = CustomerAccount.objects.in_bulk(
        {n.account_id for n in found.values() if n.account_id is not None}
    )
    for number in found.values():
        number.spid = spids[number.spid_id]
        number.account = accounts.get(number.account_id)
    results = {}
    for tn in wanted:
        number = found.get(tn)
        if number is None:
            results[tn] = PortabilityResult(
                tn=tn, known=False, is_toll_free=tn[:3] in TOLL_FREE_NPAS
            )
            continue
        carrier = number.spid.carrier
        results[tn] = PortabilityResult(
            tn=tn,
            known=True,
            spid=number.spid,
            carrier=carrier,
            is_toll_free=number.is_toll_free,
            is_ours=carrier.is_ours,
            is_working=number.status == TelephoneNumber.Status.WORKING,
            number=number,
            account=number.account,
            is_resold=number.account_id is not None and not carrier.is_ours,
        )
    return results


# --- our carrier --------------------------------------------------------------------------------


def our_carrier() -> Carrier:
    """The primary carrier of ours (is_ours, lowest pk): the new carrier of port-in orders.

    Raises Carrier.DoesNotExist with a message saying what to do when none is set up.
    """
    carrier = Carrier.objects.filter(is_ours=True).order_by("pk").first()
    if carrier is None:
        raise Carrier.DoesNotExist(
            "No carrier is marked as one of our companies: tick 'one of our companies' on our "
            "carrier in the admin (or run seed_demo)."
        )
    return carrier
