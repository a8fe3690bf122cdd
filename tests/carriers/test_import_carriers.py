"""`import_carriers FILE`: atomic, idempotent, every bad row reported with its line."""

import io

import pytest
from django.core.management import CommandError, call_command

from carriers.importers.carriers import CARRIER_COLUMNS, carriers_import
from carriers.importers.csv_rows import CsvImportError
from carriers.models import PEER_REQUIRED, SPID, Carrier, Contact
from tests.factories import CarrierFactory, SPIDFactory

pytestmark = pytest.mark.django_db

GOOD = """\
name,kind,is_ours,supports_csr,port_in_route,porting_peer,time_zone,lsr_cutoff,spids,csr_contact_email
Cascade Telecom,clec,yes,yes,direct,,America/Los_Angeles,15:00,7231 7232,csr@cascade.example
Columbia Bell,ILEC,no,1,,,America/Los_Angeles,15:00,9102;9103,csr@columbiabell.example
Klamath Valley Telephone,ilec,no,true,local_peer,Inland Interconnect,America/Los_Angeles,14:00,3k41,
Inland Interconnect,clec,,,,,America/Chicago,,5208,
Beacon Toll-Free Services,Toll-free RespOrg,0,no,somos,,America/New_York,16:30,T098,
Porting Partners LLC,third party,false,false,direct,,America/Chicago,,,
"""


def _write(tmp_path, text, name="carriers.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(path):
    out = io.StringIO()
    call_command("import_carriers", str(path), stdout=out)
    return out.getvalue()


def test_good_file_creates_carriers_spids_peer_route_and_csr_contacts(tmp_path):
    output = _run(_write(tmp_path, GOOD))

    assert "carriers: 6 created, 0 updated, 0 unchanged" in output
    assert "SPIDs: 7 created, 0 updated, 0 unchanged" in output
    ours = Carrier.objects.get(name="Cascade Telecom")
    assert ours.is_ours and ours.kind == "clec"
    assert sorted(ours.spids.values_list("code", flat=True)) == ["7231", "7232"]
    klamath = Carrier.objects.get(name="Klamath Valley Telephone")
    assert klamath.port_in_route == "local_peer"
    assert klamath.porting_peer.name == "Inland Interconnect"
    assert klamath.lsr_cutoff.strftime("%H:%M") == "14:00"
    assert SPID.objects.get(code="3K41").carrier == klamath  # upper-cased
    inland = Carrier.objects.get(name="Inland Interconnect")
    assert inland.supports_csr and inland.lsr_cutoff.strftime("%H:%M") == "15:00"  # defaults
    beacon = Carrier.objects.get(name="Beacon Toll-Free Services")
    assert beacon.kind == "resporg" and beacon.port_in_route == "somos"
    assert Carrier.objects.get(name="Porting Partners LLC").kind == "third_party"
    assert Contact.objects.get(carrier__name="Columbia Bell").email == "csr@columbiabell.example"


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    path = _write(tmp_path, GOOD)
    _run(path)
    before = list(Carrier.objects.values())

    output = _run(path)

    assert "carriers: 0 created, 0 updated, 6 unchanged" in output
    assert "SPIDs: 0 created, 0 updated, 7 unchanged" in output
    assert "CSR contacts: 0 created, 0 updated, 2 unchanged" in output
    assert list(Carrier.objects.values()) == before
    assert Contact.objects.count() == 2


def test_changed_row_updates_only_that_carrier(tmp_path):
    _run(_write(tmp_path, GOOD))
    changed = GOOD.replace(
        "Columbia Bell,ILEC,no,1,,,America/Los_Angeles,15:00",
        "Columbia Bell,ILEC,no,1,,,America/Los_Angeles,16:00",
    )

    output = _run(_write(tmp_path, changed, "changed.csv"))

    assert "carriers: 0 created, 1 updated, 5 unchanged" in output
    assert Carrier.objects.get(name="Columbia Bell").lsr_cutoff.strftime("%H:%M") == "16:00"


def test_route_change_away_from_the_peer_clears_the_peer(tmp_path):
    _run(_write(tmp_path, GOOD))
    changed = GOOD.replace("local_peer,Inland Interconnect", "direct,")

    _run(_write(tmp_path, changed, "changed.csv"))

    klamath = Carrier.objects.get(name="Klamath Valley Telephone")
    assert klamath.port_in_route == "direct" and klamath.porting_peer is None


def test_bad_file_imports_nothing_and_reports_every_bad_row_with_its_line(tmp_path):
    bad = GOOD + (
        "Bad Kind Co,satellite,,,,,,,,\n"  # line 8
        "Bad Zone Co,clec,,,,,Mars/Olympus,25:00,72-1,not-an-email\n"  # line 9
        "Lonely Peer,clec,,,local_peer,,,,,\n"  # line 10
        "Ghost Peer,clec,,,,Nobody Inc,,,,\n"  # line 11
        "Columbia Bell,ilec,,,,,,,9102,\n"  # line 12
        ",clec,maybe,,,,,,,\n"  # line 13
    )
    with pytest.raises(CommandError) as excinfo:
        _run(_write(tmp_path, bad))

    message = str(excinfo.value)
    for expected in [
        "line 8: kind: 'satellite' is not a kind",
        "line 9: time_zone: 'Mars/Olympus' is not an IANA time zone",
        "line 9: lsr_cutoff: '25:00' is not a 24-hour time",
        "line 9: spids: '72-1': A SPID is exactly 4 characters",
        "line 9: csr_contact_email: 'not-an-email' is not an email address",
        f"line 10: porting_peer: {PEER_REQUIRED}",
        "line 11: porting_peer: no carrier named 'Nobody Inc'",
        "line 12: name: 'Columbia Bell' is also on line 3",
        "line 12: spids: SPID 9102 is also on line 3",
        "line 13: name: required",
        "line 13: is_ours: 'maybe' is not a yes/no value",
    ]:
        assert expected in message, expected
    assert Carrier.objects.count() == 0
    assert SPID.objects.count() == 0


def test_spid_owned_by_another_carrier_is_refused(tmp_path):
    SPIDFactory(code="9102", carrier=CarrierFactory(name="Pacific Northwest Bell"))
    with pytest.raises(CsvImportError) as excinfo:
        carriers_import(source=_write(tmp_path, GOOD))
    assert [str(e) for e in excinfo.value.errors] == [
        "line 3: spids: SPID 9102 belongs to Pacific Northwest Bell: move it in the admin first"
    ]
    assert not Carrier.objects.filter(name="Cascade Telecom").exists()


def test_unknown_and_missing_header_columns_are_refused_on_line_1(tmp_path):
    with pytest.raises(CsvImportError) as excinfo:
        carriers_import(source=_write(tmp_path, "name,colour\nX,red\n"))
    assert [str(e) for e in excinfo.value.errors] == [
        "line 1: header: missing required column 'kind'",
        "line 1: header: unknown column 'colour' (known: " + ", ".join(CARRIER_COLUMNS) + ")",
    ]


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        _run(tmp_path / "nope.csv")


def test_existing_carrier_is_matched_by_name_in_any_case(tmp_path):
    CarrierFactory(name="Columbia Bell", kind="ilec")
    carriers_import(source=io.StringIO("name,kind\ncolumbia bell,ilec\n"))
    assert list(Carrier.objects.values_list("name", flat=True)) == ["columbia bell"]
