"""The hardening tests' world: our carrier, a losing carrier with numbers in the NPAC view
(port-in), a customer account of ours with a known PIN and account number (port-out), and a
requesting carrier; plus a port-in order walked through the desk's pages.

KNOWN_PIN and KNOWN_ACCOUNT are searched for in every output (logs, emails, CSV exports,
admin lists, error pages); they must show up only where the desk legitimately needs them.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from carriers.models import SPID, Carrier, Contact, CustomerAccount, TelephoneNumber
from orders.models import PortOrder
from tests.factories import (
    CarrierFactory,
    ContactFactory,
    CustomerAccountFactory,
    OurCarrierFactory,
    SPIDFactory,
    TelephoneNumberFactory,
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


@pytest.fixture
def world(db):
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
    response = client.post(reverse("orders:portin_new"), new_order_post())
    assert response.status_code == 200, response.content[:2000]
    return PortOrder.objects.filter(direction="in").latest("pk")


def walk_portin_flow(client) -> PortOrder:
    """A port-in order from the new-order form to completion, through the order page:
    CSR recorded, LSR sent, rejected by the LSP, returned to the customer (email), the
    customer's resubmission reviewed and resent, FOC (email), completed (email)."""
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
        ("foc", {"foc_date": due_in(12).isoformat()}),
        ("comment", {"body": "Customer called.", "visibility": "internal", "source": "staff"}),
        ("complete", {}),
    ]
    for action, fields in steps:
        response = act(client, order, action, **fields)
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
