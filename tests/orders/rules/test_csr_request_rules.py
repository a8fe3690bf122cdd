"""R2-R5 on a CSR request, as pure rules: Facts built by hand, no database."""

import pytest

from orders.rules import CsrRequestData, Finding, evaluate_csr_request

from .builders import carrier, elsewhere, facts, ours, resold, unknown

pytestmark = pytest.mark.pure

TN, TN2 = "5035550100", "5035550101"
AGENT = {"requester_kind": "third_party", "requester_name": "Porting Agents LLC"}
R5 = Finding(
    "R5",
    "LOA",
    "Porting Agents LLC is a third party (agent, consultant or vendor): attach the end "
    "user's signed LOA to the CSR request.",
    "R5",
)


def request(*tns, authorized=True, loa=False):
    return CsrRequestData(tns=tns, authorization_indicator=authorized, has_loa=loa)


def test_a_carriers_authorized_request_for_our_working_tns_has_no_finding():
    assert evaluate_csr_request(request(TN, TN2), facts(ours(TN), ours(TN2))) == []


def test_r4_a_carrier_without_the_indicator_is_rejected():
    (finding,) = evaluate_csr_request(request(TN, authorized=False), facts(ours(TN)))
    assert (finding.rule, finding.code, finding.field_or_tn) == (
        "R4",
        "R4",
        "authorization indicator",
    )


def test_r5_a_third_party_without_an_loa_is_rejected_and_not_asked_for_r4():
    findings = evaluate_csr_request(request(TN, authorized=False), facts(ours(TN), **AGENT))
    assert findings == [R5]


def test_r5_a_third_party_with_an_loa_passes():
    assert evaluate_csr_request(request(TN, loa=True), facts(ours(TN), **AGENT)) == []


def test_r5_a_carrier_is_never_asked_for_an_loa():
    assert evaluate_csr_request(request(TN, loa=False), facts(ours(TN))) == []


def test_r2_unknown_and_foreign_tns_are_rejected_naming_the_serving_carrier():
    other = carrier(9, "Other Telco")
    findings = evaluate_csr_request(
        request(TN, TN2), facts(unknown(TN), elsewhere(TN2, by=other, spid="9999"))
    )
    assert [(f.code, f.field_or_tn) for f in findings] == [("R2", TN), ("R2", TN2)]
    assert "SPID 9999 (Other Telco)" in findings[1].message


def test_r3_a_resold_tn_is_redirected_to_the_carrier_and_its_csr_contact_not_r2():
    host = carrier(4, "Qwest")
    findings = evaluate_csr_request(
        request(TN),
        facts(resold(TN, by=host, spid="Q001"), csr_contacts={4: "Quinn CSR (503-555-0199)"}),
    )
    assert [f.code for f in findings] == ["R3"]
    assert findings[0].message.endswith(
        "request the CSR from Qwest, its CSR contact: Quinn CSR (503-555-0199)."
    )
