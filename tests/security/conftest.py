"""The hardening tests' world: our carrier, a losing carrier with numbers in the NPAC view
(port-in), a customer account of ours with a known PIN and account number (port-out), and a
requesting carrier; plus a port-in order walked through the desk's pages.

KNOWN_PIN and KNOWN_ACCOUNT are searched for in every output (logs, emails, CSV exports,
admin lists, error pages); they must show up only where the desk legitimately needs them.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carriers.end_user import EndUser
from carriers.models import SPID, Carrier, Contact, CustomerAccount, TelephoneNumber
from orders.models import PortOrder
from orders.roles import MANAGER_GROUP
from tests.conftest import _user
from tests.factories import (
    CarrierFactory,
    ContactFactory,
    CustomerAccountFactory,
    OurCarrierFactory,
    SPIDFactory,
    TelephoneNumberFactory,
    business_day_in,
)

KNOWN_PIN = "8675"
KNOWN_ACCOUNT = "ACCT-55501234"
# Port-in TNs served by the losing carrier; port-out TNs on our customer's account.
PORTIN_TNS = ("5035557001", "5035557002")
PORTOUT_TNS = ("9715557101", "9715557102")


@dataclass
class World:
    ours: Carrier
    our_spid: SPID
    lsp: Carrier
    lsp_spid: SPID
    requester: Carrier
    requester_spid: SPID
    account: CustomerAccount


def build_world() -> World:
    ours = OurCarrierFactory()
    our_spid = SPIDFactory(code="7231", carrier=ours, region=SPID.Region.WEST_COAST)
    lsp = CarrierFactory(name="Pacific Bell", kind=Carrier.Kind.ILEC, supports_csr=True)
    lsp_spid = SPIDFactory(code="9100", carrier=lsp, region=SPID.Region.WEST_COAST)
    for tn in PORTIN_TNS:
        TelephoneNumberFactory(tn=tn, spid=lsp_spid)
    requester = CarrierFactory(name="Willamette Wireless", kind=Carrier.Kind.WIRELESS)
    requester_spid = SPIDFactory(code="W001", carrier=requester)
    ContactFactory(carrier=requester, role=Contact.Role.LSR, email="lsr@willamette.example")
    account = CustomerAccountFactory(
        account_number=KNOWN_ACCOUNT, btn=PORTOUT_TNS[0], name="Known Customer LLC", pin=KNOWN_PIN
    )
    for tn in PORTOUT_TNS:
        TelephoneNumber.objects.create(
            tn=tn, spid=our_spid, account=account, status=TelephoneNumber.Status.WORKING
        )
    return World(ours, our_spid, lsp, lsp_spid, requester, requester_spid, account)


@pytest.fixture
def world(db):
    return build_world()


def due_in(days=10) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def new_order_post(**overrides) -> dict:
    data = {
        "account_name": "Known Customer LLC",
        "account_number": KNOWN_ACCOUNT,
        "btn": PORTIN_TNS[0],
        "authorized_person": "Pat Smith",
        "service_address": "100 Main St Suite 4",
        "city": "Portland",
        "state": "OR",
        "zip_code": "97204",
        "requested_due_date": due_in().isoformat(),
        "notification_email": "customer@known.example",
        "pin": KNOWN_PIN,
        "remarks": "",
        "tns": "\n".join(PORTIN_TNS),
        "authorization": "on",
    }
    data.update(overrides)
    return data


def act(client, order, action, **fields):
    """POST one of the order page's action forms (fields without the form's prefix)."""
    order.refresh_from_db()
    prefix = action.replace("-", "_")
    data = {f"{prefix}-expected_status": order.status}
    for name, value in fields.items():
        data[f"{prefix}-{name}"] = value
    return client.post(reverse("orders:order_action", args=[order.pk, action]), data)


def create_portin_order(client) -> PortOrder:
    response = client.post(reverse("orders:portin_new"), new_order_post(), follow=True)
    assert response.status_code == 200, response.content[:2000]
    return PortOrder.objects.filter(direction="in").latest("pk")


def walk_portin_flow(client) -> PortOrder:
    """A port-in order from the new-order form to completion, through the order page:
    CSR recorded, LSR sent, rejected by the LSP, returned to the customer (email), the
    customer's resubmission reviewed and resent, FOC (email), completed (email; before the
    FOC date, so by a manager, in a client of their own)."""
    order = create_portin_order(client)
    csr = {
        "account_name": "Known Customer LLC",
        "account_number": KNOWN_ACCOUNT,
        "btn": PORTIN_TNS[0],
        "authorized_person": "Pat Smith",
        "service_address": "100 Main St Suite 4",
        "city": "Portland",
        "state": "OR",
        "zip_code": "97204",
        "tns": "\n".join(PORTIN_TNS),
    }
    steps = [
        ("csr", csr),
        ("submit", {}),
        ("lsp-reject", {"reasons": ["PIN"], "text": "PIN does not match"}),
        ("return-to-customer", {"message": "Please send the right passcode."}),
        ("customer-resubmission", {"note": "The customer sent a new passcode by phone."}),
        ("review-resend", {"note": "Checked."}),
        ("foc", {"foc_date": business_day_in(12).isoformat()}),
        ("comment", {"body": "Customer called.", "visibility": "internal", "source": "staff"}),
        ("complete", {}),
    ]
    manager = Client()
    manager.force_login(_user("maria-flow", group=MANAGER_GROUP))
    for action, fields in steps:
        response = act(manager if action == "complete" else client, order, action, **fields)
        assert response.status_code == 302, (action, response.content[:3000])
        messages = [str(m) for m in response.wsgi_request._messages]
        assert not any("changed" in m or "cannot" in m for m in messages), (action, messages)
    order.refresh_from_db()
    assert order.status == "completed", order.status
    return order


def lsr_post(world: World, **overrides) -> dict:
    data = {
        "requesting_carrier": world.requester.pk,
        "new_spid": world.requester_spid.pk,
        "pon": "PON-HARD-1",
        "version": "1",
        "reqtype": "C",
        "act": "V",
        "mi": "",
        "requested_due_date": due_in(14).isoformat(),
        "tns": "\n".join(PORTOUT_TNS),
        "disconnect_tns": "",
        "remarks": "",
        "account_number": KNOWN_ACCOUNT,
        "btn": PORTOUT_TNS[0],
        "account_name": "Known Customer LLC",
        "authorized_person": "Pat Smith",
        "service_address": "100 Main Street Suite 4",
        "city": "Portland",
        "state": "OR",
        "zip_code": "97204",
        "authorization_indicator": "Y",
        "pin": KNOWN_PIN,
    }
    data.update(overrides)
    return data


# --- a desk with work in every state (pages to render, URLs to fill) ----------------------------

_tn_serial = iter(range(100, 10_000))


def _fresh_tns(spid, n=1, *, account=None, prefix="503558"):
    tns = []
    for _ in range(n):
        tn = f"{prefix}{next(_tn_serial):04d}"
        TelephoneNumber.objects.create(tn=tn, spid=spid, account=account)
        tns.append(tn)
    return tns


@dataclass
class Desk:
    """Orders and requests in each state the pages and the role matrix need."""

    portin: dict  # status -> PortOrder
    portout: dict  # status (or "sup_flag") -> PortOrder
    csr_open: object
    csr_answered: object
    document: object
    npac_cancel: object
    dispute: object


def populate_desk(world: World, *, staff, manager) -> Desk:
    from orders.models import Document, NpacCancelRecord
    from orders.rules import LsrData
    from orders.services import orders as order_services
    from orders.services import portin, portout

    no_csr = CarrierFactory(name="Cascade Rural Telco", kind=Carrier.Kind.ILEC, supports_csr=False)
    no_csr_spid = SPIDFactory(code="4421", carrier=no_csr)

    def new_portin():
        result = portin.portin_orders_create(
            tns=_fresh_tns(no_csr_spid),
            by=staff,
            end_user=EndUser(
                account_name="Desk Customer Inc.",
                account_number="ACCT-DESK-0001",
                btn="5035550100",
                authorized_person="Pat Smith",
                service_address="1 Desk St",
                city="Portland",
                state="OR",
                zip_code="97204",
            ),
            requested_due_date=due_in(10),
            notification_email="desk@customer.example",
            pin="1111",
        )
        assert not result.refused, result.refused
        return result.orders[0]

    def submitted():
        order = new_portin()
        portin.order_submit(order=order, by=staff)
        return order

    def exception():
        order = submitted()
        portin.lsp_reject_record(order=order, by=staff, reason_codes=["PIN"])
        return order

    def rejected():
        order = exception()
        portin.order_return_to_customer(order=order, by=staff, message="Send the PIN.")
        return order

    def review():
        order = rejected()
        portin.customer_resubmission_record(order=order, by=staff, note="New PIN given.")
        return order

    def accepted():
        order = submitted()
        portin.foc_record(order=order, by=staff, foc_date=business_day_in(12))
        return order

    def completed():
        order = accepted()
        portin.order_complete(order=order, by=manager)  # before the FOC: a manager's call
        return order

    def cancelled():
        order = submitted()
        portin.order_cancel(order=order, by=staff, reason="Customer stays.")
        return order

    pins = {
        "draft": new_portin(),
        "submitted": submitted(),
        "exception": exception(),
        "rejected": rejected(),
        "review": review(),
        "accepted": accepted(),
        "completed": completed(),
        "cancelled": cancelled(),
    }
    # One draft on the CSR-supporting carrier: its page shows the CSR forms.
    csr_order = portin.portin_orders_create(
        tns=_fresh_tns(world.lsp_spid),
        by=staff,
        end_user=EndUser(
            account_name="Csr Customer",
            authorized_person="Pat Smith",
            btn="5035550100",
            service_address="1 Desk St",
            zip_code="97204",
        ),
        requested_due_date=due_in(10),
        notification_email="csr@customer.example",
    ).orders[0]
    pins["csr_pending"] = csr_order

    pon_serial = iter(range(1, 1000))

    def lsr(expedite=False, due_days=14, **extra):
        account = CustomerAccountFactory(pin="2468")
        tns = _fresh_tns(world.our_spid, 2, account=account, prefix="971558")
        data = LsrData(
            pon=f"PON-DESK-{next(pon_serial)}",
            version=1,
            reqtype="C",
            act="V",
            requested_due_date=due_in(due_days),
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
            authorization_indicator=True,
            **extra,
        )
        # R18: a good LSR carries the PIN the end user set with us.
        return portout.lsr_receive(
            requesting_carrier=world.requester,
            lsr=data,
            pin="2468",
            new_spid=world.requester_spid,
            by=staff,
        )

    def foc_sent():
        order = lsr()
        portout.lsr_decide(order=order, decision="foc", by=staff, expected_status="received")
        assert order.status == "foc_sent", order.rule_evaluation
        return order

    outs = {"received": lsr(), "foc_sent": foc_sent()}
    expedite = lsr(expedite=True, due_days=1)
    portout.lsr_decide(order=expedite, decision="foc", by=staff, expected_status="received")
    outs["expedite_review"] = expedite
    rejected_lsr = lsr()
    portout.lsr_decide(
        order=rejected_lsr, decision="reject", by=staff, reason_codes=["OTHER"], text="No."
    )
    outs["rejected"] = rejected_lsr
    flagged = foc_sent()
    for days in (20, 21, 22):
        portout.sup_receive(order=flagged, sup_type=2, by=staff, requested_due_date=due_in(days))
    flagged.refresh_from_db()
    outs["sup_flag"] = flagged

    csr_open = portout.csr_request_receive(
        requesting_carrier=world.requester,
        tns=list(PORTOUT_TNS),
        authorization_indicator=True,
        by=staff,
    )
    csr_answered = portout.csr_request_receive(
        requesting_carrier=world.requester,
        tns=list(PORTOUT_TNS),
        authorization_indicator=True,
        by=staff,
    )
    portout.csr_request_answer(csr_request=csr_answered, by=staff)

    from django.core.files.uploadedfile import SimpleUploadedFile

    document = order_services.document_add(
        order=pins["draft"],
        kind=Document.Kind.LOA,
        uploaded_file=SimpleUploadedFile("loa.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=staff,
    )
    npac_cancel = NpacCancelRecord.objects.create(
        order=outs["foc_sent"],
        tn=outs["foc_sent"].numbers.first().tn,
        reason="R11: test",
        created_at=timezone.now(),
    )
    dispute = portout.dispute_open(order=outs["received"], description="Who asked?", by=staff)
    for order in [*pins.values(), *outs.values()]:
        order.refresh_from_db()
    return Desk(pins, outs, csr_open, csr_answered, document, npac_cancel, dispute)


@pytest.fixture
def desk(world, alice, maria):
    return populate_desk(world, staff=alice, manager=maria)
