"""Drop Django's single-column indexes on PortOrder.assignee, losing_carrier and new_carrier.

Each column already leads a composite index ((assignee, status), (losing_carrier, status),
(new_carrier, status) and the PON uniqueness constraint), which answers every lookup the
single-column one did, and each extra index costs a write on every status change (no HOT
update is possible when an indexed column changes). AlterField alone would drop and
re-create the foreign-key constraints, re-validating them over the whole table under lock;
dropping the indexes by name leaves the constraints alone.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("carriers", "0002_default_intervals"),
        ("orders", "0009_rejection_direction"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Django's names for the indexes AlterField would drop (the same on PostgreSQL and SQLite).
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "orders_portorder" ("{column}")',
                )
                for name, column in (
                    ("orders_portorder_assignee_id_f7772239", "assignee_id"),
                    ("orders_portorder_losing_carrier_id_f1dd324a", "losing_carrier_id"),
                    ("orders_portorder_new_carrier_id_581dfb70", "new_carrier_id"),
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="portorder",
                    name="assignee",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="assigned_orders",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="portorder",
                    name="losing_carrier",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="losing_orders",
                        to="carriers.carrier",
                    ),
                ),
                migrations.AlterField(
                    model_name="portorder",
                    name="new_carrier",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="new_orders",
                        to="carriers.carrier",
                    ),
                ),
            ],
        ),
    ]
