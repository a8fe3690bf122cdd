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

import datetime
import random
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from carriers.demo import BUSINESS_PREFIX, BUSINESS_SUFFIX, CITIES, FIRST, LAST, STREETS
from carriers.models import Carrier, CustomerAccount, TelephoneNumber
from carriers.services import calendar_for, our_carrier
from orders.models import NpacCancelRecord, OrderNumber, PortOrder, Rejection
from orders.models.order import OPEN_STATUSES_Q
from orders.rules import LsrData
from orders.services import jobs, portin, portout
from orders.services.orders import comment_add, order_assign
from orders.services.queues import rejections_assign
from orders.services.status_checks import status_check_record

RNG_SEED = 7
DEMO_PON_PREFIX = "DEMO-"
DEMO_EMAIL_DOMAIN = "customers.demo.example"
DEMO_USERNAMES = ("alice", "maria")
# Service addresses for the other carriers' NPAs (carriers.demo.CITIES covers ours).
OTHER_CITIES = {
    "206": [("Seattle", "WA", ["98101", "98103", "98122"])],
    "509": [("Spokane", "WA", ["99201", "99205"]), ("Yakima", "WA", ["98901"])],
    "541": [("Klamath Falls", "OR", ["97601", "97603"]), ("Bend", "OR", ["97701", "97702"])],
}


class DemoDataError(RuntimeError):
    """The inventory cannot supply what a demo story needs (a smaller or edited inventory)."""


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


