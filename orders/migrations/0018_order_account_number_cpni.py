"""R18: the order's account number is CPNI: encrypted at rest, matched by a keyed hash.

Also the losing carrier's CSR (the end user's number there), the LSR snapshot port-out
orders kept in plain JSON (the number now lives only in the order's encrypted column) and
the CSR answers given to other carriers (their numbers encrypted inside the JSON).
The text columns are altered in place (varchar to text is no rewrite on PostgreSQL); the
digest's index is built after the rows are filled.
"""

from django.db import migrations, models

import carriers.fields
from carriers.cpni_migration import (
    decrypt_account_numbers,
    drop_account_numbers_from_lsr_snapshots,
    encrypt_account_numbers,
    encrypt_csr_answers,
)


def forwards(apps, schema_editor):
    using = schema_editor.connection.alias
    order = apps.get_model("orders", "PortOrder")
    encrypt_account_numbers(order, using=using)
    drop_account_numbers_from_lsr_snapshots(order, using=using)
    encrypt_account_numbers(apps.get_model("orders", "PortInCsr"), using=using, with_digest=False)
    encrypt_csr_answers(apps.get_model("orders", "CsrRequest"), using=using)


def backwards(apps, schema_editor):
    # The LSR snapshots' copies are not restored (lsr_of() reads the order's own column), nor
    # are CSR answers decrypted: going back leaves their tokens in the JSON.
    using = schema_editor.connection.alias
    decrypt_account_numbers(apps.get_model("orders", "PortOrder"), using=using)
    decrypt_account_numbers(apps.get_model("orders", "PortInCsr"), using=using, with_digest=False)


class Migration(migrations.Migration):
    dependencies = [("orders", "0017_order_revision"), ("carriers", "0004_account_number_cpni")]

    operations = [
        migrations.AddField(
            model_name="portorder",
            name="account_number_digest",
            field=models.CharField(max_length=64, null=True, blank=True, editable=False),
        ),
        # Plain text while the rows are rewritten: the historical models must read plaintext.
        migrations.AlterField(
            model_name="portorder",
            name="account_number",
            field=models.TextField(max_length=30, blank=True),
        ),
        migrations.AlterField(
            model_name="portincsr",
            name="account_number",
            field=models.TextField(max_length=30, blank=True),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.AlterField(
            model_name="portorder",
            name="account_number",
            field=carriers.fields.EncryptedCharField(max_length=30, blank=True),
        ),
        migrations.AlterField(
            model_name="portincsr",
            name="account_number",
            field=carriers.fields.EncryptedCharField(max_length=30, blank=True),
        ),
        migrations.AlterField(
            model_name="portorder",
            name="account_number_digest",
            field=carriers.fields.DigestField(source="account_number"),
        ),
        migrations.AddIndex(
            model_name="portorder",
            index=models.Index(
                condition=models.Q(account_number_digest__isnull=False),
                fields=["account_number_digest"],
                name="order_account_number_digest",
            ),
        ),
    ]
