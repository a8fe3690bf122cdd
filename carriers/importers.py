"""CSV imports of carriers (with SPIDs) and of the number inventory (with accounts).

Both are service functions (`carriers_import`, `numbers_import`) that the management commands
and, later, a web upload call. Each one:

- reads a CSV file with a header row (column names are case-insensitive; unknown or duplicate
  columns are refused);
- validates every row first and, when any row is bad, raises `CsvImportError` listing every
  problem as `line N: <field>: <reason>` (the header is line 1) and writes nothing;
- then writes in one transaction with bulk statements (no save per row), and only the rows
  that are new or differ from the database, so re-importing the same file changes nothing
  and says so ("0 created, 0 updated, N unchanged").

A column left out of the header keeps existing rows' values and gives new rows the model's
default; a blank cell in a column that is there means "empty" (or the default, for choices).
"""

from __future__ import annotations

import csv
import datetime
import re
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import TextIO

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone

from .cpni import account_number_digest, encrypt_value
from .models import (
    SPID,
    SPID_VALIDATOR,
    Carrier,
    Contact,
    CustomerAccount,
    TelephoneNumber,
)
from .tn import TOLL_FREE_NPAS, InvalidTN, normalize_tn

BATCH_SIZE = 1000
UPSERT_BATCH = 5000
# Rows fetched per `IN (...)` lookup: well under SQLite's 32,766 parameters.
LOOKUP_CHUNK = 5000

TRUE_WORDS = {"1", "true", "yes", "y", "t"}
FALSE_WORDS = {"0", "false", "no", "n", "f", ""}
SPID_SEPARATORS = re.compile(r"[\s;,]+")
ZIP_RE = re.compile(r"^\d{5}(-?\d{4})?$")
STATE_RE = re.compile(r"^[A-Z]{2}$")
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")


# --- results and errors ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class RowError:
    """One problem in an import file: `line` counts the header as line 1."""

    line: int
    field: str
    message: str

    def __str__(self):
        return f"line {self.line}: {self.field}: {self.message}"


class CsvImportError(ValueError):
    """The file was refused: nothing was imported. `errors` lists every bad row."""

    def __init__(self, errors: Iterable[RowError]):
        self.errors = sorted(errors)
        count = len(self.errors)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the file, nothing imported:\n"
            + "\n".join(str(error) for error in self.errors)
        )


@dataclass(slots=True)
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass(slots=True)
class ImportSummary:
    """Counts per kind of row, in the order they were written (e.g. "numbers", "accounts")."""

    counts: dict[str, Counts] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"{label}: {counts}" for label, counts in self.counts.items()]

    def __str__(self):
        return "; ".join(self.lines())


# --- reading the CSV --------------------------------------------------------------------------

Source = str | Path | TextIO | Iterable[str]


@dataclass(slots=True)
class _Row:
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


def _open_lines(source: Source) -> Iterator[str]:
    if isinstance(source, str | Path):
        with open(source, encoding="utf-8-sig", newline="") as handle:
            yield from handle
    else:
        first = True
        for line in source:
            if isinstance(line, bytes):
                line = line.decode("utf-8")
            if first:
                line = line.removeprefix("\ufeff")
                first = False
            yield line


def _header_name(raw: str) -> str:
    return re.sub(r"[\s\-]+", "_", raw.strip().lower())


def _read(
    source: Source, *, columns: Iterable[str], required: Iterable[str]
) -> tuple[set[str], list[_Row], list[RowError]]:
    """Rows as dicts of stripped strings keyed by known column names, plus header errors."""
    known = list(columns)
    errors: list[RowError] = []
    reader = csv.reader(_open_lines(source))
    try:
        header = next(reader)
    except StopIteration:
        return set(), [], [RowError(1, "header", "the file is empty: a header row is needed")]
    except csv.Error as exc:
        return set(), [], [RowError(1, "header", f"not a readable CSV row ({exc})")]
    names = [_header_name(cell) for cell in header]
    present: set[str] = set()
    for name in names:
        if not name:
            continue
        if name not in known:
            errors.append(
                RowError(1, "header", f"unknown column {name!r} (known: {', '.join(known)})")
            )
        elif name in present:
            errors.append(RowError(1, "header", f"column {name!r} appears twice"))
        present.add(name)
    errors.extend(
        RowError(1, "header", f"missing required column {name!r}")
        for name in required
        if name not in present
    )
    rows: list[_Row] = []
    last_line = reader.line_num
    while True:
        start = last_line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(start, "row", f"not a readable CSV row ({exc})"))
            break
        last_line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(names) and any(cell.strip() for cell in cells[len(names) :]):
            errors.append(
                RowError(start, "row", f"{len(cells)} cells but the header has {len(names)}")
            )
            continue
        values = {
            name: cell.strip() for name, cell in zip(names, cells, strict=False) if name in known
        }
        rows.append(_Row(start, values))
    return present, rows, errors


