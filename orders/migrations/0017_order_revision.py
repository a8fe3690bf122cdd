"""The order's edit revision: a save over a newer revision is refused."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("orders", "0016_port_out_protection")]

    operations = [
        migrations.AddField(
            model_name="portorder",
            name="revision",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
    ]
