"""The dashboard's shared figures as a summary a job refreshes (orders.DashboardSummary), and
the database cache's table, so that `migrate` alone prepares the default shared cache."""

from django.core.management import call_command
from django.db import migrations, models


def create_cache_table(apps, schema_editor):
    # Creates the table of every DatabaseCache in settings.CACHES (CACHE_URL's default is
    # dbcache://portal_cache); does nothing when it exists or when no cache uses the database.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("orders", "0022_carrier_documents")]

    operations = [
        migrations.CreateModel(
            name="DashboardSummary",
            fields=[
                ("key", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("figures", models.JSONField(default=dict)),
                ("as_of", models.DateTimeField()),
                ("took_ms", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True),
    ]
