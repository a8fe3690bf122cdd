"""The order events the partner API's feed and webhooks read (issue 18)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0024_customer_links")]

    operations: list = []
