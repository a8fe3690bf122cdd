"""Port-out fixtures: our carrier and SPID, requesting carriers, accounts with TNs in the
inventory, and an LSR builder with valid defaults (override what a test is about)."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest

from carriers.end_user import END_USER_FIELDS, EndUser
from carriers.models import Carrier, TelephoneNumber
from orders.rules import LsrData
from tests.factories import (
    CarrierFactory,
    ContactFactory,
    CustomerAccountFactory,
    OurCarrierFactory,
    SPIDFactory,
)

LA = ZoneInfo("America/Los_Angeles")


def at(year, month, day, hour=10, minute=0, second=0):
    """An aware datetime in our carrier's zone (America/Los_Angeles)."""
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=LA)


# 2026-11-16 is a Monday: a quiet week before Thanksgiving (Thu 2026-11-26).
MONDAY = at(2026, 11, 16, 10, 0)

_tn_numbers = itertools.count(1)


def fresh_tn() -> str:
    return f"5032{next(_tn_numbers):06d}"


@pytest.fixture
def ours(db):
    return OurCarrierFactory(time_zone="America/Los_Angeles")


@pytest.fixture
def our_spid(ours):
    return SPIDFactory(code="7231", carrier=ours)


@pytest.fixture
def requester(ours):
    carrier = CarrierFactory(name="Willamette Wireless", kind=Carrier.Kind.WIRELESS)
    # Its SPID: where a completed port-out moves the TNs in our inventory (F7).
    SPIDFactory(code="W001", carrier=carrier)
    return carrier


@pytest.fixture
def agent(ours):
    return CarrierFactory(name="Porting Agents LLC", kind=Carrier.Kind.THIRD_PARTY)


@pytest.fixture
def reseller_host(db):
    """An ILEC whose SPID serves TNs we resell (R3), with a CSR contact."""
    carrier = CarrierFactory(name="Qwest", kind=Carrier.Kind.ILEC)
    SPIDFactory(code="Q001", carrier=carrier)
    ContactFactory(carrier=carrier, role="csr", name="Quinn CSR", email="csr@qwest.example")
    return carrier


@pytest.fixture
def make_account(our_spid):
    """make_account(n) -> (account, [tn, ...]): an account of ours with n working POTS lines."""

    def make(n=1, *, spid=None, statuses=None, pin=None, numbers=None, **account_kwargs):
        account = CustomerAccountFactory(pin=pin, **account_kwargs)
        statuses = statuses or {}
        numbers = numbers or {}
        rows = []
        for index in range(n):
            rows.append(
                TelephoneNumber(
                    **{
                        "tn": fresh_tn(),
                        "spid": spid or our_spid,
                        "account": account,
                        "status": statuses.get(index, TelephoneNumber.Status.WORKING),
                        "features": "Caller ID, Voicemail",
                        **numbers.get(index, {}),
                    }
                )
            )
        TelephoneNumber.objects.bulk_create(rows)
        return account, [row.tn for row in rows]

    return make


def account_fields(tns) -> dict:
    """R18: a good LSR carries our account record's account number, ZIP and name (the account
    of its first TN on file; a test about a mismatch overrides them)."""
    number = (
        TelephoneNumber.objects.filter(tn__in=list(tns), account__isnull=False)
        .select_related("account")
        .order_by("tn")
        .first()
    )
    if number is None:
        return {"account_number": "ACCT-1", "account_name": "ABC Company Inc."}
    account = number.account
    return {
        "account_number": account.account_number,
        "account_name": account.name,
        "zip_code": account.zip_code,
    }


def make_lsr(tns, **overrides) -> LsrData:
    received_at = overrides.pop("received_at", MONDAY)
    values = {
        "pon": "PON-1001",
        "version": 1,
        "reqtype": "C",
        "act": "V",
        "mi": "",
        "requested_due_date": received_at.date() + datetime.timedelta(days=14),
        "expedite": False,
        "tns": tuple(tns),
        "disconnect_tns": (),
        "remarks": "",
        "btn": tns[0] if tns else "5035550100",
        **account_fields(tns),
        "authorization_indicator": True,
        "received_at": received_at,
    }
    values.update(overrides)
    for key in ("tns", "disconnect_tns"):
        values[key] = tuple(values[key])
    end_user = EndUser.from_values(values)
    values = {k: v for k, v in values.items() if k not in END_USER_FIELDS}
    return LsrData(**values, end_user=end_user)


@pytest.fixture
def lsr_builder():
    return make_lsr
