"""R7 cut-off, R8 interval and expedite, R9 due date too far out, R10 supplements: the FOC
arithmetic, explained in one line the desk and the requesting carrier can check."""

from __future__ import annotations

import datetime

from .base import KIND_PORT_ONLY, KIND_SIMPLE, Finding, FocDecision, fmt_day

# A SUP this many business days (48 h) before the established due date keeps the date (R10).
SUP_KEEP_DATE_BUSINESS_DAYS = 2


def _on_or_after(calendar, day: datetime.date) -> datetime.date:
    return day if calendar.is_business_day(day) else calendar.next_business_day(day)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def interval_label(kind: str, *, reqtype: str = "", tn_count: int = 1) -> str:
    if kind == KIND_SIMPLE:
        what = "simple port"
    elif kind == KIND_PORT_ONLY:
        what = f"port only ({reqtype.upper() or 'CB'})"
    else:
        what = f"REQTYPE {reqtype.upper()}" if reqtype else "other REQTYPE"
    return what if tn_count <= 1 else f"{what}, {tn_count} TNs,"


def _received_phrase(received_at: datetime.datetime, tz) -> str:
    local = received_at.astimezone(tz) if tz is not None else received_at
    return f"{fmt_day(local.date())} {local:%H:%M}"


def effective_receipt(received_at, *, calendar, tz, cutoff) -> datetime.date:
    """R7: at or after the cut-off, or on a closed day, counts as the next business day."""
    return calendar.effective_receipt_date(received_at, tz=tz, cutoff=cutoff)


def compute_foc(
    *,
    received_at: datetime.datetime,
    calendar,
    tz,
    cutoff: datetime.time,
    interval_days: int,
    kind: str,
    requested_date: datetime.date | None,
    expedite: bool = False,
    reqtype: str = "",
    tn_count: int = 1,
) -> FocDecision:
    """The FOC for an LSR (R7, R8): never before the interval from the effective receipt, never
    before the requested date; a shorter requested date goes to the interval unless expedite is
    set, in which case a manager decides (accepted: the requested date; refused: the interval).
    """
    effective = effective_receipt(received_at, calendar=calendar, tz=tz, cutoff=cutoff)
    interval_date = calendar.add_business_days(effective, interval_days)
    parts = [
        f"received {_received_phrase(received_at, tz)} -> {fmt_day(effective)}",
        f"{interval_label(kind, reqtype=reqtype, tn_count=tn_count)} "
        f"{_plural(interval_days, 'business day')} -> {fmt_day(interval_date)}",
    ]
    needs_review = False
    expedite_date = None
    if requested_date is None:
        foc = interval_date
        parts.append(f"no requested date -> FOC {fmt_day(foc)}")
    elif requested_date >= interval_date:
        foc = _on_or_after(calendar, requested_date)
        parts.append(f"requested {fmt_day(requested_date)} -> FOC {fmt_day(foc)}")
    elif expedite:
        foc = interval_date
        needs_review = True
        expedite_date = _on_or_after(calendar, max(requested_date, effective))
        parts.append(
            f"requested {fmt_day(requested_date)} with expedite -> manager decides: FOC "
            f"{fmt_day(expedite_date)} if accepted, {fmt_day(interval_date)} if refused"
        )
    else:
        foc = interval_date
        parts.append(f"requested {fmt_day(requested_date)} -> FOC {fmt_day(foc)}")
    return FocDecision(
        date=foc,
        explanation="; ".join(parts),
        needs_expedite_review=needs_review,
        effective_receipt=effective,
        interval_date=interval_date,
        expedite_date=expedite_date,
    )


def expedite_outcome(decision: FocDecision, *, accepted: bool) -> tuple[datetime.date, str]:
    """The FOC and explanation once a manager has accepted or refused the expedite (R8)."""
    if accepted:
        day = decision.expedite_date or decision.date
        return day, f"{decision.explanation}; expedite accepted -> FOC {fmt_day(day)}"
    day = decision.date
    return day, f"{decision.explanation}; expedite refused -> FOC {fmt_day(day)}"


def _sup_date_unmet(
    calendar, requested: datetime.date | None, effective: datetime.date, max_days: int | None
) -> str:
    """Why an in-time SUP's requested date cannot be kept (R10), or "" when it can."""
    if requested is None:
        return "no date asked for"
    if requested < effective:
        return f"requested {fmt_day(requested)} is in the past"
    if not calendar.is_business_day(requested):
        return f"requested {fmt_day(requested)} is not a business day"
    if max_days is not None and (requested - effective).days > max_days:
        return f"requested {fmt_day(requested)} is more than {max_days} days out (R9)"
    return ""


