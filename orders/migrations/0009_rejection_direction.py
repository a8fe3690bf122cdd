from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_order_direction(apps, schema_editor):
    Rejection = apps.get_model("orders", "Rejection")
    PortOrder = apps.get_model("orders", "PortOrder")
    Rejection.objects.update(
        direction=Subquery(
            PortOrder.objects.filter(pk=OuterRef("order_id")).values("direction")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0008_queue_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="rejection",
            name="direction",
            field=models.CharField(
                choices=[("in", "Port-in"), ("out", "Port-out")],
                default="",
                editable=False,
                max_length=3,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(copy_order_direction, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="rejection",
            index=models.Index(
                condition=models.Q(("resolved_at__isnull", True)),
                fields=["direction"],
                name="rejection_open_by_desk",
            ),
        ),
    ]
