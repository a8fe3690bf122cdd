"""NANP telephone numbers: the accepted formats, the refusals and their reasons, pasted lists.
Pure: no database."""

import pickle

import pytest

from carriers.tn import (
    TOLL_FREE_NPAS,
    InvalidTN,
    TNError,
    format_tn,
    is_toll_free,
    normalize_tn,
    parse_tn_list,
)


@pytest.mark.parametrize(
    "raw",
    [
        "5035550100",
        "(503) 555-0100",
        "(503)555-0100",
        "503.555.0100",
        "503-555-0100",
        "503 555 0100",
        "+1 503 555 0100",
        "+1 (503) 555-0100",
        "1-503-555-0100",
        "1 503 555 0100",
        "+15035550100",
        "15035550100",
        "  503-555-0100 \t",
    ],
)
def test_usual_us_formats_normalize_to_ten_digits(raw):
    assert normalize_tn(raw) == "5035550100"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("503-555-010", "expected 10 digits, got 9"),
        ("503555010", "expected 10 digits, got 9"),
        ("25035550100", "11 not starting with the country code 1"),
        ("+44 20 7946 0958", "expected 10 digits, got 12"),
        ("503-555-CALL", "letters are not accepted"),
        ("1-800-FLOWERS", "letters are not accepted"),
        ("503-555-0100 x123", "extensions are not accepted"),
        ("503-555-0100 ext. 12", "extensions are not accepted"),
        ("503-555-0100#4", "extensions are not accepted"),
        ("0035550100", "area code 003 cannot start with 0"),
        ("(103) 555-0100", "area code 103 cannot start with 1"),
        ("1035550100", "area code 103 cannot start with 1"),
        ("503-055-0100", "exchange 055 cannot start with 0"),
        ("503-155-0100", "exchange 155 cannot start with 1"),
        ("911-555-0100", "area code 911 is an N11 service code"),
        ("(411) 555-0100", "area code 411 is an N11 service code"),
        ("", "empty"),
        ("   ", "empty"),
        ("503/555/0100", "unexpected character '/'"),
        ("50 35 55 01 00", "unrecognised format"),
        ("503--555-0100", "unrecognised format"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_it_and_the_reason(raw, reason):
    with pytest.raises(InvalidTN) as caught:
        normalize_tn(raw)
    message = str(caught.value)
    assert message.startswith(f"{raw!r} is not a valid NANP telephone number: ")
    assert reason in message
    assert caught.value.value == raw


def test_message_matches_the_documented_example():
    with pytest.raises(ValueError, match="expected 10 digits") as caught:
        normalize_tn("503-555-010")
    assert str(caught.value).startswith(
        "'503-555-010' is not a valid NANP telephone number: expected 10 digits"
    )


def test_non_ascii_digits_are_refused():
    with pytest.raises(InvalidTN, match="unexpected character"):
        normalize_tn("٥٠٣٥٥٥٠١٠٠")  # Arabic-Indic digits


def test_invalid_tn_survives_pickling():
    error = InvalidTN("911", "area code 911 is an N11 service code")
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.value, copy.reason) == (str(error), error.value, error.reason)


@pytest.mark.parametrize("npa", sorted(TOLL_FREE_NPAS))
def test_toll_free_npas_are_detected(npa):
    assert is_toll_free(f"{npa}5550100")
    assert is_toll_free(f"1-{npa}-555-0100")


@pytest.mark.parametrize("raw", ["5035550100", "(822) 555-0100", "899-555-0100"])
def test_geographic_and_unassigned_8xx_are_not_toll_free(raw):
    assert not is_toll_free(raw)


def test_format_tn_for_display():
    assert format_tn("5035550100") == "(503) 555-0100"
    assert format_tn("+1 503.555.0100") == "(503) 555-0100"


def test_format_tn_shows_what_it_cannot_parse_unchanged():
    assert format_tn("not a number") == "not a number"


# --- pasted lists ----------------------------------------------------------------------------


def test_parse_tn_list_with_mixed_separators_keeps_input_order():
    text = "503-555-0100, (503) 555-0101;503.555.0102\t+1 503 555 0103\r\n\n  \n5035550104\r"
    tns, errors = parse_tn_list(text)
    assert tns == ["5035550100", "5035550101", "5035550102", "5035550103", "5035550104"]
    assert errors == []


def test_parse_tn_list_reports_errors_with_line_numbers():
    text = "5035550100\n\n503-555-010\n911-555-0100, 503-555-0101\n503-555-CALL"
    tns, errors = parse_tn_list(text)
    assert tns == ["5035550100", "5035550101"]
    assert [(e.line, e.value) for e in errors] == [
        (3, "503-555-010"),
        (4, "911-555-0100"),
        (5, "503-555-CALL"),
    ]
    assert errors[0].message == (
        "'503-555-010' is not a valid NANP telephone number: expected 10 digits, got 9"
    )
    assert "N11" in errors[1].message
    assert "letters" in errors[2].message


def test_parse_tn_list_reports_duplicates_naming_the_first_line():
    text = "5035550100\n5035550101\n(503) 555-0102\n503.555.0100\n5035550102, 5035550102"
    tns, errors = parse_tn_list(text)
    assert tns == ["5035550100", "5035550101", "5035550102"]
    assert errors == [
        TNError(4, "503.555.0100", "'503.555.0100' is a duplicate of line 1"),
        TNError(5, "5035550102", "'5035550102' is a duplicate of line 3"),
        TNError(5, "5035550102", "'5035550102' is a duplicate of line 3"),
    ]


def test_parse_tn_list_of_nothing_is_empty():
    assert parse_tn_list("") == ([], [])
    assert parse_tn_list(" \n\t,;\n") == ([], [])


def test_parse_tn_list_handles_a_hundred_thousand_lines():
    numbers = [f"503{200 + i // 10_000:03d}{i % 10_000:04d}" for i in range(100_000)]
    lines = [f"({n[:3]}) {n[3:6]}-{n[6:]}" if i % 2 else n for i, n in enumerate(numbers)]
    lines[500] = "503-555-010"
    lines[99_999] = lines[0]
    tns, errors = parse_tn_list("\n".join(lines))
    assert len(tns) == 99_998
    assert tns[:2] == numbers[:2]
    assert [(e.line, e.value) for e in errors] == [(501, "503-555-010"), (100_000, numbers[0])]
    assert errors[1].message.endswith("duplicate of line 1")


@pytest.mark.parametrize(
    "text",
    ["503 555 0100\x0c 503.555.0101", "503 555 0100\x0c5035550101", "503 555 0100\xa0503-555-0101"],
)
def test_a_form_feed_or_no_break_space_separates_tns_like_a_space(text):
    assert parse_tn_list(text) == (["5035550100", "5035550101"], [])


def test_a_bad_entry_followed_by_a_form_feed_is_named_not_a_crash():
    tns, errors = parse_tn_list("0" * 20 + " )\x0c0")
    assert tns == []
    assert [e.value for e in errors] == ["0" * 20, "0"]
