"""Make a partner (if needed) and a new API key for it, and print the key: for trying the API
on the demo data and for the contract test in `make api-check`. The key is printed once and
stored hashed, as a key made in the admin."""

from django.core.management.base import BaseCommand, CommandError

from api.models import Partner
from api.services.keys import api_key_create
from carriers.models import Carrier
from orders.lifecycle import DomainError


class Command(BaseCommand):
    help = "Create a partner (if missing) and print a new API key for it."

    def add_arguments(self, parser):
        parser.add_argument("--partner", default="Demo CRM", help="The partner's name.")
        parser.add_argument(
            "--kind",
            choices=Partner.Kind.values,
            default=Partner.Kind.OUR_SYSTEM,
            help="our_system (creates port-ins) or trading_partner (submits LSRs).",
        )
        parser.add_argument(
            "--carrier",
            default="",
            help="A trading partner's carrier (by name; made when missing, not one of ours).",
        )

    def handle(self, *args, partner, kind, carrier, **options):
        carrier_row = None
        if kind == Partner.Kind.TRADING_PARTNER:
            name = carrier or f"{partner} Carrier"
            carrier_row, _ = Carrier.objects.get_or_create(
                name=name, defaults={"kind": Carrier.Kind.CLEC}
            )
            if carrier_row.is_ours:
                raise CommandError(f"{name} is one of our carriers, not a trading partner.")
        row, created = Partner.objects.get_or_create(
            name=partner, defaults={"kind": kind, "carrier": carrier_row}
        )
        if not created and row.kind != kind:
            raise CommandError(f"Partner {partner} exists as {row.get_kind_display()}.")
        try:
            _key, raw = api_key_create(
                partner=row,
                name="demo key (manage.py api_demo_key)",
                can_read=True,
                can_write_port_in=kind == Partner.Kind.OUR_SYSTEM,
                can_submit_port_out=kind == Partner.Kind.TRADING_PARTNER,
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(raw)
