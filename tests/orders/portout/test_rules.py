"""Each port-out rule, positive and negative, with its exact finding (orders.rules)."""

import datetime

import pytest

from carriers.models import SPID, TelephoneNumber
from carriers.tn import format_tn
from orders.rules import (
    CsrRequestData,
    Finding,
    assess_lsr,
    evaluate_csr_request,
    evaluate_lsr,
)
from orders.services.portout import csr_request_facts, lsr_facts
from tests.factories import CarrierFactory, SPIDFactory, TelephoneNumberFactory

from .conftest import MONDAY, at, fresh_tn, make_lsr

pytestmark = pytest.mark.django_db


def run(lsr, requester, **kwargs):
    return evaluate_lsr(lsr, lsr_facts(lsr, requesting_carrier=requester, **kwargs))


def of(findings, rule):
    return [f for f in findings if f.rule == rule]


# --- R2 current carrier --------------------------------------------------------------------------


def test_r2_tn_on_our_spid_passes(make_account, requester):
    _, tns = make_account(1)
    assert of(run(make_lsr(tns), requester), "R2") == []


def test_r2_tn_unknown_to_npac_is_rejected(make_account, requester):
    tn = fresh_tn()
    assert of(run(make_lsr([tn]), requester), "R2") == [
        Finding(
            "R2",
            tn,
            f"{format_tn(tn)} is not in our NPAC data: confirm the current provider in NPAC "
            "before sending a request to us.",
            "R2",
        )
    ]


def test_r2_tn_served_by_another_carriers_spid_names_it(requester):
    other = SPIDFactory(code="9999", carrier=CarrierFactory(name="Other Telco"))
    number = TelephoneNumberFactory(tn=fresh_tn(), spid=other)
    assert of(run(make_lsr([number.tn]), requester), "R2") == [
        Finding(
            "R2",
            number.tn,
            f"{format_tn(number.tn)} is served by SPID 9999 (Other Telco) in NPAC, not by one of "
            "our SPIDs: send the request to the current provider.",
            "R2",
        )
    ]


# --- R3 resale -----------------------------------------------------------------------------------


def test_r3_resold_tn_redirects_to_the_underlying_carrier_and_its_csr_contact(
    make_account, requester, reseller_host
):
    _, tns = make_account(1, spid=SPID.objects.get(code="Q001"))
    findings = run(make_lsr(tns), requester)
    assert of(findings, "R3") == [
        Finding(
            "R3",
            tns[0],
            f"{format_tn(tns[0])} is resold by us on Qwest's SPID Q001: request the CSR from "
            "Qwest, its CSR contact: Quinn CSR (csr@qwest.example, 503-555-0199).",
            "R3",
        )
    ]
    assert of(findings, "R2") == []  # the resale case is R3's, not a plain "not ours"


def test_r3_without_a_contact_on_file_says_so(make_account, requester):
    host = CarrierFactory(name="Lumen")
    _, tns = make_account(1, spid=SPIDFactory(code="L001", carrier=host))
    [finding] = of(run(make_lsr(tns), requester), "R3")
    assert finding.message.endswith(
        "request the CSR from Lumen, its CSR desk (no contact on file)."
    )


def test_r3_not_raised_for_our_own_numbers(make_account, requester):
    _, tns = make_account(1)
    assert of(run(make_lsr(tns), requester), "R3") == []


# --- R4 / R5 authorization -----------------------------------------------------------------------

R4 = Finding(
    "R4",
    "authorization indicator",
    "End-user authorization is not indicated: mark the request as authorized by the end user "
    "and resend it (no LOA is needed from a carrier).",
    "R4",
)


def test_r4_lsr_without_authorization_indicator_is_rejected(make_account, requester):
    _, tns = make_account(1)
    assert of(run(make_lsr(tns, authorization_indicator=False), requester), "R4") == [R4]


def test_r4_lsr_with_authorization_indicator_passes(make_account, requester):
    _, tns = make_account(1)
    assert of(run(make_lsr(tns, authorization_indicator=True), requester), "R4") == []


def test_r4_applies_to_a_third_party_lsr_too(make_account, agent):
    _, tns = make_account(1)
    assert of(run(make_lsr(tns, authorization_indicator=False), agent), "R4") == [R4]


