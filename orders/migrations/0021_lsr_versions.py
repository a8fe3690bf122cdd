"""Each version (VER) of a port-in LSR as it was sent, so the order page shows what changed."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0020_out_risk_reason_indexes")]

    operations = []
