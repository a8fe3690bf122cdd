"""The order's edit revision: a save over a newer revision is refused."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0016_port_out_protection")]

    operations = []