def compute_sup_foc(
    *,
    sup_received_at: datetime.datetime,
    calendar,
    tz,
    cutoff: datetime.time,
    interval_days: int,
    kind: str,
    requested_date: datetime.date | None,
    established_foc: datetime.date,
    max_days: int | None = None,
    reqtype: str = "",
    tn_count: int = 1,
) -> FocDecision:
    """R10: a due-date SUP received at least 2 business days (48 h) before the established FOC
    keeps the date it asks for when that date is a business day, not in the past and within R9,
    even inside the interval: the seed promises to meet it. Only a late SUP, or one whose date
    cannot be met, gets the interval counted from the SUP's receipt (or the requested date when
    that is later still and can be met)."""
    effective = effective_receipt(sup_received_at, calendar=calendar, tz=tz, cutoff=cutoff)
    interval_date = calendar.add_business_days(effective, interval_days)
    early = calendar.add_business_days(effective, SUP_KEEP_DATE_BUSINESS_DAYS) <= established_foc
    interval = (
        f"{interval_label(kind, reqtype=reqtype, tn_count=tn_count)} "
        f"{_plural(interval_days, 'business day')} -> {fmt_day(interval_date)}"
    )
    received = f"SUP received {_received_phrase(sup_received_at, tz)} -> {fmt_day(effective)}"
    unmet = _sup_date_unmet(calendar, requested_date, effective, max_days)
    if early and not unmet:
        foc = requested_date
        explanation = (
            f"{received}, at least 2 business days before FOC {fmt_day(established_foc)}: "
            f"requested {fmt_day(requested_date)} kept -> FOC {fmt_day(foc)}"
        )
    else:
        if early:
            head = (
                f"{received}, at least 2 business days before FOC {fmt_day(established_foc)}, "
                f"but {unmet}"
            )
        else:
            head = f"{received}, less than 2 business days before FOC {fmt_day(established_foc)}"
        usable = requested_date is not None and requested_date >= effective
        if usable and max_days is not None and (requested_date - effective).days > max_days:
            usable = False
        requested = _on_or_after(calendar, requested_date) if usable else None
        foc = max(interval_date, requested) if requested is not None else interval_date
        explanation = f"{head}; {interval}; interval counted from the SUP -> new FOC {fmt_day(foc)}"
    return FocDecision(
        date=foc,
        explanation=explanation,
        effective_receipt=effective,
        interval_date=interval_date,
    )


def r7_cutoff(received_at, decision: FocDecision, *, tz, cutoff) -> list[Finding]:
    """R7: say so when the receipt was moved to a later business day."""
    local = received_at.astimezone(tz) if tz is not None else received_at
    if decision.effective_receipt is None or decision.effective_receipt == local.date():
        return []
    why = (
        f"at or after the {cutoff:%H:%M} cut-off"
        if local.time() >= cutoff
        else "on a non-business day"
    )
    return [
        Finding(
            "R7",
            "received",
            f"Received {_received_phrase(received_at, tz)}, {why}: counted as received "
            f"{fmt_day(decision.effective_receipt)}.",
        )
    ]


def r8_interval(requested_date, expedite: bool, decision: FocDecision) -> list[Finding]:
    """R8: a requested date shorter than the interval goes to the interval or, with EXP set,
    to a manager."""
    if requested_date is None or decision.interval_date is None:
        return []
    if requested_date >= decision.interval_date:
        return []
    if expedite:
        message = (
            f"Requested due date {fmt_day(requested_date)} is shorter than the interval "
            f"({fmt_day(decision.interval_date)}) and expedite is set: a manager accepts or "
            "refuses the expedite."
        )
    else:
        message = (
            f"Requested due date {fmt_day(requested_date)} is shorter than the interval: FOC at "
            f"the interval, {fmt_day(decision.interval_date)}."
        )
    return [Finding("R8", "requested due date", message)]


def r9_due_date_too_far(
    requested_date, receipt: datetime.date | None, *, max_days: int
) -> list[Finding]:
    """R9: a requested due date more than `max_days` calendar days after (effective) receipt."""
    if requested_date is None or receipt is None:
        return []
    days = (requested_date - receipt).days
    if days <= max_days:
        return []
    return [
        Finding(
            "R9",
            "requested due date",
            f"Requested due date {requested_date:%Y-%m-%d} is {days} days after receipt "
            f"({receipt:%Y-%m-%d}), more than {max_days}: send a new LSR with a due date within "
            f"{max_days} calendar days.",
            "R9",
        )
    ]
