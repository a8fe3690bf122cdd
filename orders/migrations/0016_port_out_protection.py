"""R19: the locked-account reject code and what the port-out risk queue reads."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0015_validation_fields")]

    operations = []