# --- value parsers (raise ValueError with the reason) -------------------------------------------


def _bool(raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{raw!r} is not a yes/no value (use 1/0, true/false, yes/no or blank)")


def _choice(raw: str, choices, what: str) -> str:
    wanted = re.sub(r"[\s\-]+", "_", raw.strip().lower())
    for value, label in choices:
        if wanted in {value, re.sub(r"[\s\-]+", "_", str(label).lower())}:
            return value
    allowed = ", ".join(value for value, _label in choices)
    raise ValueError(f"{raw!r} is not a {what} (use one of: {allowed})")


def _positive_int(raw: str, *, minimum: int = 0, maximum: int = 32767) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a whole number") from None
    if not minimum <= value <= maximum:
        raise ValueError(f"{value} is outside {minimum}-{maximum}")
    return value


def _time(raw: str) -> datetime.time:
    match = TIME_RE.match(raw.strip())
    if not match:
        raise ValueError(f"{raw!r} is not a 24-hour time HH:MM (e.g. 15:00)")
    return datetime.time(int(match[1]), int(match[2]), int(match[3] or 0))


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _time_zone(raw: str) -> str:
    if raw not in _time_zones():
        raise ValueError(f"{raw!r} is not an IANA time zone (e.g. America/Chicago)")
    return raw


def _spid_code(raw: str) -> str:
    code = raw.strip().upper()
    try:
        SPID_VALIDATOR(code)
    except ValidationError as exc:
        raise ValueError(f"{raw!r}: {exc.messages[0]}") from None
    return code


def _tn(raw: str) -> str:
    try:
        return normalize_tn(raw)
    except InvalidTN as exc:
        raise ValueError(str(exc)) from None


def _chunks(items: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Collector:
    """Collects RowErrors while parsing one row's cells."""

    def __init__(self):
        self.errors: list[RowError] = []

    def parse(self, row: _Row, column: str, parser, *args, memo: dict | None = None):
        """`parser(cell, *args)`, the error recorded against the row; `memo` caches answers
        per cell text for columns whose values repeat (SPIDs, choices, yes/no)."""
        raw = row.values.get(column, "")
        if memo is not None and raw in memo:
            value, error = memo[raw]
        else:
            try:
                value, error = parser(raw, *args), None
            except ValueError as exc:
                value, error = None, str(exc)
            if memo is not None:
                memo[raw] = (value, error)
        if error is not None:
            self.errors.append(RowError(row.line, column, error))
        return value

    def add(self, row: _Row, column: str, message: str):
        self.errors.append(RowError(row.line, column, message))


def _max_length(collector, row, column, model, field_name):
    value = row.get(column)
    limit = model._meta.get_field(field_name).max_length
    if len(value) > limit:
        collector.add(row, column, f"longer than {limit} characters")
        return False
    return True


# --- carriers -------------------------------------------------------------------------------

CARRIER_COLUMNS = (
    "name",
    "kind",
    "is_ours",
    "supports_csr",
    "port_in_route",
    "porting_peer",
    "time_zone",
    "lsr_cutoff",
    "spids",
    "spid_region",
    "csr_answer_hours",
    "max_due_date_days",
    "port_window_business_days",
    "sup_threshold",
    "csr_contact_email",
    "notes",
)
CARRIER_REQUIRED = ("name", "kind")
# Columns that map straight onto a Carrier field, compared to decide "updated".
_CARRIER_FIELDS = (
    "name",
    "kind",
    "is_ours",
    "supports_csr",
    "port_in_route",
    "time_zone",
    "lsr_cutoff",
    "csr_answer_hours",
    "max_due_date_days",
    "port_window_business_days",
    "sup_threshold",
    "notes",
)

CARRIERS_HELP = """\
Columns (header row required, names case-insensitive; only name and kind are required):
  name                       carrier name (matched case-insensitively to update a carrier)
  kind                       ilec, clec, wireless, voip, cable, shared_tenant, reseller,
                             resporg, third_party (or the admin's labels)
  is_ours                    1/0, true/false, yes/no; blank = no
  supports_csr               1/0, true/false, yes/no; blank = yes
  port_in_route              direct, local_peer or somos; blank = local_peer when porting_peer
                             is given, otherwise direct
  porting_peer               name of the carrier (in this file or already known) that carries
                             our LSRs; required with local_peer, only allowed with it
  time_zone                  IANA zone, e.g. America/Chicago; blank = America/Los_Angeles
  lsr_cutoff                 HH:MM local time (R7); blank = 15:00
  spids                      the carrier's SPIDs, separated by spaces, semicolons or commas;
                             codes are upper-cased; SPIDs not listed are kept, never deleted;
                             a SPID owned by another carrier is refused (move it in the admin)
  spid_region                NPAC region of the listed SPIDs (e.g. west_coast); blank = none
  csr_answer_hours           R1 clock; blank = 24
  max_due_date_days          R9 clock; blank = 30
  port_window_business_days  R11 clock; blank = 4
  sup_threshold              R12 due-date SUPs before a manager flag; blank = 3
  csr_contact_email          adds a CSR contact with this address unless one exists
  notes                      free text
"""


def _carrier_defaults() -> dict:
    return {name: Carrier._meta.get_field(name).get_default() for name in _CARRIER_FIELDS}


def carriers_import(*, source: Source) -> ImportSummary:
    """Create or update carriers, their SPIDs and CSR contacts from a CSV (see CARRIERS_HELP)."""
    present, rows, errors = _read(source, columns=CARRIER_COLUMNS, required=CARRIER_REQUIRED)
    if errors and any(error.line == 1 for error in errors):
        raise CsvImportError(errors)
    collector = _Collector()
    collector.errors.extend(errors)

    existing = {carrier.name.lower(): carrier for carrier in Carrier.objects.all()}
    existing_spids = {spid.code: spid for spid in SPID.objects.select_related("carrier").order_by()}
    names_in_file: dict[str, int] = {}
    spid_lines: dict[str, int] = {}
    parsed = []  # (row, values, spid_codes, region, peer_name, csr_email)
    region_choices = SPID.Region.choices

    for row in rows:
        before = len(collector.errors)
        values = {}
        name = row.get("name")
        if not name:
            collector.add(row, "name", "required")
        elif _max_length(collector, row, "name", Carrier, "name"):
            if name.lower() in names_in_file:
                collector.add(
                    row, "name", f"{name!r} is also on line {names_in_file[name.lower()]}"
                )
            names_in_file[name.lower()] = row.line
            values["name"] = name
        if not row.get("kind"):
            collector.add(row, "kind", "required")
        else:
            values["kind"] = collector.parse(row, "kind", _choice, Carrier.Kind.choices, "kind")
        for column, default in (("is_ours", False), ("supports_csr", True)):
            if column in present:
                raw = row.get(column)
                values[column] = default if raw == "" else collector.parse(row, column, _bool)
        peer_name = row.get("porting_peer")
        if "port_in_route" in present and row.get("port_in_route"):
            values["port_in_route"] = collector.parse(
                row, "port_in_route", _choice, Carrier.Route.choices, "port-in route"
            )
        elif "port_in_route" in present or peer_name:
            values["port_in_route"] = (
                Carrier.Route.LOCAL_PEER if peer_name else Carrier.Route.DIRECT
            )
        route = values.get("port_in_route")
        if route == Carrier.Route.LOCAL_PEER and not peer_name:
            collector.add(row, "porting_peer", "required when port_in_route is local_peer")
        if peer_name and route not in (None, Carrier.Route.LOCAL_PEER):
            collector.add(row, "porting_peer", "only allowed when port_in_route is local_peer")
        if peer_name and name and peer_name.lower() == name.lower():
            collector.add(row, "porting_peer", "a carrier cannot be its own porting peer")
        if "time_zone" in present:
            raw = row.get("time_zone")
            values["time_zone"] = (
                _carrier_defaults()["time_zone"]
                if raw == ""
                else collector.parse(row, "time_zone", _time_zone)
            )
        if "lsr_cutoff" in present:
            raw = row.get("lsr_cutoff")
            values["lsr_cutoff"] = (
                datetime.time(15, 0) if raw == "" else collector.parse(row, "lsr_cutoff", _time)
            )
        for column, minimum in (
            ("csr_answer_hours", 1),
            ("max_due_date_days", 1),
            ("port_window_business_days", 1),
            ("sup_threshold", 1),
        ):
            if column in present:
                raw = row.get(column)
                values[column] = (
                    _carrier_defaults()[column]
                    if raw == ""
                    else collector.parse(row, column, partial(_positive_int, minimum=minimum))
                )
        if "notes" in present:
            values["notes"] = row.get("notes")
        codes = []
        for raw_code in SPID_SEPARATORS.split(row.get("spids")):
            if not raw_code:
                continue
            code = collector.parse(_Row(row.line, {"spids": raw_code}), "spids", _spid_code)
            if code is None:
                continue
            if code in spid_lines:
                collector.add(row, "spids", f"SPID {code} is also on line {spid_lines[code]}")
                continue
            spid_lines[code] = row.line
            owner = existing_spids.get(code)
            if owner is not None and name and owner.carrier.name.lower() != name.lower():
                collector.add(
                    row,
                    "spids",
                    f"SPID {code} belongs to {owner.carrier.name}: move it in the admin first",
                )
                continue
            codes.append(code)
        region = None
        if "spid_region" in present:
            raw = row.get("spid_region")
            region = (
                ""
                if raw == ""
                else collector.parse(row, "spid_region", _choice, region_choices, "NPAC region")
            )
        email = row.get("csr_contact_email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                collector.add(row, "csr_contact_email", f"{email!r} is not an email address")
        if len(collector.errors) == before:
            parsed.append((row, values, codes, region, peer_name, email))

    # Porting peers must exist in the file or in the database.
    for row, _values, _codes, _region, peer_name, _email in parsed:
        if (
            peer_name
            and peer_name.lower() not in names_in_file
            and peer_name.lower() not in existing
        ):
            collector.add(row, "porting_peer", f"no carrier named {peer_name!r}")
    if collector.errors:
        raise CsvImportError(collector.errors)

    summary = ImportSummary({"carriers": Counts(), "SPIDs": Counts(), "CSR contacts": Counts()})
    with transaction.atomic():
        _write_carriers(parsed, existing, existing_spids, summary)
    return summary


def _write_carriers(parsed, existing, existing_spids, summary):
    carrier_counts = summary.counts["carriers"]
    to_create, to_update, update_fields = [], [], set()
    peers: dict[str, str] = {}  # carrier name (lower) -> peer name (lower) to set afterwards
    defaults = _carrier_defaults()
    for _row, values, _codes, _region, peer_name, _email in parsed:
        key = values["name"].lower()
        carrier = existing.get(key)
        if carrier is None:
            wanted = {**defaults, **values}
            route = wanted["port_in_route"]
            if route == Carrier.Route.LOCAL_PEER:
                # Inserted direct first: the check constraint wants the peer, set just below.
                wanted["port_in_route"] = Carrier.Route.DIRECT
                peers[key] = peer_name.lower()
            to_create.append(Carrier(**wanted))
            carrier_counts.created += 1
            continue
        changed = [name for name, value in values.items() if getattr(carrier, name) != value]
        current_peer = carrier.porting_peer.name.lower() if carrier.porting_peer_id else None
        wanted_peer = current_peer  # no route in the row: keep the route and the peer
        if "port_in_route" in values:
            wanted_peer = (
                peer_name.lower() if values["port_in_route"] == Carrier.Route.LOCAL_PEER else None
            )
        if not changed and wanted_peer == current_peer:
            carrier_counts.unchanged += 1
            continue
        for name in changed:
            setattr(carrier, name, values[name])
        update_fields.update(changed)
        if wanted_peer != current_peer:
            if wanted_peer is None:
                carrier.porting_peer = None
            else:
                # Linked in the second pass (the peer may be new); keep the row valid meanwhile.
                peers[key] = wanted_peer
                if carrier.porting_peer_id is None:
                    carrier.port_in_route = Carrier.Route.DIRECT
            update_fields.update({"porting_peer", "port_in_route"})
        to_update.append(carrier)
        carrier_counts.updated += 1
    Carrier.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update and update_fields:
        Carrier.objects.bulk_update(to_update, sorted(update_fields), batch_size=BATCH_SIZE)
    by_name = {carrier.name.lower(): carrier for carrier in Carrier.objects.all()}
    if peers:
        linked = []
        for key, peer_key in peers.items():
            carrier = by_name[key]
            carrier.porting_peer = by_name[peer_key]
            carrier.port_in_route = Carrier.Route.LOCAL_PEER
            linked.append(carrier)
        Carrier.objects.bulk_update(linked, ["porting_peer", "port_in_route"])

    spid_counts = summary.counts["SPIDs"]
    new_spids, changed_spids = [], []
    contact_counts = summary.counts["CSR contacts"]
    emails = {
        (carrier_id, email.lower())
        for carrier_id, email in Contact.objects.filter(role=Contact.Role.CSR).values_list(
            "carrier_id", "email"
        )
    }
    new_contacts = []
    for _row, values, codes, region, _peer, email in parsed:
        carrier = by_name[values["name"].lower()]
        for code in codes:
            spid = existing_spids.get(code)
            if spid is None:
                new_spids.append(SPID(code=code, carrier=carrier, region=region or ""))
                spid_counts.created += 1
            elif region is not None and spid.region != region:
                spid.region = region
                changed_spids.append(spid)
                spid_counts.updated += 1
            else:
                spid_counts.unchanged += 1
        if email:
            if (carrier.pk, email.lower()) in emails:
                contact_counts.unchanged += 1
            else:
                emails.add((carrier.pk, email.lower()))
                new_contacts.append(
                    Contact(carrier=carrier, role=Contact.Role.CSR, name="CSR desk", email=email)
                )
                contact_counts.created += 1
    SPID.objects.bulk_create(new_spids, batch_size=BATCH_SIZE)
    SPID.objects.bulk_update(changed_spids, ["region"], batch_size=BATCH_SIZE)
    Contact.objects.bulk_create(new_contacts, batch_size=BATCH_SIZE)


# --- numbers --------------------------------------------------------------------------------

NUMBER_COLUMNS = (
    "tn",
    "spid",
    "status",
    "line_type",
    "is_toll_free",
    "lrn",
    "account_number",
    "btn",
    "account_name",
    "authorized_person",
    "service_address",
    "city",
    "state",
    "zip",
    "unbundled_elements",
    "features",
    "centrex",
    "isdn",
    "ain",
    "remote_call_forwarding",
    "multiple_services_on_loop",
    "pin",
)
NUMBER_REQUIRED = ("tn", "spid")
# CSV column -> TelephoneNumber field (booleans)
_NUMBER_FLAGS = {
    "centrex": "has_centrex",
    "isdn": "has_isdn",
    "ain": "has_ain",
    "remote_call_forwarding": "has_remote_call_forwarding",
    "multiple_services_on_loop": "multiple_services_on_loop",
}
# TelephoneNumber fields an import sets (plus `account`), in a fixed order for comparisons.
_NUMBER_FIELDS = (
    "spid_id",
    "lrn",
    "is_toll_free",
    "status",
    "line_type",
    "features",
    "has_centrex",
    "has_isdn",
    "has_ain",
    "has_remote_call_forwarding",
    "multiple_services_on_loop",
)
# CSV column -> CustomerAccount field
_ACCOUNT_COLUMNS = {
    "btn": "btn",
    "account_name": "name",
    "authorized_person": "authorized_person",
    "service_address": "service_address",
    "city": "city",
    "state": "state",
    "zip": "zip_code",
    "unbundled_elements": "uses_unbundled_elements",
}
_ACCOUNT_REQUIRED = ("btn", "account_name", "service_address", "zip")

NUMBERS_HELP = """\
Columns (header row required, names case-insensitive; only tn and spid are required):
  tn                         the number, any usual US format ((503) 555-0100, +1 503 555 0100)
  spid                       the SPID serving it in NPAC (must exist: import carriers first)
  status                     working, disconnected or reserved; blank = working
  line_type                  pots, isdn_bri, pri, centrex, voip, wireless, toll_free;
                             blank = toll_free for toll-free NPAs, otherwise pots
  is_toll_free               optional check: must agree with the NPA (800/833/844/855/866/877/888)
  lrn                        location routing number (10 digits) or blank
  account_number             our customer's account; blank = not on one of our accounts.
                             With it, btn, account_name, service_address and zip are required,
                             and every row of one account must carry the same account values
  btn, account_name, authorized_person, service_address, city, state, zip
                             the account's CSR data (state: 2 letters; zip: 12345 or 12345-6789)
  unbundled_elements         the account uses unbundled network elements (R17)
  features                   free text shown on a CSR (e.g. "call waiting, voicemail")
  centrex, isdn, ain, remote_call_forwarding, multiple_services_on_loop
                             complex switch translations (R17)
  pin                        the account's port-out PIN/passcode, stored only as a salted hash;
                             blank keeps the PIN on file (clear it in the admin)
Booleans accept 1/0, true/false, yes/no or blank (= no).
"""


@dataclass(slots=True)
class _NumberRow:
    line: int
    tn: str
    values: dict  # TelephoneNumber attname -> value, only for columns in the file
    # The account number's digest (carriers.cpni): None: column absent; "": no account.
    account_digest: str | None


@dataclass(slots=True)
class _AccountRow:
    line: int
    number: str  # as first spelled in the file ("CT-2" and "ct2" are one account)
    raw: tuple  # the account cells as typed, to skip re-parsing identical rows
    fields: dict  # CustomerAccount attname -> value
    pin: str = ""
    pin_line: int = 0


def numbers_import(*, source: Source) -> ImportSummary:
    """Create or update numbers and their accounts from a CSV (see NUMBERS_HELP)."""
    present, rows, errors = _read(source, columns=NUMBER_COLUMNS, required=NUMBER_REQUIRED)
    if "account_number" in present:
        errors.extend(
            RowError(1, "header", f"column {name!r} is required with account_number")
            for name in _ACCOUNT_REQUIRED
            if name not in present
        )
    if errors and any(error.line == 1 for error in errors):
        raise CsvImportError(errors)
    collector = _Collector()
    collector.errors.extend(errors)
    parse = collector.parse
    memo: dict[str, dict] = {column: {} for column in NUMBER_COLUMNS}

    spids = dict(SPID.objects.values_list("code", "pk"))
    features_limit = TelephoneNumber._meta.get_field("features").max_length
    account_limit = CustomerAccount._meta.get_field("account_number").max_length
    account_columns = [column for column in _ACCOUNT_COLUMNS if column in present]
    flags = [(column, name) for column, name in _NUMBER_FLAGS.items() if column in present]
    with_accounts = "account_number" in present
    status_choices = TelephoneNumber.Status.choices
    line_type_choices = TelephoneNumber.LineType.choices
    tn_lines: dict[str, int] = {}
    accounts: dict[str, _AccountRow] = {}  # by the number's digest
    digests: dict[str, str] = {}  # account number cell -> digest (one HMAC per spelling)
    parsed: list[_NumberRow] = []

    for row in rows:
        before = len(collector.errors)
        cells = row.values
        values: dict = {}
        tn = None
        if not cells.get("tn"):
            collector.add(row, "tn", "required")
        else:
            tn = parse(row, "tn", _tn)
            if tn is not None:
                if tn in tn_lines:
                    collector.add(row, "tn", f"{tn} is also on line {tn_lines[tn]}")
                else:
                    tn_lines[tn] = row.line
        toll_free = tn is not None and tn[:3] in TOLL_FREE_NPAS
        values["is_toll_free"] = toll_free
        if not cells.get("spid"):
            collector.add(row, "spid", "required")
        else:
            code = parse(row, "spid", _spid_code, memo=memo["spid"])
            if code is not None:
                if code in spids:
                    values["spid_id"] = spids[code]
                else:
                    collector.add(row, "spid", f"unknown SPID {code} (import the carriers first)")
        if cells.get("is_toll_free"):
            stated = parse(row, "is_toll_free", _bool, memo=memo["is_toll_free"])
            if stated is not None and tn is not None and stated != toll_free:
                collector.add(
                    row,
                    "is_toll_free",
                    f"{tn[:3]} is {'a' if toll_free else 'not a'} toll-free NPA",
                )
        if "status" in present:
            values["status"] = (
                parse(row, "status", _choice, status_choices, "status", memo=memo["status"])
                if cells.get("status")
                else TelephoneNumber.Status.WORKING
            )
        if "line_type" in present or toll_free:
            if cells.get("line_type"):
                values["line_type"] = parse(
                    row,
                    "line_type",
                    _choice,
                    line_type_choices,
                    "line type",
                    memo=memo["line_type"],
                )
            else:
                values["line_type"] = (
                    TelephoneNumber.LineType.TOLL_FREE
                    if toll_free
                    else TelephoneNumber.LineType.POTS
                )
        if "lrn" in present:
            values["lrn"] = parse(row, "lrn", _tn, memo=memo["lrn"]) if cells.get("lrn") else ""
        if "features" in present:
            if len(cells.get("features", "")) > features_limit:
                collector.add(row, "features", f"longer than {features_limit} characters")
            values["features"] = cells.get("features", "")
        for column, name in flags:
            values[name] = parse(row, column, _bool, memo=memo[column])

        account_digest = None
        pin = cells.get("pin", "")
        if with_accounts:
            account_number = cells.get("account_number", "")
            account_digest = ""
            if account_number:
                account_digest = digests.get(account_number)
                if account_digest is None:
                    account_digest = digests[account_number] = account_number_digest(account_number)
                if len(account_number) > account_limit:
                    collector.add(row, "account_number", f"longer than {account_limit} characters")
                if not account_digest:
                    collector.add(row, "account_number", "has no letter or digit")
                else:
                    _account_row(
                        collector,
                        row,
                        account_number,
                        account_digest,
                        account_columns,
                        accounts,
                        pin,
                    )
            else:
                stray = [
                    c
                    for c in (*account_columns, "pin")
                    if cells.get(c) and c != "unbundled_elements"
                ]
                if stray:
                    collector.add(
                        row, "account_number", f"required when {', '.join(stray)} is given"
                    )
        elif pin:
            collector.add(row, "pin", "a PIN needs an account_number column")
        if len(collector.errors) == before:
            parsed.append(_NumberRow(row.line, tn, values, account_digest))
    if collector.errors:
        raise CsvImportError(collector.errors)

    summary = ImportSummary({"accounts": Counts(), "numbers": Counts()})
    with transaction.atomic():
        account_ids = _write_accounts(accounts, summary.counts["accounts"])
        _write_numbers(parsed, with_accounts, account_ids, summary.counts["numbers"])
    return summary


def _account_row(collector, row, account_number, digest, account_columns, accounts, pin):
    """Record (or check against the first row of) the account this row's number is on."""
    raw = tuple(row.values.get(column, "") for column in account_columns)
    seen = accounts.get(digest)
    if seen is None:
        fields = _parse_account(collector, row, account_columns)
        accounts[digest] = _AccountRow(
            row.line, account_number, raw, fields, pin, row.line if pin else 0
        )
        return
    if raw != seen.raw:
        fields = _parse_account(collector, row, account_columns)
        for column, name in _ACCOUNT_COLUMNS.items():
            if name in fields and name in seen.fields and fields[name] != seen.fields[name]:
                collector.add(
                    row, column, f"differs from line {seen.line} for account {account_number}"
                )
    if pin:
        if seen.pin and pin != seen.pin:
            collector.add(row, "pin", f"differs from line {seen.pin_line} for the account")
        elif not seen.pin:
            seen.pin, seen.pin_line = pin, row.line


def _parse_account(collector: _Collector, row: _Row, account_columns) -> dict:
    cells = row.values
    fields: dict = {}
    for column in _ACCOUNT_REQUIRED:
        if not cells.get(column):
            collector.add(row, column, "required with an account_number")
    if cells.get("btn"):
        fields["btn"] = collector.parse(row, "btn", _tn)
    for column, name in (
        ("account_name", "name"),
        ("authorized_person", "authorized_person"),
        ("service_address", "service_address"),
        ("city", "city"),
    ):
        if column in account_columns and _max_length(collector, row, column, CustomerAccount, name):
            fields[name] = cells.get(column, "")
    if "state" in account_columns:
        state = cells.get("state", "").upper()
        if state and not STATE_RE.match(state):
            collector.add(row, "state", f"{cells['state']!r} is not a 2-letter state code")
        fields["state"] = state
    zip_code = cells.get("zip", "")
    if zip_code and not ZIP_RE.match(zip_code):
        collector.add(row, "zip", f"{zip_code!r} is not a ZIP code (12345 or 12345-6789)")
    fields["zip_code"] = zip_code
    if "unbundled_elements" in account_columns:
        fields["uses_unbundled_elements"] = collector.parse(row, "unbundled_elements", _bool)
    return fields


def _upsert(model, columns: list[str], rows: list[tuple], *, conflict: str) -> None:
    """INSERT ... ON CONFLICT (conflict) DO UPDATE, with executemany in batches.

    The SQL both SQLite (3.24+) and PostgreSQL accept; used instead of bulk_create(
    update_conflicts=True) because that prepares every value of every row through the ORM,
    which made a 50,000-row file take many seconds. Values must already be database-ready.
    """
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    updates = ", ".join(
        f"{quote(column)} = excluded.{quote(column)}" for column in columns if column != conflict
    )
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({placeholders}) "
        f"ON CONFLICT ({quote(conflict)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        for batch in _chunks(rows, UPSERT_BATCH):
            cursor.executemany(sql, batch)


def _select_in(model, columns: list[str], key: str, keys: list) -> Iterator[tuple]:
    """Rows (as tuples of `columns`) whose `key` column is one of `keys`, in chunks.

    Raw SQL for the same reason as `_upsert`: the ORM prepares each of 50,000 IN values.
    """
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        for chunk in _chunks(keys):
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {names} FROM {table} WHERE {quote(key)} IN ({placeholders})", chunk
            )
            yield from cursor.fetchall()


_ACCOUNT_FIELDS = (
    "btn",
    "name",
    "authorized_person",
    "service_address",
    "city",
    "state",
    "zip_code",
    "uses_unbundled_elements",
    "pin_hash",
)


def _write_accounts(accounts: dict[str, _AccountRow], counts: Counts) -> dict[str, int]:
    """Upsert the file's accounts by their numbers' digests (the unique key; the number itself
    is a Fernet token, written only for a new or changed account); returns digest -> pk."""
    digests = list(accounts)
    existing: dict[str, dict] = {}
    columns = [CustomerAccount._meta.get_field(name).column for name in _ACCOUNT_FIELDS]
    for values in _select_in(
        CustomerAccount, ["account_number_digest", *columns], "account_number_digest", digests
    ):
        existing[values[0]] = dict(zip(_ACCOUNT_FIELDS, values[1:], strict=True))
    defaults = {
        name: CustomerAccount._meta.get_field(name).get_default() for name in _ACCOUNT_FIELDS
    }
    upserts = []
    for digest, spec in accounts.items():
        current = existing.get(digest)
        if current is None:
            row = {**defaults, **spec.fields}
            if spec.pin:
                row["pin_hash"] = make_password(spec.pin)
            counts.created += 1
        else:
            changed = any(current[name] != value for name, value in spec.fields.items())
            # Hashing is deliberately slow: only check (and re-hash) when a PIN is given.
            new_pin = bool(spec.pin) and not (
                current["pin_hash"] and check_password(spec.pin, current["pin_hash"])
            )
            if not changed and not new_pin:
                counts.unchanged += 1
                continue
            row = {**current, **spec.fields}
            if new_pin:
                row["pin_hash"] = make_password(spec.pin)
            counts.updated += 1
        upserts.append(
            (digest, encrypt_value(spec.number), *(row[name] for name in _ACCOUNT_FIELDS))
        )
    if upserts:
        _upsert(
            CustomerAccount,
            ["account_number_digest", "account_number", *_ACCOUNT_FIELDS],
            upserts,
            conflict="account_number_digest",
        )
    return dict(
        _select_in(
            CustomerAccount, ["account_number_digest", "id"], "account_number_digest", digests
        )
    )


_NUMBER_ATTNAMES = (
    "spid_id",
    "lrn",
    "is_toll_free",
    "account_id",
    "status",
    "line_type",
    "features",
    "has_centrex",
    "has_isdn",
    "has_ain",
    "has_remote_call_forwarding",
    "multiple_services_on_loop",
)


def _write_numbers(parsed: list[_NumberRow], with_accounts, account_ids, counts: Counts):
    fields = _NUMBER_ATTNAMES
    meta = TelephoneNumber._meta
    columns = [meta.get_field(name.removesuffix("_id")).column for name in fields]
    existing: dict[str, tuple] = {
        values[0]: values[1:]
        for values in _select_in(TelephoneNumber, ["tn", *columns], "tn", [r.tn for r in parsed])
    }
    defaults = {name: meta.get_field(name.removesuffix("_id")).get_default() for name in fields}
    defaults["account_id"] = None
    position = {name: index for index, name in enumerate(fields)}
    now = meta.get_field("updated_at").get_db_prep_save(timezone.now(), connection)
    upserts = []
    for row in parsed:
        wanted = row.values
        if with_accounts:
            wanted["account_id"] = account_ids[row.account_digest] if row.account_digest else None
        current = existing.get(row.tn)
        if current is None:
            full = {**defaults, **wanted}
            counts.created += 1
        elif any(current[position[name]] != value for name, value in wanted.items()):
            full = {**dict(zip(fields, current, strict=True)), **wanted}
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        upserts.append((row.tn, *(full[name] for name in fields), now))
    if upserts:
        _upsert(TelephoneNumber, ["tn", *columns, "updated_at"], upserts, conflict="tn")
