"""R18, the validation fields, as a pure rule: Facts built by hand, no database.

The service hands the rule digests and normalized values only (`AccountRecord`); these tests
build them as the service does, with carriers.cpni.
"""

import ast
import inspect
from types import SimpleNamespace

import pytest

from carriers.cpni import account_number_digest
from carriers.end_user import END_USER_FIELDS, EndUser
from carriers.normalize import normalize_field
from orders.rules import AccountRecord, Facts, Finding, LsrData, assess_lsr, foc_blockers
from orders.rules import validation_fields as r18
from orders.rules.validation_fields import r18_validation_fields, reject_codes

pytestmark = pytest.mark.pure

TN, TN2 = "5035550100", "5035550101"
NUMBER, ZIP, NAME = "ACCT-100200", "97204", "Rose City Bakery LLC"


def record(*, number=NUMBER, zip_code=ZIP, has_pin=False, name=NAME) -> AccountRecord:
    return AccountRecord(
        account_number_digest=account_number_digest(number),
        zip5=r18.zip5(zip_code),
        has_pin=has_pin,
        name=normalize_field(name),
    )


def portability(tn, account_id):
    """A working TN of ours on the account, as carriers.services.portability_check gives it."""
    account = SimpleNamespace(pk=account_id, uses_unbundled_elements=False)
    number = SimpleNamespace(tn=tn, account_id=account_id, has_complex_translations=False)
    return SimpleNamespace(
        known=True,
        is_ours=True,
        is_resold=False,
        is_working=True,
        account=account,
        number=number,
        spid="7231",
        carrier=None,
    )


def facts(lsr, *, records=None, accounts=None, pin_matched=None, offered=None) -> Facts:
    """TN -> account id (default: every TN on account 1) and account id -> record."""
    accounts = accounts or dict.fromkeys(lsr.tns, 1)
    records = records or {1: record()}
    inventory = {tn: portability(tn, pk) for tn, pk in accounts.items()}
    return Facts(
        inventory=inventory,
        requester_kind="wireless",
        account_records=records,
        offered_account_digest=account_number_digest(
            lsr.end_user.account_number if offered is None else offered
        ),
        pin_matched=pin_matched,
    )


def good_lsr(tns=(TN,), **overrides) -> LsrData:
    values = {
        "pon": "PON-R18",
        "version": 1,
        "reqtype": "C",
        "act": "V",
        "tns": tuple(tns),
        "btn": tns[0],
        "account_number": NUMBER,
        "zip_code": ZIP,
        "account_name": NAME,
        "authorization_indicator": True,
    }
    values.update(overrides)
    end_user = EndUser.from_values(values)
    values = {k: v for k, v in values.items() if k not in END_USER_FIELDS}
    return LsrData(**values, end_user=end_user)


def run(lsr, *, simple=False, **kwargs):
    return r18_validation_fields(lsr, facts(lsr, **kwargs), simple=simple)


def fields(findings):
    return [(f.field_or_tn, f.code) for f in findings]


def test_an_lsr_matching_our_record_has_no_r18_finding():
    assert run(good_lsr()) == []


def test_fields_are_compared_without_case_or_punctuation():
    lsr = good_lsr(
        account_number="acct 100200", zip_code="97204-1234", account_name="rose city bakery, llc"
    )
    assert run(lsr) == []


def test_a_wrong_account_number_is_its_own_coded_reject():
    assert run(good_lsr(account_number="ACCT-999")) == [
        Finding(
            "R18",
            "account number",
            "The account number does not match our account record: send the end user's account "
            "number with us exactly as on their bill.",
            "R18-ACCT",
        )
    ]


def test_a_missing_account_number_is_a_validation_field_reject():
    [finding] = run(good_lsr(account_number="", btn=TN))
    assert (finding.field_or_tn, finding.code) == ("account number", "R18-ACCT")
    assert "carries no account number" in finding.message


def test_a_wrong_zip_is_its_own_coded_reject_and_only_five_digits_count():
    assert fields(run(good_lsr(zip_code="97205"))) == [("ZIP", "R18-ZIP")]
    assert run(good_lsr(zip_code="97204-0000")) == []


