"""The carrier's rules live in the model (`Carrier.clean`, field validators, constraints): the
admin, the CSV import and the database answer the same carrier the same way, in one wording."""

import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from carriers.importers.carriers import carriers_import
from carriers.importers.csv_rows import CsvImportError
from carriers.importers.numbers import numbers_import
from carriers.models import (
    PEER_NOT_ALLOWED,
    PEER_REQUIRED,
    PEER_SELF,
    Carrier,
    CustomerAccount,
)
from tests.factories import CarrierFactory, CustomerAccountFactory, SPIDFactory

pytestmark = pytest.mark.django_db

FORMSETS = {
    f"{prefix}-{key}": value
    for prefix in ("spids", "contacts", "interval_overrides", "non_business_days")
    for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
}


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def _admin_add(admin, **overrides):
    data = {
        "name": "Klamath Valley",
        "kind": "ilec",
        "supports_csr": "on",
        "port_in_route": "direct",
        "time_zone": "America/Los_Angeles",
        "lsr_cutoff": "15:00",
        "csr_answer_hours": 24,
        "max_due_date_days": 30,
        "port_window_business_days": 4,
        "sup_threshold": 3,
        **FORMSETS,
        **overrides,
    }
    return admin.post(reverse("admin:carriers_carrier_add"), data).content.decode()


def _import_errors(body: str) -> list[str]:
    with pytest.raises(CsvImportError) as excinfo:
        carriers_import(source=io.StringIO(body))
    return [str(error) for error in excinfo.value.errors]


def test_a_peer_on_a_direct_carrier_is_refused_in_the_same_words_by_admin_and_import(admin):
    peer = CarrierFactory(name="Inland Interconnect")
    page = _admin_add(admin, porting_peer=peer.pk)
    assert PEER_NOT_ALLOWED in page
    errors = _import_errors(
        "name,kind,port_in_route,porting_peer\nKlamath Valley,ilec,direct,Inland Interconnect\n"
    )
    assert errors == [f"line 2: porting_peer: {PEER_NOT_ALLOWED}"]
    assert not Carrier.objects.filter(name="Klamath Valley").exists()


def test_a_local_peer_route_without_a_peer_is_refused_in_the_same_words_everywhere(admin):
    assert PEER_REQUIRED in _admin_add(admin, port_in_route="local_peer")
    assert _import_errors("name,kind,port_in_route\nKlamath Valley,ilec,local_peer\n") == [
        f"line 2: porting_peer: {PEER_REQUIRED}"
    ]


def test_an_existing_carrier_cannot_be_made_its_own_peer_by_the_import():
    CarrierFactory(name="Klamath Valley")
    errors = _import_errors("name,kind,porting_peer\nKlamath Valley,ilec,Klamath Valley\n")
    assert errors == [f"line 2: porting_peer: {PEER_SELF}"]


def test_a_clock_of_zero_is_refused_by_the_admin_and_the_import(admin):
    page = _admin_add(admin, csr_answer_hours=0)
    assert "greater than or equal to 1" in page
    assert not Carrier.objects.filter(name="Klamath Valley").exists()
    errors = _import_errors("name,kind,csr_answer_hours\nKlamath Valley,ilec,0\n")
    assert errors == ["line 2: csr_answer_hours: Ensure this value is greater than or equal to 1."]


def test_the_import_saves_through_the_model_and_names_a_peer_defined_later_in_the_file():
    summary = carriers_import(
        source=io.StringIO(
            "name,kind,porting_peer,spids\n"
            "Klamath Valley,ilec,Inland Interconnect,3K41\n"
            "Inland Interconnect,clec,,9102\n"
        )
    )
    klamath = Carrier.objects.get(name="Klamath Valley")
    assert klamath.port_in_route == Carrier.Route.LOCAL_PEER
    assert klamath.porting_peer.name == "Inland Interconnect"
    assert summary.lines()[:2] == [
        "carriers: 2 created, 0 updated, 0 unchanged",
        "SPIDs: 2 created, 0 updated, 0 unchanged",
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"port_in_route": "direct"},  # a peer without the local-peer route
        {"porting_peer_id": None, "port_in_route": "local_peer"},  # the route without a peer
        {"sup_threshold": 0},
        {"port_window_business_days": 0},
    ],
)
def test_the_database_refuses_a_carrier_that_breaks_its_rules(change):
    peer = CarrierFactory()
    carrier = CarrierFactory(port_in_route="local_peer", porting_peer=peer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Carrier.objects.filter(pk=carrier.pk).update(**change)


def test_the_database_refuses_a_carrier_that_is_its_own_peer():
    carrier = CarrierFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Carrier.objects.filter(pk=carrier.pk).update(
            port_in_route="local_peer", porting_peer_id=carrier.pk
        )


def test_the_number_import_checks_an_account_zip_with_the_models_validator(admin):
    SPIDFactory(code="7231")
    with pytest.raises(CsvImportError) as excinfo:
        numbers_import(
            source=io.StringIO(
                "tn,spid,account_number,btn,account_name,service_address,zip\n"
                "5035550100,7231,CT-1,5035550100,ABC Co,1 Main St,9720\n"
            )
        )
    field = CustomerAccount._meta.get_field("zip_code")
    message = field.validators[0].message % {"value": "9720"}
    assert [str(e) for e in excinfo.value.errors] == [f"line 2: zip: {message}"]
    # ... and the admin answers the same ZIP with the same words.
    account = CustomerAccountFactory()
    page = admin.post(
        reverse("admin:carriers_customeraccount_change", args=[account.pk]),
        {
            "account_number": account.account_number,
            "name": account.name,
            "btn": account.btn,
            "service_address": account.service_address,
            "zip_code": "9720",
        },
    ).content.decode()
    assert "9720&#x27; is not a ZIP code" in page
