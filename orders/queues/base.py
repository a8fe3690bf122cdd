"""What every work queue is built from: `QueueContext` (when and for whom), the `Queue`
declaration, and from it the queue's queryset, its capped count, its page of rows and its
CSV. A queue entry (orders/queues/portin.py, portout.py, registry.py) states its filter,
the index it relies on, its columns and its sort; the rest has defaults per kind of row
(orders/queues/rows.py)."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from orders.csv_safety import csv_safe
from orders.models import Direction, Status
from orders.models.statuses import OPEN_STATUS_VALUES
from orders.queues.rows import KINDS, NPAC_CANCEL, ORDER, REJECTION, attach_rejection_reasons
from orders.queues.rows import order_rows as _order_rows
from orders.tables import Cell, Check, Column, RowContext, Trail, render_row

S = Status
IN = Direction.PORT_IN
OUT = Direction.PORT_OUT

PORT_IN_DESK = "Port-in"
PORT_OUT_DESK = "Port-out"
EVERYONE = "Everyone"
MANAGERS = "Managers"
DESKS = (PORT_IN_DESK, PORT_OUT_DESK, EVERYONE, MANAGERS)

CSV_CHUNK = 500
# A page's count stops here (a LIMIT-ed subquery), so no page ever counts a whole table.
COUNT_CAP = 10_000


def open_orders_q() -> Q:
    """Orders still being worked (a port-out LSR we rejected is closed: a new version comes)."""
    return Q(status__in=OPEN_STATUS_VALUES) & ~Q(direction=OUT, status=S.REJECTED)


@dataclass(frozen=True)
class QueueContext:
    """When and for whom a queue is read: "today" is the portal's local date."""

    now: datetime.datetime
    today: datetime.date
    user: Any = None

    @classmethod
    def build(cls, *, user=None, now=None) -> QueueContext:
        now = now or timezone.now()
        return cls(now=now, today=timezone.localdate(now), user=user)

    def midnight(self, day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    def days(self, n: int) -> datetime.date:
        return self.today + datetime.timedelta(days=n)


# --- what several queues' entries share ------------------------------------------------------


def warning_day(ctx: QueueContext) -> datetime.date:
    return ctx.days(settings.PORTING.get("AUTO_CANCEL_WARNING_DAYS", 7))


def stale(ctx: QueueContext) -> Q:
    """Overdue: untouched for a day."""
    return Q(last_activity_at__lt=ctx.now - datetime.timedelta(days=1))


# Sort keys are whitelisted per queue: key -> ORDER BY fields (ascending; "-key" reverses).
# Each is served by an index on the queue's filter (the entry's `index` names the default's).
ORDER_SORTS = {
    "activity": ("last_activity_at",),  # (direction, status, -last_activity_at)
    "due": ("requested_due_date",),  # order_queue_due
    "created": ("created_at",),  # order_queue_created
    "foc": ("foc_date",),  # (status, foc_date)
}


@dataclass(frozen=True)
class Queue:
    """One queue, declared once: everything its page, count, CSV, dashboard card and navbar
    link are built from."""

    slug: str
    title: str
    desk: str
    description: str
    # Its rows: a condition on the kind's rows (None: every row, as the order list).
    where: Callable[[QueueContext], Q] | None
    # The index that serves the filter and the default sort: its name, or for an unnamed
    # one its fields ("assignee, status"); tests/orders/queues/test_indexes.py checks it.
    index: str
    columns: tuple[Column, ...]
    default_sort: str
    kind: str = ORDER
    sorts: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: ORDER_SORTS)
    overdue: Callable[[QueueContext], Q] | None = None
    overdue_label: str = ""
    # The filter panel's fields it leaves out (orders: a status queue has one desk and status).
    hide_filters: tuple[str, ...] | None = None
    # Who may see it and who may work its rows (default: the kind's).
    view_perm: str = ""
    work_perm: str = ""
    # A decision only managers take on these rows (rendered as a link for them only).
    decision: str = ""
    decision_perm: str = ""
    # Extra values a row's cells read (annotations, e.g. from a joined row), added to the
    # page's rows and the export's in the same statement: no query per row.
    row_annotations: Callable[[QueueContext], dict] | None = None
    # The order fields its rows load, when fewer than every order queue's (the order list).
    fields: tuple[str, ...] = ()
    # sort key -> the index that serves that sort when `index` (the default sort's) does not
    # and no composite index gives the rows in that order (issue 21); same predicate as
    # `index`, checked by tests/orders/queues/test_indexes.py.
    sort_indexes: Mapping[str, str] = field(default_factory=dict)
    # The partial index whose INCLUDE-d columns (orders.models.order_indexes.QUEUE_FILTER_COLUMNS)
    # answer the filter panel without reading the queue's rows from the table (issue 21);
    # tests/orders/queues/test_filter_indexes.py ties each filter's columns to it.
    filter_index: str = ""
    # The desk of every row (None: both desks); by default the desk's own, for its order
    # and rejection queues. tests/orders/queues/test_filter_indexes.py holds the queue to it.
    direction: str | None = None
    # The order statuses its rows can hold, which its status filter offers (None: every
    # status, or the queue shows no status filter).
    statuses: tuple[str, ...] | None = None

    def __post_init__(self):
        kind = KINDS[self.kind]
        if self.hide_filters is None:
            hide = ("direction", "status") if self.kind == ORDER else ()
            object.__setattr__(self, "hide_filters", hide)
        if self.direction is None and self.kind in (ORDER, REJECTION):
            desk_direction = {PORT_IN_DESK: IN, PORT_OUT_DESK: OUT}.get(self.desk)
            object.__setattr__(self, "direction", desk_direction)
        object.__setattr__(self, "view_perm", self.view_perm or kind.view_perm)
        object.__setattr__(self, "work_perm", self.work_perm or kind.work_perm)

    @property
    def model(self):
        return KINDS[self.kind].model

    @property
    def filterset(self) -> type:
        return KINDS[self.kind].filterset

    def filterset_for(self, data, ctx: QueueContext, *, request=None, choices=None):
        """The queue's filter panel over its rows: what the page and its CSV filter with."""
        return self.filterset(
            data,
            queryset=self.rows_queryset(ctx),
            request=request,
            hide=self.hide_filters,
            today=ctx.today,
            choices=choices,
            direction=self.direction,
            statuses=self.statuses,
        )

    @property
    def has_overdue(self) -> bool:
        # For templates: they would call `overdue` (a function) rather than test it.
        return self.overdue is not None

    @cached_property
    def url(self) -> str:
        # Reversed once per process: the navbar lists every queue on every page.
        return reverse("orders:queue", args=[self.slug])

    @cached_property
    def _joins(self) -> tuple[str, ...]:
        # What the columns read beyond the kind's shape (the SPIDs: two joins and 100
        # objects per page that the other queues do without).
        return tuple(dict.fromkeys(name for column in self.columns for name in column.joins))

    def _shape(self) -> QuerySet:
        if self.kind == ORDER:
            return _order_rows(joins=self._joins, fields=self.fields)
        return KINDS[self.kind].rows()

    # --- the queryset and its count --------------------------------------------------------

    def queryset(self, ctx: QueueContext) -> QuerySet:
        """The queue's rows, unsorted, with the joins and fields its columns read."""
        rows = self._shape()
        return rows if self.where is None else rows.filter(self.where(ctx))

    def overdue_q(self, ctx: QueueContext) -> Q | None:
        return self.overdue(ctx) if self.overdue else None

    def rows_queryset(self, ctx: QueueContext) -> QuerySet:
        """The queue's rows, annotated with `queue_overdue` for the page's highlighting."""
        return self._with_overdue(self._annotated(self.queryset(ctx), ctx), ctx)

    def ordering(self, sort: str | None) -> tuple[str, list[str]]:
        """The (validated) sort key and its ORDER BY; unknown keys fall back to the default.
        The primary key breaks ties so pages never repeat or skip a row."""
        key = sort or self.default_sort
        name = key.removeprefix("-")
        if name not in self.sorts:
            key = self.default_sort
            name = key.removeprefix("-")
        desc = key.startswith("-")
        fields = [f"-{f}" if desc else f for f in self.sorts[name]]
        fields.append("-pk" if desc else "pk")
        return key, fields

    def count(self, listed: QuerySet, cap: int) -> CappedCount:
        return capped_count(listed, cap)

    def total(self, ctx: QueueContext, *, overdue_only: bool = False) -> CappedCount:
        """What the queue's page says it holds with no filter set (`overdue_only`: its
        overdue view, `?overdue=1`). The managers' digest counts through this, so a digest
        line and the queue it links to can never disagree."""
        rows = self.queryset(ctx)
        if overdue_only and self.overdue is not None:
            rows = rows.filter(self.overdue_q(ctx))
        return self.count(rows, COUNT_CAP)

    # --- the page --------------------------------------------------------------------------

    def page_objects(
        self,
        ctx: QueueContext,
        listed: QuerySet,
        start: int,
        stop: int,
        *,
        total: CappedCount | None = None,
    ) -> list:
        """Rows start..stop of `listed` (the filtered, sorted queue) in ONE statement: the
        page's ids first (LIMIT/OFFSET over the queue's index, which a partial index answers
        without reading the table), then only those rows with their joins. Joining before
        limiting let PostgreSQL read and sort every row of a queue whose size it
        underestimates (in-status-checks: 4,000 rows read for 50 shown).

        `total`, the page's count when it was taken: nothing matches, no statement; the page
        holds the last matches, no LIMIT. A LIMIT tells PostgreSQL that walking the queue's
        index in order will meet enough matches soon; for a filter that matches a handful it
        meets them only at the end (a rejection review filtered by FOC date: 50,000 open
        rejections each joined to its order, 50 ms, where reading every match and sorting
        them takes 15)."""
        limit = stop
        if total is not None and not total.capped:
            if total.value <= start:
                return []
            if stop >= total.value:
                limit = None
        ids = listed.values("pk")[start:limit]
        rows = self._shape()
        if self.kind == REJECTION:
            rows = rows.prefetch_related(None)  # reasons: attach_rejection_reasons below
        rows = self._with_overdue(self._annotated(rows.filter(pk__in=ids), ctx), ctx)
        # Rows added since the count would follow the last match: the page stays a page.
        objects = list(rows.order_by(*listed.query.order_by))[: stop - start]
        if self.kind == REJECTION:
            attach_rejection_reasons(objects)
        return objects

    def rows(self, objects: Iterable, rc: RowContext, *, actions: RowActions | None = None):
        """The rows' cells (the page and the CSV show the same text) and, for a page, each
        row's markup."""
        return build_rows(self, objects, rc, actions=actions)

    # --- the CSV ---------------------------------------------------------------------------

    def csv_lines(self, listed: QuerySet, ctx: QueueContext) -> Iterator[str]:
        """The CSV of `listed`: the columns' labels, then each row's cell texts (made safe
        for spreadsheets) and whether it is overdue; streamed by chunks."""
        writer = csv.writer(_Echo())
        yield writer.writerow([column.csv_label for column in self.columns] + ["Overdue"])
        rc = RowContext(ctx)
        chunk = []
        # iterator(chunk_size) keeps memory flat and still runs the rejections' prefetch per
        # chunk.
        for obj in listed.iterator(chunk_size=CSV_CHUNK):
            chunk.append(obj)
            if len(chunk) >= CSV_CHUNK:
                yield from self._csv_rows(chunk, rc, writer)
                chunk = []
        if chunk:
            yield from self._csv_rows(chunk, rc, writer)

    def _csv_rows(self, objects, rc, writer):
        for row in build_rows(self, objects, rc):
            yield writer.writerow(
                [csv_safe(cell.text) for cell in row.cells] + ["yes" if row.overdue else ""]
            )

    def _annotated(self, qs: QuerySet, ctx: QueueContext) -> QuerySet:
        return qs.annotate(**self.row_annotations(ctx)) if self.row_annotations else qs

    def _with_overdue(self, qs: QuerySet, ctx: QueueContext) -> QuerySet:
        late = self.overdue_q(ctx)
        if late is None:
            return qs.annotate(queue_overdue=Value(False, output_field=BooleanField()))
        return qs.annotate(
            queue_overdue=Case(When(late, then=Value(True)), default=Value(False)),
        )


