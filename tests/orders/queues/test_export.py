"""CSV export: exactly the filtered rows, streamed, safe to open in a spreadsheet."""

import csv
import io

import pytest
from django.urls import reverse

from orders.csv_safety import csv_safe
from tests.factories import PortOrderFactory
from tests.orders.queues.conftest import pons

pytestmark = pytest.mark.django_db


def export(client, slug, **params):
    from urllib.parse import urlencode

    url = reverse("orders:queue_export", args=[slug])
    if params:
        url += "?" + urlencode(params, doseq=True)
    response = client.get(url)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_export_holds_exactly_what_the_filter_shows(alice_client, world):
    params = {"carrier": world.rival.pk, "sort": "-activity"}
    rows = export(alice_client, "unassigned", **params)
    header, body = rows[0], rows[1:]
    assert header[0] == "Order" and header[-1] == "Overdue"
    exported = {row[0].split(" v")[0] for row in body}
    assert exported == pons(alice_client, "unassigned", **params)
    response = alice_client.get(reverse("orders:queue", args=["unassigned"]), params)
    assert [row[0] for row in body] == [
        row.cells[0].text for row in response.context["rows"]
    ]  # same order too


def test_export_of_the_overdue_switch(alice_client, world):
    body = export(alice_client, "in-status-checks", overdue="1")[1:]
    assert [row[0] for row in body] == ["IN-CHECK-LATE v1"]
    assert body[0][-1] == "yes"


def test_export_is_not_paginated(alice_client, world):
    for i in range(60):
        PortOrderFactory(pon=f"BULK{i:03d}", new_carrier=world.ours)
    body = export(alice_client, "in-drafts")[1:]
    assert len(body) == 62
    page = alice_client.get(reverse("orders:queue", args=["in-drafts"]))
    assert len(page.context["rows"]) == 50


def test_export_neutralises_formula_injection(alice_client, world):
    PortOrderFactory(pon="EVIL1", account_name="=cmd|' /C calc'!A0", new_carrier=world.ours)
    PortOrderFactory(pon="EVIL2", account_name="@SUM(1+1)", new_carrier=world.ours)
    PortOrderFactory(pon="EVIL3", account_name="+1-2", new_carrier=world.ours)
    PortOrderFactory(pon="EVIL4", account_name="-2+3", new_carrier=world.ours)
    body = export(alice_client, "in-drafts", q="")[1:]
    accounts = {row[0]: row[2] for row in body}
    assert accounts["EVIL1 v1"] == "'=cmd|' /C calc'!A0"
    assert accounts["EVIL2 v1"] == "'@SUM(1+1)"
    assert accounts["EVIL3 v1"] == "'+1-2"
    assert accounts["EVIL4 v1"] == "'-2+3"


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-cmd", "'-cmd"),
        ("@cmd", "'@cmd"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Acme", "Acme"),
        ("-3", "-3"),  # a plain number (days left) cannot be a formula
        ("", ""),
        (None, ""),
    ],
)
def test_csv_safe(raw, safe):
    assert csv_safe(raw) == safe


def test_export_never_contains_a_pin_or_a_full_account_number(alice_client, world):
    from orders.crypto import encrypt_pin

    order = world["IN-DRAFT"]
    type(order).objects.filter(pk=order.pk).update(
        account_number="ACCT-99887766", pin_encrypted=encrypt_pin("8642")
    )
    for slug in ("in-drafts", "unassigned"):
        text = "\n".join(",".join(row) for row in export(alice_client, slug))
        assert "99887766" not in text
        assert "8642" not in text


def test_export_of_each_kind_of_queue(alice_client, maria_client, world):
    assert export(alice_client, "out-csr-requests")[1][0] == f"CSR #{world.csr_open.pk}"
    assert export(alice_client, "out-npac-cancels")[1][0] == "5035550155"
    rejections = export(maria_client, "rejections", carrier=world.lsp.pk)[1:]
    assert {row[0] for row in rejections} == {"IN-EXCEPTION v1", "IN-REJECTED v1"}


def test_export_needs_the_queue_permission(client, bob, world):
    client.force_login(bob)
    assert client.get(reverse("orders:queue_export", args=["in-drafts"])).status_code == 403
