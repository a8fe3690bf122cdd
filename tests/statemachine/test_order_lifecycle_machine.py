"""Random sequences of every desk action over both desks never break the lifecycle (issue 9).

A hypothesis `RuleBasedStateMachine` creates port-in orders and port-out LSRs and then drives
random sequences of the services the desk's pages call (port-in: CSR, submit, FOC, LSP reject,
resend, return to the customer, resubmission, review resend, SUP 2/3, activate, complete,
cancel, comment; port-out: LSR receipt, FOC/reject decision, expedite decision, SUP 1/2/3,
SUP-flag decision, NPAC events) and the scheduled jobs, at a "now" that only moves forward.
Some actions are sent with a stale `expected_status`, as from a page loaded before a change.

After every step, for every order:
- every history row is a move the transition table allows (from "" only into the initial
  status), and the order's status is its latest history row's `to_status`;
- an action that moved an order wrote exactly one history row for it, an action that did not
  move it wrote none (so history rows == initial rows + successful moves);
- a refused action (DomainError) changed nothing;
- `last_activity_at` never goes backwards.

CI runs a short profile. The long run:
    STATEMACHINE_LONG=1 .venv/bin/python -m pytest tests/statemachine -q -p no:cacheprovider
(`STATEMACHINE_EXAMPLES` / `STATEMACHINE_STEPS` override its size).
"""

import datetime
import itertools
import os
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from carriers.end_user import EndUser
from carriers.models import SPID, Carrier, TelephoneNumber
from orders.lifecycle import INITIAL_STATUS, TRANSITIONS, DomainError
from orders.models import NpacEvent, PortOrder, Status, StatusChange
from orders.rules import LsrData
from orders.services import jobs, portin, portout
from orders.services.orders import comment_add
from tests.factories import (
    CarrierFactory,
    CustomerAccountFactory,
    OurCarrierFactory,
    SPIDFactory,
)

pytestmark = pytest.mark.django_db

