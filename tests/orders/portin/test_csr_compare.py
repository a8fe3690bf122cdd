"""F1: the CSR comparison normalises before comparing (pure functions, no database)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orders.csr_compare import (
    compare_csr,
    mismatches,
    normalize_address,
    normalize_name,
    values_equal,
)


@pytest.mark.parametrize(
    ("field", "ours", "theirs", "equal"),
    [
        # The table.
        ("account_name", "ABC Company Inc.", "abc company, inc.", True),
        ("service_address", "100 Main St Suite 4", "100 Main Street Ste 4", True),
        ("service_address", "100 Main St Suite 4", "102 Main St Suite 4", False),
        # Case, punctuation, spacing and the usual abbreviations.
        ("account_name", "ABC Company Inc", "ABC   COMPANY INC.", True),
        ("account_name", "Smith & Sons LLC", "Smith and Sons, L.L.C.", True),
        ("account_name", "Acme Corporation", "ACME CORP.", True),
        ("account_name", "Acme Corporation", "Acme Holdings Corp", False),
        ("service_address", "100 N. Main Street, Suite #4", "100 North Main St Ste 4", True),
        ("service_address", "2200 Airport Blvd", "2200 airport boulevard", True),
        ("service_address", "100 Main St Suite 4", "100 Main St Suite 5", False),
        ("service_address", "100 Main St", "100 Main Ave", False),
        ("zip_code", "97204", "97204-1234", True),
        ("zip_code", "97204 1234", "97204", True),
        ("zip_code", "97204", "97205", False),
        ("btn", "5035550100", "(503) 555-0100", True),
        ("btn", "5035550100", "1-503-555-0100", True),
        ("btn", "5035550100", "5035550101", False),
        ("authorized_person", "Pat  Smith", "pat smith", True),
        ("authorized_person", "Pat Smith", "Pat Smyth", False),
        ("account_number", "ACCT-9988", "acct 9988", True),
        ("account_number", "ACCT-9988", "ACCT-9989", False),
        ("state", "or", "OR", True),
    ],
)
def test_csr_fields_compare_after_normalising(field, ours, theirs, equal):
    assert values_equal(field, ours, theirs) is equal
    assert values_equal(field, theirs, ours) is equal


def test_compare_lists_each_field_and_flags_only_real_mismatches():
    order = {
        "account_name": "ABC Company Inc.",
        "account_number": "ACCT-99887766",
        "btn": "5035550100",
        "authorized_person": "Pat Smith",
        "service_address": "100 Main St Suite 4",
        "city": "Portland",
        "state": "OR",
        "zip_code": "97204",
    }
    csr = {
        **order,
        "account_name": "abc company, inc.",
        "service_address": "104 Main Street Ste 4",
        "account_number": "ACCT-11112222",
        "city": "",
    }

    result = {row.field: row for row in compare_csr(order, csr)}

    assert result["account_name"].matches is True
    assert result["service_address"].matches is False
    assert result["account_number"].matches is False
    assert result["city"].matches is None  # not on the CSR: nothing to compare
    assert [m["field"] for m in mismatches(result.values())] == [
        "account_number",
        "service_address",
    ]


def test_account_numbers_are_masked_on_both_sides_of_the_comparison():
    rows = compare_csr({"account_number": "ACCT-99887766"}, {"account_number": "ACCT-11112222"})
    row = next(r for r in rows if r.field == "account_number")
    assert row.order_value.endswith("7766") and "9988" not in row.order_value
    assert row.csr_value.endswith("2222") and "1111" not in row.csr_value
    assert "ACCT-99887766" not in str(mismatches(rows))


def test_order_tns_missing_from_the_csr_are_a_mismatch_but_extra_csr_tns_are_not():
    rows = compare_csr(
        {}, {}, order_tns=["5035550101", "5035550102"], csr_tns=["5035550101", "5035550199"]
    )
    tns = next(r for r in rows if r.field == "tns")
    assert tns.matches is False
    assert "5035550102" in tns.csr_value

    rows = compare_csr({}, {}, order_tns=["5035550101"], csr_tns=["5035550101", "5035550199"])
    assert next(r for r in rows if r.field == "tns").matches is True


_text = st.text(
    alphabet=st.sampled_from(list("abcdefgh ABCDEFGH.,#-&0123456789")), min_size=0, max_size=30
)


@settings(max_examples=60, deadline=None)
@given(_text)
def test_normalising_is_idempotent_and_ignores_case(value):
    for normalize in (normalize_name, normalize_address):
        once = normalize(value)
        assert normalize(once) == once
        assert normalize(value.upper()) == normalize(value.lower())
