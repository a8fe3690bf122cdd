"""The order table's indexes: each is paid for on every status change, so none is redundant,
and every foreign key the desk filters by is still led by some index."""

import pytest
from django.db import connection

from orders.models import PortOrder

pytestmark = pytest.mark.django_db


def _indexes():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, PortOrder._meta.db_table)
    # Expression indexes (the trigram ones on UPPER(...)) list no plain columns: left out.
    return {
        name: tuple(info["columns"])
        for name, info in constraints.items()
        if (info["index"] or info["unique"]) and info["columns"] and all(info["columns"])
    }


@pytest.mark.parametrize("column", ["assignee_id", "losing_carrier_id", "new_carrier_id"])
def test_the_foreign_key_has_no_index_of_its_own_but_leads_a_composite_one(column):
    indexes = _indexes().values()
    assert (column,) not in indexes
    assert any(len(columns) > 1 and columns[0] == column for columns in indexes)


def test_no_index_is_the_prefix_of_another():
    indexes = _indexes()
    # Partial indexes (queues, jobs) cover different rows, so only full indexes are compared.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexrelid::regclass::text FROM pg_index "
                "WHERE indrelid = %s::regclass AND indpred IS NOT NULL",
                [PortOrder._meta.db_table],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql LIKE '%% WHERE %%'",
                [PortOrder._meta.db_table],
            )
        partial = {row[0].strip('"') for row in cursor.fetchall()}
    full = {name: cols for name, cols in indexes.items() if name not in partial}
    redundant = [
        (name, other)
        for name, cols in full.items()
        for other, other_cols in full.items()
        if name != other
        and len(cols) < len(other_cols)
        and other_cols[: len(cols)] == cols
        and cols != ("id",)
    ]
    assert redundant == []