def test_the_pin_is_checked_only_where_the_account_has_one():
    no_pin = {1: record(has_pin=False)}
    assert run(good_lsr(), records=no_pin, pin_matched=None) == []
    assert run(good_lsr(), records=no_pin, pin_matched=False) == []
    with_pin = {1: record(has_pin=True)}
    assert run(good_lsr(), records=with_pin, pin_matched=True) == []
    [missing] = run(good_lsr(), records=with_pin, pin_matched=None)
    [wrong] = run(good_lsr(), records=with_pin, pin_matched=False)
    assert (
        (missing.field_or_tn, missing.code) == (wrong.field_or_tn, wrong.code) == ("PIN", "R18-PIN")
    )
    assert "carries none" in missing.message and "does not match" in wrong.message


def test_an_end_user_name_mismatch_is_a_finding_to_judge_not_a_reject_code():
    [finding] = run(good_lsr(account_name="Someone Else"))
    assert (finding.rule, finding.field_or_tn, finding.code) == ("R18", "end-user name", "")
    assert not finding.is_reject
    assert foc_blockers([finding]) == [finding]  # it still stops the FOC


def test_a_simple_port_is_held_to_the_52_36_fields_only():
    lsr = good_lsr(account_name="Someone Else")
    assert run(lsr, simple=True) == []
    assert fields(run(good_lsr(account_name="X", zip_code="10001"), simple=True)) == [
        ("ZIP", "R18-ZIP")
    ]


def test_the_fraudulent_lsr_gets_one_finding_per_field():
    lsr = good_lsr(account_number="ACCT-1", account_name="Mallory Ports")
    findings = run(lsr, records={1: record(has_pin=True)}, pin_matched=False)
    assert fields(findings) == [
        ("account number", "R18-ACCT"),
        ("PIN", "R18-PIN"),
        ("end-user name", ""),
    ]
    assert reject_codes(findings) == ["R18-ACCT", "R18-PIN"]


def test_findings_name_the_field_never_our_stored_value():
    lsr = good_lsr(account_number="WRONG-1", zip_code="10001", account_name="Mallory Ports")
    findings = run(lsr, records={1: record(has_pin=True)}, pin_matched=False)
    text = " ".join(f"{f.field_or_tn} {f.message}" for f in findings).upper()
    for stored in (NUMBER, normalize_field(NUMBER), ZIP, normalize_field(NAME), NAME.upper()):
        assert stored not in text


def test_with_two_accounts_the_finding_names_the_tns_that_do_not_match():
    lsr = good_lsr(tns=(TN, TN2))
    findings = run(
        lsr,
        accounts={TN: 1, TN2: 2},
        records={1: record(), 2: record(number="OTHER-77", zip_code=ZIP)},
    )
    [finding] = findings
    assert finding.code == "R18-ACCT"
    assert "for (503) 555-0101" in finding.message and "555-0100" not in finding.message


def test_tns_on_no_account_of_ours_are_left_to_r2():
    lsr = good_lsr(account_number="WRONG")
    assert r18_validation_fields(lsr, Facts(inventory={}, requester_kind="wireless")) == []


def test_an_overridden_r18_finding_no_longer_stops_the_foc_but_other_rejects_do():
    findings = run(good_lsr(account_number="WRONG", account_name="Mallory"))
    r4 = Finding("R4", "authorization indicator", "not indicated", "R4")
    everything = [*findings, r4]
    assert foc_blockers(everything, {"account number"}) == [findings[1], r4]
    assert foc_blockers(everything, {"account number", "end-user name"}) == [r4]
    assert reject_codes(everything, {"account number"}) == ["R4"]


def test_assess_lsr_runs_r18_on_the_tns_to_port():
    lsr = good_lsr(zip_code="10001")
    evaluation = assess_lsr(lsr, facts(lsr))
    assert "R18-ZIP" in evaluation.reject_codes


def test_the_rule_module_imports_no_database_and_reads_no_settings():
    source = inspect.getsource(r18)
    imported = {
        alias.name if isinstance(node, ast.Import) else node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in getattr(node, "names", [])
    }
    assert not any(name and name.startswith(("django.db", "django.conf")) for name in imported)
    assert "settings" not in source
