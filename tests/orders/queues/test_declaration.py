"""A queue is declared once (orders/queues/base.py `Queue`): each entry's filter, columns and
sort are all there is to it, and its queryset, capped count, CSV and page rows are built
from that one declaration. The order list is such a queue, with no filter."""

import csv
import io

import pytest

from orders.csv_safety import csv_safe
from orders.models import PortOrder
from orders.order_list import ORDER_LIST
from orders.queues.base import Queue, QueueContext, RowActions
from orders.queues.registry import QUEUES, QUEUES_BY_SLUG
from orders.tables import RowContext
from tests.orders.queues.conftest import build_world, populate

pytestmark = pytest.mark.django_db


def test_each_slug_is_declared_once():
    assert len(QUEUES_BY_SLUG) == len(QUEUES)
    assert ORDER_LIST.slug not in QUEUES_BY_SLUG  # the navbar's "Orders", not a work queue


@pytest.fixture
def rows_of_every_queue(db, alice, maria):
    build_world(alice=alice, maria=maria)
    populate(30, users=[alice, maria])


@pytest.mark.parametrize("slug", sorted(QUEUES_BY_SLUG))
def test_the_declaration_yields_the_queryset_count_csv_and_rows(rows_of_every_queue, maria, slug):
    queue = QUEUES_BY_SLUG[slug]
    ctx = QueueContext.build(user=maria)

    # The queryset: the kind's rows that match the entry's filter, nothing else.
    listed = queue.rows_queryset(ctx).order_by(*queue.ordering(None)[1])
    expected = set(queue.model.objects.filter(queue.where(ctx)).values_list("pk", flat=True))
    assert {row.pk for row in listed} == expected
    assert expected, f"the fixture has no row in {slug}"

    # The count, capped.
    total = queue.count(listed, cap=1)
    assert (total.value, total.capped) == (1, len(expected) > 1)
    assert queue.count(listed, cap=10_000).value == len(expected)

    # The CSV: a header of the columns' labels, then each row's values.
    lines = list(csv.reader(io.StringIO("".join(queue.csv_lines(listed, ctx)))))
    assert lines[0] == [column.csv_label for column in queue.columns] + ["Overdue"]
    rc = RowContext(ctx)
    assert lines[1:] == [
        [csv_safe(column.value(obj, rc)) for column in queue.columns]
        + ["yes" if obj.queue_overdue else ""]
        for obj in listed
    ]

    # The page: the same rows, each with its cells and markup.
    actions = RowActions(work=True, decide=True, claim_url="/claim/", overdue_title="Late")
    objects = queue.page_objects(ctx, listed, 0, 50)
    rows = queue.rows(objects, rc, actions=actions)
    assert [row.pk for row in rows] == [obj.pk for obj in listed][:50]
    for row in rows:
        assert row.html.startswith("<tr") and row.html.count("<td") == len(queue.columns) + 2
        assert [cell.text for cell in row.cells] == [
            column.value(row.obj, rc) for column in queue.columns
        ]


def test_the_kinds_defaults_fill_what_an_entry_leaves_out():
    in_drafts, csr_requests = QUEUES_BY_SLUG["in-drafts"], QUEUES_BY_SLUG["out-csr-requests"]
    assert (in_drafts.view_perm, in_drafts.work_perm) == (
        "orders.view_portorder",
        "orders.change_portorder",
    )
    assert in_drafts.hide_filters == ("direction", "status")
    assert (csr_requests.view_perm, csr_requests.hide_filters) == ("orders.view_csrrequest", ())
    # The port-out risk queue's own permission and its rows' annotations fit the same entry.
    risk = QUEUES_BY_SLUG["out-risk"]
    assert risk.view_perm == "orders.review_port_out_risk" and risk.row_annotations


def test_the_order_list_is_a_queue_with_no_filter(world, alice):
    assert isinstance(ORDER_LIST, Queue) and ORDER_LIST.where is None
    ctx = QueueContext.build(user=alice)
    listed = ORDER_LIST.queryset(ctx).order_by(*ORDER_LIST.ordering(None)[1])
    assert [o.pk for o in listed] == list(
        PortOrder.objects.order_by("-last_activity_at", "-pk").values_list("pk", flat=True)
    )
    assert ORDER_LIST.count(listed, cap=10_000).value == PortOrder.objects.count()
