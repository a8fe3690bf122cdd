"""Issue 17 documents beyond the desk's LSR decision: the CSR answer (R1) and the CSR reject
go to the requesting carrier's CSR contact as PDFs, and an LSR rejected at intake (R16, R19,
F7) sends the same reject notice the desk's reject does."""

import pytest
from django.core import mail

from carriers import protection as accounts
from carriers.models import SPID, Contact
from carriers.tn import format_tn
from orders.models import CsrRequest, Document, OutboundEmail, Status
from orders.services import portout as services
from tests.factories import CarrierFactory, ContactFactory, SPIDFactory

from .conftest import MONDAY, fresh_tn, make_lsr
from .test_carrier_documents import pdf_text

pytestmark = pytest.mark.django_db
ACCOUNT_NUMBER = "ACCT-77701234"


@pytest.fixture
def csr_contact(requester):
    return ContactFactory(carrier=requester, role=Contact.Role.CSR, email="csr@willamette.example")


@pytest.fixture
def lsr_contact(requester):
    return ContactFactory(carrier=requester, role=Contact.Role.LSR, email="lsr@willamette.example")


def csr_receive(carrier, tns, **kw):
    kw.setdefault("authorization_indicator", True)
    return services.csr_request_receive(
        requesting_carrier=carrier, tns=tns, by=None, received_at=MONDAY, now=MONDAY, **kw
    )


# --- the CSR answer and the CSR reject --------------------------------------------------------


def test_csr_answer_is_a_pdf_to_the_csr_contact_with_the_record_but_a_masked_account_number(
    make_account, requester, csr_contact, alice, django_capture_on_commit_callbacks
):
    _, tns = make_account(2, name="ABC Company Inc.", account_number=ACCOUNT_NUMBER)
    csr_request = csr_receive(requester, tns[:1])
    with django_capture_on_commit_callbacks(execute=True):
        services.csr_request_answer(csr_request=csr_request, by=alice, now=MONDAY)
    document = csr_request.documents.get(kind=Document.Kind.CSR_ANSWER)
    assert document.sent_to == "csr@willamette.example"
    text = pdf_text(document)
    assert "ABC Company Inc." in text
    assert all(format_tn(tn) in text for tn in tns)  # every TN on the account
    assert "ending 1234" in text and ACCOUNT_NUMBER not in text
    [message] = mail.outbox
    assert message.to == ["csr@willamette.example"]
    # The body says the answer is attached; the customer's record is only in the PDF.
    assert "attached" in message.body
    assert "ABC Company" not in message.body and "1234" not in message.body
    assert [name for name, *_ in message.attachments] == [document.original_name]


def test_csr_reject_sends_a_reject_notice_with_its_codes(
    make_account, requester, reseller_host, csr_contact, alice
):
    _, resold = make_account(1, spid=SPID.objects.get(code="Q001"))
    csr_request = csr_receive(requester, [*resold, fresh_tn()], authorization_indicator=False)
    services.csr_request_reject(csr_request=csr_request, by=alice, now=MONDAY)
    document = csr_request.documents.get(kind=Document.Kind.REJECT_NOTICE)
    text = pdf_text(document)
    assert "Reject codes: R2, R3, R4" in text
    assert document.email.recipients == ["csr@willamette.example"]


def test_a_csr_answer_that_fails_sends_nothing(make_account, requester, csr_contact, alice):
    csr_request = csr_receive(requester, [fresh_tn()])  # R2: not ours, answer refused
    with pytest.raises(Exception, match="R2"):
        services.csr_request_answer(csr_request=csr_request, by=alice, now=MONDAY)
    assert not Document.objects.filter(csr_request=csr_request).exists()
    assert not OutboundEmail.objects.exists()
    assert CsrRequest.objects.get(pk=csr_request.pk).status == CsrRequest.Status.OPEN


def test_a_carrier_without_a_csr_contact_gets_no_email_but_the_answer_is_kept(
    make_account, requester, lsr_contact, alice
):
    _, tns = make_account(1)
    csr_request = csr_receive(requester, tns)
    services.csr_request_answer(csr_request=csr_request, by=alice, now=MONDAY)
    document = csr_request.documents.get(kind=Document.Kind.CSR_ANSWER)
    assert document.email is None and document.delivery_state == "not sent"
    assert not OutboundEmail.objects.exists()


# --- rejects made at LSR intake ---------------------------------------------------------------


def reject_notice(order):
    return order.documents.get(kind=Document.Kind.REJECT_NOTICE)


def test_an_lsr_missing_required_fields_sends_the_r16_reject_notice(
    make_account, requester, lsr_contact
):
    _, tns = make_account(1)
    order = services.lsr_receive(
        requesting_carrier=requester, lsr=make_lsr(tns, account_name=""), now=MONDAY
    )
    assert order.status == Status.REJECTED
    document = reject_notice(order)
    text = pdf_text(document)
    assert "R16" in text and "account name" in text
    assert document.sent_to == "lsr@willamette.example"


def test_an_lsr_for_a_locked_account_sends_the_r19_reject_notice(
    make_account, requester, lsr_contact, alice
):
    account, tns = make_account(1, account_number=ACCOUNT_NUMBER)
    accounts.account_lock_set(account=account, locked=True, by=alice, reason="Holder called.")
    order = services.lsr_receive(requesting_carrier=requester, lsr=make_lsr(tns), now=MONDAY)
    text = pdf_text(reject_notice(order))
    assert "Reject codes: R19" in text and ACCOUNT_NUMBER not in text


def test_an_lsr_for_a_tn_held_elsewhere_sends_the_f7_reject_notice_naming_no_holder(
    make_account, requester
):
    _, tns = make_account(2)
    first = services.lsr_receive(requesting_carrier=requester, lsr=make_lsr(tns), now=MONDAY)
    rival = CarrierFactory(name="Rival Mobile")
    SPIDFactory(code="R001", carrier=rival)
    ContactFactory(carrier=rival, role=Contact.Role.LSR, email="lsr@rival.example")
    second = services.lsr_receive(
        requesting_carrier=rival, lsr=make_lsr(tns[1:], pon="RIVAL-1", mi="A"), now=MONDAY
    )
    document = reject_notice(second)
    text = pdf_text(document)
    assert "F7" in text and "pending port request" in text and first.pon not in text
    assert document.sent_to == "lsr@rival.example"