def test_r4_csr_request_from_a_carrier_without_indicator_is_rejected(make_account, requester):
    # The CSR request's facts as the service fetches them (R5 and the rest of R4 on CSR
    # requests are pure tests on hand-built facts: tests/orders/rules/).
    _, tns = make_account(1)
    data = CsrRequestData(tns=tuple(tns), authorization_indicator=False)
    facts = csr_request_facts(tns, requesting_carrier=requester)
    assert of(evaluate_csr_request(data, facts), "R4") == [R4]


# --- R7 cut-off ----------------------------------------------------------------------------------


def test_r7_lsr_at_1500_counts_next_business_day(make_account, requester):
    _, tns = make_account(1)
    findings = run(make_lsr(tns, received_at=at(2026, 11, 16, 15, 0)), requester)
    assert of(findings, "R7") == [
        Finding(
            "R7",
            "received",
            "Received Mon 11/16 15:00, at or after the 15:00 cut-off: counted as received "
            "Tue 11/17.",
        )
    ]


def test_r7_lsr_at_1459_counts_the_same_day(make_account, requester):
    _, tns = make_account(1)
    assert of(run(make_lsr(tns, received_at=at(2026, 11, 16, 14, 59)), requester), "R7") == []


def test_r7_lsr_on_a_saturday_counts_monday(make_account, requester):
    _, tns = make_account(1)
    [finding] = of(run(make_lsr(tns, received_at=at(2026, 11, 21, 9, 0)), requester), "R7")
    assert finding.message == (
        "Received Sat 11/21 09:00, on a non-business day: counted as received Mon 11/23."
    )


def test_r7_uses_our_carriers_cutoff(make_account, requester, ours):
    ours.lsr_cutoff = datetime.time(17, 0)
    ours.save()
    _, tns = make_account(1)
    assert of(run(make_lsr(tns, received_at=at(2026, 11, 16, 16, 0)), requester), "R7") == []


# --- R8 interval and expedite --------------------------------------------------------------------


def test_r8_requested_date_inside_the_interval_goes_to_the_interval(make_account, requester):
    _, tns = make_account(2)  # two lines: not simple; REQTYPE C port only, 4 business days
    lsr = make_lsr(tns, requested_due_date=datetime.date(2026, 11, 17))
    assert of(run(lsr, requester), "R8") == [
        Finding(
            "R8",
            "requested due date",
            "Requested due date Tue 11/17 is shorter than the interval: FOC at the interval, "
            "Fri 11/20.",
        )
    ]


def test_r8_expedite_inside_the_interval_goes_to_a_manager(make_account, requester):
    _, tns = make_account(2)
    lsr = make_lsr(tns, requested_due_date=datetime.date(2026, 11, 17), expedite=True)
    findings = run(lsr, requester)
    assert of(findings, "R8") == [
        Finding(
            "R8",
            "requested due date",
            "Requested due date Tue 11/17 is shorter than the interval (Fri 11/20) and expedite "
            "is set: a manager accepts or refuses the expedite.",
        )
    ]
    assert not any(f.is_reject for f in findings)


def test_r8_requested_date_after_the_interval_has_no_finding(make_account, requester):
    _, tns = make_account(2)
    assert of(run(make_lsr(tns), requester), "R8") == []


# --- R9 due date too far out ---------------------------------------------------------------------


def test_r9_due_date_30_days_out_passes(make_account, requester):
    _, tns = make_account(1)
    lsr = make_lsr(tns, requested_due_date=MONDAY.date() + datetime.timedelta(days=30))
    assert of(run(lsr, requester), "R9") == []


def test_r9_due_date_31_days_out_is_rejected(make_account, requester):
    _, tns = make_account(1)
    lsr = make_lsr(tns, requested_due_date=MONDAY.date() + datetime.timedelta(days=31))
    assert of(run(lsr, requester), "R9") == [
        Finding(
            "R9",
            "requested due date",
            "Requested due date 2026-12-17 is 31 days after receipt (2026-11-16), more than 30: "
            "send a new LSR with a due date within 30 calendar days.",
            "R9",
        )
    ]


def test_r9_counts_from_the_effective_receipt(make_account, requester):
    """Received Friday after the cut-off: it counts as Monday, so Monday + 30 days is fine."""
    _, tns = make_account(1)
    received = at(2026, 11, 20, 15, 30)
    lsr = make_lsr(
        tns, received_at=received, requested_due_date=datetime.date(2026, 12, 23)
    )  # 33 days after Friday, 30 after Monday 11/23
    assert of(run(lsr, requester), "R9") == []


