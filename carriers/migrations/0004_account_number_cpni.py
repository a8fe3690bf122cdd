"""R18: account numbers are CPNI: encrypted at rest with a keyed hash for matching.

The number's column becomes text (a Fernet token is ~4x the number), every existing number
is encrypted and hashed in batches, then the hash becomes the account's unique key (NULL for
no number). Two accounts whose numbers are equal once case and punctuation are ignored
("AB-12", "ab12") stop the migration, naming their ids: merge them first.
"""

from django.db import migrations, models

import carriers.fields
from carriers.cpni_migration import decrypt_account_numbers, encrypt_account_numbers


def forwards(apps, schema_editor):
    account = apps.get_model("carriers", "CustomerAccount")
    encrypt_account_numbers(account, using=schema_editor.connection.alias, unique=True)


def backwards(apps, schema_editor):
    account = apps.get_model("carriers", "CustomerAccount")
    decrypt_account_numbers(account, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("carriers", "0003_port_out_protection")]

    operations = [
        migrations.AddField(
            model_name="customeraccount",
            name="account_number_digest",
            field=models.CharField(max_length=64, null=True, blank=True, editable=False),
        ),
        # Plain text while the rows are rewritten: the historical model must read plaintext.
        migrations.AlterField(
            model_name="customeraccount",
            name="account_number",
            field=models.TextField(max_length=30),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.AlterField(
            model_name="customeraccount",
            name="account_number",
            field=carriers.fields.EncryptedCharField(max_length=30),
        ),
        migrations.AlterField(
            model_name="customeraccount",
            name="account_number_digest",
            field=carriers.fields.DigestField(source="account_number"),
        ),
        migrations.AddConstraint(
            model_name="customeraccount",
            constraint=models.UniqueConstraint(
                fields=["account_number_digest"], name="account_number_digest_unique"
            ),
        ),
    ]
