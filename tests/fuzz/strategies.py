"""Junk for the bad-input tests: what a desk (or a carrier's file) can throw at the portal."""

from hypothesis import strategies as st

FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","click")',
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
]
NASTY = [
    "",
    " ",
    "\x00",
    "null",
    "None",
    "0",
    "-1",
    "9" * 40,
    "'; DROP TABLE orders_portorder; --",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "Ünïcödé ☎ 電話 🙂",
    "\u202e\u0631\u0645",  # right-to-left override and Arabic
    "a" * 5000,
    "503-555-0100\n" * 3,
    "2026-02-30",
    "13/45/2026",
    "true",
    "on",
]
# Text the test client can send: no lone surrogates (they cannot be UTF-8 encoded).
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)
junk = st.one_of(
    any_text,
    st.sampled_from(FORMULAS),
    st.sampled_from(NASTY),
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
    st.text(alphabet="0123456789()-. +x", max_size=30),
    st.text(min_size=200, max_size=3000),
)
tn_lines = st.lists(
    st.one_of(
        st.sampled_from(["503-555-0100", "(971) 555-0101", "+1 503 555 0102", "5035550103"]),
        st.text(alphabet="0123456789 -().+", min_size=0, max_size=20),
        junk,
    ),
    max_size=30,
).map("\n".join)
csv_bytes = st.one_of(
    tn_lines.map(lambda t: t.encode()),
    st.binary(max_size=400),
    st.sampled_from(
        [
            b"\xff\xfe\x00t\x00n",  # UTF-16
            b"tn\n\x00\x00\x00",
            b"tn,tn\n5035550100,5035550101\n",
            b"\xef\xbb\xbftn\n=cmd|' /C calc'!A0\n",
            b'"unterminated\n5035550100\n',
        ]
    ),
)
