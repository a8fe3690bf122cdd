"""R18: the order's account number is CPNI: encrypted at rest, matched by a keyed hash."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0017_order_revision")]

    operations = []
