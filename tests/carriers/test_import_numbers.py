"""`import_numbers FILE`: TNs in any usual format, accounts, hashed PINs; atomic, idempotent,
bulk (a 50,000-row file goes through)."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from carriers.cpni import decrypt_value
from carriers.fields import with_account_number
from carriers.importers.csv_rows import CsvImportError
from carriers.importers.numbers import numbers_import
from carriers.models import CustomerAccount, TelephoneNumber
from tests.factories import CarrierFactory, OurCarrierFactory, SPIDFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "tn,spid,status,line_type,is_toll_free,lrn,account_number,btn,account_name,"
    "authorized_person,service_address,city,state,zip,features,centrex,isdn,ain,"
    "remote_call_forwarding,multiple_services_on_loop,pin\n"
)
GOOD = HEADER + (
    # a single-line account with a PIN
    "(503) 241-0100,7231,working,pots,,5032419999,CT-1,503-241-0100,Pat Smith,Pat Smith,"
    "100 Main St,Portland,or,97204,caller ID,0,0,0,0,0,4821\n"
    # a three-line account in three formats, Centrex
    "503.241.0200,7231,,centrex,,,CT-2,5032410200,ABC Company Inc.,Dana Lee,1 Pearl St,"
    "Portland,OR,97209,,yes,no,no,no,no,\n"
    "+1 503 241 0201,7231,,centrex,,,CT-2,5032410200,ABC Company Inc.,Dana Lee,1 Pearl St,"
    "Portland,OR,97209,,yes,no,no,no,no,\n"
    "1-503-241-0202,7231,disconnected,centrex,,,CT-2,5032410200,ABC Company Inc.,Dana Lee,"
    "1 Pearl St,Portland,OR,97209,,true,false,false,false,false,\n"
    # another carrier's number, no account
    "5032220100,9102,,,,,,,,,,,,,,,,,,,\n"
    # toll-free with the RespOrg
    "800-555-0100,t098,,,yes,,,,,,,,,,,,,,,,\n"
)


@pytest.fixture(autouse=True)
def spids():
    ours = OurCarrierFactory()
    SPIDFactory(code="7231", carrier=ours)
    SPIDFactory(code="9102", carrier=CarrierFactory(name="Columbia Bell"))
    SPIDFactory(code="T098", carrier=CarrierFactory(name="Beacon Toll-Free", kind="resporg"))


def _write(tmp_path, text, name="numbers.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(path):
    out = io.StringIO()
    call_command("import_numbers", str(path), stdout=out)
    return out.getvalue()


def _account(number):
    return with_account_number(CustomerAccount.objects, number).get()


def _snapshot():
    return (
        list(TelephoneNumber.objects.order_by("tn").values()),
        list(CustomerAccount.objects.order_by("account_number_digest").values()),
    )


def test_good_file_creates_numbers_and_accounts(tmp_path):
    output = _run(_write(tmp_path, GOOD))

    assert "accounts: 2 created, 0 updated, 0 unchanged" in output
    assert "numbers: 6 created, 0 updated, 0 unchanged" in output
    pat = TelephoneNumber.objects.select_related("account", "spid").get(tn="5032410100")
    assert pat.spid.code == "7231" and pat.lrn == "5032419999" and pat.features == "caller ID"
    assert pat.account.name == "Pat Smith" and pat.account.state == "OR"
    assert pat.account.btn == "5032410100"
    abc = _account("CT-2")
    assert sorted(abc.numbers.values_list("tn", flat=True)) == [
        "5032410200",
        "5032410201",
        "5032410202",
    ]
    assert all(n.has_centrex and n.line_type == "centrex" for n in abc.numbers.all())
    assert abc.numbers.get(tn="5032410202").status == "disconnected"
    other = TelephoneNumber.objects.get(tn="5032220100")
    assert other.account is None and other.status == "working" and other.line_type == "pots"
    toll_free = TelephoneNumber.objects.get(tn="8005550100")
    assert toll_free.is_toll_free and toll_free.line_type == "toll_free"
    assert toll_free.spid.code == "T098"


def test_pin_is_stored_only_as_a_hash(tmp_path):
    _run(_write(tmp_path, GOOD))
    account = _account("CT-1")
    assert "4821" not in account.pin_hash
    assert account.check_pin("4821")
    assert _account("CT-2").pin_hash == ""


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    path = _write(tmp_path, GOOD)
    _run(path)
    before = _snapshot()

    output = _run(path)

    assert "accounts: 0 created, 0 updated, 2 unchanged" in output
    assert "numbers: 0 created, 0 updated, 6 unchanged" in output
    assert _snapshot() == before  # same PIN hash (not re-salted), same updated_at


def test_changed_rows_are_updated_and_counted(tmp_path):
    _run(_write(tmp_path, GOOD))
    changed = GOOD.replace("5032220100,9102,,", "5032220100,9102,disconnected,").replace(
        "Pat Smith,Pat Smith,100 Main St", "Pat Smith,Pat Smith,200 Main St"
    )

    output = _run(_write(tmp_path, changed, "changed.csv"))

    assert "accounts: 0 created, 1 updated, 1 unchanged" in output
    assert "numbers: 0 created, 1 updated, 5 unchanged" in output
    assert TelephoneNumber.objects.get(tn="5032220100").status == "disconnected"
    account = _account("CT-1")
    assert account.service_address == "200 Main St"
    assert account.check_pin("4821")


def test_a_new_pin_replaces_the_hash_and_a_blank_pin_keeps_it(tmp_path):
    _run(_write(tmp_path, GOOD))
    _run(_write(tmp_path, GOOD.replace(",4821\n", ",9999\n"), "new_pin.csv"))
    assert _account("CT-1").check_pin("9999")

    output = _run(_write(tmp_path, GOOD.replace(",4821\n", ",\n"), "blank_pin.csv"))
    assert "accounts: 0 created, 0 updated, 2 unchanged" in output
    assert _account("CT-1").check_pin("9999")


def test_number_moving_to_another_account_or_off_our_accounts(tmp_path):
    _run(_write(tmp_path, GOOD))
    moved = GOOD.replace(
        "1-503-241-0202,7231,disconnected,centrex,,,CT-2,5032410200,ABC Company Inc.,Dana Lee,"
        "1 Pearl St,Portland,OR,97209,",
        "1-503-241-0202,7231,disconnected,centrex,,,,,,,,,,,",
    )
    _run(_write(tmp_path, moved, "moved.csv"))
    assert TelephoneNumber.objects.get(tn="5032410202").account is None


def test_absent_columns_keep_existing_values(tmp_path):
    _run(_write(tmp_path, GOOD))
    output = _run(_write(tmp_path, "tn,spid\n503-241-0200,7231\n", "minimal.csv"))
    assert "numbers: 0 created, 0 updated, 1 unchanged" in output
    number = TelephoneNumber.objects.get(tn="5032410200")
    assert number.account.account_number == "CT-2" and number.has_centrex


def test_bad_file_imports_nothing_and_reports_every_bad_row_with_its_line(tmp_path):
    bad = GOOD + (
        "503-555-CALL,7231,,,,,,,,,,,,,,,,,,,\n"  # line 8
        "5032410100,7231,,,,,,,,,,,,,,,,,,,\n"  # line 9
        "5032410300,9999,busy,copper,,12345,,,,,,,,,,maybe,,,,,\n"  # line 10
        "5032410301,7231,,,,,CT-9,,,,,,,,,,,,,,\n"  # line 11
        "5032410302,7231,,,,,CT-2,5032410200,ABC Company Inc,Dana Lee,1 Pearl St,"
        "Portland,OR,97209,,,,,,,\n"  # line 12
        "5032410303,7231,,,,,CT-7,5032410303,Zed,Zed,1 A St,Portland,Oregon,9720,,,,,,,\n"
        "8665550100,7231,,,no,,,,,,,,,,,,,,,,\n"  # line 14
        "5032410304,7231,,,,,,,,,,,,,,,,,,,1234\n"  # line 15
    )
    with pytest.raises(CommandError) as excinfo:
        _run(_write(tmp_path, bad))

    message = str(excinfo.value)
    for expected in [
        "line 8: tn: '503-555-CALL' is not a valid NANP telephone number: letters are not accepted",
        "line 9: tn: 5032410100 is also on line 2",
        "line 10: spid: '9999'" if False else "line 10: spid: unknown SPID 9999",
        "line 10: status: 'busy' is not a status",
        "line 10: line_type: 'copper' is not a line type",
        "line 10: lrn: '12345' is not a valid NANP telephone number",
        "line 10: centrex: 'maybe' is not a yes/no value",
        "line 11: btn: required with an account_number",
        "line 11: account_name: required with an account_number",
        "line 11: service_address: required with an account_number",
        "line 11: zip: required with an account_number",
        "line 12: account_name: differs from line 3 for account CT-2",
        "line 13: state: 'Oregon' is not a 2-letter state code",
        "line 13: zip: '9720' is not a ZIP code",
        "line 14: is_toll_free: 866 is a toll-free NPA",
        "line 15: account_number: required when pin is given",
    ]:
        assert expected in message, expected
    assert TelephoneNumber.objects.count() == 0
    assert CustomerAccount.objects.count() == 0


def test_service_lists_each_error_as_line_field_reason():
    with pytest.raises(CsvImportError) as excinfo:
        numbers_import(source=io.StringIO("tn,spid\n555-0100,7231\n5032410100,\n"))
    assert [str(e) for e in excinfo.value.errors] == [
        "line 2: tn: '555-0100' is not a valid NANP telephone number: expected 10 digits, got 7",
        "line 3: spid: required",
    ]


def test_header_needs_tn_and_spid_and_the_account_columns_with_account_number():
    with pytest.raises(CsvImportError) as excinfo:
        numbers_import(source=io.StringIO("TN,Account Number\n5032410100,CT-1\n"))
    assert [str(e) for e in excinfo.value.errors] == [
        "line 1: header: column 'account_name' is required with account_number",
        "line 1: header: column 'btn' is required with account_number",
        "line 1: header: column 'service_address' is required with account_number",
        "line 1: header: column 'zip' is required with account_number",
        "line 1: header: missing required column 'spid'",
    ]


def test_empty_file_is_refused():
    with pytest.raises(CsvImportError, match="line 1: header: the file is empty"):
        numbers_import(source=io.StringIO(""))


def test_byte_order_mark_and_blank_lines_are_tolerated(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("\ufefftn,spid\n\n5032410100,7231\n", encoding="utf-8")
    summary = numbers_import(source=path)
    assert str(summary.counts["numbers"]) == "1 created, 0 updated, 0 unchanged"


def test_fifty_thousand_numbers_import_and_reimport(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "tn",
                "spid",
                "status",
                "account_number",
                "btn",
                "account_name",
                "service_address",
                "zip",
                "centrex",
            ]
        )
        for n in range(50_000):
            block = 2410000 + n  # 503-241-0000 .. 503-245-9999
            tn = f"503{block:07d}"
            account = n // 5
            btn = f"503{2410000 + account * 5:07d}"
            writer.writerow(
                [
                    tn,
                    "7231",
                    "working",
                    f"BIG-{account}",
                    btn,
                    f"Customer {account}",
                    f"{account} Main St",
                    "97204",
                    "1" if account % 7 == 0 else "0",
                ]
            )

    summary = numbers_import(source=path)
    assert str(summary.counts["numbers"]) == "50000 created, 0 updated, 0 unchanged"
    assert str(summary.counts["accounts"]) == "10000 created, 0 updated, 0 unchanged"
    assert TelephoneNumber.objects.count() == 50_000

    again = numbers_import(source=path)
    assert str(again.counts["numbers"]) == "0 created, 0 updated, 50000 unchanged"
    assert str(again.counts["accounts"]) == "0 created, 0 updated, 10000 unchanged"


def test_an_account_number_spelled_two_ways_is_one_account_stored_encrypted(tmp_path):
    row = "{tn},7231,,,,,{number},5035550100,ABC,,1 Main St,,,97204,,,,,,,\n"
    _run(_write(tmp_path, HEADER + row.format(tn="5035550100", number="CT-7")))
    again = HEADER + row.format(tn="5035550101", number="ct 7")
    _run(_write(tmp_path, again, name="again.csv"))
    account = _account("CT7")
    assert CustomerAccount.objects.count() == 1
    assert sorted(account.numbers.values_list("tn", flat=True)) == ["5035550100", "5035550101"]
    assert account.account_number == "CT-7"  # the account did not change: kept as it was
    with connection.cursor() as cursor:
        cursor.execute("SELECT account_number FROM carriers_customeraccount")
        [(stored,)] = cursor.fetchall()
    assert "CT-7" not in stored and decrypt_value(stored) == "CT-7"
