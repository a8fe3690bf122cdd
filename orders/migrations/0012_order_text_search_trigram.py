"""Trigram indexes for the order list's text search (PostgreSQL only).

The list matches a PON or an account name anywhere in the text: Django's `icontains`, that
is `UPPER(col) LIKE UPPER('%...%')`, which no B-tree can answer, so each search read every
order (0.6-0.9 s at a million). A GIN trigram index on the same UPPER() expression answers
it. SQLite has no such index and keeps scanning, which is fine at its sizes. The indexes are
not model state (Django cannot declare an opclass on an expression portably), so they are
created and dropped here only.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "order_pon_trgm": "pon",
    "order_account_name_trgm": "account_name",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "orders_portorder" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("orders", "0011_order_list_activity_index")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
