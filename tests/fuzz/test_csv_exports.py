"""CSV exports neutralise spreadsheet formula injection: a cell a spreadsheet would evaluate
(= + - @, or a leading tab/CR) is written with a leading apostrophe. Carrier-supplied PONs and
customer names are exactly such cells."""

import csv
import io
import re

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from orders.csv_safety import csv_safe
from orders.models import PortOrder
from orders.queues.registry import QUEUES
from tests.factories import NpacCancelRecordFactory
from tests.security.conftest import lsr_post, new_order_post

from .strategies import FORMULAS

pytestmark = pytest.mark.django_db

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?\Z")


def _dangerous(cell: str) -> bool:
    return cell.startswith(DANGEROUS) and not PLAIN_NUMBER.match(cell)


@given(st.text())
def test_the_csv_cell_neutraliser_never_lets_a_formula_through(text):
    cell = csv_safe(text)
    assert not _dangerous(cell) or cell.startswith("'")
    assert cell in (text, "'" + text)  # nothing else changes: the data stays readable


def _rows(response):
    body = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    return list(csv.reader(io.StringIO(body.decode(), newline="")))


@pytest.fixture
def formula_orders(world, alice_client):
    """A port-in order and a port-out LSR whose free-text fields are formulas."""
    alice_client.post(
        reverse("orders:portin_new"),
        new_order_post(account_name=FORMULAS[0], remarks=FORMULAS[2], authorized_person="@SUM(1)"),
    )
    alice_client.post(
        reverse("orders:portout_lsr_new"),
        lsr_post(world, pon="=HYPERLINK(1)", account_name="+SUM(1,2)", remarks=FORMULAS[1]),
    )
    assert PortOrder.objects.count() == 2
    return PortOrder.objects.all()


def test_queue_exports_neutralise_formulas(formula_orders, maria_client):
    seen_formula = False
    for queue in QUEUES:
        response = maria_client.get(reverse("orders:queue_export", args=[queue.slug]))
        assert response.status_code == 200, queue.slug
        for row in _rows(response)[1:]:
            for cell in row:
                assert not _dangerous(cell), (queue.slug, cell)
                seen_formula |= cell.startswith(("'=", "'+", "'@"))
    assert seen_formula, "no export listed the formula orders: nothing was checked"


def test_npac_cancel_export_neutralises_a_carrier_pon(formula_orders, alice_client):
    order = formula_orders.get(direction="out")
    NpacCancelRecordFactory(order=order, tn="9715557101", reason="=cmd|' /C calc'!A0")
    rows = _rows(alice_client.get(reverse("orders:portout_npac_cancels_csv")))
    header, data = rows[0], rows[1:]
    assert data
    row = dict(zip(header, data[0], strict=True))
    assert row["pon"] == "'=HYPERLINK(1)"
    assert row["reason"].startswith("'=")
    assert not any(_dangerous(cell) for r in data for cell in r)
