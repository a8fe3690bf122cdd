"""CSR requests from other carriers (R1-R5): the clock, the checks, the answer and the
coded reject."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carriers.models import SPID
from orders.lifecycle import DomainError
from orders.models import CsrRequest
from orders.services import portout as services

from .conftest import at, fresh_tn

pytestmark = pytest.mark.django_db
NOW = at(2026, 11, 16, 10)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def receive(carrier, tns, **kw):
    kw.setdefault("authorization_indicator", True)
    return services.csr_request_receive(
        requesting_carrier=carrier, tns=tns, by=None, received_at=NOW, now=NOW, **kw
    )


def test_csr_request_is_due_24_hours_after_receipt(make_account, requester):
    _, tns = make_account(1)
    assert receive(requester, tns).due_at == NOW + datetime.timedelta(hours=24)


def test_csr_clock_follows_the_carriers_setting(make_account, requester):
    requester.csr_answer_hours = 48
    requester.save()
    _, tns = make_account(1)
    assert receive(requester, tns).due_at == NOW + datetime.timedelta(hours=48)


def test_csr_answer_is_built_from_the_inventory(make_account, requester, alice):
    account, tns = make_account(
        3,
        numbers={1: {"line_type": "isdn_bri", "features": "Hunt group"}},
        name="ABC Company Inc.",
        account_number="ACCT-778899",
    )
    csr_request = receive(requester, tns[:1])
    services.csr_request_answer(csr_request=csr_request, by=alice, now=NOW)
    csr_request.refresh_from_db()
    assert csr_request.status == CsrRequest.Status.ANSWERED
    assert csr_request.answered_by == alice and csr_request.answered_at == NOW
    assert "778899" not in str(csr_request.answer)  # kept encrypted (R18)
    [answered] = services.csr_answer_shown(csr_request.answer)["accounts"]
    assert answered["name"] == "ABC Company Inc."
    assert answered["account_number"] == "ACCT-778899"
    assert answered["btn"] == account.btn
    assert answered["service_address"] == account.service_address
    assert [line["tn"] for line in answered["numbers"]] == tns  # every TN on the account
    assert answered["numbers"][1]["line_type"] == "ISDN BRI"
    assert answered["numbers"][1]["features"] == "Hunt group"


def test_csr_answer_never_contains_the_pin(make_account, requester, alice):
    account, tns = make_account(1, pin="918273")
    csr_request = receive(requester, tns)
    services.csr_request_answer(csr_request=csr_request, by=alice, now=NOW)
    csr_request.refresh_from_db()
    dumped = json.dumps(csr_request.answer)
    assert "918273" not in dumped
    assert account.pin_hash not in dumped
    # No field about the PIN at all (a customer or carrier name may well contain "pin":
    # "Pinnacle", "Spinney"; only the keys are checked).
    assert not [key for key in _keys(csr_request.answer) if "pin" in key.lower()]


def _keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def test_csr_answer_is_refused_while_a_rule_fails(make_account, requester, alice):
    csr_request = receive(requester, [fresh_tn()])
    with pytest.raises(DomainError, match="fails R2"):
        services.csr_request_answer(csr_request=csr_request, by=alice)


def test_coded_reject_lists_every_failing_rule_and_is_kept(
    make_account, requester, reseller_host, alice
):
    _, resold = make_account(1, spid=SPID.objects.get(code="Q001"))
    unknown = fresh_tn()
    csr_request = receive(requester, [*resold, unknown], authorization_indicator=False)
    services.csr_request_reject(csr_request=csr_request, by=alice, now=NOW)
    csr_request.refresh_from_db()
    assert csr_request.status == CsrRequest.Status.REJECTED
    assert sorted(r.code for r in csr_request.reject_reasons.all()) == ["R2", "R3", "R4"]
    answer = csr_request.answer
    assert answer["kind"] == "reject"
    assert {f["rule"] for f in answer["findings"]} == {"R2", "R3", "R4"}
    r3 = next(f for f in answer["findings"] if f["rule"] == "R3")
    assert "Qwest" in r3["message"] and "Quinn CSR" in r3["message"]
    with pytest.raises(DomainError, match="already rejected"):
        services.csr_request_answer(csr_request=csr_request, by=alice)


def test_third_party_without_loa_is_rejected_with_r5(make_account, agent, alice):
    _, tns = make_account(1)
    csr_request = receive(agent, tns, authorization_indicator=False)
    services.csr_request_reject(csr_request=csr_request, by=alice)
    assert [r.code for r in csr_request.reject_reasons.all()] == ["R5"]


def test_third_party_with_an_loa_is_answered(make_account, agent, alice):
    _, tns = make_account(1)
    loa = SimpleUploadedFile("loa.pdf", PDF, content_type="application/pdf")
    csr_request = receive(agent, tns, authorization_indicator=False, loa_file=loa)
    assert csr_request.documents.get().kind == "loa"
    services.csr_request_answer(csr_request=csr_request, by=alice)
    assert csr_request.status == CsrRequest.Status.ANSWERED


def test_answer_after_the_clock_is_marked_overdue(make_account, requester, alice):
    _, tns = make_account(1)
    csr_request = receive(requester, tns)
    services.csr_request_answer(
        csr_request=csr_request, by=alice, now=NOW + datetime.timedelta(hours=25)
    )
    csr_request.refresh_from_db()
    assert csr_request.is_overdue


def test_csr_dispute_is_recorded_on_the_request(make_account, requester, alice):
    _, tns = make_account(1)
    csr_request = receive(requester, tns)
    dispute = services.dispute_open(csr_request=csr_request, description="Who asked?", by=alice)
    assert dispute.is_open and csr_request.disputes.get() == dispute
