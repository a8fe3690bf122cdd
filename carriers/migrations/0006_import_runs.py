"""CSV imports started from the admin: their dry run, progress and row-numbered errors."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("carriers", "0005_carrier_rules_in_the_model")]

    operations = []
