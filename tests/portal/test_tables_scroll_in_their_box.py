"""Issue 16, phone width: every data table on the main pages sits in a `.table-responsive`
box, so a wide table scrolls inside it instead of making the whole page scroll sideways at
390 px (tests/browser/test_layout.py measures the pages in Chromium)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import OrderNumberFactory, PortInCsrFactory
from tests.orders.queues.conftest import build_world, client_for

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Tables(HTMLParser):
    """Each <table> of a page, and whether an element around it has .table-responsive."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.tables: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            boxed = any(responsive for _tag, responsive in self.stack)
            self.tables.append((attrs.get("data-testid") or attrs.get("class", ""), boxed))
        if tag not in VOID:
            classes = (attrs.get("class") or "").split()
            self.stack.append((tag, "table-responsive" in classes))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break


def unboxed_tables(html: str) -> list[str]:
    parser = _Tables()
    parser.feed(html)
    assert parser.tables, "no table on the page"
    return [name for name, boxed in parser.tables if not boxed]


def test_every_table_of_the_main_pages_scrolls_in_its_own_box(alice, maria):
    world = build_world(alice=alice, maria=maria)
    port_in = world.orders["IN-CSR-MISMATCH"]
    PortInCsrFactory(order=port_in, authorized_person="Someone Else")
    OrderNumberFactory(order=port_in)
    port_out = world.orders["OUT-LSR"]
    OrderNumberFactory(order=port_out)
    client = client_for(maria)
    pages = {
        "dashboard": reverse("dashboard"),
        "queue": reverse("orders:queue", args=["rejections"]),
        "order list": reverse("orders:order_list"),
        "port-in order with its CSR": reverse("orders:order_detail", args=[port_in.pk]),
        "port-out order": reverse("orders:order_detail", args=[port_out.pk]),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert unboxed_tables(response.content.decode()) == [], name
