"""The published interval guidelines the seed leaves blank, with defensible defaults.

Simple port: 1 business day (FCC). Other kinds: 4 business days up to 49 TNs. Project ports
(50+ TNs): 10 business days, a default for administrators to adjust per agreement.
"""

from django.db import migrations

DEFAULTS = [
    ("simple", 1, None, 1, "FCC simple-port interval"),
    ("port_only", 1, 49, 4, "Published default"),
    ("port_only", 50, None, 10, "Project-port tier: a default to adjust"),
    ("other", 1, 49, 4, "Published default"),
    ("other", 50, None, 10, "Project-port tier: a default to adjust"),
]


def install(apps, schema_editor):
    IntervalGuideline = apps.get_model("carriers", "IntervalGuideline")
    for kind, min_tns, max_tns, days, note in DEFAULTS:
        IntervalGuideline.objects.update_or_create(
            carrier=None,
            kind=kind,
            min_tns=min_tns,
            defaults={"max_tns": max_tns, "business_days": days, "note": note},
        )


def remove(apps, schema_editor):
    apps.get_model("carriers", "IntervalGuideline").objects.filter(carrier=None).delete()


class Migration(migrations.Migration):
    dependencies = [("carriers", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