LONG = os.environ.get("STATEMACHINE_LONG") == "1"
PROFILE = settings(
    max_examples=int(os.environ.get("STATEMACHINE_EXAMPLES", 200 if LONG else 15)),
    stateful_step_count=int(os.environ.get("STATEMACHINE_STEPS", 60 if LONG else 20)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
LA = ZoneInfo("America/Los_Angeles")
START = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=LA)  # a Monday
S = Status
PORTIN_REASONS = ["PIN", "ACCT", "ZIP", "OTHER"]
PORTOUT_REASONS = ["OTHER"]
ALL_STATUSES = [s.value for s in Status]


class DeskMachine(RuleBasedStateMachine):
    """The desk; `staff` and `manager` are set on a subclass by the test (pytest fixtures)."""

    staff = None
    manager = None

    portin_orders = Bundle("portin_orders")
    portout_orders = Bundle("portout_orders")

    def __init__(self):
        super().__init__()
        # Each example runs inside a savepoint rolled back in teardown(): a clean desk.
        self._savepoint = transaction.savepoint_create()
        self.now = START
        self.serial = itertools.count(1)
        self.tracked: set[int] = set()
        self.last_activity: dict[int, datetime.datetime] = {}
        self.moves = 0
        self.ours = OurCarrierFactory()
        self.our_spid = SPIDFactory(code="7231", carrier=self.ours, region=SPID.Region.WEST_COAST)
        self.lsp = CarrierFactory(name="Pacific Bell", kind=Carrier.Kind.ILEC, supports_csr=True)
        self.lsp_spid = SPIDFactory(code="9100", carrier=self.lsp)
        self.rural = CarrierFactory(name="Rural Tel", kind=Carrier.Kind.ILEC, supports_csr=False)
        self.rural_spid = SPIDFactory(code="4420", carrier=self.rural)
        self.requester = CarrierFactory(name="Willamette Wireless", kind=Carrier.Kind.WIRELESS)
        self.requester_spid = SPIDFactory(code="W001", carrier=self.requester)

    def teardown(self):
        transaction.savepoint_rollback(self._savepoint)

    # --- helpers ---------------------------------------------------------------------------

    def today(self):
        return self.now.astimezone(LA).date()

    def days(self, n):
        return self.today() + datetime.timedelta(days=n)

    def _snapshot(self):
        rows = (
            PortOrder.objects.filter(pk__in=self.tracked)
            .annotate(moves=Count("history"), last_move=Max("history__id"))
            .values_list("pk", "status", "moves", "last_activity_at")
        )
        return {pk: (status, moves, activity) for pk, status, moves, activity in rows}

    def _act(self, fn):
        """Run one desk action; check what it did to every order against what it may do."""
        before = self._snapshot()
        try:
            with transaction.atomic():
                result = fn()
        except (DomainError, PermissionDenied):
            after = self._snapshot()
            assert after == before, "a refused action changed an order"
            return None
        after = self._snapshot()
        for pk, (status, moves, _activity) in after.items():
            if pk not in before:
                continue  # created by this action: checked by the invariants
            old_status, old_moves, _old_activity = before[pk]
            if status != old_status:
                assert moves == old_moves + 1, (pk, old_status, status, old_moves, moves)
                self.moves += 1
            else:
                assert moves == old_moves, (pk, status, "history row without a move")
        return result

    def _track(self, order):
        self.tracked.add(order.pk)
        return order

    def _fresh(self, order):
        return PortOrder.objects.get(pk=order.pk)

    def _new_tns(self, spid, n, *, account=None):
        tns = []
        for _ in range(n):
            tn = f"50355{next(self.serial):05d}"
            TelephoneNumber.objects.create(tn=tn, spid=spid, account=account)
            tns.append(tn)
        return tns

    def _expected(self, order, stale):
        """The status the acting page shows: the current one, or an outdated one."""
        current = self._fresh(order).status
        return stale if stale is not None else current

    # --- creating work ----------------------------------------------------------------------

    @initialize(target=portin_orders)
    def first_portin(self):
        return self._create_portin(csr=False, tn_count=1)

    @rule(target=portin_orders, csr=st.booleans(), tn_count=st.integers(1, 3))
    def create_portin(self, csr, tn_count):
        return self._create_portin(csr=csr, tn_count=tn_count)

    def _create_portin(self, *, csr, tn_count):
        spid = self.lsp_spid if csr else self.rural_spid
        tns = self._new_tns(spid, tn_count)
        result = self._act(
            lambda: portin.portin_orders_create(
                tns=tns,
                by=self.staff,
                end_user=EndUser(
                    account_name="ABC Company Inc.",
                    account_number="ACCT-99887766",
                    btn="5035550100",
                    authorized_person="Pat Smith",
                    service_address="100 Main St",
                    city="Portland",
                    state="OR",
                    zip_code="97204",
                ),
                requested_due_date=self.days(10),
                notification_email="customer@abc.example",
                pin="4321",
                now=self.now,
            )
        )
        orders = [self._track(o) for o in result.orders]
        return multiple(*orders)

    @initialize(target=portout_orders)
    def first_lsr(self):
        return self._receive_lsr(expedite=False, due_days=14, authorized=True, tn_count=2)

    @rule(
        target=portout_orders,
        expedite=st.booleans(),
        due_days=st.sampled_from([1, 3, 14, 40]),
        authorized=st.booleans(),
        tn_count=st.integers(1, 3),
    )
    def receive_lsr(self, expedite, due_days, authorized, tn_count):
        return self._receive_lsr(
            expedite=expedite, due_days=due_days, authorized=authorized, tn_count=tn_count
        )

    def _receive_lsr(self, *, expedite, due_days, authorized, tn_count):
        account = CustomerAccountFactory()
        tns = self._new_tns(self.our_spid, tn_count, account=account)
        lsr = LsrData(
            pon=f"PON-SM-{next(self.serial)}",
            version=1,
            reqtype="C",
            act="V",
            requested_due_date=self.days(due_days),
            expedite=expedite,
            tns=tuple(tns),
            end_user=EndUser(
                account_number=account.account_number,
                btn=tns[0],
                account_name=account.name,
                authorized_person="Pat Smith",
                service_address=account.service_address,
                city=account.city,
                state=account.state,
                zip_code=account.zip_code,
            ),
            authorization_indicator=authorized,
            received_at=self.now,
        )
        order = self._act(
            lambda: portout.lsr_receive(
                requesting_carrier=self.requester,
                lsr=lsr,
                new_spid=self.requester_spid,
                by=self.staff,
                now=self.now,
            )
        )
        return multiple(self._track(order)) if order is not None else multiple()

    # --- time and jobs ------------------------------------------------------------------------

    @rule(hours=st.sampled_from([1, 5, 24, 24 * 3, 24 * 7, 24 * 46]))
    def time_passes(self, hours):
        self.now += datetime.timedelta(hours=hours)

    @rule()
    def scheduled_jobs_run(self):
        for job in (
            jobs.status_checks_refresh_due,
            jobs.rejected_orders_auto_cancel,
            jobs.port_windows_expire,
            jobs.csr_requests_flag_overdue,
        ):
            result = self._act(lambda job=job: job(now=self.now))
            assert result is not None and result.get("failed", 0) == 0, (job.__name__, result)

    # --- port-in actions ----------------------------------------------------------------------

    stale = st.one_of(st.none(), st.none(), st.sampled_from(ALL_STATUSES))

    @rule(order=portin_orders, matching=st.booleans())
    def portin_csr(self, order, matching):
        self._act(
            lambda: portin.portin_csr_record(
                order=self._fresh(order),
                by=self.staff,
                end_user=EndUser(
                    account_name="ABC Company, Inc." if matching else "Someone Else",
                    account_number="ACCT-99887766",
                    btn="5035550100",
                    authorized_person="Pat Smith",
                    service_address="100 Main Street",
                    city="Portland",
                    state="OR",
                    zip_code="97204",
                ),
                now=self.now,
            )
        )

    @rule(order=portin_orders)
    def portin_csr_override(self, order):
        self._act(
            lambda: portin.portin_csr_override(
                order=self._fresh(order), by=self.staff, reason="Checked by phone.", now=self.now
            )
        )

    @rule(order=portin_orders, stale=stale)
    def submit(self, order, stale):
        self._act(
            lambda: portin.order_submit(
                order=self._fresh(order),
                by=self.staff,
                expected_status=self._expected(order, stale),
                now=self.now,
            )
        )

    # An FOC on a closed day or before the requested date needs the desk's confirmation.
    @rule(order=portin_orders, in_days=st.integers(-2, 20), stale=stale, confirmed=st.booleans())
    def foc(self, order, in_days, stale, confirmed=False):
        self._act(
            lambda: portin.foc_record(
                order=self._fresh(order),
                by=self.staff,
                foc_date=self.days(in_days),
                confirmed=confirmed,
                expected_status=self._expected(order, stale),
                now=self.now,
            )
        )

    @rule(order=portin_orders, codes=st.lists(st.sampled_from(PORTIN_REASONS), max_size=2))
    def lsp_reject(self, order, codes):
        self._act(
            lambda: portin.lsp_reject_record(
                order=self._fresh(order),
                by=self.staff,
                reason_codes=codes,
                text="Rejected by the LSP.",
                expected_status=self._fresh(order).status,
                now=self.now,
            )
        )

    @rule(order=portin_orders)
    def exception_resend(self, order):
        self._act(
            lambda: portin.exception_resend(
                order=self._fresh(order), by=self.staff, note="Fixed.", now=self.now
            )
        )

    @rule(order=portin_orders, codes=st.lists(st.sampled_from(PORTIN_REASONS), max_size=2))
    def return_to_customer(self, order, codes):
        self._act(
            lambda: portin.order_return_to_customer(
                order=self._fresh(order),
                by=self.staff,
                reason_codes=codes,
                message="Please fix.",
                now=self.now,
            )
        )

    @rule(order=portin_orders)
    def customer_resubmission(self, order):
        self._act(
            lambda: portin.customer_resubmission_record(
                order=self._fresh(order), by=self.staff, note="New details.", now=self.now
            )
        )

    @rule(order=portin_orders)
    def review_resend(self, order):
        self._act(
            lambda: portin.review_resend(
                order=self._fresh(order), by=self.staff, note="Reviewed.", now=self.now
            )
        )

    @rule(order=portin_orders, sup_type=st.sampled_from([1, 2, 3]), in_days=st.integers(-1, 30))
    def portin_sup(self, order, sup_type, in_days):
        self._act(
            lambda: portin.portin_sup_record(
                order=self._fresh(order),
                by=self.staff,
                sup_type=sup_type,
                requested_due_date=self.days(in_days),
                remarks="Change of contact." if sup_type == 3 else "",
                now=self.now,
            )
        )

    # Completing before the FOC date is a manager's call: staff are refused.
    @rule(order=portin_orders, some=st.booleans(), as_manager=st.booleans())
    def activate(self, order, some, as_manager=False):
        fresh = self._fresh(order)
        tns = list(fresh.numbers.values_list("tn", flat=True))[:1] if some else None
        user = self.manager if as_manager else self.staff
        self._act(lambda: portin.numbers_activate(order=fresh, by=user, tns=tns, now=self.now))

    @rule(order=portin_orders, as_manager=st.booleans())
    def complete(self, order, as_manager=False):
        user = self.manager if as_manager else self.staff
        self._act(lambda: portin.order_complete(order=self._fresh(order), by=user, now=self.now))

    @rule(order=portin_orders, stale=stale)
    def portin_cancel(self, order, stale):
        self._act(
            lambda: portin.order_cancel(
                order=self._fresh(order),
                by=self.staff,
                reason="Customer stays.",
                expected_status=self._expected(order, stale),
                now=self.now,
            )
        )

    @rule(order=st.one_of(portin_orders, portout_orders), customer=st.booleans())
    def comment(self, order, customer):
        self._act(
            lambda: comment_add(
                order=self._fresh(order),
                by=self.staff,
                body="Called them.",
                source="customer" if customer else "staff",
                now=self.now,
            )
        )

    # --- port-out actions ---------------------------------------------------------------------

    @rule(order=portout_orders, decision=st.sampled_from(["foc", "reject"]), stale=stale)
    def lsr_decide(self, order, decision, stale):
        self._act(
            lambda: portout.lsr_decide(
                order=self._fresh(order),
                decision=decision,
                by=self.staff,
                reason_codes=PORTOUT_REASONS if decision == "reject" else (),
                expected_status=self._expected(order, stale),
                now=self.now,
            )
        )

    @rule(order=portout_orders, accept=st.booleans(), as_manager=st.booleans())
    def expedite_decide(self, order, accept, as_manager):
        self._act(
            lambda: portout.expedite_decide(
                order=self._fresh(order),
                accept=accept,
                by=self.manager if as_manager else self.staff,
                now=self.now,
            )
        )

    @rule(order=portout_orders, sup_type=st.sampled_from([1, 2, 2, 3]), in_days=st.integers(1, 35))
    def sup_receive(self, order, sup_type, in_days):
        self._act(
            lambda: portout.sup_receive(
                order=self._fresh(order),
                sup_type=sup_type,
                by=self.staff,
                requested_due_date=self.days(in_days) if sup_type == 2 else None,
                remarks="Other change." if sup_type == 3 else "",
                now=self.now,
            )
        )

    @rule(order=portout_orders, action=st.sampled_from(["contact", "reject"]))
    def sup_flag_decide(self, order, action):
        self._act(
            lambda: portout.sup_flag_decide(
                order=self._fresh(order),
                action=action,
                comment="Called the carrier.",
                by=self.manager,
                now=self.now,
            )
        )

    @rule(order=portout_orders, kind=st.sampled_from([k.value for k in NpacEvent.Kind]))
    def npac_event(self, order, kind):
        self._act(
            lambda: portout.npac_event_record(
                order=self._fresh(order), kind=kind, by=self.staff, now=self.now
            )
        )

    # --- invariants -----------------------------------------------------------------------------

    @invariant()
    def history_follows_the_transition_table(self):
        if not self.tracked:
            return
        orders = {
            o.pk: o
            for o in PortOrder.objects.filter(pk__in=self.tracked).only("status", "direction")
        }
        latest = {}
        for row in StatusChange.objects.filter(order_id__in=self.tracked).order_by("id"):
            order = orders[row.order_id]
            if row.from_status == "":
                assert row.to_status == INITIAL_STATUS[order.direction], row
                assert row.order_id not in latest, f"second initial row on {row.order_id}"
            else:
                assert latest.get(row.order_id) == row.from_status, (row, latest.get(row.order_id))
                allowed = TRANSITIONS[order.direction].get(row.from_status, frozenset())
                assert row.to_status in allowed, f"{order.direction}: {row} is not allowed"
            latest[row.order_id] = row.to_status
        for pk, order in orders.items():
            assert latest.get(pk) == order.status, (pk, latest.get(pk), order.status)

    @invariant()
    def last_activity_never_goes_backwards(self):
        for pk, activity in PortOrder.objects.filter(pk__in=self.tracked).values_list(
            "pk", "last_activity_at"
        ):
            previous = self.last_activity.get(pk)
            assert previous is None or activity >= previous, (pk, previous, activity)
            self.last_activity[pk] = activity


def test_random_desk_work_never_breaks_the_lifecycle(alice, maria):
    machine = type("Desk", (DeskMachine,), {"staff": alice, "manager": maria})
    run_state_machine_as_test(machine, settings=PROFILE)


def test_the_machine_reaches_most_statuses(alice, maria):
    """A guard against a machine that is green because it never gets anywhere: one fixed
    walk through the machine's own rules reaches the interesting states of both desks."""
    machine = type("Desk", (DeskMachine,), {"staff": alice, "manager": maria})()
    try:
        order = machine.first_portin().values[0]
        machine.submit(order, None)
        machine.lsp_reject(order, ["PIN"])
        machine.return_to_customer(order, [])
        machine.customer_resubmission(order)
        machine.review_resend(order)
        machine.foc(order, 5, None, confirmed=True)  # a Saturday
        machine.portin_sup(order, 2, 9)
        machine.foc(order, 9, None)
        machine.activate(order, False, as_manager=True)  # before the FOC date
        lsr = machine.first_lsr().values[0]
        machine.lsr_decide(lsr, "foc", None)
        machine.npac_event(lsr, "create")
        machine.npac_event(lsr, "activate")
        machine.history_follows_the_transition_table()
        statuses = set(
            StatusChange.objects.filter(order_id__in=machine.tracked).values_list(
                "to_status", flat=True
            )
        )
        assert {S.SUBMITTED, S.EXCEPTION, S.REJECTED, S.REVIEW, S.ACCEPTED, S.COMPLETED} <= statuses
        assert {S.RECEIVED, S.FOC_SENT} <= statuses
        assert machine.moves == 11  # 9 port-in moves, 2 port-out moves, each counted once
    finally:
        machine.teardown()
