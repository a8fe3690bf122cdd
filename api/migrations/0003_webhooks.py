from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("api", "0002_keys_idempotency")]

    operations: list = []
