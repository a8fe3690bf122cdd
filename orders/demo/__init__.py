"""Demo orders for `seed_demo` (run after `carriers.demo.seed`): both desks' work in every state.

Every order is made through the desks' own services, with an injected `now` in the past where
the story needs it, so the history rows, comments, rejections, supplements, NPAC events,
clocks (F4 auto-cancel, F5 status checks, R1 CSR clock, R11 port window) and the customers'
emails (recorded as portal notes once sent) are the ones the portal itself would have written.
The dates are relative to today, so the queues always have something due today, tomorrow and
this week; TNs come from the demo inventory in the database, picked with `random.Random(7)`.

Idempotent: when demo orders exist already (port-out PONs starting with `DEMO-`, port-in
customers at `@customers.demo.example`) nothing is created. A run takes a second or two.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from orders.models import PortOrder

from .base import DEMO_EMAIL_DOMAIN, DEMO_PON_PREFIX
from .portin import PortInDemo
from .portout import PortOutDemo


class _Seeder(PortInDemo, PortOutDemo):
    """Both desks' stories on one clock and one inventory pick."""


def demo_orders_exist() -> bool:
    return PortOrder.objects.filter(
        Q(pon__startswith=DEMO_PON_PREFIX) | Q(notification_email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    ).exists()


def seed(stdout=None) -> dict[str, int]:
    """Create the demo orders and CSR requests; a second run creates nothing."""
    if demo_orders_exist():
        if stdout is not None:
            stdout.write("Demo orders already there: none created.")
        return {}
    with transaction.atomic():
        seeder = _Seeder()
        if seeder.staff is None:
            if stdout is not None:
                stdout.write("No desk user to work the demo orders: none created.")
            return {}
        seeder.port_in()
        seeder.port_out()
        seeder.csr_requests()
    if stdout is not None:
        c = seeder.created
        stdout.write(
            f"Demo orders: {c['port-in']} port-in, {c['port-out']} port-out and "
            f"{c['csr-requests']} CSR requests created."
        )
    return dict(seeder.created)