class _Echo:
    def write(self, value):
        return value


# --- rows -------------------------------------------------------------------------------------


def row_assignee_id(queue: Queue, obj) -> int | None:
    """Whose the row is: the order's (NPAC records: their order's), the request's or the
    rejection's own assignee."""
    if queue.kind == NPAC_CANCEL:
        return obj.order.assignee_id
    return obj.assignee_id


def rejection_can_return(rejection) -> bool:
    """Bulk "return to customer" applies to port-in rejections the desk is still fixing."""
    return rejection.order.direction == IN and rejection.order.status == S.EXCEPTION


@dataclass(frozen=True)
class RowActions:
    """What the last column of every row of one page offers (the same for all its rows)."""

    work: bool  # the checkbox for bulk actions and the Claim button on unassigned rows
    decide: bool  # the manager-only decision link
    claim_url: str
    overdue_title: str
    decision: str = ""


@dataclass
class Row:
    pk: int
    obj: Any
    cells: list[Cell]
    overdue: bool = False
    assignee_id: int | None = None
    can_return: bool = False
    href: str | None = None  # the row's detail page (the first linked cell)
    html: str = ""  # the whole <tr>, when build_rows was given the page's RowActions


def _row_html(row: Row, actions: RowActions) -> str:
    """One queue row's `<tr>`: checkbox, cells, overdue badge, Claim and decision buttons."""
    check = None
    if actions.work:
        check = Check("ids", row.pk, row.cells[0].text if row.cells else "")
    trail = Trail(
        overdue_title=actions.overdue_title if row.overdue else "",
        claim_value=row.pk if actions.work and not row.assignee_id else None,
        claim_url=actions.claim_url,
        decide_href=row.href if actions.decide else None,
        decide_text=actions.decision,
    )
    attrs = (
        ("class", "table-danger" if row.overdue else ""),
        ("data-testid", "queue-row"),
        ("data-row-id", row.pk),
        ("data-returnable", "true" if row.can_return else None),
    )
    return render_row(row.cells, attrs=attrs, check=check, trail=trail)


