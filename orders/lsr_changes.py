"""What changed between two versions of an LSR, field by field (both desks).

Pure (no database): each side is an LSR as kept in JSON, the shape of `LsrData.as_dict()`
(the port-out desk's `lsr_snapshot`, the port-in desk's `LsrVersion.fields`), without the
account number in clear: `account_number_masked` and `account_number_digest` stand for it,
so a changed number is seen by its keyed hash and shown masked only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from carriers.end_user import END_USER_FIELDS

# The end user's fields as the order page labels them; a field added to END_USER_FIELDS
# without a label here still shows, under its name.
_END_USER_LABELS = {
    "account_name": "Account name",
    "account_number": "Account number",
    "btn": "BTN",
    "authorized_person": "Authorized person",
    "service_address": "Service address",
    "city": "City",
    "state": "State",
    "zip_code": "ZIP code",
}

# The LSR's fields in the order the desk reads them (VER itself is the version's heading).
FIELD_LABELS: tuple[tuple[str, str], ...] = (
    ("pon", "PON"),
    ("reqtype", "REQTYPE"),
    ("act", "ACT"),
    ("mi", "MI"),
    ("requested_due_date", "Requested due date (DDD)"),
    ("expedite", "EXP (expedite)"),
    *(
        (name, _END_USER_LABELS.get(name, name.replace("_", " ").capitalize()))
        for name in END_USER_FIELDS
    ),
    ("authorization_indicator", "Authorization indicator"),
    ("remarks", "Remarks"),
)

TN_LABELS: tuple[tuple[str, str], ...] = (
    ("tns", "TNs to port"),
    ("disconnect_tns", "TNs to disconnect"),
    ("remain_tns", "TNs that remain"),
)


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str
    sensitive: bool = False  # shown masked: the values are the masked forms


@dataclass(frozen=True, slots=True)
class TnChange:
    label: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LsrChanges:
    fields: tuple[FieldChange, ...] = ()
    tns: tuple[TnChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.fields or self.tns)


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _account_number_change(old: Mapping, new: Mapping) -> FieldChange | None:
    """By the keyed hashes; where a side has none (an LSR kept before them), no claim."""
    before, after = old.get("account_number_digest"), new.get("account_number_digest")
    if before is None or after is None or before == after:
        return None
    return FieldChange(
        "account_number",
        _END_USER_LABELS["account_number"],
        _shown(old.get("account_number_masked")),
        _shown(new.get("account_number_masked")),
        sensitive=True,
    )


def lsr_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> LsrChanges:
    """The fields whose value differs (old -> new) and the TNs added or removed, per
    disposition. A field absent from both sides is not compared."""
    fields = []
    for name, label in FIELD_LABELS:
        if name == "account_number":
            change = _account_number_change(old, new)
            if change is not None:
                fields.append(change)
            continue
        if name not in old and name not in new:
            continue
        before, after = _shown(old.get(name)), _shown(new.get(name))
        if before != after:
            fields.append(FieldChange(name, label, before, after))
    tns = []
    for name, label in TN_LABELS:
        before, after = set(old.get(name) or ()), set(new.get(name) or ())
        if before != after:
            tns.append(
                TnChange(label, tuple(sorted(after - before)), tuple(sorted(before - after)))
            )
    return LsrChanges(tuple(fields), tuple(tns))