# --- R13 partial port ----------------------------------------------------------------------------


def test_r13_partial_port_without_mi_a_is_rejected(make_account, requester):
    _, tns = make_account(3)
    [finding] = of(run(make_lsr(tns[:1]), requester), "R13")
    assert finding == Finding(
        "R13",
        "MI",
        f"Partial port not identified: 2 other TN(s) on the account are not on the LSR "
        f"({format_tn(tns[1])}, {format_tn(tns[2])}). Set MI = A or state the partial port in "
        "the remarks, and list the TNs to disconnect.",
        "R13",
    )


def test_r13_partial_port_with_mi_a_is_identified(make_account, requester):
    _, tns = make_account(4)
    lsr = make_lsr(tns[:2], mi="A", disconnect_tns=tns[2:3])
    evaluation = assess_lsr(lsr, lsr_facts(lsr, requesting_carrier=requester))
    assert of(evaluation.findings, "R13") == [
        Finding(
            "R13",
            "MI",
            "Partial port identified (MI = A): 2 TN(s) port, 1 disconnect, 1 remain with us and "
            "stay billed.",
        )
    ]
    assert evaluation.dispositions.port == tuple(tns[:2])
    assert evaluation.dispositions.disconnect == (tns[2],)
    assert evaluation.dispositions.remain == (tns[3],)


def test_r13_partial_port_remark_identifies_it_and_lists_disconnects(make_account, requester):
    _, tns = make_account(3)
    remarks = f"Partial port. Please disconnect {format_tn(tns[2])} after the port."
    lsr = make_lsr(tns[:1], remarks=remarks)
    evaluation = assess_lsr(lsr, lsr_facts(lsr, requesting_carrier=requester))
    assert not any(f.is_reject for f in of(evaluation.findings, "R13"))
    assert evaluation.dispositions.disconnect == (tns[2],)
    assert evaluation.dispositions.remain == (tns[1],)


def test_r13_whole_account_ported_has_no_finding(make_account, requester):
    _, tns = make_account(3)
    assert of(run(make_lsr(tns), requester), "R13") == []


def test_r13_disconnect_tn_not_on_the_account_is_rejected(make_account, requester):
    _, tns = make_account(2)
    stranger = fresh_tn()
    findings = of(run(make_lsr(tns, disconnect_tns=[stranger]), requester), "R13")
    assert findings == [
        Finding(
            "R13",
            stranger,
            f"{format_tn(stranger)} is listed to disconnect but is not on the account being "
            "ported.",
            "R13",
        )
    ]


# --- R14 reuse of facilities ---------------------------------------------------------------------


@pytest.mark.parametrize("act", ["V", "Z"])
def test_r14_bb_with_act_v_or_z_passes(make_account, requester, act):
    _, tns = make_account(1)
    assert of(run(make_lsr(tns, reqtype="BB", act=act), requester), "R14") == []


def test_r14_bb_with_another_act_is_rejected(make_account, requester):
    _, tns = make_account(1)
    assert of(run(make_lsr(tns, reqtype="BB", act="A"), requester), "R14") == [
        Finding(
            "R14",
            "ACT",
            "REQTYPE BB (reuse of facilities) needs ACT V or Z, this LSR has ACT A.",
            "R14",
        )
    ]


def test_r14_other_reqtypes_take_any_act(make_account, requester):
    _, tns = make_account(1)
    assert of(run(make_lsr(tns, reqtype="C", act="A"), requester), "R14") == []


# --- R15 working TNs only ------------------------------------------------------------------------


def test_r15_disconnected_tn_is_rejected(make_account, requester):
    _, tns = make_account(2, statuses={1: TelephoneNumber.Status.DISCONNECTED})
    assert of(run(make_lsr(tns), requester), "R15") == [
        Finding(
            "R15",
            tns[1],
            f"{format_tn(tns[1])} is disconnected with us: only working TNs port; remove it from "
            "the LSR.",
            "R15",
        )
    ]


def test_r15_working_tns_pass(make_account, requester):
    _, tns = make_account(2)
    assert of(run(make_lsr(tns), requester), "R15") == []


# --- R16 OBF-required fields ---------------------------------------------------------------------