def build_rows(
    queue: Queue, objects: Iterable, rc: RowContext, *, actions: RowActions | None = None
) -> list[Row]:
    rows = []
    for obj in objects:
        cells = [column.cell(obj, rc) for column in queue.columns]
        row = Row(
            pk=obj.pk,
            obj=obj,
            cells=cells,
            overdue=bool(getattr(obj, "queue_overdue", False)),
            assignee_id=row_assignee_id(queue, obj),
            can_return=queue.kind == REJECTION and rejection_can_return(obj),
            href=next((cell.href for cell in cells if cell.href), None),
        )
        if actions is not None:
            row.html = _row_html(row, actions)
        rows.append(row)
    return rows


# --- counts -----------------------------------------------------------------------------------


@dataclass
class CappedCount:
    """A count that stops at `cap` (a LIMIT-ed subquery), so a page never counts the table."""

    value: int
    cap: int
    capped: bool = field(init=False)

    def __post_init__(self):
        self.capped = self.value > self.cap
        if self.capped:
            self.value = self.cap


def capped_count(queryset: QuerySet, cap: int) -> CappedCount:
    # SELECT COUNT(*) FROM (SELECT ... LIMIT cap + 1): bounded whatever the table size.
    n = queryset.order_by().values("pk")[: cap + 1].count()
    return CappedCount(value=n, cap=cap)
