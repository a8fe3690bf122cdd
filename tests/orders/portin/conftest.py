"""The port-in desk's world: our carrier, losing carriers reached directly, through a local
peer and through Somos, and an NPAC view of numbers on each."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from carriers.end_user import END_USER_FIELDS, EndUser
from carriers.models import SPID, Carrier
from orders.services import portin
from tests.factories import CarrierFactory, OurCarrierFactory, SPIDFactory, TelephoneNumberFactory


@dataclass
class Desk:
    ours: Carrier
    our_spid: SPID
    lsp: Carrier  # an ILEC that answers CSRs, with two SPIDs
    lsp_spid: SPID
    lsp_spid_2: SPID
    rural: Carrier  # reached through a local porting peer, no CSRs
    rural_spid: SPID
    peer: Carrier
    resporg: Carrier  # toll-free
    resporg_spid: SPID

    def numbers(self, spid, *tns, **fields):
        for tn in tns:
            TelephoneNumberFactory(tn=tn, spid=spid, **fields)
        return list(tns)


@pytest.fixture
def desk(db):
    ours = OurCarrierFactory()
    our_spid = SPIDFactory(code="7231", carrier=ours, region=SPID.Region.WEST_COAST)
    lsp = CarrierFactory(name="Pacific Bell", kind=Carrier.Kind.ILEC, supports_csr=True)
    lsp_spid = SPIDFactory(code="9100", carrier=lsp, region=SPID.Region.WEST_COAST)
    lsp_spid_2 = SPIDFactory(code="9101", carrier=lsp, region=SPID.Region.WESTERN)
    peer = CarrierFactory(name="Peerless Porting", kind=Carrier.Kind.CLEC)
    rural = CarrierFactory(
        name="Rural Telephone Co",
        kind=Carrier.Kind.ILEC,
        supports_csr=False,
        port_in_route=Carrier.Route.LOCAL_PEER,
        porting_peer=peer,
    )
    rural_spid = SPIDFactory(code="4420", carrier=rural)
    resporg = CarrierFactory(name="Toll Free Co", kind=Carrier.Kind.RESPORG, supports_csr=False)
    resporg_spid = SPIDFactory(code="T098", carrier=resporg)
    return Desk(
        ours=ours,
        our_spid=our_spid,
        lsp=lsp,
        lsp_spid=lsp_spid,
        lsp_spid_2=lsp_spid_2,
        rural=rural,
        rural_spid=rural_spid,
        peer=peer,
        resporg=resporg,
        resporg_spid=resporg_spid,
    )


END_USER = {
    "account_name": "ABC Company Inc.",
    "account_number": "ACCT-99887766",
    "btn": "5035550100",
    "authorized_person": "Pat Smith",
    "service_address": "100 Main St Suite 4",
    "city": "Portland",
    "state": "OR",
    "zip_code": "97204",
    "notification_email": "customer@abc-company.example",
    "pin": "4321",
    "remarks": "",
}


# The "Fix the order" form's text fields, shown prefilled (the account number never is).
EDIT_FORM_TEXT_FIELDS = tuple(
    name for name in portin.EDITABLE_FIELDS if name not in ("account_number", "requested_due_date")
)


def create_kwargs(values: dict) -> dict:
    """`portin_orders_create`'s arguments from form-like values: the end user's as one EndUser."""
    return {
        "end_user": EndUser.from_values(values),
        **{k: v for k, v in values.items() if k not in END_USER_FIELDS},
    }


def due_in(days=10):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def make_portin(desk, alice):
    """A draft port-in order on the desk's ILEC (CSR pending) for the given TNs."""

    def make(*tns, spid=None, user=None, **overrides):
        spid = spid or desk.lsp_spid
        tns = tns or ("5035550101",)
        desk.numbers(spid, *tns)
        data = {**END_USER, "requested_due_date": due_in(), **overrides}
        result = portin.portin_orders_create(tns=list(tns), by=user or alice, **create_kwargs(data))
        assert not result.refused, result.refused
        assert len(result.orders) == 1
        return result.orders[0]

    return make
