"""The order list (the navbar's "Orders"): a queue with no filter, declared as the work
queues are (`ORDER_LIST`), plus what only it has: the filter form's search, which at a
national size must be answered by indexes (`order_list_activity`, the trigram indexes of
migrations 0012 and 0013), and its paginator.

The view parses the filter form and renders; everything that decides what is read lives
here, next to the indexes it relies on.
"""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

from orders.models import Direction, OrderNumber, Status
from orders.queues.base import EVERYONE, Queue, QueueContext
from orders.queues.columns import c_account, c_order
from orders.tables import Cell, RowContext, col, dt_text, render_row
from orders.templatetags.portin_tags import status_badge

# The order list counts at most this many matches: "10,000+" rather than COUNT(*) over a
# million orders (60 ms at 1M) on the page everyone opens from the navbar.
ORDER_LIST_COUNT_CAP = 10_000
# The index that serves each filter of the list's form in its sort (most recent activity
# first) at any page depth: (filter, last_activity_at, id). Checked by
# tests/orders/queues/test_sort_indexes.py.
FILTER_INDEXES = {
    "status": "order_list_status",
    "direction": "order_list_direction",
    "losing_carrier": "order_list_losing_carrier",
}
# A search counts at most this many ("1,000+ orders", 20 pages): a common name is in a fifth
# of the account names, and counting 10,001 of its matches, then reading them again by id, cost
# 60-77 ms each at a million orders (issue 21: 115-200 ms for the page). Past a thousand
# matches the desk narrows the search; nobody reads page 200 of a name.
SEARCH_COUNT_CAP = 1_000


def count_cap(q: str = "") -> int:
    """Where the order list's count stops: lower for a search (read at call time, so a test
    may lower ORDER_LIST_COUNT_CAP for both)."""
    if (q or "").strip():
        return min(ORDER_LIST_COUNT_CAP, SEARCH_COUNT_CAP)
    return ORDER_LIST_COUNT_CAP


_DIRECTION_LABELS = dict(Direction.choices)
_STATUS_LABELS = dict(Status.choices)


def _date(day) -> str:
    return day.isoformat() if day else "—"


ORDER_LIST = Queue(
    slug="orders",
    title="Orders",
    desk=EVERYONE,
    description="Every order of both desks, most recent activity first.",
    where=None,
    # Read backwards: without it, the first page sorted every order (0.9 s at a million).
    index="order_list_activity",
    default_sort="-activity",
    sorts={"activity": ("last_activity_at",)},
    # What its rows show, and nothing more: at a million orders, a search sorts its matches
    # by activity, and every field loaded is carried through that sort.
    fields=(
        "pon",
        "version",
        "direction",
        "status",
        "account_name",
        "tn_count",
        "requested_due_date",
        "foc_date",
        "last_activity_at",
        "losing_carrier__name",
        "new_carrier__name",
        "assignee__username",
    ),
    columns=(
        col("order", "PON", c_order),
        col(
            "direction",
            "Direction",
            lambda o, rc: Cell(_DIRECTION_LABELS.get(o.direction, o.direction)),
        ),
        col(
            "status",
            "Status",
            lambda o, rc: Cell(
                _STATUS_LABELS.get(o.status, o.status), badge=status_badge(o.status)
            ),
        ),
        col("account", "Account", c_account),
        col(
            "losing_carrier",
            "Losing carrier",
            lambda o, rc: Cell(
                o.losing_carrier.name, note=o.losing_spid.code if o.losing_spid else ""
            ),
            joins=("losing_spid",),
        ),
        col("new_carrier", "New carrier", lambda o, rc: Cell(o.new_carrier.name)),
        col("tns", "TNs", lambda o, rc: Cell(str(o.tn_count), css="text-end"), numeric=True),
        col("due", "Due", lambda o, rc: Cell(_date(o.requested_due_date), css="text-nowrap")),
        col("foc", "FOC", lambda o, rc: Cell(_date(o.foc_date), css="text-nowrap")),
        col(
            "assignee",
            "Assignee",
            lambda o, rc: Cell(o.assignee.get_username() if o.assignee else "—"),
        ),
        col(
            "activity",
            "Last activity",
            lambda o, rc: Cell(dt_text(o.last_activity_at), css="text-nowrap"),
            sort="activity",
            zoned=True,
        ),
    ),
)


