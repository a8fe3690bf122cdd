"""The data the port-out rules read and the findings they return.

Everything here is plain data: the rules never touch the database, a request or a form. The
port-out service fetches the facts once per LSR (one inventory query for all TNs, one for the
accounts' other TNs, the calendar and the intervals) and hands them over.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from carriers.end_user import EndUser
from carriers.tn import format_tn

# Interval kinds (carriers.models.IntervalGuideline.Kind values), repeated as strings so the
# rules need nothing but the standard library at import time.
KIND_PORT_ONLY = "port_only"
KIND_OTHER = "other"
KIND_SIMPLE = "simple"
PORT_ONLY_REQTYPES = frozenset({"C", "CB"})

# The order findings are listed in (rule number order, then field/TN).
RULE_ORDER = {f"R{n}": n for n in range(1, 20)}


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's verdict on one field or TN.

    `code` is the rejection-reason catalogue code when the finding is a reason to reject the
    request ("R2".."R16", "R18-ACCT"...); informational findings (cut-off applied, interval
    used, simple-port classification) have an empty code. An R18 finding without a code (the
    end-user name) still stops the FOC: `validation_fields.blocks_foc`.
    """

    rule: str
    field_or_tn: str
    message: str
    code: str = ""

    @property
    def is_reject(self) -> bool:
        return bool(self.code)

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "field_or_tn": self.field_or_tn,
            "message": self.message,
            "code": self.code,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> Finding:
        return cls(
            rule=data["rule"],
            field_or_tn=data.get("field_or_tn", ""),
            message=data["message"],
            code=data.get("code", ""),
        )

    def sort_key(self):
        return (RULE_ORDER.get(self.rule, 99), self.field_or_tn)


@dataclass(frozen=True, slots=True)
class LsrData:
    """An LSR as the requesting carrier sent it (never the PIN: the service checks and drops it).

    None means "the field was not on the LSR" (R16); TN tuples hold 10-digit strings.
    """

    pon: str = ""
    version: int | None = None
    reqtype: str = ""
    act: str = ""
    mi: str = ""
    requested_due_date: datetime.date | None = None
    expedite: bool = False
    tns: tuple[str, ...] = ()
    disconnect_tns: tuple[str, ...] = ()
    remarks: str = ""
    end_user: EndUser = EndUser()
    authorization_indicator: bool | None = None
    received_at: datetime.datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready snapshot (dates as ISO strings), kept on the order for re-runs; the
        end user's fields sit at the top level, as in the LSR form."""
        data = asdict(self)
        data.update(data.pop("end_user"))
        data["tns"] = list(self.tns)
        data["disconnect_tns"] = list(self.disconnect_tns)
        if self.requested_due_date:
            data["requested_due_date"] = self.requested_due_date.isoformat()
        if self.received_at:
            data["received_at"] = self.received_at.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LsrData:
        values = dict(data)
        values["tns"] = tuple(values.get("tns") or ())
        values["disconnect_tns"] = tuple(values.get("disconnect_tns") or ())
        if values.get("requested_due_date"):
            values["requested_due_date"] = datetime.date.fromisoformat(values["requested_due_date"])
        if values.get("received_at"):
            values["received_at"] = datetime.datetime.fromisoformat(values["received_at"])
        values["end_user"] = EndUser.from_values(values)
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in values.items() if k in known})

    @property
    def is_port_only(self) -> bool:
        return self.reqtype.upper() in PORT_ONLY_REQTYPES

    @property
    def reqtype_kind(self) -> str:
        """The interval kind the REQTYPE selects when the port is not simple (R8)."""
        return KIND_PORT_ONLY if self.is_port_only else KIND_OTHER


