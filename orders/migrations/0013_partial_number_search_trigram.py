"""Trigram indexes for searching by part of a number (PostgreSQL only).

A search of 4 to 9 digits matches TNs and BTNs that contain them: `tn LIKE '%0113%'`,
which no B-tree answers, so it read all five million TNs and every order (4-7 s at a
million orders). GIN trigram indexes on the TN and the BTN answer it. SQLite keeps
scanning, which is fine at its sizes; as in 0012, the indexes are not model state.
"""

from django.db import migrations

INDEXES = {
    "order_number_tn_trgm": ("orders_ordernumber", "tn"),
    "order_btn_trgm": ("orders_portorder", "btn"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("orders", "0012_order_text_search_trigram")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
