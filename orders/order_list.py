"""The order list (the navbar's "Orders"): which orders it shows, how it pages and searches
at a national size, and its rows' markup.

The view parses the filter form and renders; everything that decides what is read lives
here, next to the indexes it relies on (`order_list_activity`, the trigram indexes of
migrations 0012 and 0013).
"""

from __future__ import annotations

import html
import re

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe

from orders.models import Direction, OrderNumber, PortOrder, Status
from orders.queues import capped_count
from orders.templatetags.portin_tags import status_badge

# The order list counts at most this many matches: "10,000+" rather than COUNT(*) over a
# million orders (60 ms at 1M) on the page everyone opens from the navbar.
ORDER_LIST_COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A Paginator whose count stops at `cap` (orders.queues.capped_count: a LIMIT-ed
    subquery); `capped` says there are more, and pages stop at the cap."""

    def __init__(self, object_list, per_page, *, cap: int):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def total(self):
        return capped_count(self.object_list, self.cap)

    @cached_property
    def count(self) -> int:
        return self.total.value

    @property
    def capped(self) -> bool:
        return self.total.capped


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


# What a row of the order list shows, and nothing more: no LSR or evaluation JSON to decode,
# no PIN or account number in memory for a list (a third of a search's time went on them).
_LIST_RELATED = ("losing_carrier", "losing_spid", "new_carrier", "assignee")
_LIST_FIELDS = (
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
    "losing_spid__code",
    "new_carrier__name",
    "assignee__username",
)


def _narrowed(orders, q: str):
    """A search's matches, read by primary key when there are not many of them.

    Sorted by activity with a LIMIT, PostgreSQL may walk the activity index and test every
    order until 50 match: 4-5 s at a million orders for a number few TNs contain. The
    matches are found first through the search's own indexes (at most the count's cap), then
    only those are sorted. Past the cap, matches are dense and the index walk is quick."""
    if not q.strip():
        return orders
    ids = list(orders.order_by().values_list("pk", flat=True)[: ORDER_LIST_COUNT_CAP + 1])
    if len(ids) > ORDER_LIST_COUNT_CAP:
        return orders
    if not ids:
        return orders.none()
    by_id = orders.model.objects.filter(pk__any_of=ids)
    return by_id.select_related(*_LIST_RELATED).only(*_LIST_FIELDS).order_by(*orders.query.order_by)


def orders_listed(*, direction="", status="", losing_carrier=None, q=""):
    """The orders the list shows for these filters, most recent activity first."""
    orders = (
        PortOrder.objects.select_related(*_LIST_RELATED)
        .only(*_LIST_FIELDS)
        .order_by("-last_activity_at", "-pk")
    )
    if direction:
        orders = orders.filter(direction=direction)
    if status:
        orders = orders.filter(status=status)
    if losing_carrier:
        orders = orders.filter(losing_carrier=losing_carrier)
    return _narrowed(_search(orders, q or ""), q or "")


# --- rows ----------------------------------------------------------------------------------
# Rendered in Python rather than cell by cell in the template: a page of 50 orders was 40 ms
# of template work (a {% url %}, two display lookups and three date filters per row), as the
# queue pages were before `queue_columns.row_html`.

_DIRECTION_LABELS = dict(Direction.choices)
_STATUS_LABELS = dict(Status.choices)
_PK_MARK = 987654321987  # reversed in place of a primary key, as queue_columns does


def _e(value) -> str:
    return html.escape(str(value))


def _date(day) -> str:
    return day.isoformat() if day else "—"


def order_rows(orders) -> list[SafeString]:
    """One `<tr>` per order; every value is escaped."""
    before, after = reverse("orders:order_detail", args=[_PK_MARK]).split(str(_PK_MARK))
    rows = []
    for o in orders:
        spid = o.losing_spid
        spid_html = (
            f' <span class="text-body-secondary small">{_e(spid.code)}</span>' if spid else ""
        )
        assignee = o.assignee.get_username() if o.assignee else "—"
        activity = (
            timezone.localtime(o.last_activity_at).strftime("%Y-%m-%d %H:%M")
            if o.last_activity_at
            else ""
        )
        rows.append(
            mark_safe(  # every interpolated value is escaped above or here
                "<tr>"
                f'<td class="text-nowrap"><a href="{_e(before)}{int(o.pk)}{_e(after)}">'
                f"{_e(o.pon)} v{_e(o.version)}</a></td>"
                f"<td>{_e(_DIRECTION_LABELS.get(o.direction, o.direction))}</td>"
                f'<td><span class="badge {_e(status_badge(o.status))}">'
                f"{_e(_STATUS_LABELS.get(o.status, o.status))}</span></td>"
                f"<td>{_e(o.account_name)}</td>"
                f"<td>{_e(o.losing_carrier.name)}{spid_html}</td>"
                f"<td>{_e(o.new_carrier.name)}</td>"
                f'<td class="text-end">{_e(o.tn_count)}</td>'
                f'<td class="text-nowrap">{_e(_date(o.requested_due_date))}</td>'
                f'<td class="text-nowrap">{_e(_date(o.foc_date))}</td>'
                f"<td>{_e(assignee)}</td>"
                f'<td class="text-nowrap">{_e(activity)}</td>'
                "</tr>"
            )
        )
    return rows
