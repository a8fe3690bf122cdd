"""The carriers' CSV import (`carriers_import`): carriers with their SPIDs and a CSR contact.

One row at a time through a ModelForm over Carrier (as NetBox's CSV import does), so the
carrier's rules are the model's own (`Carrier.clean`, the field validators and constraints) and
answer the import with the words the admin uses. The whole file runs in one transaction: a file
with any bad row is refused whole, every problem listed as `line N: <column>: <reason>`.

A column left out of the header keeps existing carriers' values and gives new ones the model's
default; a blank cell in a column that is there means the default (or empty, for notes).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from carriers.forms import CarrierForm
from carriers.models import SPID, SPID_VALIDATOR, Carrier, Contact

from .csv_rows import (
    Counts,
    CsvImportError,
    ImportSummary,
    Progress,
    Row,
    RowError,
    Source,
    parse_bool,
    parse_choice,
    parse_time,
    read_csv,
    report_progress,
)

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
# The Carrier fields a row sets (the admin form's), compared to tell "updated" from "unchanged".
CARRIER_FIELDS = tuple(CarrierForm.Meta.fields)

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


def _default(name: str):
    return Carrier._meta.get_field(name).get_default()


class CellField(forms.Field):
    """A CSV cell read by one of the shared parsers (`csv_rows.parse_*`); a blank cell is
    `blank`. A value that is not text (a carrier's current value) passes as it is."""

    def __init__(self, parse, *args, blank=None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.parse, self.args, self.blank = parse, args, blank

    def to_python(self, value):
        if not isinstance(value, str):
            return value
        if value == "":
            return self.blank
        try:
            return self.parse(value, *self.args)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class PeerField(forms.Field):
    """The porting peer by name: a carrier already known or imported from an earlier row."""

    def __init__(self, *, carriers: dict[str, Carrier], **kwargs):
        super().__init__(required=False, **kwargs)
        self.carriers = carriers

    def to_python(self, value):
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return self.carriers[value.lower()]
        except KeyError:
            raise ValidationError(f"no carrier named {value!r}") from None


# The clocks: a blank cell is the model's default (CarrierImportForm.clean).
CLOCKS = ("csr_answer_hours", "max_due_date_days", "port_window_business_days", "sup_threshold")


def _number() -> forms.IntegerField:
    return forms.IntegerField(required=False, error_messages={"invalid": "not a whole number"})


class CarrierImportForm(CarrierForm):
    """One CSV row: the admin's carrier form with CSV cells for its fields (yes/no words,
    choice labels, peers by name). The model's validators and `Carrier.clean` do the checking."""

    kind = CellField(
        parse_choice,
        Carrier.Kind.choices,
        "kind",
        required=True,
        error_messages={"required": "required"},
    )
    is_ours = CellField(parse_bool, blank=False)
    supports_csr = CellField(parse_bool, blank=True)
    port_in_route = CellField(parse_choice, Carrier.Route.choices, "port-in route")
    time_zone = forms.CharField(required=False)
    lsr_cutoff = CellField(parse_time)
    csr_answer_hours = _number()
    max_due_date_days = _number()
    port_window_business_days = _number()
    sup_threshold = _number()
    notes = forms.CharField(required=False)
    # Beside the carrier: its SPIDs (checked with the SPID field's validator) and a CSR contact.
    spids = forms.CharField(required=False)
    spid_region = CellField(parse_choice, SPID.Region.choices, "NPAC region", blank="")
    csr_contact_email = forms.EmailField(
        required=False, error_messages={"invalid": "%(value)r is not an email address"}
    )

    class Meta(CarrierForm.Meta):
        error_messages = {"name": {"required": "required"}}

    def __init__(self, *args, carriers: dict[str, Carrier], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["porting_peer"] = PeerField(carriers=carriers)

    def clean(self):
        cleaned = super().clean()
        # A blank cell in a column that is there: the model's default.
        for name in ("time_zone", "lsr_cutoff", *CLOCKS):
            if cleaned.get(name) in ("", None) and name not in self.errors:
                cleaned[name] = _default(name)
        return cleaned

    def clean_spids(self):
        codes, problems = [], []
        for raw in (
            (self.cleaned_data.get("spids") or "").replace(";", " ").replace(",", " ").split()
        ):
            code = raw.upper()
            try:
                SPID_VALIDATOR(code)
            except ValidationError as exc:
                problems.append(f"{raw!r}: {exc.messages[0]}")
                continue
            codes.append(code)
        if problems:
            raise ValidationError(problems)
        return codes

    def _post_clean(self):
        # A field the row already got wrong (an unknown peer) is not reported twice by the
        # model's own rule on it (no peer for a local-peer route).
        failed = {name: list(errors) for name, errors in self.errors.items()}
        super()._post_clean()
        for name, errors in failed.items():
            self._errors[name] = self.error_class(errors)


def _form_data(row: Row, present: set[str], carrier: Carrier) -> dict:
    """The row as form data over the carrier's current (or default) values."""
    data = {name: getattr(carrier, name) for name in CARRIER_FIELDS}
    data.update(
        {
            column: row.get(column)
            for column in present
            if column not in ("port_in_route", "porting_peer")
        }
    )
    peer_name = row.get("porting_peer")
    if row.get("port_in_route"):
        data["port_in_route"] = row.get("port_in_route")
    elif "port_in_route" in present or peer_name:
        data["port_in_route"] = Carrier.Route.LOCAL_PEER if peer_name else Carrier.Route.DIRECT
    if "port_in_route" in present or peer_name:
        data["porting_peer"] = peer_name
    return data


def _in_peer_order(rows: list[Row]) -> list[Row]:
    """Rows whose porting peer is in the file come after that peer's row."""
    by_name = {row.get("name").lower(): row for row in reversed(rows) if row.get("name")}
    depth: dict[int, int] = {}

    def depth_of(row: Row, seen: frozenset = frozenset()) -> int:
        if row.line not in depth:
            peer = by_name.get(row.get("porting_peer").lower())
            chained = peer is not None and peer is not row and peer.line not in seen
            depth[row.line] = depth_of(peer, seen | {row.line}) + 1 if chained else 0
        return depth[row.line]

    return sorted(rows, key=depth_of)


def carriers_import(
    *, source: Source, dry_run: bool = False, progress: Progress | None = None
) -> ImportSummary:
    """Create or update carriers, their SPIDs and CSR contacts from a CSV (see CARRIERS_HELP).

    `dry_run`: the same writes, rolled back, so the summary says what an import would change.
    `progress(rows_done, rows_total)` is called as the rows go (the admin's progress bar)."""
    present, rows, errors = read_csv(source, columns=CARRIER_COLUMNS, required=CARRIER_REQUIRED)
    if any(error.line == 1 for error in errors):
        raise CsvImportError(errors)
    summary = ImportSummary(
        {"carriers": Counts(), "SPIDs": Counts(), "CSR contacts": Counts()}, dry_run=dry_run
    )
    with transaction.atomic():
        _Import(present, summary, errors).run(_in_peer_order(rows), progress)
        transaction.set_rollback(dry_run)
    return summary


class _Import:
    def __init__(self, present: set[str], summary: ImportSummary, errors: list[RowError]):
        self.present, self.summary, self.errors = present, summary, errors
        self.counts = summary.counts
        self.carriers = {c.name.lower(): c for c in Carrier.objects.select_related("porting_peer")}
        self.spids = {s.code: s for s in SPID.objects.select_related("carrier").order_by()}
        self.names: dict[str, int] = {}  # name (lower) -> line
        self.spid_lines: dict[str, int] = {}
        self.emails = {
            (carrier_id, email.lower())
            for carrier_id, email in Contact.objects.filter(role=Contact.Role.CSR).values_list(
                "carrier_id", "email"
            )
        }

    def run(self, rows: list[Row], progress: Progress | None) -> None:
        for done, row in enumerate(rows, start=1):
            self.row(row)
            report_progress(progress, done, len(rows))
        if self.errors:
            raise CsvImportError(self.errors)  # inside the transaction: nothing is kept

    def error(self, row: Row, column: str, message: str) -> None:
        self.errors.append(RowError(row.line, column, message))

    def row(self, row: Row) -> None:
        before = len(self.errors)
        name = row.get("name")
        if name and name.lower() in self.names:
            self.error(row, "name", f"{name!r} is also on line {self.names[name.lower()]}")
        elif name:
            self.names[name.lower()] = row.line
        carrier = self.carriers.get(name.lower()) if name else None
        current = {f.attname: getattr(carrier, f.attname) for f in _fields()} if carrier else None
        form = CarrierImportForm(
            data=_form_data(row, self.present, carrier or Carrier()),
            instance=carrier,
            carriers=self.carriers,
        )
        valid = form.is_valid()
        for column, messages in form.errors.items():
            for message in messages:
                self.error(row, column if column in CARRIER_COLUMNS else "row", message)
        codes = self.spid_codes(row, name, form.cleaned_data.get("spids") or [])
        if not valid or len(self.errors) != before:
            return
        carrier = form.save(commit=False)
        changed = {
            attname: (value, getattr(carrier, attname))
            for attname, value in (current or {}).items()
            if getattr(carrier, attname) != value
        }
        if current is None:
            self.counts["carriers"].created += 1
            self.summary.note(row.line, "carrier", "create", carrier.name)
        elif changed:
            self.counts["carriers"].updated += 1
            if self.summary.lists_more:
                detail = _changes(changed, self.carriers.values())
                self.summary.note(row.line, "carrier", "update", carrier.name, detail)
        else:
            self.counts["carriers"].unchanged += 1
            carrier = None
        if carrier is not None:
            carrier.save()
            self.carriers[carrier.name.lower()] = carrier
        carrier = self.carriers[name.lower()]
        region = form.cleaned_data["spid_region"] if "spid_region" in self.present else None
        self.write_spids(row, carrier, codes, region)
        self.write_contact(row, carrier, form.cleaned_data.get("csr_contact_email"))

    def spid_codes(self, row: Row, name: str, codes: list[str]) -> list[str]:
        kept = []
        for code in codes:
            if code in self.spid_lines:
                self.error(row, "spids", f"SPID {code} is also on line {self.spid_lines[code]}")
                continue
            self.spid_lines[code] = row.line
            owner = self.spids.get(code)
            if owner is not None and name and owner.carrier.name.lower() != name.lower():
                self.error(
                    row,
                    "spids",
                    f"SPID {code} belongs to {owner.carrier.name}: move it in the admin first",
                )
                continue
            kept.append(code)
        return kept

    def write_spids(self, row: Row, carrier: Carrier, codes: list[str], region: str | None):
        counts = self.counts["SPIDs"]
        for code in codes:
            spid = self.spids.get(code)
            if spid is None:
                self.spids[code] = SPID.objects.create(
                    code=code, carrier=carrier, region=region or ""
                )
                counts.created += 1
                self.summary.note(row.line, "SPID", "create", code, f"of {carrier.name}")
            elif region is not None and spid.region != region:
                self.summary.note(
                    row.line, "SPID", "update", code, f"region: {spid.region or '-'} → {region}"
                )
                spid.region = region
                spid.save(update_fields=["region"])
                counts.updated += 1
            else:
                counts.unchanged += 1

    def write_contact(self, row: Row, carrier: Carrier, email: str) -> None:
        if not email:
            return
        counts = self.counts["CSR contacts"]
        if (carrier.pk, email.lower()) in self.emails:
            counts.unchanged += 1
            return
        self.emails.add((carrier.pk, email.lower()))
        Contact.objects.create(carrier=carrier, role=Contact.Role.CSR, name="CSR desk", email=email)
        counts.created += 1
        self.summary.note(row.line, "CSR contact", "create", email, f"of {carrier.name}")


def _fields():
    return [Carrier._meta.get_field(name) for name in CARRIER_FIELDS]


def _changes(changed: dict, carriers) -> str:
    """`lsr_cutoff: 15:00:00 → 16:00:00, porting_peer: - → Inland Interconnect`."""
    names = {carrier.pk: carrier.name for carrier in carriers}

    def shown(attname, value):
        if value in (None, ""):
            return "-"
        return names.get(value, value) if attname == "porting_peer_id" else value

    return ", ".join(
        f"{attname.removesuffix('_id')}: {shown(attname, old)} → {shown(attname, new)}"
        for attname, (old, new) in changed.items()
    )
