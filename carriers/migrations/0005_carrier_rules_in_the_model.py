"""The carrier's rules (porting peer, SUP threshold and the other per-carrier values) as
database constraints beside Carrier.clean(), so the admin, the importer and any API share them;
the field validators the admin and the imports both run (time zone, clocks, state, ZIP)."""

import django.core.validators
from django.db import migrations, models

import carriers.models.directory


class Migration(migrations.Migration):
    dependencies = [("carriers", "0004_account_number_cpni")]

    operations = [
        migrations.AlterField(
            model_name="carrier",
            name="csr_answer_hours",
            field=models.PositiveSmallIntegerField(
                default=24,
                help_text="R1",
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="CSR answer clock (hours)",
            ),
        ),
        migrations.AlterField(
            model_name="carrier",
            name="max_due_date_days",
            field=models.PositiveSmallIntegerField(
                default=30,
                help_text="R9",
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="latest due date (calendar days)",
            ),
        ),
        migrations.AlterField(
            model_name="carrier",
            name="port_window_business_days",
            field=models.PositiveSmallIntegerField(
                default=4,
                help_text="R11",
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="port window after FOC (business days)",
            ),
        ),
        migrations.AlterField(
            model_name="carrier",
            name="time_zone",
            field=models.CharField(
                default="America/Los_Angeles",
                max_length=64,
                validators=[carriers.models.directory.validate_time_zone],
            ),
        ),
        migrations.AlterField(
            model_name="customeraccount",
            name="state",
            field=models.CharField(
                blank=True,
                max_length=2,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[A-Za-z]{2}\\Z",
                        code="state_format",
                        message="%(value)r is not a 2-letter state code",
                    )
                ],
            ),
        ),
        migrations.AlterField(
            model_name="customeraccount",
            name="zip_code",
            field=models.CharField(
                max_length=10,
                validators=[
                    django.core.validators.RegexValidator(
                        "^\\d{5}(-?\\d{4})?\\Z",
                        code="zip_format",
                        message="%(value)r is not a ZIP code (12345 or 12345-6789)",
                    )
                ],
                verbose_name="ZIP",
            ),
        ),
        migrations.AddConstraint(
            model_name="carrier",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("port_in_route", "local_peer"), ("porting_peer__isnull", True), _connector="OR"
                ),
                name="carrier_peer_only_with_local_peer_route",
                violation_error_message=(
                    "Only a carrier reached through a local porting peer names one."
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="carrier",
            constraint=models.CheckConstraint(
                condition=models.Q(("porting_peer", models.F("id")), _negated=True),
                name="carrier_not_its_own_peer",
                violation_error_message="A carrier cannot be its own porting peer.",
            ),
        ),
        migrations.AddConstraint(
            model_name="carrier",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("csr_answer_hours__gte", 1),
                    ("max_due_date_days__gte", 1),
                    ("port_window_business_days__gte", 1),
                    ("sup_threshold__gte", 1),
                ),
                name="carrier_clocks_at_least_one",
                violation_error_message="A carrier's clocks and SUP threshold are at least 1.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="carrier",
            name="carrier_local_peer_route_names_peer",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("port_in_route", "local_peer"), _negated=True),
                    ("porting_peer__isnull", False),
                    _connector="OR",
                ),
                name="carrier_local_peer_route_names_peer",
                violation_error_message=(
                    "Name the local porting peer that carries our LSRs: a carrier reached "
                    "through a local peer must name it."
                ),
            ),
        ),
    ]
