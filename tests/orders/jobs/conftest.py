"""Shared setup for the scheduled-job tests: times in the portal's zone and orders brought
into the state each clock needs through the lifecycle, as the desks' services would."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from carriers.models import Contact
from orders.lifecycle import transition
from orders.models import CsrRequest, OrderNumber, Status
from orders.services.orders import f4_auto_cancel_date
from tests.factories import (
    CarrierFactory,
    ContactFactory,
    OrderNumberFactory,
    OurCarrierFactory,
    PortOrderFactory,
    PortOutOrderFactory,
)


def at(year, month, day, hour=9, minute=0) -> datetime.datetime:
    """A moment in the portal's time zone (the jobs' "now")."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(settings.TIME_ZONE))


def submitted_port_in(*, submitted_at, requested_due_date, tn_count=1, **fields):
    order = PortOrderFactory(requested_due_date=requested_due_date, tn_count=tn_count, **fields)
    transition(
        order,
        Status.SUBMITTED,
        actor_label="test",
        now=submitted_at,
        changes={"submitted_at": submitted_at},
    )
    return order


def rejected_port_in(*, notified_at, **fields):
    """A port-in order the desk could not fix: rejected, the customer told at `notified_at`."""
    order = submitted_port_in(
        submitted_at=notified_at - datetime.timedelta(days=3),
        requested_due_date=notified_at.date() + datetime.timedelta(days=20),
        **fields,
    )
    transition(order, Status.EXCEPTION, actor_label="test", now=notified_at)
    transition(
        order,
        Status.REJECTED,
        actor_label="test",
        now=notified_at,
        changes={
            "customer_notified_at": notified_at,
            "auto_cancel_on": f4_auto_cancel_date(notified_at),
        },
    )
    return order


def foc_sent_port_out(*, foc_at, foc_date, tns=("5035550101", "5035550102"), active=(), **fields):
    """A port-out order FOC'd at `foc_at` for `foc_date`, its R11 window set as the port-out
    desk sets it: our carrier's calendar, our carrier's port_window_business_days."""
    from carriers.services import calendar_for

    order = PortOutOrderFactory(received_at=foc_at - datetime.timedelta(days=2), **fields)
    for tn in tns:
        OrderNumberFactory(
            order=order,
            tn=tn,
            npac_status=(
                OrderNumber.NpacStatus.ACTIVE if tn in active else OrderNumber.NpacStatus.PENDING
            ),
        )
    window = order.losing_carrier.port_window_business_days
    ends_on = calendar_for(order.losing_carrier).add_business_days(foc_date, window)
    transition(
        order,
        Status.FOC_SENT,
        actor_label="test",
        now=foc_at,
        changes={"foc_date": foc_date, "port_window_ends_on": ends_on, "tn_count": len(tns)},
    )
    return order


def open_csr_request(*, received_at, hours=24, **fields):
    return CsrRequest.objects.create(
        requesting_carrier=fields.pop("requesting_carrier", None) or CarrierFactory(),
        tns=["5035550199"],
        authorization_indicator=True,
        received_at=received_at,
        due_at=received_at + datetime.timedelta(hours=hours),
        **fields,
    )


@pytest.fixture
def our_carrier(db):
    return OurCarrierFactory()


@pytest.fixture
def requesting_carrier(db):
    carrier = CarrierFactory(name="Willamette Wireless")
    ContactFactory(carrier=carrier, role=Contact.Role.LSR, email="lsr@willamette.example")
    ContactFactory(carrier=carrier, role=Contact.Role.CSR, email="csr@willamette.example")
    return carrier
