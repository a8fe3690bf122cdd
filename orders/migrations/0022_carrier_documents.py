"""Carrier documents the portal makes and sends (orders.documents): new document kinds, to
whom each was sent, its outbox row and the copy it resends."""

import django.db.models.deletion
from django.db import migrations, models

KINDS = [
    ("loa", "LOA"),
    ("bill", "Bill copy"),
    ("csr", "CSR"),
    ("other", "Other"),
    ("lsr", "LSR"),
    ("sup", "SUP"),
    ("foc_notice", "FOC notice"),
    ("reject_notice", "Reject notice"),
    ("csr_answer", "CSR answer"),
    ("expedite_outcome", "Expedite outcome"),
]


class Migration(migrations.Migration):
    dependencies = [("orders", "0021_lsr_versions")]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="kind",
            field=models.CharField(choices=KINDS, max_length=20),
        ),
        migrations.AddField(
            model_name="document",
            name="sent_to",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="document",
            name="email",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="documents",
                to="orders.outboundemail",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="resend_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="resends",
                to="orders.document",
            ),
        ),
    ]
