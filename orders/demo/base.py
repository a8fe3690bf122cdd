"""What every demo story shares: the desk users, the story's clock (business days relative to
today), the TNs and accounts picked from the demo inventory, and a customer for a port-in."""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from carriers.demo.names import BUSINESS_PREFIX, BUSINESS_SUFFIX, CITIES, FIRST, LAST, STREETS
from carriers.end_user import EndUser
from carriers.models import Carrier, CustomerAccount, TelephoneNumber
from carriers.services import calendar_for, our_carrier
from orders.models import OrderNumber, PortOrder
from orders.models.statuses import OPEN_STATUSES_Q
from orders.services.orders import order_assign

RNG_SEED = 7
DEMO_PON_PREFIX = "DEMO-"
DEMO_EMAIL_DOMAIN = "customers.demo.example"
DEMO_USERNAMES = ("alice", "maria")
# Service addresses for the other carriers' NPAs (carriers.demo.names.CITIES covers ours).
OTHER_CITIES = {
    "206": [("Seattle", "WA", ["98101", "98103", "98122"])],
    "509": [("Spokane", "WA", ["99201", "99205"]), ("Yakima", "WA", ["98901"])],
    "541": [("Klamath Falls", "OR", ["97601", "97603"]), ("Bend", "OR", ["97701", "97702"])],
}


class DemoDataError(RuntimeError):
    """The inventory cannot supply what a demo story needs (a smaller or edited inventory)."""


class DemoSeeder:
    """The clock, the users and the inventory picks the port-in and port-out stories share
    (orders.demo.portin, orders.demo.portout); one random.Random(RNG_SEED) for both."""

    def __init__(self):
        User = get_user_model()
        users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
        fallback = User.objects.filter(is_active=True).order_by("pk").first()
        self.staff = users.get("alice") or fallback
        self.manager = users.get("maria") or self.staff
        self.rng = random.Random(RNG_SEED)
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.ours = our_carrier()
        self.cal = calendar_for(self.ours)
        self.carriers = {c.name: c for c in Carrier.objects.filter(is_ours=False)}
        self.created: Counter = Counter()
        busy = set(
            OrderNumber.objects.filter(order__in=PortOrder.objects.filter(OPEN_STATUSES_Q))
            .values_list("tn", flat=True)
            .distinct()
        )
        self._pools = self._other_carriers_tns(busy)
        self._accounts = self._our_accounts(busy)

    # --- time -----------------------------------------------------------------------------

    def bd(self, n: int) -> datetime.date:
        """The business day `n` business days from today (negative: before)."""
        start = self.today
        if n >= 0:
            if n == 0:
                return (
                    start if self.cal.is_business_day(start) else self.cal.next_business_day(start)
                )
            return self.cal.add_business_days(start, n)
        return self.cal.subtract_business_days(start, -n)

    def day(self, calendar_days_ago: int) -> datetime.date:
        """The business day on or before `calendar_days_ago` days ago."""
        d = self.today - datetime.timedelta(days=calendar_days_ago)
        return d if self.cal.is_business_day(d) else self.cal.previous_business_day(d)

    def at(self, d: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        """`d` at local hh:mm, never later than a few minutes ago."""
        moment = datetime.datetime.combine(d, datetime.time(hour, minute), tzinfo=self.tz)
        return min(moment, self.now - datetime.timedelta(minutes=5))

    def ago(self, hours: float = 0, minutes: int = 0) -> datetime.datetime:
        return self.now - datetime.timedelta(hours=hours, minutes=minutes)

    # --- inventory ------------------------------------------------------------------------

    def _other_carriers_tns(self, busy) -> dict[str, list[str]]:
        """Port-in candidates: other carriers' working TNs (no account of ours), by SPID."""
        pools: dict[str, list[str]] = defaultdict(list)
        rows = (
            TelephoneNumber.objects.filter(
                account__isnull=True,
                status=TelephoneNumber.Status.WORKING,
                spid__carrier__is_ours=False,
            )
            .order_by("tn")
            .values_list("spid__code", "tn")
        )
        for code, tn in rows:
            if tn not in busy:
                pools[code].append(tn)
        for code in sorted(pools):
            self.rng.shuffle(pools[code])
        return pools

    def take(self, spid_code: str, n: int) -> list[str]:
        pool = self._pools.get(spid_code, [])
        if len(pool) < n:
            raise DemoDataError(f"The demo inventory has too few free TNs on SPID {spid_code}.")
        return sorted(pool.pop() for _ in range(n))

    def _our_accounts(self, busy) -> dict[str, list[tuple[CustomerAccount, list[str]]]]:
        """Our customers' accounts whose lines are all working and on no open order, by size:
        "single" (one plain line: a simple port), "multi" (2-8 lines)."""
        accounts = CustomerAccount.objects.prefetch_related("numbers")
        found: dict[str, list] = {"single": [], "multi": [], "showcase": []}
        # Sorted once decrypted (the column holds tokens), so a seed always picks the same.
        for account in sorted(accounts, key=lambda a: a.account_number):
            numbers = list(account.numbers.all())
            tns = [n.tn for n in numbers]
            if any(tn in busy for tn in tns):
                continue
            if account.account_number < "CT-1000100":
                found["showcase"].append((account, tns))
                continue
            if any(n.status != TelephoneNumber.Status.WORKING for n in numbers):
                continue
            if len(numbers) == 1 and not numbers[0].has_complex_translations:
                if not account.uses_unbundled_elements and numbers[0].line_type == "pots":
                    found["single"].append((account, tns))
            elif 2 <= len(numbers) <= 8:
                found["multi"].append((account, tns))
        self.rng.shuffle(found["single"])
        self.rng.shuffle(found["multi"])
        return found

    def account(self, size: str, *, min_lines: int = 1, max_lines: int = 8):
        for index, (_account, tns) in enumerate(self._accounts[size]):
            if min_lines <= len(tns) <= max_lines:
                return self._accounts[size].pop(index)
        raise DemoDataError(f"The demo inventory has no free {size}-line account left.")

    def showcase(self, account_number: str):
        for account, tns in self._accounts["showcase"]:
            if account.account_number == account_number:
                return account, tns
        return None

    # --- port-in --------------------------------------------------------------------------

    def customer(self, tns: list[str]) -> dict:
        rng = self.rng
        if rng.random() < 0.7:
            name = f"{rng.choice(BUSINESS_PREFIX)} {rng.choice(BUSINESS_SUFFIX)}"
            person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        else:
            name = person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        npa = tns[0][:3]
        city, state, zips = rng.choice(CITIES.get(npa) or OTHER_CITIES.get(npa) or CITIES["503"])
        mailbox = "".join(ch for ch in name.lower() if ch.isalnum())[:24]
        return {
            "end_user": EndUser(
                account_name=name,
                account_number=f"{rng.randrange(10**8, 10**9)}",
                btn=tns[0],
                authorized_person=person,
                service_address=f"{rng.randrange(100, 9900)} {rng.choice(STREETS)}",
                city=city,
                state=state,
                zip_code=rng.choice(zips),
            ),
            "notification_email": f"{mailbox}@{DEMO_EMAIL_DOMAIN}",
            "pin": f"{rng.randrange(10000):04d}",
        }

    def assign(self, order, user, *, at):
        order_assign(order=order, assignee=user, by=user, now=at)
