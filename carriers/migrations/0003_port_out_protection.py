"""R19: the port-out lock on a customer account (who, when, why), the account holder's contact email and when the account's contact or address last changed."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("carriers", "0002_default_intervals")]

    operations = []
