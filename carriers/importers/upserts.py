"""The bulk writes of the number import: `INSERT ... ON CONFLICT` upserts and `IN (...)` reads
in raw SQL, in batches (the 5M-TN inventory is loaded this way; the values were checked first
with the model fields' own validators, in `carriers.importers.numbers`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.db import connection
from django.utils import timezone

from carriers.cpni import encrypt_value, mask_account_number
from carriers.models import CustomerAccount, TelephoneNumber
from carriers.tn import format_tn

from .csv_rows import ImportSummary

UPSERT_BATCH = 5000
# Rows fetched per `IN (...)` lookup: well under SQLite's 32,766 parameters.
LOOKUP_CHUNK = 5000


@dataclass(slots=True)
class NumberRow:
    line: int
    tn: str
    values: dict  # TelephoneNumber attname -> value, only for columns in the file
    # The account number's digest (carriers.cpni): None: column absent; "": no account.
    account_digest: str | None


@dataclass(slots=True)
class AccountRow:
    line: int
    number: str  # as first spelled in the file ("CT-2" and "ct2" are one account)
    raw: tuple  # the account cells as typed, to skip re-parsing identical rows
    fields: dict  # CustomerAccount attname -> value
    pin: str = ""
    pin_line: int = 0


def _chunks(items: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


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


def write_accounts(accounts: dict[str, AccountRow], summary: ImportSummary) -> dict[str, int]:
    """Upsert the file's accounts by their numbers' digests (the unique key; the number itself
    is a Fernet token, written only for a new or changed account); returns digest -> pk.
    A change is listed with the masked number and the names of the fields, never their values
    (the account's CPNI) nor the PIN."""
    counts = summary.counts["accounts"]
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
            summary.note(spec.line, "account", "create", mask_account_number(spec.number))
        else:
            changed = [name for name, value in spec.fields.items() if current[name] != value]
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
                changed.append("PIN")
            counts.updated += 1
            summary.note(
                spec.line, "account", "update", mask_account_number(spec.number), ", ".join(changed)
            )
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


def write_numbers(parsed: list[NumberRow], with_accounts, account_ids, summary: ImportSummary):
    counts = summary.counts["numbers"]
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
            summary.note(row.line, "number", "create", format_tn(row.tn))
        elif any(current[position[name]] != value for name, value in wanted.items()):
            full = {**dict(zip(fields, current, strict=True)), **wanted}
            counts.updated += 1
            if summary.lists_more:
                changed = [n for n, value in wanted.items() if current[position[n]] != value]
                detail = ", ".join(name.removesuffix("_id") for name in changed)
                summary.note(row.line, "number", "update", format_tn(row.tn), detail)
        else:
            counts.unchanged += 1
            continue
        upserts.append((row.tn, *(full[name] for name in fields), now))
    if upserts:
        _upsert(TelephoneNumber, ["tn", *columns, "updated_at"], upserts, conflict="tn")
