"""Carrier.requires_loa (issue 19): port-in orders to such a carrier need an LOA on file."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("carriers", "0006_import_runs")]

    operations = [
        migrations.AddField(
            model_name="carrier",
            name="requires_loa",
            field=models.BooleanField(
                default=False,
                help_text="Port-in orders to this carrier cannot be submitted until the end "
                "user's signed LOA is on file (signed by link or uploaded by the desk).",
                verbose_name="requires an LOA",
            ),
        ),
    ]