@dataclass(frozen=True, slots=True)
class CsrRequestData:
    """A CSR request from another carrier (R2-R5)."""

    tns: tuple[str, ...]
    authorization_indicator: bool
    has_loa: bool = False


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules know beyond the request, fetched once per request by the service.

    - `inventory`: tn -> carriers.services.PortabilityResult for every TN on the request
      (ported and disconnect lists), from one portability_check() call.
    - `account_tns`: account id -> every TN on that account (R13 dispositions, R17).
    - `csr_contacts`: carrier id -> a printable CSR contact of that carrier (R3).
    - `calendar`: our carrier's carriers.calendar.BusinessCalendar; `tz` and `cutoff` our
      carrier's time zone and LSR cut-off (R7).
    - `intervals`: interval kind -> business days for this TN count and requesting carrier
      (trading-partner override already applied, R8).
    """

    inventory: Mapping[str, Any]
    requester_kind: str
    requester_name: str = ""
    account_tns: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    csr_contacts: Mapping[int, str] = field(default_factory=dict)
    calendar: Any = None
    tz: datetime.tzinfo | None = None
    cutoff: datetime.time = datetime.time(15, 0)
    intervals: Mapping[str, int] = field(default_factory=dict)
    max_due_date_days: int = 30
    simple_port_override: bool | None = None
    # R18, put in by the service: account id -> rules.validation_fields.AccountRecord (digests
    # and normalized values, never our plaintext account number or PIN), the LSR's account
    # number as the same keyed digest, and whether the PIN offered matched (None: none offered).
    account_records: Mapping[int, Any] = field(default_factory=dict)
    offered_account_digest: str = ""
    pin_matched: bool | None = None
    # R19, put in by the service: account id -> whether the holder locked it against port-out,
    # for every account of ours that a TN on the request is on.
    account_locks: Mapping[int, bool] = field(default_factory=dict)

    @property
    def requester_is_third_party(self) -> bool:
        return self.requester_kind == "third_party"


@dataclass(frozen=True, slots=True)
class FocDecision:
    """The proposed FOC and the one-line arithmetic behind it (R7, R8, R10).

    `date` is the FOC to send when no manager is needed, or the interval date a refused
    expedite falls back to; `expedite_date` is the date an accepted expedite gets.
    """

    date: datetime.date | None
    explanation: str
    needs_expedite_review: bool = False
    effective_receipt: datetime.date | None = None
    interval_date: datetime.date | None = None
    expedite_date: datetime.date | None = None

    def as_dict(self) -> dict[str, Any]:
        def iso(d):
            return d.isoformat() if d else None

        return {
            "date": iso(self.date),
            "explanation": self.explanation,
            "needs_expedite_review": self.needs_expedite_review,
            "effective_receipt": iso(self.effective_receipt),
            "interval_date": iso(self.interval_date),
            "expedite_date": iso(self.expedite_date),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FocDecision:
        def day(key):
            value = data.get(key)
            return datetime.date.fromisoformat(value) if value else None

        return cls(
            date=day("date"),
            explanation=data.get("explanation", ""),
            needs_expedite_review=bool(data.get("needs_expedite_review")),
            effective_receipt=day("effective_receipt"),
            interval_date=day("interval_date"),
            expedite_date=day("expedite_date"),
        )


@dataclass(frozen=True, slots=True)
class SimplePortClassification:
    """R17: the FCC's four conditions; `reasons` name each one that failed."""

    is_simple: bool
    reasons: tuple[str, ...] = ()
    overridden: bool = False


@dataclass(frozen=True, slots=True)
class Dispositions:
    """R13: what happens to every TN on the account(s): port, disconnect or remain."""

    port: tuple[str, ...]
    disconnect: tuple[str, ...]
    remain: tuple[str, ...]

    @property
    def is_partial(self) -> bool:
        return bool(self.disconnect or self.remain)


def fmt_tn(tn: str) -> str:
    """(503) 555-0100, as everywhere in the portal."""
    return format_tn(tn)


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def fmt_day(d: datetime.date) -> str:
    """`Mon 11/23`: short enough for the one-line FOC explanation, unambiguous across weeks."""
    return f"{_WEEKDAYS[d.weekday()]} {d.month}/{d.day}"


def fmt_tn_list(tns, limit: int = 5) -> str:
    tns = list(tns)
    shown = ", ".join(fmt_tn(tn) for tn in tns[:limit])
    return shown + (f" and {len(tns) - limit} more" if len(tns) > limit else "")


# TNs written in free-text remarks: 5035550100, 503-555-0100, (503) 555-0100, 503.555.0100.
_REMARK_TN = re.compile(
    r"(?<!\d)(?:1[\s.-]?)?\(?([2-9]\d{2})\)?[\s.-]?([2-9]\d{2})[\s.-]?(\d{4})(?!\d)"
)


def tns_in_text(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for match in _REMARK_TN.finditer(text or ""):
        seen["".join(match.groups())] = None
    return tuple(seen)