class _Seeder:
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
            "account_name": name,
            "account_number": f"{rng.randrange(10**8, 10**9)}",
            "btn": tns[0],
            "authorized_person": person,
            "service_address": f"{rng.randrange(100, 9900)} {rng.choice(STREETS)}",
            "city": city,
            "state": state,
            "zip_code": rng.choice(zips),
            "notification_email": f"{mailbox}@{DEMO_EMAIL_DOMAIN}",
            "pin": f"{rng.randrange(10000):04d}",
        }

    def new_portin(
        self, spids: list[tuple[str, int]], *, created, due, remarks: str = ""
    ) -> list[PortOrder]:
        """One port-in request: the TNs (SPID code, count) pasted together; one order per
        losing SPID, as the desk's form makes them."""
        tns = [tn for code, n in spids for tn in self.take(code, n)]
        result = portin.portin_orders_create(
            tns=tns,
            created_by=self.staff,
            requested_due_date=due,
            remarks=remarks,
            now=created,
            **self.customer(tns),
        )
        if result.refused or len(result.orders) != len(spids):
            refused = ", ".join(f"{r.tn} ({r.reason})" for r in result.refused)
            raise DemoDataError(f"Demo port-in request refused: {refused or 'orders split'}.")
        # The row's creation stamp follows the story's clock, like everything else.
        PortOrder.objects.filter(pk__in=[o.pk for o in result.orders]).update(created_at=created)
        self.created["port-in"] += len(result.orders)
        return result.orders

    def csr(self, order: PortOrder, *, at, mismatch: tuple[str, ...] = ()):
        values = {name: getattr(order, name) for name in portin.END_USER_FIELDS}
        if "authorized_person" in mismatch:
            values["authorized_person"] = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
        if "zip_code" in mismatch:
            values["zip_code"] = str(int(values["zip_code"]) + 7).zfill(5)
        if "service_address" in mismatch:
            number, _, street = values["service_address"].partition(" ")
            values["service_address"] = f"{int(number) + 40} {street}"
        tns = "\n".join(order.numbers.values_list("tn", flat=True))
        return portin.portin_csr_record(order=order, user=self.staff, tns=tns, now=at, **values)

    def ready_and_submit(self, order: PortOrder, *, created, submitted):
        if order.csr_status == PortOrder.CsrStatus.PENDING:
            self.csr(order, at=created + datetime.timedelta(hours=3))
        portin.order_submit(order=order, user=self.staff, now=submitted)

    def submitted(self, spids, *, created, submitted, due, remarks=""):
        orders = self.new_portin(spids, created=created, due=due, remarks=remarks)
        for order in orders:
            self.ready_and_submit(order, created=created, submitted=submitted)
        return orders

    def accepted(self, spids, *, created, submitted, foc_at, foc_date, due=None):
        orders = self.submitted(spids, created=created, submitted=submitted, due=due or foc_date)
        for order in orders:
            portin.foc_record(order=order, user=self.staff, foc_date=foc_date, now=foc_at)
        return orders

    def assign(self, order, user, *, at):
        order_assign(order=order, assignee=user, by=user, now=at)

    def port_in(self):
        bd, day, at, ago = self.bd, self.day, self.at, self.ago
        alice, maria = self.staff, self.manager

        # Drafts: CSR pending (one request pasted with two carriers' TNs: two orders).
        (order,) = self.new_portin([("9102", 2)], created=ago(hours=2), due=bd(8))
        self.assign(order, alice, at=ago(hours=1, minutes=50))
        self.new_portin([("9103", 1), ("4417", 2)], created=at(bd(-1), 14, 10), due=bd(7))
        # A draft to a carrier without CSRs (VoIP): ready to submit.
        (order,) = self.new_portin([("V517", 1)], created=at(bd(-1), 9, 40), due=bd(6))
        # Drafts whose CSR does not match the order (F1).
        (order,) = self.new_portin([("4417", 3)], created=at(bd(-2), 11, 5), due=bd(9))
        self.csr(order, at=at(bd(-1), 10, 30), mismatch=("authorized_person", "zip_code"))
        self.assign(order, alice, at=at(bd(-1), 10, 31))
        (order,) = self.new_portin([("6664", 1)], created=at(bd(-1), 15, 20), due=bd(7))
        self.csr(order, at=ago(hours=3), mismatch=("service_address",))

        # Submitted, awaiting FOC: status checks overdue, due today, and done (F5).
        (order,) = self.submitted(
            [("6W12", 2)], created=at(bd(-7), 10), submitted=at(bd(-6), 9, 15), due=bd(10)
        )
        self.assign(order, alice, at=at(bd(-6), 9, 16))
        (order,) = self.submitted(
            [("8Q21", 1)], created=at(bd(-4), 13), submitted=at(bd(-3), 11, 45), due=bd(9)
        )
        self.assign(order, maria, at=at(bd(-3), 11, 46))
        (order,) = self.submitted(
            [("9103", 1)], created=at(bd(-5), 10), submitted=at(bd(-4), 10, 20), due=bd(8)
        )
        status_check_record(
            order=order,
            user=alice,
            outcome="Columbia Bell's porting desk: LSR received, in their queue; FOC expected "
            "within two business days.",
            now=at(bd(-1), 14, 5),
        )
        # Through the local porting peer, and toll-free through Somos (F6).
        self.submitted(
            [("3K41", 2)], created=at(bd(-2), 9, 30), submitted=at(bd(-1), 10, 10), due=bd(8)
        )
        (order,) = self.submitted(
            [("T098", 2)], created=at(bd(-3), 16, 0), submitted=at(bd(-2), 9, 5), due=bd(10)
        )
        # A project port (50+ TNs): checked weekly.
        (order,) = self.submitted(
            [("9102", 55)],
            created=at(bd(-3), 9, 0),
            submitted=at(bd(-2), 15, 30),
            due=bd(14),
            remarks="Head office move: every DID on the hunt groups.",
        )
        self.assign(order, alice, at=at(bd(-2), 15, 31))

        # Accepted: FOC today, tomorrow, this week, next week.
        (order,) = self.accepted(
            [("5208", 1)],
            created=at(bd(-8), 10),
            submitted=at(bd(-7), 9, 30),
            foc_at=at(bd(-4), 11, 0),
            foc_date=bd(0),
        )
        self.assign(order, alice, at=at(bd(-4), 11, 1))
        self.accepted(
            [("6665", 3)],
            created=at(bd(-6), 14),
            submitted=at(bd(-5), 10, 15),
            foc_at=at(bd(-2), 16, 40),
            foc_date=bd(1),
        )
        self.accepted(
            [("4417", 2)],
            created=at(bd(-5), 9),
            submitted=at(bd(-4), 9, 30),
            foc_at=at(bd(-1), 13, 20),
            foc_date=bd(3),
        )
        (order,) = self.accepted(
            [("3S77", 1)],
            created=at(bd(-4), 9),
            submitted=at(bd(-3), 9, 30),
            foc_at=ago(hours=4),
            foc_date=bd(6),
        )
        self.assign(order, maria, at=ago(hours=4))

        # Exceptions: the losing carrier rejected, the desk is fixing it (F2).
        (order,) = self.submitted(
            [("9103", 2)], created=at(bd(-5), 11), submitted=at(bd(-4), 9, 0), due=bd(7)
        )
        rejection = portin.lsp_reject_record(
            order=order,
            user=alice,
            reason_codes=["ADDR"],
            text="Service address does not match our records: suite number missing.",
            now=at(bd(-1), 10, 25),
        )
        rejections_assign(rejection_ids=[rejection.pk], assignee=alice, by=alice, now=ago(hours=6))
        (order,) = self.accepted(
            [("6W12", 1)],
            created=at(bd(-6), 10),
            submitted=at(bd(-5), 14, 0),
            foc_at=at(bd(-3), 9, 0),
            foc_date=bd(2),
        )
        portin.lsp_reject_record(
            order=order,
            user=alice,
            reason_codes=["PIN", "ACCT"],
            text="Passcode and account number do not match the account.",
            now=ago(hours=1, minutes=30),
        )

        # Rejected: returned to the customer; the F4 clock runs (days left before auto-cancel).
        for spid, returned_days_ago, code, text in [
            ("6664", 40, "AUTHNM", "The LOA is signed by someone not on the account."),
            ("4417", 31, "BTN", "The BTN given is not the account's billing number."),
            ("V517", 3, "PENDLSR", "Another carrier's LSR is pending on this account."),
        ]:
            returned = day(returned_days_ago)
            created = self.cal.subtract_business_days(returned, 6)
            (order,) = self.submitted(
                [(spid, 1)],
                created=at(created, 10),
                submitted=at(self.cal.add_business_days(created, 1), 9, 30),
                due=created + datetime.timedelta(days=16),
            )
            portin.lsp_reject_record(
                order=order,
                user=alice,
                reason_codes=[code],
                text=text,
                now=at(self.cal.subtract_business_days(returned, 1), 15, 10),
            )
            portin.order_return_to_customer(
                order=order,
                user=alice,
                message="Please send the corrected details so we can resend your port.",
                now=at(returned, 10, 0),
            )
            if returned_days_ago > 30:
                comment_add(
                    order=order,
                    author=alice,
                    body="Called the customer: voicemail, left a message about the correction.",
                    now=at(self.cal.add_business_days(returned, 2), 11, 0),
                )

        # In review: the customer resubmitted; the desk checks before resending (F3).
        (order,) = self.submitted(
            [("6W12", 1)], created=at(bd(-10), 10), submitted=at(bd(-9), 9, 30), due=bd(6)
        )
        portin.lsp_reject_record(
            order=order,
            user=alice,
            reason_codes=["BUSNM"],
            text="Business name differs from the account.",
            now=at(bd(-7), 11, 0),
        )
        portin.order_return_to_customer(
            order=order,
            user=alice,
            message="Please confirm the business name exactly as on your bill.",
            now=at(bd(-6), 9, 30),
        )
        portin.customer_resubmission_record(
            order=order,
            user=alice,
            note="Customer sent a new bill copy: the account is under the owner's trade name.",
            now=at(bd(-1), 16, 10),
        )
        self.assign(order, alice, at=at(bd(-1), 16, 11))

        # Completed: every TN activated (one TN at a time), and completed in one step.
        (order,) = self.accepted(
            [("5208", 2)],
            created=at(bd(-9), 10),
            submitted=at(bd(-8), 9, 30),
            foc_at=at(bd(-6), 10, 0),
            foc_date=bd(-2),
        )
        first, second = order.numbers.values_list("tn", flat=True)
        portin.numbers_activate(order=order, user=alice, tns=[first], now=at(bd(-2), 8, 5))
        portin.numbers_activate(order=order, user=alice, tns=[second], now=at(bd(-2), 8, 20))
        (order,) = self.accepted(
            [("9102", 1)],
            created=at(bd(-10), 10),
            submitted=at(bd(-9), 9, 30),
            foc_at=at(bd(-7), 10, 0),
            foc_date=bd(-4),
        )
        portin.order_complete(order=order, user=maria, now=at(bd(-4), 9, 0))

        # Cancelled: a draft the customer withdrew, and a submitted order (SUP 1 to the LSP).
        (order,) = self.new_portin([("6664", 1)], created=at(bd(-4), 10), due=bd(5))
        portin.order_cancel(
            order=order,
            user=alice,
            reason="The customer decided to stay with their current carrier.",
            now=at(bd(-3), 9, 10),
        )
        (order,) = self.submitted(
            [("3S77", 1)], created=at(bd(-5), 10), submitted=at(bd(-4), 11), due=bd(4)
        )
        portin.order_cancel(
            order=order,
            user=maria,
            reason="Duplicate of another request for the same line.",
            now=at(bd(-2), 14, 30),
        )

    # --- port-out -------------------------------------------------------------------------

    def lsr(self, account, tns, *, pon, received, due, version=1, **overrides) -> LsrData:
        values = {
            "pon": f"{DEMO_PON_PREFIX}{pon}",
            "version": version,
            "reqtype": "C",
            "act": "V",
            "mi": "",
            "requested_due_date": due,
            "expedite": False,
            "tns": tuple(tns),
            "disconnect_tns": (),
            "remarks": "",
            "account_number": account.account_number,
            "btn": account.btn,
            "account_name": account.name,
            "authorized_person": account.authorized_person,
            "service_address": account.service_address,
            "city": account.city,
            "state": account.state,
            "zip_code": account.zip_code,
            "authorization_indicator": True,
            "received_at": received,
        }
        values.update(overrides)
        return LsrData(**values)

    def receive(self, carrier_name: str, lsr: LsrData, *, pin: str = "") -> PortOrder:
        carrier = self.carriers[carrier_name]
        order = portout.lsr_receive(
            requesting_carrier=carrier,
            lsr=lsr,
            pin=pin,
            new_spid=carrier.spids.order_by("code").first(),
            by=self.staff,
            now=lsr.received_at,
        )
        PortOrder.objects.filter(pk=order.pk).update(created_at=lsr.received_at)
        self.created["port-out"] += 1
        return order

    def foc_sent(self, carrier_name, size, *, pon, received, due, decided=None, **kw):
        account, tns = self.account(size, **kw)
        order = self.receive(
            carrier_name, self.lsr(account, tns, pon=pon, received=received, due=due)
        )
        portout.lsr_decide(
            order=order,
            decision="foc",
            by=self.staff,
            expected_status=order.status,
            now=decided or received + datetime.timedelta(hours=2),
        )
        return order

    def npac(self, order, kind, *, at):
        portout.npac_event_record(order=order, kind=kind, by=self.staff, occurred_at=at, now=at)

    def port_out(self):
        bd, at, ago = self.bd, self.at, self.ago
        alice, maria = self.staff, self.manager

        # LSRs to decide: every rule passes (one with the PIN matched, one after the cut-off).
        showcase = self.showcase("CT-1000001")
        if showcase is not None:
            account, tns = showcase
            self.receive(
                "Pinnacle Wireless",
                self.lsr(account, tns, pon="PW-240117", received=ago(hours=3), due=bd(5)),
                pin="4821",
            )
        account, tns = self.account("multi", max_lines=4)
        order = self.receive(
            "Riverbend Cable",
            self.lsr(account, tns, pon="RBC-88213", received=at(bd(-1), 16, 20), due=bd(6)),
        )
        self.assign(order, alice, at=at(bd(-1), 16, 30))
        # An LSR that breaks several rules, for the desk to reject: partial port not identified
        # (R13), a disconnected TN (R15), authorization not indicated (R4). (A missing field,
        # R16, would have been rejected at once: see BV-6950 below.)
        hunt = self.showcase("CT-1000002")
        dead = self.showcase("CT-1000008")
        if hunt is not None and dead is not None:
            (account, tns), (_, dead_tns) = hunt, dead
            self.receive(
                "Sound Mobile",
                self.lsr(
                    account,
                    [*tns[:5], *dead_tns],
                    pon="SM-5521",
                    received=ago(hours=5),
                    due=bd(5),
                    authorization_indicator=False,
                ),
            )
        # Loop with port with the wrong ACT (R14) and a due date too far out (R9).
        account, tns = self.account("single")
        self.receive(
            "Willamette Fiber",
            self.lsr(
                account,
                tns,
                pon="WF-30991",
                received=at(bd(-1), 10, 5),
                due=self.today + datetime.timedelta(days=45),
                reqtype="BB",
                act="W",
            ),
        )
        # An open authorization dispute (R6): the FOC waits for it.
        account, tns = self.account("single")
        order = self.receive(
            "Bridgeport Voice",
            self.lsr(account, tns, pon="BV-7002", received=ago(hours=1), due=bd(4)),
        )
        portout.dispute_open(
            order=order,
            description="The account holder called: they did not ask to move their line.",
            by=alice,
            now=ago(minutes=40),
        )
        portout.dispute_request_evidence(
            dispute=order.disputes.get(),
            by=alice,
            notes="Asked Bridgeport Voice for the signed LOA.",
            now=ago(minutes=35),
        )

        # Rejected: a resold TN (R2, R3): the requester must ask the underlying carrier.
        resold = self.showcase("CT-1000003")
        if resold is not None:
            account, tns = resold
            order = self.receive(
                "Pinnacle Wireless",
                self.lsr(account, tns, pon="PW-239960", received=at(bd(-2), 9, 40), due=bd(3)),
            )
            portout.lsr_decide(order=order, decision="reject", by=alice, now=at(bd(-2), 11, 0))
        # VER 1 rejected at once for a missing account name (R16); VER 2 fixed it and got its
        # FOC.
        account, tns = self.account("multi", max_lines=3)
        v1 = self.receive(
            "Bridgeport Voice",
            self.lsr(
                account, tns, pon="BV-6950", received=at(bd(-4), 10, 0), due=bd(2), account_name=""
            ),
        )
        v2 = self.receive(
            "Bridgeport Voice",
            self.lsr(account, tns, pon="BV-6950", version=2, received=at(bd(-3), 9, 15), due=bd(2)),
        )
        portout.lsr_decide(order=v2, decision="foc", by=alice, now=at(bd(-3), 10, 0))
        rejections = Rejection.objects.filter(order__in=[v1]).values_list("pk", flat=True)
        rejections_assign(
            rejection_ids=list(rejections), assignee=alice, by=alice, now=ago(hours=8)
        )

        # An expedite inside the interval: a manager accepts or refuses it (R8).
        account, tns = self.account("multi", max_lines=4)
        order = self.receive(
            "Skyline Tower Communications",
            self.lsr(
                account, tns, pon="STC-1187", received=at(bd(-1), 10, 0), due=bd(1), expedite=True
            ),
        )
        portout.lsr_decide(
            order=order, decision="foc", by=alice, expected_status=order.status, now=at(bd(-1), 11)
        )

        # Three due-date SUPs on one order: flagged for a manager (R12).
        order = self.foc_sent(
            "Riverbend Cable", "single", pon="RBC-87040", received=at(bd(-6), 9, 0), due=bd(-1)
        )
        for n, (received, due) in enumerate([(bd(-5), 2), (bd(-3), 4), (bd(-1), 6)], start=1):
            portout.sup_receive(
                order=order,
                sup_type=2,
                by=alice,
                received_at=at(received, 10 + n),
                requested_due_date=bd(due),
                remarks=f"Customer's move date changed again (SUP {n}).",
                now=at(received, 10 + n),
            )

        # FOC'd, awaiting port; one with the new carrier's NPAC create already in.
        self.foc_sent(
            "Pinnacle Wireless", "single", pon="PW-240003", received=at(bd(-3), 9, 30), due=bd(1)
        )
        order = self.foc_sent(
            "Columbia Bell",
            "multi",
            pon="CB-10442",
            received=at(bd(-2), 11, 0),
            due=bd(2),
            max_lines=4,
        )
        self.npac(order, "create", at=at(bd(-1), 15, 0))
        self.npac(order, "concur", at=at(bd(-1), 15, 30))
        self.assign(order, maria, at=at(bd(-1), 15, 31))

        # Completed: the new carrier activated in NPAC.
        for carrier, size, pon, received, due in [
            ("Sound Mobile", "single", "SM-5390", -9, -4),
            ("Willamette Fiber", "multi", "WF-30844", -7, -2),
        ]:
            order = self.foc_sent(
                carrier, size, pon=pon, received=at(bd(received), 9, 0), due=bd(due), max_lines=3
            )
            self.npac(order, "create", at=at(bd(due - 1), 14, 0))
            self.npac(order, "concur", at=at(bd(due - 1), 15, 0))
            self.npac(order, "activate", at=at(bd(due), 9, 30))

        # A SUP 1: the requesting carrier cancelled.
        order = self.foc_sent(
            "Skyline Tower Communications",
            "single",
            pon="STC-1150",
            received=at(bd(-3), 10),
            due=bd(2),
        )
        portout.sup_receive(
            order=order,
            sup_type=1,
            by=alice,
            received_at=at(bd(-1), 12, 0),
            remarks="End user changed their mind.",
            now=at(bd(-1), 12, 0),
        )

        # Never ported within the R11 window: the job cancelled them and made one NPAC
        # subscription cancel record per TN (one order's records already sent to NPAC).
        expired = []
        for carrier, pon, received, due in [
            ("Columbia Bell", "CB-10301", -14, -9),
            ("Bridgeport Voice", "BV-6801", -16, -11),
        ]:
            order = self.foc_sent(
                carrier, "multi", pon=pon, received=at(bd(received), 10), due=bd(due), max_lines=3
            )
            self.npac(order, "create", at=at(bd(due - 1), 14, 0))
            expired.append(order)
        jobs.port_windows_expire(now=at(bd(-2), 5, 0))
        sent = NpacCancelRecord.objects.filter(order=expired[1]).values_list("pk", flat=True)
        portout.npac_cancel_mark_sent(record_ids=list(sent), by=alice, now=at(bd(-1), 9, 0))

    # --- CSR requests (R1-R5) -----------------------------------------------------------

    def csr_requests(self):
        at, ago, bd = self.at, self.ago, self.bd
        alice = self.staff

        def receive(carrier_name, tns, *, received, authorized=True, loa=None):
            request = portout.csr_request_receive(
                requesting_carrier=self.carriers[carrier_name],
                tns=tns,
                authorization_indicator=authorized,
                by=alice,
                received_at=received,
                loa_file=loa,
                now=received,
            )
            self.created["csr-requests"] += 1
            return request

        receive("Pinnacle Wireless", self.account("single")[1], received=ago(hours=2))
        receive("Sound Mobile", self.account("multi", max_lines=4)[1], received=ago(hours=20))
        receive("Riverbend Cable", self.account("single")[1], received=ago(hours=30))
        loa = ContentFile(
            b"LETTER OF AGENCY\nThe undersigned authorizes Summit Telecom Consulting to request "
            b"the customer service record for the numbers listed.\nSigned: account holder\n",
            name="loa-signed.txt",
        )
        receive(
            "Summit Telecom Consulting",
            self.account("single")[1],
            received=ago(hours=6),
            authorized=False,
            loa=loa,
        )
        request = receive("Columbia Bell", self.account("multi")[1], received=at(bd(-1), 9, 0))
        portout.csr_request_answer(csr_request=request, by=alice, now=at(bd(-1), 13, 0))
        request = receive("Willamette Fiber", self.account("single")[1], received=at(bd(-3), 10))
        portout.csr_request_answer(csr_request=request, by=alice, now=at(bd(-2), 14, 0))
        request = receive(
            "Porting Partners LLC",
            self.account("single")[1],
            received=at(bd(-1), 11, 0),
            authorized=False,
        )
        portout.csr_request_reject(
            csr_request=request,
            by=alice,
            text="Please attach the end user's signed LOA.",
            now=at(bd(-1), 15, 0),
        )
        # R1: requests past their answer time are flagged (the job does it every 15 minutes).
        jobs.csr_requests_flag_overdue(now=self.now)
