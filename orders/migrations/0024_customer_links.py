"""The customer's signed links, the LOA signature and the customer resubmission (issue 19)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0023_dashboard_summary")]

    operations: list = []