class CappedPaginator(Paginator):
    """A Paginator whose count stops at `cap` (the queue's capped count: a LIMIT-ed
    subquery); `capped` says there are more, and pages stop at the cap."""

    def __init__(self, object_list, per_page, *, cap: int):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def total(self):
        return ORDER_LIST.count(self.object_list, self.cap)

    @cached_property
    def count(self) -> int:
        return self.total.value

    @property
    def capped(self) -> bool:
        return self.total.capped

    def page(self, number):
        """The page's ids first, then only those rows with their joins (as a queue's page,
        `Queue.page_objects`): the ids come from the sort's index alone, so page 200 reads
        10,000 index entries, not 10,000 orders joined to their carriers, SPIDs and assignee
        (45 ms at a million orders for the order list's last page)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = ORDER_LIST.page_objects(
            QueueContext.build(), self.object_list, bottom, top, total=self.total
        )
        return self._get_page(rows, number, self)


def _search(queryset, q: str):
    q = q.strip()
    if not q:
        return queryset
    digits = re.sub(r"\D", "", q)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    looks_like_a_number = len(digits) == len(re.sub(r"[\s().+-]", "", q))
    if len(digits) == 10 and looks_like_a_number:
        # A whole TN is unambiguous: only the indexed TN and BTN columns, never a scan of
        # every PON and account name (2.7 s -> milliseconds at a million orders).
        # The ids are fetched first: "btn = x OR id IN (subquery)" defeats PostgreSQL's
        # bitmap OR and scans the table, a literal id list does not.
        on_order = list(OrderNumber.objects.filter(tn=digits).values_list("order_id", flat=True))
        return queryset.filter(Q(btn=digits) | Q(pk__in=on_order))
    condition = Q(pon__icontains=q) | Q(account_name__icontains=q)
    if len(digits) == 10:
        has_tn = OrderNumber.objects.filter(order=OuterRef("pk"), tn=digits)
        condition |= Q(btn=digits) | Exists(has_tn)
    elif len(digits) >= 4 and looks_like_a_number:
        # A partial number: match BTNs and TNs that contain it. The orders with such a TN
        # are found first (a trigram index on PostgreSQL), so that every branch of the OR
        # is an index: a correlated EXISTS made each search read every order (4-7 s at 1M).
        on_order = OrderNumber.objects.filter(tn__contains=digits).order_by()
        order_ids = on_order.values_list("order_id", flat=True).distinct()
        condition |= Q(btn__contains=digits) | Q(pk__in=list(order_ids))
    return queryset.filter(condition)


def _narrowed(orders, q: str):
    """A search's matches, read by primary key when there are not many of them.

    Sorted by activity with a LIMIT, PostgreSQL may walk the activity index and test every
    order until 50 match: 4-5 s at a million orders for a number few TNs contain. The
    matches are found first through the search's own indexes (at most the count's cap), then
    only those are sorted. Past the cap, matches are dense and the index walk is quick."""
    if not q.strip():
        return orders
    cap = count_cap(q)
    ids = list(orders.order_by().values_list("pk", flat=True)[: cap + 1])
    if len(ids) > cap:
        return orders
    if not ids:
        return orders.none()
    by_id = ORDER_LIST.queryset(QueueContext.build()).filter(pk__any_of=ids)
    return by_id.order_by(*orders.query.order_by)


def orders_listed(*, direction="", status="", losing_carrier=None, q=""):
    """The orders the list shows for these filters, most recent activity first. The rows
    load only what the list shows: no LSR or evaluation JSON to decode, no PIN or account
    number in memory for a list (a third of a search's time went on them)."""
    orders = ORDER_LIST.queryset(QueueContext.build()).order_by(*ORDER_LIST.ordering(None)[1])
    if direction:
        orders = orders.filter(direction=direction)
    if status:
        orders = orders.filter(status=status)
    if losing_carrier:
        orders = orders.filter(losing_carrier=losing_carrier)
    return _narrowed(_search(orders, q or ""), q or "")


def order_rows(orders) -> list[SafeString]:
    """One `<tr>` per order (orders.tables.render_row: every value escaped)."""
    rc = RowContext(QueueContext.build())
    columns = ORDER_LIST.columns
    return [render_row([column.cell(o, rc) for column in columns]) for o in orders]
