"""The number inventory's CSV import (`numbers_import`): TNs with their SPID and line data and,
optionally, our customers' accounts. Built for the 5M-TN inventory: every cell is checked first
(with the model fields' own validators, as the admin does), then the file is written in bulk
(`carriers.importers.upserts`), only the rows that are new or differ.
"""

from __future__ import annotations

from django.db import transaction

from carriers.cpni import account_number_digest
from carriers.models import SPID, CustomerAccount, TelephoneNumber
from carriers.tn import TOLL_FREE_NPAS

from .csv_rows import (
    Collector,
    Counts,
    CsvImportError,
    ImportSummary,
    Progress,
    Row,
    RowError,
    Source,
    field_problem,
    model_check,
    parse_bool,
    parse_choice,
    parse_spid_code,
    parse_tn,
    read_csv,
    report_progress,
)
from .upserts import AccountRow, NumberRow, write_accounts, write_numbers

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


def numbers_import(
    *, source: Source, dry_run: bool = False, progress: Progress | None = None
) -> ImportSummary:
    """Create or update numbers and their accounts from a CSV (see NUMBERS_HELP).

    `dry_run`: the same writes, rolled back, so the summary says what an import would change.
    `progress(rows_done, rows_total)` is called while the rows are checked, outside the write
    transaction so another connection (the admin's progress bar) can read what it records."""
    present, rows, errors = read_csv(source, columns=NUMBER_COLUMNS, required=NUMBER_REQUIRED)
    if "account_number" in present:
        errors.extend(
            RowError(1, "header", f"column {name!r} is required with account_number")
            for name in _ACCOUNT_REQUIRED
            if name not in present
        )
    if errors and any(error.line == 1 for error in errors):
        raise CsvImportError(errors)
    collector = Collector()
    collector.errors.extend(errors)
    parse = collector.parse
    memo: dict[str, dict] = {column: {} for column in NUMBER_COLUMNS}

    spids = dict(SPID.objects.values_list("code", "pk"))
    features_check = model_check(TelephoneNumber, "features")
    number_check = model_check(CustomerAccount, "account_number")
    account_columns = [column for column in _ACCOUNT_COLUMNS if column in present]
    flags = [(column, name) for column, name in _NUMBER_FLAGS.items() if column in present]
    with_accounts = "account_number" in present
    status_choices = TelephoneNumber.Status.choices
    line_type_choices = TelephoneNumber.LineType.choices
    tn_lines: dict[str, int] = {}
    accounts: dict[str, AccountRow] = {}  # by the number's digest
    digests: dict[str, str] = {}  # account number cell -> digest (one HMAC per spelling)
    parsed: list[NumberRow] = []

    for done, row in enumerate(rows, start=1):
        report_progress(progress, done, len(rows))
        before = len(collector.errors)
        cells = row.values
        values: dict = {}
        tn = None
        if not cells.get("tn"):
            collector.add(row, "tn", "required")
        else:
            tn = parse(row, "tn", parse_tn)
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
            code = parse(row, "spid", parse_spid_code, memo=memo["spid"])
            if code is not None:
                if code in spids:
                    values["spid_id"] = spids[code]
                else:
                    collector.add(row, "spid", f"unknown SPID {code} (import the carriers first)")
        if cells.get("is_toll_free"):
            stated = parse(row, "is_toll_free", parse_bool, memo=memo["is_toll_free"])
            if stated is not None and tn is not None and stated != toll_free:
                collector.add(
                    row,
                    "is_toll_free",
                    f"{tn[:3]} is {'a' if toll_free else 'not a'} toll-free NPA",
                )
        if "status" in present:
            values["status"] = (
                parse(row, "status", parse_choice, status_choices, "status", memo=memo["status"])
                if cells.get("status")
                else TelephoneNumber.Status.WORKING
            )
        if "line_type" in present or toll_free:
            if cells.get("line_type"):
                values["line_type"] = parse(
                    row,
                    "line_type",
                    parse_choice,
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
            values["lrn"] = (
                parse(row, "lrn", parse_tn, memo=memo["lrn"]) if cells.get("lrn") else ""
            )
        if "features" in present:
            values["features"] = parse(row, "features", features_check, memo=memo["features"])
        for column, name in flags:
            values[name] = parse(row, column, parse_bool, memo=memo[column])

        account_digest = None
        pin = cells.get("pin", "")
        if with_accounts:
            account_number = cells.get("account_number", "")
            account_digest = ""
            if account_number:
                account_digest = digests.get(account_number)
                if account_digest is None:
                    account_digest = digests[account_number] = account_number_digest(account_number)
                parse(row, "account_number", number_check, memo=memo["account_number"])
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
            parsed.append(NumberRow(row.line, tn, values, account_digest))
    if collector.errors:
        raise CsvImportError(collector.errors)

    summary = ImportSummary({"accounts": Counts(), "numbers": Counts()}, dry_run=dry_run)
    with transaction.atomic():
        account_ids = write_accounts(accounts, summary)
        write_numbers(parsed, with_accounts, account_ids, summary)
        transaction.set_rollback(dry_run)
    return summary


def _account_row(collector, row, account_number, digest, account_columns, accounts, pin):
    """Record (or check against the first row of) the account this row's number is on."""
    raw = tuple(row.values.get(column, "") for column in account_columns)
    seen = accounts.get(digest)
    if seen is None:
        fields = _parse_account(collector, row, account_columns)
        accounts[digest] = AccountRow(
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


def _parse_account(collector: Collector, row: Row, account_columns) -> dict:
    cells = row.values
    fields: dict = {}
    for column in _ACCOUNT_REQUIRED:
        if not cells.get(column):
            collector.add(row, column, "required with an account_number")
    if cells.get("btn"):
        fields["btn"] = collector.parse(row, "btn", parse_tn)
    # The account's own field validators (length, state and ZIP format), as in the admin.
    for column in ("account_name", "authorized_person", "service_address", "city", "state", "zip"):
        if column not in account_columns:
            continue
        name, value = _ACCOUNT_COLUMNS[column], cells.get(column, "")
        problem = field_problem(CustomerAccount, name, value)
        if problem:
            collector.add(row, column, problem)
        fields[name] = value.upper() if name == "state" else value
    if "unbundled_elements" in account_columns:
        fields["uses_unbundled_elements"] = collector.parse(row, "unbundled_elements", parse_bool)
    return fields
