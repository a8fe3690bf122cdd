"""R19 port-out protection at LSR intake: a locked account's LSR is rejected with its own
code, every account holder is told through the outbox whatever the outcome, and an account
without a contact email is listed for the desk and flagged on the order."""

import pytest
from django.core import mail
from django.urls import reverse

from carriers import protection as accounts
from carriers.models import Contact
from orders import emails
from orders.models import OutboundEmail, PortOrder, Rejection, RejectionReason, Status
from orders.services import portout as services
from tests.factories import ContactFactory

from .conftest import MONDAY, make_lsr

pytestmark = pytest.mark.django_db

ACCOUNT_NUMBER = "ACCT-77701234"
PIN = "8675"


def receive(requester, lsr, **kw):
    kw.setdefault("now", lsr.received_at)
    return services.lsr_receive(requesting_carrier=requester, lsr=lsr, **kw)


def notices(order=None):
    rows = OutboundEmail.objects.filter(kind=emails.PORT_OUT_NOTICE)
    return list(rows.filter(order=order) if order is not None else rows)


@pytest.fixture
def holder(make_account):
    """An account of ours with two lines, a PIN and the holder's contact email."""
    account, tns = make_account(
        2, pin=PIN, account_number=ACCOUNT_NUMBER, contact_email="holder@abc.example"
    )
    return account, tns


# --- the lock rejects (R19) ------------------------------------------------------------------


def test_the_locked_account_reject_code_is_in_the_catalogue():
    reason = RejectionReason.objects.get(code="R19")
    assert reason.applies_to == "out" and reason.rule == "R19"
    assert "locked" in reason.title.lower()


def test_an_lsr_for_a_locked_account_is_rejected_at_once_with_r19(holder, requester, alice):
    account, tns = holder
    accounts.account_lock_set(account=account, locked=True, by=alice, reason="Holder called.")
    order = receive(requester, make_lsr(tns), by=alice)
    assert order.status == Status.REJECTED
    assert "R19" in order.rule_evaluation["reject_codes"]
    rejection = Rejection.objects.get(order=order)
    assert [r.code for r in rejection.reasons.all()] == ["R19"]
    assert ACCOUNT_NUMBER not in rejection.text and "locked" in rejection.text


def test_an_lsr_for_an_unlocked_account_is_not_rejected_for_the_lock(holder, requester, alice):
    account, tns = holder
    accounts.account_lock_set(account=account, locked=True, by=alice, reason="Holder called.")
    accounts.account_lock_set(account=account, locked=False, by=alice, reason="Holder moving.")
    order = receive(requester, make_lsr(tns), by=alice)
    assert "R19" not in order.rule_evaluation["reject_codes"]
    assert not Rejection.objects.filter(order=order, reasons__code="R19").exists()


def test_a_lock_put_on_after_intake_blocks_the_foc_on_rerun(holder, requester, alice):
    account, tns = holder
    order = receive(requester, make_lsr(tns), by=alice)
    accounts.account_lock_set(account=account, locked=True, by=alice, reason="Holder called.")
    findings = services.lsr_rerun(order=order, by=alice)
    assert any(f.code == "R19" for f in findings)


# --- the holder is told (R19) ----------------------------------------------------------------


def test_every_lsr_queues_one_notice_to_the_holder_in_the_intake_transaction(
    holder, requester, alice, ours, django_capture_on_commit_callbacks
):
    _, tns = holder
    ContactFactory(carrier=ours, role=Contact.Role.CARE, name="Care", phone="800-555-0199")
    with django_capture_on_commit_callbacks(execute=True):
        order = receive(requester, make_lsr(tns), by=alice)
    (row,) = notices(order)
    assert row.recipients == ["holder@abc.example"]
    assert order.holder_notice == PortOrder.HolderNotice.QUEUED
    (message,) = mail.outbox
    body = message.body
    assert requester.name in message.subject and requester.name in body
    assert "Monday, November 16, 2026" in body
    for tn in tns:
        assert f"({tn[:3]}) {tn[3:6]}-{tn[6:]}" in body
    assert "800-555-0199" in body and "did not ask for it, call us" in body
    assert ACCOUNT_NUMBER not in body and PIN not in body
    assert ACCOUNT_NUMBER not in message.alternatives[0][0]
    row.refresh_from_db()
    assert row.sent_at is not None


def test_a_rejected_lsr_still_tells_the_holder(holder, requester, alice):
    account, tns = holder
    accounts.account_lock_set(account=account, locked=True, by=alice, reason="Holder called.")
    order = receive(requester, make_lsr(tns), by=alice)
    assert order.status == Status.REJECTED
    assert len(notices(order)) == 1


def test_an_lsr_missing_a_field_still_tells_the_holder(holder, requester, alice):
    _, tns = holder
    order = receive(requester, make_lsr(tns, reqtype=""), by=alice)
    assert len(notices(order)) == 1


def test_one_notice_per_account_per_lsr(make_account, requester, alice):
    _, first = make_account(2, contact_email="one@abc.example")
    _, second = make_account(1, contact_email="two@abc.example")
    order = receive(requester, make_lsr([*first, *second]), by=alice)
    rows = notices(order)
    assert sorted(r.recipients[0] for r in rows) == ["one@abc.example", "two@abc.example"]
    assert {r.context["tn_count"] for r in rows} == {1, 2}
    second_version = receive(requester, make_lsr([*first, *second], version=2), by=alice)
    assert len(notices(second_version)) == 2 and len(notices()) == 4


def test_an_lsr_for_numbers_not_ours_tells_nobody(requester, alice):
    order = receive(requester, make_lsr(["5035559999"]), by=alice)
    assert notices(order) == [] and order.holder_notice == PortOrder.HolderNotice.NONE


def test_no_email_means_no_notice_the_account_listed_and_the_order_says_so(
    make_account, requester, alice, alice_client
):
    account, tns = make_account(1)
    assert account.contact_email == ""
    order = receive(requester, make_lsr(tns), by=alice)
    assert notices(order) == []
    assert order.holder_notice == PortOrder.HolderNotice.MISSING
    account.refresh_from_db()
    assert account.notice_missed_at == MONDAY
    listed = alice_client.get(reverse("carriers:accounts_no_contact"))
    assert listed.status_code == 200
    assert list(listed.context["page"])[0] == account
    page = alice_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    assert 'data-testid="holder-not-told"' in page


def test_the_order_page_shows_the_accounts_lock(holder, requester, alice, alice_client):
    account, tns = holder
    order = receive(requester, make_lsr(tns), by=alice)
    page = alice_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    assert "not locked against port-out" in page
    assert ACCOUNT_NUMBER not in page
    accounts.account_lock_set(account=account, locked=True, by=alice, reason="Holder called.")
    page = alice_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    assert "<strong>locked against port-out</strong>" in page
