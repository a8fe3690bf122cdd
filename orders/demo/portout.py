"""The port-out desk's demo orders (seed 000) and CSR requests, each made through the port-out
services: LSRs to decide, rejects, disputes, expedites, SUPs, FOCs, NPAC events, the R11
window and the R1 CSR clock."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile

from carriers.end_user import END_USER_FIELDS, EndUser
from orders.models import NpacCancelRecord, PortOrder, Rejection
from orders.rules import LsrData
from orders.services import jobs, portout
from orders.services.queues import rejections_assign

from .base import DEMO_PON_PREFIX, DemoSeeder


class PortOutDemo(DemoSeeder):
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
            "authorization_indicator": True,
            "received_at": received,
        }
        end_user = EndUser.from_account(account).as_fields()
        for name in END_USER_FIELDS:
            if name in overrides:
                end_user[name] = overrides.pop(name)
        values.update(overrides)
        return LsrData(**values, end_user=EndUser(**end_user))

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
