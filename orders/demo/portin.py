"""The port-in desk's demo orders (seed 004): drafts, submitted, accepted, exceptions,
rejected, in review, completed and cancelled, each made through the port-in services."""

from __future__ import annotations

import datetime

from carriers.demo.names import FIRST, LAST
from carriers.end_user import EndUser
from orders.models import PortOrder
from orders.services import portin
from orders.services.orders import comment_add
from orders.services.queues import rejections_assign
from orders.services.status_checks import status_check_record

from .base import DemoDataError, DemoSeeder


class PortInDemo(DemoSeeder):
    def new_portin(
        self, spids: list[tuple[str, int]], *, created, due, remarks: str = ""
    ) -> list[PortOrder]:
        """One port-in request: the TNs (SPID code, count) pasted together; one order per
        losing SPID, as the desk's form makes them."""
        tns = [tn for code, n in spids for tn in self.take(code, n)]
        result = portin.portin_orders_create(
            tns=tns,
            by=self.staff,
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
        values = EndUser.from_instance(order).as_fields()
        if "authorized_person" in mismatch:
            values["authorized_person"] = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
        if "zip_code" in mismatch:
            values["zip_code"] = str(int(values["zip_code"]) + 7).zfill(5)
        if "service_address" in mismatch:
            number, _, street = values["service_address"].partition(" ")
            values["service_address"] = f"{int(number) + 40} {street}"
        tns = "\n".join(order.numbers.values_list("tn", flat=True))
        return portin.portin_csr_record(
            order=order, by=self.staff, end_user=EndUser(**values), tns=tns, now=at
        )

    def ready_and_submit(self, order: PortOrder, *, created, submitted):
        if order.csr_status == PortOrder.CsrStatus.PENDING:
            self.csr(order, at=created + datetime.timedelta(hours=3))
        portin.order_submit(order=order, by=self.staff, now=submitted)

    def submitted(self, spids, *, created, submitted, due, remarks=""):
        orders = self.new_portin(spids, created=created, due=due, remarks=remarks)
        for order in orders:
            self.ready_and_submit(order, created=created, submitted=submitted)
        return orders

    def accepted(self, spids, *, created, submitted, foc_at, foc_date, due=None):
        orders = self.submitted(spids, created=created, submitted=submitted, due=due or foc_date)
        for order in orders:
            portin.foc_record(order=order, by=self.staff, foc_date=foc_date, now=foc_at)
        return orders

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
            by=alice,
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
            by=alice,
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
            by=alice,
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
                by=alice,
                reason_codes=[code],
                text=text,
                now=at(self.cal.subtract_business_days(returned, 1), 15, 10),
            )
            portin.order_return_to_customer(
                order=order,
                by=alice,
                message="Please send the corrected details so we can resend your port.",
                now=at(returned, 10, 0),
            )
            if returned_days_ago > 30:
                comment_add(
                    order=order,
                    by=alice,
                    body="Called the customer: voicemail, left a message about the correction.",
                    now=at(self.cal.add_business_days(returned, 2), 11, 0),
                )

        # In review: the customer resubmitted; the desk checks before resending (F3).
        (order,) = self.submitted(
            [("6W12", 1)], created=at(bd(-10), 10), submitted=at(bd(-9), 9, 30), due=bd(6)
        )
        portin.lsp_reject_record(
            order=order,
            by=alice,
            reason_codes=["BUSNM"],
            text="Business name differs from the account.",
            now=at(bd(-7), 11, 0),
        )
        portin.order_return_to_customer(
            order=order,
            by=alice,
            message="Please confirm the business name exactly as on your bill.",
            now=at(bd(-6), 9, 30),
        )
        portin.customer_resubmission_record(
            order=order,
            by=alice,
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
        portin.numbers_activate(order=order, by=alice, tns=[first], now=at(bd(-2), 8, 5))
        portin.numbers_activate(order=order, by=alice, tns=[second], now=at(bd(-2), 8, 20))
        (order,) = self.accepted(
            [("9102", 1)],
            created=at(bd(-10), 10),
            submitted=at(bd(-9), 9, 30),
            foc_at=at(bd(-7), 10, 0),
            foc_date=bd(-4),
        )
        portin.order_complete(order=order, by=maria, now=at(bd(-4), 9, 0))

        # Cancelled: a draft the customer withdrew, and a submitted order (SUP 1 to the LSP).
        (order,) = self.new_portin([("6664", 1)], created=at(bd(-4), 10), due=bd(5))
        portin.order_cancel(
            order=order,
            by=alice,
            reason="The customer decided to stay with their current carrier.",
            now=at(bd(-3), 9, 10),
        )
        (order,) = self.submitted(
            [("3S77", 1)], created=at(bd(-5), 10), submitted=at(bd(-4), 11), due=bd(4)
        )
        portin.order_cancel(
            order=order,
            by=maria,
            reason="Duplicate of another request for the same line.",
            now=at(bd(-2), 14, 30),
        )

    # --- port-out -------------------------------------------------------------------------
