"""The one table renderer (orders/tables.py): every value of a row is escaped on the page,
and the CSV holds the cell's value, the same text the page shows."""

import csv
import io

import pytest
from django.urls import reverse

from orders.csv_safety import csv_safe
from orders.queues.base import QueueContext
from orders.queues.registry import QUEUES_BY_SLUG
from orders.tables import Cell, Check, RowContext, Trail, render_row
from tests.factories import PortOrderFactory
from tests.orders.queues.conftest import queue_url

HOSTILE = '<script>alert("x")</script> & Sons'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons"


def test_render_row_escapes_every_value_and_attribute():
    html = render_row(
        [
            Cell(HOSTILE, href='/orders/1/?a="b"&c', css='x" onclick="y', title=HOSTILE),
            Cell(HOSTILE, badge="<b>", note=HOSTILE),
            Cell(""),
        ],
        attrs=(("data-testid", '"><script>'), ("data-skipped", None)),
        check=Check("ids", '1"><script>', HOSTILE),
        trail=Trail(overdue_title=HOSTILE, claim_value=None, decide_href="/x", decide_text=HOSTILE),
    )
    assert "<script>" not in html and 'onclick="y' not in html
    assert html == (
        '<tr data-testid="&quot;&gt;&lt;script&gt;">'
        '<td class="queue-check"><input type="checkbox" name="ids" '
        'value="1&quot;&gt;&lt;script&gt;" class="form-check-input" '
        f'aria-label="Select row {ESCAPED}"></td>'
        f'<td class="x&quot; onclick=&quot;y" title="{ESCAPED}">'
        f'<a href="/orders/1/?a=&quot;b&quot;&amp;c">{ESCAPED}</a></td>'
        f'<td><span class="badge &lt;b&gt;">{ESCAPED}</span> '
        f'<span class="text-body-secondary small">{ESCAPED}</span></td>'
        "<td></td>"
        f'<td class="text-end text-nowrap"><span class="badge text-bg-danger" title="{ESCAPED}">'
        f'overdue</span><a class="btn btn-sm btn-outline-warning" href="/x" '
        f'data-testid="decide">{ESCAPED}</a></td></tr>'
    )


@pytest.mark.django_db
def test_a_hostile_pon_and_account_name_are_escaped_on_the_page_and_kept_in_the_csv(
    alice_client, alice
):
    order = PortOrderFactory(pon="<script>PON", account_name=HOSTILE)
    page = alice_client.get(queue_url("in-drafts")).content.decode()
    table = page.split('data-testid="queue-table"', 1)[-1].split("</table>", 1)[0]
    assert "<script>" not in table
    assert ESCAPED in table and f"&lt;script&gt;PON v{order.version}</a>" in table

    response = alice_client.get(reverse("orders:queue_export", args=["in-drafts"]))
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    queue = QUEUES_BY_SLUG["in-drafts"]
    ctx = QueueContext.build(user=alice)
    rc = RowContext(ctx)
    listed = queue.rows_queryset(ctx).get(pk=order.pk)
    values = [csv_safe(column.value(listed, rc)) for column in queue.columns]
    assert lines[1][:-1] == values
    assert values[0] == f"<script>PON v{order.version}" and HOSTILE in values


@pytest.mark.django_db
def test_the_order_list_escapes_a_hostile_account_name(alice_client):
    PortOrderFactory(account_name=HOSTILE)
    page = alice_client.get(reverse("orders:order_list")).content.decode()
    table = page.split('data-testid="order-list"', 1)[1].split("</table>", 1)[0]
    assert ESCAPED in table and "<script>" not in table