def test_r16_complete_lsr_has_no_finding(make_account, requester):
    _, tns = make_account(1)
    assert of(run(make_lsr(tns), requester), "R16") == []


def test_r16_one_finding_per_missing_field_naming_it(requester):
    lsr = make_lsr(
        [],
        pon="",
        version=None,
        reqtype="",
        act="",
        requested_due_date=None,
        account_number="",
        btn="",
        account_name="",
        authorization_indicator=None,
    )
    findings = of(run(lsr, requester), "R16")
    assert [f.field_or_tn for f in findings] == sorted(
        [
            "PON",
            "VER",
            "REQTYPE",
            "ACT",
            "requested due date (DDD)",
            "TNs",
            "account number or BTN",
            "account name",
            "authorization indicator",
        ]
    )
    assert all(f.code == "R16" for f in findings)
    assert findings[0] == Finding(
        "R16", "ACT", "Required LSR field ACT is missing: complete it and resend.", "R16"
    )


def test_r16_btn_alone_is_enough_account_info(make_account, requester):
    _, tns = make_account(1)
    assert of(run(make_lsr(tns, account_number="", btn=tns[0]), requester), "R16") == []


# --- R17 simple port -----------------------------------------------------------------------------


def r17(findings):
    [finding] = of(findings, "R17")
    return finding


def test_r17_single_line_pots_account_is_a_simple_port(make_account, requester):
    _, tns = make_account(1)
    assert r17(run(make_lsr(tns), requester)) == Finding(
        "R17",
        "simple port",
        "Simple port: no unbundled elements, a single-line account, no complex translations, no "
        "reseller; the simple-port interval applies.",
    )


def test_r17_one_line_of_a_multi_line_account_is_not_simple(make_account, requester):
    _, tns = make_account(2)
    assert r17(run(make_lsr(tns[:1], mi="A"), requester)).message == (
        "Not a simple port: the account has 2 lines, not a single line. The port-only interval "
        "applies."
    )


def test_r17_several_tns_are_not_simple(make_account, requester):
    _, tns = make_account(2)
    assert r17(run(make_lsr(tns), requester)).message == (
        "Not a simple port: 2 TNs to port, not a single line. The port-only interval applies."
    )


def test_r17_complex_translations_are_not_simple(make_account, requester):
    _, tns = make_account(1, numbers={0: {"has_centrex": True}})
    assert "has complex switch translations (Centrex)" in r17(run(make_lsr(tns), requester)).message


def test_r17_unbundled_elements_are_not_simple(make_account, requester):
    _, tns = make_account(1, uses_unbundled_elements=True)
    assert "unbundled network elements" in r17(run(make_lsr(tns), requester)).message


def test_r17_a_resold_line_is_not_simple(make_account, requester, reseller_host):
    _, tns = make_account(1, spid=SPID.objects.get(code="Q001"))
    assert "involves a reseller" in r17(run(make_lsr(tns), requester)).message


def test_r17_staff_override_wins(make_account, requester):
    _, tns = make_account(2)
    lsr = make_lsr(tns)
    evaluation = assess_lsr(
        lsr, lsr_facts(lsr, requesting_carrier=requester, simple_port_override=True)
    )
    assert evaluation.simple.is_simple and evaluation.kind == "simple"
    assert "staff override" in r17(evaluation.findings).message


# --- all together --------------------------------------------------------------------------------


def test_an_lsr_failing_four_rules_gets_all_four(make_account, requester):
    _, tns = make_account(2, statuses={1: TelephoneNumber.Status.DISCONNECTED})
    unknown = fresh_tn()
    lsr = make_lsr([*tns, unknown], reqtype="BB", act="A", account_name="")
    findings = run(lsr, requester)
    failing = {f.code for f in findings if f.is_reject}
    assert failing == {"R2", "R14", "R15", "R16"}
    assert [f.field_or_tn for f in findings if f.code == "R16"] == ["account name"]


def test_evaluate_lsr_reads_nothing_from_the_database(
    make_account, requester, django_assert_num_queries
):
    _, tns = make_account(50)
    lsr = make_lsr(tns, mi="A")
    facts = lsr_facts(lsr, requesting_carrier=requester)
    with django_assert_num_queries(0):
        findings = evaluate_lsr(lsr, facts)
    assert not any(f.is_reject for f in findings)
