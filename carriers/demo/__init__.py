"""Demo reference data for `seed_demo`: fictional but realistic carriers of every kind, their
SPIDs and contacts, one trading-partner interval override, closed days, and a number inventory
of about 3,000 TNs across our customers' accounts and other carriers.

Everything is fictional (companies, people, addresses; `.example` email domains) and generated
deterministically from one `random.Random(SEED)`, so every run builds the same rows. `seed()`
is idempotent and quick: rows are looked up first and only the missing ones are created, with
bulk inserts for the inventory; a second run creates nothing.

PINs: only a few showcase accounts get one (see accounts.SHOWCASE_PINS). Each hash costs about
half a second with the production hasher, so hashing hundreds of accounts would make
`seed_demo` slow; an account that already has a PIN is never re-hashed.

Modules: `names` (the fictional names and places), `directory` (carriers, SPIDs, contacts,
intervals, closed days), `inventory` (the accounts and numbers as plain data) and `accounts`
(writing them, and the showcase port-out lock).
"""

from __future__ import annotations

import random

from carriers.models import SPID

from .accounts import save_inventory, seed_protection
from .directory import seed_calendar_and_intervals, seed_carriers
from .inventory import build_inventory

SEED = 20261123


def seed(stdout=None) -> None:
    """Create the demo carriers and inventory; a second run changes nothing."""
    rng = random.Random(SEED)
    carriers, created_carriers = seed_carriers()
    seed_calendar_and_intervals(carriers)
    spids = {spid.code: spid for spid in SPID.objects.filter(carrier__in=carriers.values())}
    accounts, numbers = build_inventory(rng, spids)
    new_accounts, new_numbers = save_inventory(accounts, numbers, spids)
    seed_protection()
    if stdout is not None:
        stdout.write(
            f"Carriers: {created_carriers} created, {len(carriers) - created_carriers} already "
            f"there; accounts: {new_accounts} created; numbers: {new_numbers} created."
        )
