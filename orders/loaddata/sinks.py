"""Where the rows go: COPY through psycopg 3 on PostgreSQL, executemany INSERTs elsewhere."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection

from carriers.fields import EncryptedCharField
from orders.loaddata.plan import UTC
from orders.loaddata.tables import Table


class Sink:
    """Writes the rows of one table; subclasses per database."""

    def __init__(self):
        self._plans: dict[type, tuple[str, list[str], tuple, list]] = {}

    def plan(self, table: Table):
        """Column names for the table, plus defaults for model fields we do not fill.

        Another engineer may add a NOT NULL field with a default later: we fill it with
        its default so this loader keeps working without an edit.
        """
        model = table.db_model
        cached = self._plans.get(model)
        if cached is None:
            meta = model._meta
            by_name = {f.name: f for f in meta.concrete_fields}
            by_name.update({f.attname: f for f in meta.concrete_fields})
            ours = [by_name[name] for name in table.fields]
            filled = {f.attname for f in ours}
            extra = [f for f in meta.concrete_fields if f.attname not in filled]
            now = datetime.datetime.now(UTC)
            extra_values = []
            for f in extra:
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    extra_values.append(now)
                elif f.has_default():
                    extra_values.append(f.get_default())
                elif f.null:
                    extra_values.append(None)
                elif f.empty_strings_allowed:
                    extra_values.append("")
                else:
                    raise RuntimeError(
                        f"{meta.label}.{f.name} has no default: teach orders/loaddata/ to fill it."
                    )
            fields = ours + extra
            cached = (meta.db_table, [f.column for f in fields], tuple(extra_values), fields)
            self._plans[model] = cached
        return cached

    def write(self, table: Table) -> None:
        raise NotImplementedError

    def finish(self, tables: Iterable[Table]) -> None:
        """Move each identity sequence past the ids we generated."""


class CopySink(Sink):
    """PostgreSQL: binary COPY ... FROM STDIN through psycopg 3.

    Binary format: the server does not parse text (timestamps and dates are the costly
    part of text COPY); psycopg dumps each value by the column's actual type (read from
    pg_attribute, so an int4 user id and an int8 order id are both right). JSON columns
    take the Python objects (psycopg's jsonb dumper).
    """

    binary = True  # text format kept for comparison (bench notes in BENCHMARKS.md)

    def __init__(self):
        super().__init__()
        self._oids: dict[str, dict[str, int]] = {}

    def column_oids(self, db_table: str) -> dict[str, int]:
        oids = self._oids.get(db_table)
        if oids is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
                    "AND attnum > 0 AND NOT attisdropped",
                    [db_table],
                )
                oids = dict(cursor.fetchall())
            self._oids[db_table] = oids
        return oids

    def write(self, table: Table) -> None:
        if not table.rows:
            return
        db_table, columns, extra, _fields = self.plan(table)
        oids = self.column_oids(db_table)
        qn = connection.ops.quote_name
        sql = (
            f"COPY {qn(db_table)} ({', '.join(qn(c) for c in columns)}) "
            f"FROM STDIN (FORMAT {'BINARY' if self.binary else 'TEXT'})"
        )
        raw = connection.cursor().connection  # the psycopg connection Django uses
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            copy.set_types([oids[c] for c in columns])
            write_row = copy.write_row
            if extra:
                for row in table.rows:
                    write_row(row + extra)
            else:
                for row in table.rows:
                    write_row(row)

    def finish(self, tables: Iterable[Table]) -> None:
        with connection.cursor() as cursor:
            for table in tables:
                db_table = table.db_model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {connection.ops.quote_name(db_table)}))",
                    [db_table],
                )


class InsertSink(Sink):
    """Any other database: executemany INSERTs with values prepared by each field."""

    batch = 2000

    def write(self, table: Table) -> None:
        if not table.rows:
            return
        db_table, columns, extra, fields = self.plan(table)
        qn = connection.ops.quote_name
        sql = (
            f"INSERT INTO {qn(db_table)} ({', '.join(qn(c) for c in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        # Encrypted columns already hold tokens (ReferenceMixin._cpni): not encrypted twice.
        preps = [
            _as_is if isinstance(f, EncryptedCharField) else f.get_db_prep_save for f in fields
        ]
        with connection.cursor() as cursor:
            for start in range(0, len(table.rows), self.batch):
                params = [
                    [
                        prep(value, connection)
                        for prep, value in zip(preps, row + extra, strict=True)
                    ]
                    for row in table.rows[start : start + self.batch]
                ]
                cursor.executemany(sql, params)


def _as_is(value, connection):
    return value
