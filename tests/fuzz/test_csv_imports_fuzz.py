"""The carriers' CSV imports (`carriers_import` / `numbers_import` in carriers.importers, behind
`manage.py import_carriers` / `import_numbers`) fed junk files: a file is imported whole or
refused whole with `CsvImportError`, whose every problem names its line and column; never any
other exception, never a partial write."""

import csv
import io

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from carriers.importers.carriers import CARRIER_COLUMNS, carriers_import
from carriers.importers.csv_rows import CsvImportError
from carriers.importers.numbers import NUMBER_COLUMNS, numbers_import
from carriers.models import SPID, Carrier, Contact, CustomerAccount, TelephoneNumber

from .strategies import FORMULAS, junk

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

GOOD_NUMBER_CELLS = {
    "tn": st.sampled_from(["5035550100", "(503) 555-0101", "+1 503 555 0102", "8005550103"]),
    "spid": st.sampled_from(["7231", "9100", "ZZZZ", "72311"]),
    "status": st.sampled_from(["working", "disconnected", "reserved", "Working", ""]),
    "line_type": st.sampled_from(["pots", "voip", "toll_free", ""]),
    "account_number": st.sampled_from(["ACCT-1", "ACCT-2", ""]),
    "btn": st.sampled_from(["5035550100", "503-555-0101", ""]),
    "account_name": st.sampled_from(["ABC Co", "=cmd|' /C calc'!A0", ""]),
    "service_address": st.sampled_from(["1 Main St", ""]),
    "zip": st.sampled_from(["97204", "97204-1234", "9720", ""]),
    "pin": st.sampled_from(["1234", "", "8675"]),
}
GOOD_CARRIER_CELLS = {
    "name": st.sampled_from(["Acme Tel", "Beta Wireless", "acme tel", "=HYPERLINK(1)"]),
    "kind": st.sampled_from(["ilec", "clec", "wireless", "ILEC", "bogus"]),
    "spids": st.sampled_from(["A001", "A001;A002", "7231", "bad!", ""]),
    "time_zone": st.sampled_from(["America/Chicago", "Mars/Base", ""]),
    "lsr_cutoff": st.sampled_from(["15:00", "25:99", ""]),
    "porting_peer": st.sampled_from(["Acme Tel", "Nobody", ""]),
    "port_in_route": st.sampled_from(["direct", "local_peer", "somos", "x"]),
}


def _cell(column, cells):
    good = cells.get(column, st.just(""))
    return st.one_of(good, good, good, good, junk)  # mostly plausible, sometimes junk


@st.composite
def csv_files(draw, columns, cells, required):
    extra = draw(st.lists(st.sampled_from(columns), max_size=8, unique=True))
    chosen = list(dict.fromkeys([*required, *extra]))
    if draw(st.integers(0, 5)) == 0:
        chosen = [c for c in chosen if c != required[-1]]  # a required column missing
    if draw(st.integers(0, 9)) == 0:
        chosen.append(draw(st.sampled_from(["unknown", chosen[0], "", "=SUM(1)"])))
    row = st.tuples(*[_cell(c, cells) for c in chosen]).map(list)
    ragged = st.lists(junk, max_size=len(chosen) + 2)
    rows = draw(st.lists(st.one_of(row, row, row, ragged), max_size=12))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(chosen)
    writer.writerows(rows)
    text = buffer.getvalue()
    if draw(st.integers(0, 9)) == 0:
        text = text.replace("\n", "\r", 1) + '"unterminated,'
    return text


def _counts():
    return (
        Carrier.objects.count(),
        SPID.objects.count(),
        Contact.objects.count(),
        CustomerAccount.objects.count(),
        TelephoneNumber.objects.count(),
    )


def _check_refusal(exc: CsvImportError, text: str, columns):
    lines = len(text.splitlines()) + 1
    assert exc.errors, "refused without a problem listed"
    for error in exc.errors:
        assert 1 <= error.line <= lines + 1, error
        assert error.field in {*columns, "header", "row"}, error
        assert error.message
        assert f"line {error.line}: {error.field}:" in str(exc)


@pytest.fixture
def reference(db):
    ours = Carrier.objects.create(name="Cascade Telecom", kind="clec", is_ours=True)
    SPID.objects.create(code="7231", carrier=ours)
    lsp = Carrier.objects.create(name="Pacific Bell", kind="ilec")
    SPID.objects.create(code="9100", carrier=lsp)


@FUZZ
@given(text=csv_files(list(NUMBER_COLUMNS), GOOD_NUMBER_CELLS, ["tn", "spid"]))
def test_numbers_import_is_all_or_nothing_and_names_each_bad_line(reference, text):
    before = _counts()
    try:
        summary = numbers_import(source=io.StringIO(text))
    except CsvImportError as exc:
        event("refused")
        assert _counts() == before, "a refused import wrote rows"
        _check_refusal(exc, text, NUMBER_COLUMNS)
    else:
        event("imported")
        created = summary.counts["numbers"].created
        assert TelephoneNumber.objects.count() == before[4] + created
        for account in CustomerAccount.objects.exclude(pin_hash=""):
            assert account.pin_hash.count("$") >= 2  # a salted hash, never a raw PIN


@FUZZ
@given(text=csv_files(list(CARRIER_COLUMNS), GOOD_CARRIER_CELLS, ["name", "kind"]))
def test_carriers_import_is_all_or_nothing_and_names_each_bad_line(reference, text):
    before = _counts()
    try:
        carriers_import(source=io.StringIO(text))
    except CsvImportError as exc:
        event("refused")
        assert _counts() == before, "a refused import wrote rows"
        _check_refusal(exc, text, CARRIER_COLUMNS)
    else:
        event("imported")


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_formula_in_an_imported_name_is_kept_as_text_and_exported_neutralised(
    reference, formula, admin_user
):
    """Stored as given (it is the customer's data), never evaluated by a spreadsheet later:
    the CSR answer CSV prefixes it with an apostrophe."""
    from orders.services import portout

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["tn", "spid", "account_number", "btn", "account_name", "service_address", "zip"]
    )
    writer.writerow(["5035550100", "7231", "ACCT-F", "5035550100", formula, "1 Main St", "97204"])
    numbers_import(source=io.StringIO(buffer.getvalue()))
    assert CustomerAccount.objects.get().name == formula.strip()
    requester = Carrier.objects.create(name="Requester", kind="wireless")
    csr = portout.csr_request_receive(
        requesting_carrier=requester,
        tns=["5035550100"],
        authorization_indicator=True,
        by=admin_user,
    )
    portout.csr_request_answer(csr_request=csr, by=admin_user)
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(admin_user)
    body = client.get(reverse("orders:portout_csr_csv", args=[csr.pk])).content.decode()
    row = next(r for r in csv.DictReader(io.StringIO(body)))
    assert row["account_name"].startswith("'"), row["account_name"]
