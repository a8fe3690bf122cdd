"""100,000 lines, once each (not under hypothesis): the paste boxes, the TN CSV uploads and the
inventory import refuse them with a message naming the field, the limit or the line, in one
bounded request, and write nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carriers.importers.csv_rows import CsvImportError
from carriers.importers.numbers import numbers_import
from carriers.models import CustomerAccount, TelephoneNumber
from orders.models import OrderNumber, PortOrder, StatusChange
from tests.security.conftest import lsr_post, new_order_post

pytestmark = pytest.mark.django_db

LINES = 100_000


def _tns(prefix="503", start=2_000_000):
    return [f"{prefix}{n:07d}" for n in range(start, start + LINES)]


def _counts():
    return (
        PortOrder.objects.count(),
        OrderNumber.objects.count(),
        StatusChange.objects.count(),
        TelephoneNumber.objects.count(),
        CustomerAccount.objects.count(),
    )


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_100k_pasted_tns_on_a_port_in_order_are_refused_with_the_limit(world, alice_client):
    before = _counts()
    response = alice_client.post(
        reverse("orders:portin_new"), new_order_post(tns="\n".join(_tns()))
    )
    assert response.status_code == 200
    assert any("100000 TNs in one request" in m and "20000" in m for m in _messages(response))
    assert _counts() == before


def test_100k_junk_lines_name_the_first_bad_lines(world, alice_client):
    junk = "\n".join(f"x{n}" for n in range(LINES))
    response = alice_client.post(reverse("orders:portin_new"), new_order_post(tns=junk))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "Line 1:" in errors and "Line 25:" in errors and "more" in errors
    assert PortOrder.objects.count() == 0


def test_100k_row_tn_csv_upload_on_a_port_in_order_is_refused(world, alice_client):
    data = new_order_post(tns="")
    content = ("tn\n" + "\n".join(_tns()) + "\n").encode()
    data["tn_file"] = SimpleUploadedFile("tns.csv", content, content_type="text/csv")
    before = _counts()
    response = alice_client.post(reverse("orders:portin_new"), data)
    assert response.status_code == 200
    assert any("100000 TNs in one request" in m for m in _messages(response))
    assert _counts() == before


@pytest.mark.parametrize("how", ["paste", "csv"])
def test_100k_tns_on_an_lsr_are_refused_naming_the_field(world, alice_client, how):
    data = lsr_post(world, pon="PON-HUGE")
    tns = _tns(prefix="971")
    if how == "paste":
        data["tns"] = "\n".join(tns)
    else:
        data["tns"] = ""
        data["tns_csv"] = SimpleUploadedFile("tns.csv", "\n".join(tns).encode())
    before = _counts()
    response = alice_client.post(reverse("orders:portout_lsr_new"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["tns"]
    assert any("TNs to port" in e and "100000" in e for e in errors), errors
    # It used to be logged: ~50 s in one request, 100,000 numbers and their findings written.
    assert _counts() == before


def test_100k_row_inventory_import_with_one_bad_row_writes_nothing(world):
    rows = [f"{tn},7231" for tn in _tns(prefix="458")]
    rows[-1] = "not-a-tn,7231"
    text = "tn,spid\n" + "\n".join(rows) + "\n"
    before = _counts()
    with pytest.raises(CsvImportError) as refused:
        numbers_import(source=io.StringIO(text))
    assert [str(e) for e in refused.value.errors] == [
        f"line {LINES + 1}: tn: " + refused.value.errors[0].message
    ]
    assert _counts() == before


def test_a_megabyte_in_one_field_is_refused_by_its_length(world, alice_client):
    response = alice_client.post(
        reverse("orders:portin_new"), new_order_post(account_name="A" * 1_000_000)
    )
    assert response.status_code == 200
    assert "account_name" in response.context["form"].errors
    assert PortOrder.objects.count() == 0


def test_100k_tns_on_a_csr_request_are_refused_naming_the_field(world, alice_client):
    from orders.models import CsrRequest

    response = alice_client.post(
        reverse("orders:portout_csr_new"),
        {
            "requesting_carrier": world.requester.pk,
            "tns": "\n".join(_tns(prefix="971")),
            "authorization_indicator": "on",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["tns"]
    assert any("100000 TNs" in e for e in errors), errors
    assert not CsrRequest.objects.exists()
