from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("api", "0001_partners")]

    operations: list = []
