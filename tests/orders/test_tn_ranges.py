"""Consecutive TNs collapsed into ranges (orders/tn_ranges.py): pure, no database."""

from hypothesis import given
from hypothesis import strategies as st

from orders.tn_ranges import tn_ranges


def tns(start: str, count: int) -> list[str]:
    """count consecutive TNs from start (same NPA-NXX)."""
    return [f"{start[:6]}{int(start[6:]) + n:04d}" for n in range(count)]


def spans(ranges):
    return [(r.first, r.last, r.count) for r in ranges]


def by_tn(row):
    return row[0]


def by_state(row):
    return row[1]


def test_a_did_range_is_one_range():
    ranges = tn_ranges(tns("5035550100", 100), tn=str)
    assert spans(ranges) == [("5035550100", "5035550199", 100)]
    assert ranges[0].label == "(503) 555-0100 – 0199"


def test_a_single_tn_is_a_range_of_one():
    (single,) = tn_ranges(["5035550142"], tn=str)
    assert (single.first, single.last, single.count) == ("5035550142", "5035550142", 1)
    assert single.label == "(503) 555-0142"


def test_nothing_gives_no_ranges():
    assert tn_ranges([], tn=str) == []


def test_a_gap_starts_a_new_range():
    numbers = tns("5035550100", 10) + tns("5035550111", 5)  # 0110 is missing
    assert spans(tn_ranges(numbers, tn=str)) == [
        ("5035550100", "5035550109", 10),
        ("5035550111", "5035550115", 5),
    ]


def test_the_rows_are_sorted_first():
    numbers = list(reversed(tns("5035550100", 3))) + ["5035550099"]
    assert spans(tn_ranges(numbers, tn=str)) == [("5035550099", "5035550102", 4)]


def test_a_range_never_leaves_its_npa_nxx():
    # 555-9999 and 556-0000 are adjacent as integers, but another exchange (and another
    # NPA after 503-999-9999) is another block: the label would lie.
    numbers = ["5035559998", "5035559999", "5035560000", "5039999999", "5040000000"]
    assert spans(tn_ranges(numbers, tn=str)) == [
        ("5035559998", "5035559999", 2),
        ("5035560000", "5035560000", 1),
        ("5039999999", "5039999999", 1),
        ("5040000000", "5040000000", 1),
    ]


def test_the_same_line_in_another_npa_nxx_is_not_consecutive():
    assert spans(tn_ranges(["5035550100", "3605550101"], tn=str)) == [
        ("3605550101", "3605550101", 1),
        ("5035550100", "5035550100", 1),
    ]


def test_a_change_of_state_starts_a_new_range():
    rows = [(tn, "active") for tn in tns("5035550100", 4)]
    rows[2] = (rows[2][0], "pending")
    ranges = tn_ranges(rows, tn=by_tn, key=by_state)
    assert [(r.first, r.last, r.key) for r in ranges] == [
        ("5035550100", "5035550101", "active"),
        ("5035550102", "5035550102", "pending"),
        ("5035550103", "5035550103", "active"),
    ]
    assert ranges[0].rows == (("5035550100", "active"), ("5035550101", "active"))


def test_mixed_dispositions_and_npac_states():
    def row(tn, disposition, npac):
        return {"tn": tn, "disposition": disposition, "npac": npac}

    rows = [row(tn, "port", "active") for tn in tns("5035550100", 50)]
    rows += [row(tn, "port", "conflict") for tn in tns("5035550150", 2)]
    rows += [row(tn, "disconnect", "") for tn in tns("5035550152", 3)]
    rows += [row(tn, "remain", "") for tn in tns("5035550155", 1)]
    ranges = tn_ranges(rows, tn=lambda r: r["tn"], key=lambda r: (r["disposition"], r["npac"]))
    assert [(r.label, r.count, r.key) for r in ranges] == [
        ("(503) 555-0100 – 0149", 50, ("port", "active")),
        ("(503) 555-0150 – 0151", 2, ("port", "conflict")),
        ("(503) 555-0152 – 0154", 3, ("disconnect", "")),
        ("(503) 555-0155", 1, ("remain", "")),
    ]


def test_a_range_crosses_the_thousands_inside_its_exchange():
    assert spans(tn_ranges(tns("5035550998", 4), tn=str)) == [("5035550998", "5035551001", 4)]


def test_text_that_is_not_a_tn_stands_alone():
    ranges = tn_ranges(["5035550100", "503555010", "5035550101"], tn=str)
    assert spans(ranges) == [
        ("503555010", "503555010", 1),
        ("5035550100", "5035550101", 2),
    ]
    assert ranges[0].label == "503555010"


def test_a_repeated_tn_is_not_a_range():
    assert spans(tn_ranges(["5035550100", "5035550100"], tn=str)) == [
        ("5035550100", "5035550100", 1),
        ("5035550100", "5035550100", 1),
    ]


lines = st.integers(min_value=0, max_value=60)
exchanges = st.sampled_from(["503555", "503556", "360555"])
states = st.sampled_from(["active", "pending"])


@given(st.lists(st.tuples(exchanges, lines, states), max_size=80))
def test_every_row_lands_in_exactly_one_range_of_consecutive_equal_rows(entries):
    rows = list({f"{x}{line:04d}": (f"{x}{line:04d}", s) for x, line, s in entries}.values())
    ranges = tn_ranges(rows, tn=by_tn, key=by_state)
    assert sorted(row for r in ranges for row in r.rows) == sorted(rows)
    for r in ranges:
        assert r.rows[0][0] == r.first and r.rows[-1][0] == r.last
        assert {row[1] for row in r.rows} == {r.key}
        assert int(r.last) - int(r.first) + 1 == r.count
        assert r.first[:6] == r.last[:6]
    # Maximal: two neighbouring ranges could not have been one.
    for a, b in zip(ranges, ranges[1:], strict=False):
        joinable = a.key == b.key and a.last[:6] == b.first[:6]
        assert not (joinable and int(b.first) == int(a.last) + 1)
