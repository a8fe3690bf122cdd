"""The managers' "Port-out risk" queue (R19): open LSRs with an R18 mismatch, on a locked
account, on an account whose contact or address changed in the last 30 days, or from a
requester that sent LSRs for many different accounts in one day; each row says why."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from carriers import protection as accounts
from orders.models import Status
from orders.queues.base import QueueContext
from orders.queues.dashboard import dashboard_counts
from orders.services import portout as services
from tests.factories import (
    CarrierFactory,
    CustomerAccountFactory,
    OurCarrierFactory,
    PortOutOrderFactory,
    SPIDFactory,
    TelephoneNumberFactory,
)
from tests.orders.portout.conftest import make_lsr
from tests.orders.queues.conftest import client_for, queue_url

pytestmark = pytest.mark.django_db

S = Status


@pytest.fixture
def desk(db):
    ours = OurCarrierFactory()
    rival = CarrierFactory(name="Rival Wireless")
    return ours, rival


def lsr_order(desk, pon, *, status=S.RECEIVED, **fields):
    ours, rival = desk
    fields.setdefault("received_at", timezone.now() - datetime.timedelta(hours=1))
    return PortOutOrderFactory(
        pon=pon, status=status, losing_carrier=ours, new_carrier=rival, **fields
    )


def why(client):
    response = client.get(queue_url("out-risk"))
    assert response.status_code == 200
    return {row.obj.pon: row.cells[3].text for row in response.context["rows"]}


def test_each_reason_puts_an_lsr_in_the_queue_and_says_so(desk, maria_client, alice):
    locked = CustomerAccountFactory()
    accounts.account_lock_set(account=locked, locked=True, by=alice, reason="Holder called.")
    changed = CustomerAccountFactory()
    accounts.account_details_update(
        account=changed, changes={"contact_email": "new@abc.example"}, by=alice
    )
    stale = CustomerAccountFactory()
    accounts.account_details_update(
        account=stale,
        changes={"zip_code": "97205"},
        by=alice,
        now=timezone.now() - datetime.timedelta(days=31),
    )
    lsr_order(desk, "R18", validation_mismatch=True)
    lsr_order(desk, "LOCKED", status=S.EXPEDITE_REVIEW, customer_account=locked)
    lsr_order(desk, "CHANGED", customer_account=changed)
    lsr_order(desk, "BURST", requester_burst=True)
    # Not risky, or no longer open.
    lsr_order(desk, "PLAIN", customer_account=CustomerAccountFactory())
    lsr_order(desk, "CHANGED-LONG-AGO", customer_account=stale)
    lsr_order(desk, "FOC-SENT", status=S.FOC_SENT, validation_mismatch=True)
    lsr_order(desk, "REJECTED", status=S.REJECTED, customer_account=locked)

    rows = why(maria_client)
    assert set(rows) == {"R18", "LOCKED", "CHANGED", "BURST"}
    assert rows["R18"] == "R18 validation-field mismatch"
    assert rows["LOCKED"] == "account locked against port-out"
    assert rows["CHANGED"].startswith("account contact or address changed ")
    assert rows["BURST"] == "requester sent LSRs for many accounts that day"
    # The dashboard's counts agree with the page.
    ctx = QueueContext.build(user=None)
    assert dashboard_counts(ctx)["out-risk"].count == 4


def test_the_queue_is_for_managers_only(desk, alice, maria):
    lsr_order(desk, "R18", validation_mismatch=True)
    staff = client_for(alice)
    assert staff.get(queue_url("out-risk")).status_code == 403
    assert staff.get(reverse("orders:queue_export", args=["out-risk"])).status_code == 403
    assert "Port-out risk" not in staff.get(reverse("orders:queue_index")).content.decode()
    manager = client_for(maria)
    assert manager.get(queue_url("out-risk")).status_code == 200
    assert "Port-out risk" in manager.get(reverse("orders:queue_index")).content.decode()


def test_the_export_says_why_too(desk, maria_client):
    lsr_order(desk, "R18", validation_mismatch=True)
    response = maria_client.get(reverse("orders:queue_export", args=["out-risk"]))
    body = b"".join(response.streaming_content).decode()
    assert "R18 validation-field mismatch" in body


@pytest.fixture
def our_numbers(db):
    ours = OurCarrierFactory()
    spid = SPIDFactory(code="7231", carrier=ours)

    # Sequence numbers, not primary keys: PostgreSQL's ids keep growing across tests.
    line = itertools.count(1)

    def tns_on_new_account(n=1):
        account = CustomerAccountFactory()
        return [
            TelephoneNumberFactory(tn=f"503207{next(line):04d}", spid=spid, account=account).tn
            for _ in range(n)
        ]

    return tns_on_new_account


def test_a_requester_asking_for_many_accounts_in_a_day_is_flagged(our_numbers, alice, settings):
    settings.PORTING = {**settings.PORTING, "RISK_REQUESTER_ACCOUNTS_PER_DAY": 3}
    requester = CarrierFactory(name="Burst Wireless")
    other = CarrierFactory(name="Quiet Wireless")
    now = timezone.now()

    def receive(carrier, pon):
        lsr = make_lsr(our_numbers(), pon=pon, received_at=now)
        return services.lsr_receive(requesting_carrier=carrier, lsr=lsr, by=alice, now=now)

    first = receive(requester, "B-1")
    receive(requester, "B-2")
    first.refresh_from_db()
    assert not first.requester_burst
    third = receive(requester, "B-3")
    quiet = receive(other, "Q-1")
    first.refresh_from_db()
    assert third.requester_burst and first.requester_burst
    assert not quiet.requester_burst
    assert first.customer_account_id is not None
