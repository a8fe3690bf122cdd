"""Keep PINs and account numbers out of logs and error reports.

Two pieces, both wired in `portal.settings`:

- `RedactSensitiveFilter`, a logging filter on the console handler: it rewrites a record's
  message (and the traceback text, when the record carries one) so that values written as
  `pin=1234`, `'pin': '1234'`, `PIN 1234`, `account_number=ACCT-1` or `passcode: x` come out as
  `[redacted]`. The portal's own log calls never pass these values (jobs log order ids); the
  filter is the net under a careless future message or an exception that quotes its input.
- `SensitiveDataReporterFilter`, Django's exception reporter filter
  (`DEFAULT_EXCEPTION_REPORTER_FILTER`): the error report Django builds for an unhandled
  exception (the DEBUG page, the email to ADMINS) lists POST data and each frame's local
  variables. This filter hides POST fields and variables named like a PIN, a passcode, a
  password or an account number, in dicts and dataclasses too (cleaned_data, LsrData), and is
  active whatever DEBUG says.
"""

from __future__ import annotations

import dataclasses
import logging
import re

from django.utils.datastructures import MultiValueDict
from django.views.debug import SafeExceptionReporterFilter

REDACTED = "[redacted]"

# Names whose values are never shown: form fields, dict keys, local variables.
SENSITIVE_NAME = re.compile(
    r"(^|_)(pin|pins|passcode|password|passwd|secret|account_number|account_numbers|"
    r"pin_token|pin_hash|pin_encrypted|raw_pin)($|_)|^csrfmiddlewaretoken$",
    re.IGNORECASE,
)

# `pin=1234`, `"pin": "1234"`, `PIN 1234`, `account number: ACCT-1`, `passcode=x`...
_VALUE_AFTER_NAME = re.compile(
    r"""(?P<name>\b(?:pin|passcode|password|account[ _-]?(?:number|no|num))\b['"]?)"""
    r"""(?P<sep>\s*(?:[:=]|\bis\b)?\s*)"""
    r"""(?P<quote>['"]?)(?P<value>[^\s'",;)}\]]+)""",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """`text` with every value that follows a PIN/passcode/account-number label redacted."""
    if not text:
        return text

    def _sub(match: re.Match) -> str:
        value = match.group("value")
        if value == REDACTED or value.lower() in {"redacted", "masked", "none", "null"}:
            return match.group(0)
        # A label followed by a plain word ("PIN mismatch", "pin matched") is not a value:
        # only redact what looks like a secret (has a digit) or was explicitly assigned.
        sep = match.group("sep")
        if not any(ch.isdigit() for ch in value) and not re.search(r"[:=]", sep):
            return match.group(0)
        return f"{match.group('name')}{sep}{match.group('quote')}{REDACTED}"

    return _VALUE_AFTER_NAME.sub(_sub, text)


class RedactSensitiveFilter(logging.Filter):
    """A logging filter that redacts PINs and account numbers from the message and traceback.

    It never drops a record; it formats the message once (so the arguments cannot bring a
    value back in) and formats the traceback into `exc_text`, which handlers print as is.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave the record to the handler
            return True
        record.msg = redact(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class SensitiveDataReporterFilter(SafeExceptionReporterFilter):
    """Django's error reports without PINs, passwords or account numbers, DEBUG or not."""

    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|PIN", flags=re.IGNORECASE
    )

    def is_active(self, request):
        return True

    def _cleanse(self, name, value, depth=0):
        if isinstance(name, str) and SENSITIVE_NAME.search(name):
            return self.cleansed_substitute
        if depth > 3:
            return value
        if isinstance(value, MultiValueDict):
            cleansed = value.copy()
            for key in list(cleansed):
                if isinstance(key, str) and SENSITIVE_NAME.search(key):
                    cleansed.setlist(key, [self.cleansed_substitute])
            return cleansed
        if isinstance(value, dict):
            return {k: self._cleanse(k, v, depth + 1) for k, v in value.items()}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = {
                f.name: self._cleanse(f.name, getattr(value, f.name, None), depth + 1)
                for f in dataclasses.fields(value)
            }
            inner = ", ".join(f"{k}={v!r}" for k, v in fields.items())
            return _Repr(f"{type(value).__name__}({inner})")
        if isinstance(value, str):
            return redact(value)
        return value

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return self._cleanse("", super().get_post_parameters(request))

    def get_cleansed_multivaluedict(self, request, multivaluedict):
        return self._cleanse("", super().get_cleansed_multivaluedict(request, multivaluedict))

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self._cleanse(name, value)) for name, value in variables]


class _Repr(str):
    """A string shown without quotes in the report (a cleansed dataclass)."""

    def __repr__(self):
        return str(self)
