"""Checks shared by every form, import and service that takes what a person typed: dates inside
the working window, contact phone numbers, free-text caps.

One place for each rule, so the LSR form, the CSR request, the SUPs, the port-in pages, the
admin and the CSV importers answer the same input with the same message, and a service
reached some other way can ask the same question (`window_problem`, `contact_phone_problem`).

Why a working window: a date is typed by hand (9999, 2101, 0202 for 2020) far more often than
a port is really planned years ahead, and the business-day calendar has holiday data only for
the years the `holidays` package models; a date outside the window is refused at the form,
naming the field, instead of failing deep inside the FOC arithmetic.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone

from .tn import InvalidTN, normalize_tn

__all__ = [
    "COMMENT_MAX",
    "NOTE_MAX",
    "REASON_MAX",
    "REMARKS_MAX",
    "WINDOW_DAYS_AHEAD",
    "WINDOW_START",
    "ContactPhoneField",
    "WindowDateField",
    "WindowDateTimeField",
    "contact_phone_problem",
    "window_problem",
]

# The earliest date the desk works with, and how far ahead of today a date may be.
WINDOW_START = datetime.date(2000, 1, 1)
WINDOW_DAYS_AHEAD = 366

# Free-text caps (characters). Long enough for any real remark; short enough that a pasted
# log file or an accidental 5 MB paste is refused with the cap named instead of stored.
COMMENT_MAX = 4000  # comments on an order
REMARKS_MAX = 2000  # LSR / SUP / order remarks
REASON_MAX = 1000  # reasons, reject details, messages to the customer
NOTE_MAX = 1000  # notes on disputes, NPAC events, contacts


def window_end(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=WINDOW_DAYS_AHEAD)


def window_problem(
    value: datetime.date | datetime.datetime | None, *, today: datetime.date, label: str = ""
) -> str | None:
    """Why `value` is outside the working window (before 2000, more than a year after
    `today`), naming `label`; None when it is inside (or empty). A datetime is judged by its
    local date."""
    if value is None:
        return None
    day = timezone.localdate(value) if isinstance(value, datetime.datetime) else value
    name = f"{label}: " if label else ""
    # isoformat, not strftime: "%Y" drops the zeros of a year such as 0202.
    if day < WINDOW_START:
        return f"{name}{day.isoformat()} is before {WINDOW_START:%Y}: check the year."
    end = window_end(today)
    if day > end:
        return (
            f"{name}{day.isoformat()} is more than a year ahead (the latest is "
            f"{end.isoformat()}): check the year."
        )
    return None


class _WindowMixin:
    def validate(self, value):
        super().validate(value)
        problem = window_problem(value, today=timezone.localdate(), label=str(self.label or ""))
        if problem:
            raise forms.ValidationError(problem, code="outside_window")


class WindowDateField(_WindowMixin, forms.DateField):
    """A date field that refuses dates outside the working window, naming the field."""


class WindowDateTimeField(_WindowMixin, forms.DateTimeField):
    """A date-time field that refuses dates outside the working window, naming the field."""


# "x12", "ext. 12", "extension 12", "#12" after the number.
_EXTENSION_RE = re.compile(r"\s*(?:x|ext\.?|extension|#)\s*(\d{1,6})\s*$", re.IGNORECASE)


def contact_phone_problem(raw: str) -> str | None:
    """Why `raw` is not a contact phone (a 10-digit NANP number, optionally with an
    extension such as "x12"); None when it is one, or empty."""
    text = (raw or "").strip()
    if not text:
        return None
    number = _EXTENSION_RE.sub("", text)
    try:
        normalize_tn(number)
    except InvalidTN as exc:
        return (
            f"{text!r} is not a 10-digit NANP phone number ({exc.reason}); e.g. "
            "(503) 555-0100, with an extension as x12."
        )
    return None


class ContactPhoneField(forms.CharField):
    """A contact phone: a 10-digit NANP number, optionally with an extension."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", "10 digits, e.g. (503) 555-0100; an extension as x12.")
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        problem = contact_phone_problem(value)
        if problem:
            raise forms.ValidationError(problem, code="phone")
