"""The machinery every work queue shares: the kinds of row, the desks, `QueueContext`,
the row shapes a page reads by primary key, the `Queue` definition, the page's rows and
the capped count."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from orders.models import (
    CsrRequest,
    Direction,
    NpacCancelRecord,
    PortOrder,
    Rejection,
    RejectionReason,
    Status,
)
from orders.models.order import OPEN_STATUS_VALUES
from orders.queue_columns import Cell, Column, RowActions, RowContext, c_spid, row_html

S = Status
IN = Direction.PORT_IN
OUT = Direction.PORT_OUT

ORDER = "order"
CSR_REQUEST = "csr_request"
REJECTION = "rejection"
NPAC_CANCEL = "npac_cancel"
KIND_MODELS = {
    ORDER: PortOrder,
    CSR_REQUEST: CsrRequest,
    REJECTION: Rejection,
    NPAC_CANCEL: NpacCancelRecord,
}

PORT_IN_DESK = "Port-in"
PORT_OUT_DESK = "Port-out"
EVERYONE = "Everyone"
MANAGERS = "Managers"
DESKS = (PORT_IN_DESK, PORT_OUT_DESK, EVERYONE, MANAGERS)


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


# --- row querysets ----------------------------------------------------------------------------

# What an order row shows; nothing else is loaded (no remarks, no PIN, no account number).
_ORDER_ROW_FIELDS = (
    "id",
    "direction",
    "status",
    "pon",
    "version",
    "requested_due_date",
    "foc_date",
    "completed_at",
    "tn_count",
    "is_project_port",
    "account_name",
    "btn",
    "csr_status",
    "received_at",
    "next_status_check_on",
    "auto_cancel_on",
    "port_window_ends_on",
    "due_date_sup_count",
    "sup_flag",
    "expedite",
    "expedite_decision",
    "last_activity_at",
    "created_at",
    "losing_carrier__id",
    "losing_carrier__name",
    "new_carrier__id",
    "new_carrier__name",
    "assignee__id",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)
_ORDER_RELATED = ("losing_carrier", "new_carrier", "assignee")
_SPID_FIELDS = ("losing_spid__id", "losing_spid__code", "new_spid__id", "new_spid__code")


def _order_rows(*, spids: bool = False) -> QuerySet:
    """Order rows with the carriers and the assignee joined; the SPIDs only for a queue that
    shows them (two joins and 100 objects fewer per page for the others)."""
    fields, related = _ORDER_ROW_FIELDS, _ORDER_RELATED
    if spids:
        fields, related = (*fields, *_SPID_FIELDS), (*related, "losing_spid", "new_spid")
    return PortOrder.objects.select_related(*related).only(*fields).order_by()


def _prefixed(prefix: str, names: Iterable[str]) -> list[str]:
    return [f"{prefix}{name}" for name in names]


def _csr_request_rows() -> QuerySet:
    return (
        CsrRequest.objects.select_related("requesting_carrier", "assignee")
        .only(
            "id",
            "tns",
            "status",
            "received_at",
            "due_at",
            "is_overdue",
            "authorization_indicator",
            "requesting_carrier__id",
            "requesting_carrier__name",
            "assignee__id",
            "assignee__username",
            "assignee__first_name",
            "assignee__last_name",
        )
        .order_by()
    )


def _npac_cancel_rows() -> QuerySet:
    order_fields = (
        "id",
        "pon",
        "version",
        "direction",
        "status",
        "foc_date",
        "port_window_ends_on",
        "new_carrier__id",
        "new_carrier__name",
        "assignee__id",
        "assignee__username",
        "assignee__first_name",
        "assignee__last_name",
    )
    return (
        NpacCancelRecord.objects.select_related("order__new_carrier", "order__assignee")
        .only("id", "tn", "reason", "created_at", "sent_at", *_prefixed("order__", order_fields))
        .order_by()
    )


def _rejection_rows() -> QuerySet:
    order_fields = (
        "id",
        "pon",
        "version",
        "direction",
        "status",
        "account_name",
        "requested_due_date",
        "foc_date",
        "auto_cancel_on",
        "notification_email",
        "losing_carrier__id",
        "losing_carrier__name",
        "new_carrier__id",
        "new_carrier__name",
    )
    # Whose the row is, is the rejection's own assignee (row_assignee_id): the order's is
    # not joined.
    return (
        Rejection.objects.select_related("order__losing_carrier", "order__new_carrier", "assignee")
        # The reason codes and titles only: the catalogue's instructions are long texts.
        .prefetch_related(
            Prefetch("reasons", queryset=RejectionReason.objects.only("id", "code", "title"))
        )
        .only(
            "id",
            "source",
            "text",
            "raised_at",
            "returned_to_customer_at",
            "resolved_at",
            "assignee__id",
            "assignee__username",
            "assignee__first_name",
            "assignee__last_name",
            *_prefixed("order__", order_fields),
        )
        .order_by()
    )


def attach_rejection_reasons(rejections: list) -> None:
    """Each rejection's reasons as (code, title) pairs in `queue_reasons`, by code: one query
    of plain values for a page instead of a prefetch of model instances (which was a third
    of the rejections page's time)."""
    by_id: dict[int, list] = {r.pk: [] for r in rejections}
    if not by_id:
        return
    pairs = (
        Rejection.reasons.through.objects.filter(rejection_id__in=list(by_id))
        .order_by("rejectionreason__code")
        .values_list("rejection_id", "rejectionreason__code", "rejectionreason__title")
    )
    for rejection_id, code, title in pairs:
        by_id[rejection_id].append((code, title))
    for rejection in rejections:
        rejection.queue_reasons = by_id[rejection.pk]


# The row shape (joins, loaded fields) of each kind of queue row, without any filter: a page
# reads its rows by primary key (Queue.page_objects).
ROW_SHAPES = {
    ORDER: _order_rows,
    CSR_REQUEST: _csr_request_rows,
    REJECTION: _rejection_rows,
    NPAC_CANCEL: _npac_cancel_rows,
}


# --- overdue predicates -----------------------------------------------------------------------


def _warning_day(ctx: QueueContext) -> datetime.date:
    return ctx.days(settings.PORTING.get("AUTO_CANCEL_WARNING_DAYS", 7))


def _stale(ctx: QueueContext) -> Q:
    return Q(last_activity_at__lt=ctx.now - datetime.timedelta(days=1))


# Sort keys are whitelisted per queue: key -> ORDER BY fields (ascending; "-key" reverses).
# Each is served by an index on the queue's filter (see the queryset functions).
ORDER_SORTS = {
    "activity": ("last_activity_at",),  # (direction, status, -last_activity_at)
    "due": ("requested_due_date",),  # order_queue_due
    "created": ("created_at",),  # order_queue_created
    "foc": ("foc_date",),  # (status, foc_date)
}


@dataclass(frozen=True)
class Queue:
    slug: str
    title: str
    desk: str
    description: str
    kind: str
    queryset: Callable[[QueueContext], QuerySet]
    where: Callable[[QueueContext], Q]
    overdue: Callable[[QueueContext], Q] | None
    overdue_label: str
    default_sort: str
    sorts: Mapping[str, tuple[str, ...]]
    columns: tuple[Column, ...]
    filterset: type
    hide_filters: tuple[str, ...] = ()
    # Who may see it and who may work its rows.
    view_perm: str = "orders.view_portorder"
    work_perm: str = "orders.change_portorder"
    # A decision only managers take on these rows (rendered as a link for them only).
    decision: str = ""
    decision_perm: str = ""
    # Extra values a row's cells read (annotations, e.g. from a joined row), added to the
    # page's rows and the export's in the same statement: no query per row.
    row_annotations: Callable[[QueueContext], dict] | None = None

    @property
    def has_overdue(self) -> bool:
        # For templates: they would call `overdue` (a function) rather than test it.
        return self.overdue is not None

    @cached_property
    def url(self) -> str:
        # Reversed once per process: the navbar lists every queue on every page.
        return reverse("orders:queue", args=[self.slug])

    @property
    def model(self):
        return KIND_MODELS[self.kind]

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

    def overdue_q(self, ctx: QueueContext) -> Q | None:
        return self.overdue(ctx) if self.overdue else None

    def rows_queryset(self, ctx: QueueContext) -> QuerySet:
        """The queue's rows, annotated with `queue_overdue` for the page's highlighting."""
        return self._with_overdue(self._annotated(self.queryset(ctx), ctx), ctx)

    def page_objects(self, ctx: QueueContext, listed: QuerySet, start: int, stop: int) -> list:
        """Rows start..stop of `listed` (the filtered, sorted queue) in ONE statement: the
        page's ids first (LIMIT/OFFSET over the queue's index, which a partial index answers
        without reading the table), then only those rows with their joins. Joining before
        limiting let PostgreSQL read and sort every row of a queue whose size it
        underestimates (in-status-checks: 4,000 rows read for 50 shown)."""
        ids = listed.values("pk")[start:stop]
        if self.kind == ORDER:
            rows = _order_rows(spids=any(c.cell is c_spid for c in self.columns))
        else:
            rows = ROW_SHAPES[self.kind]()
        if self.kind == REJECTION:
            rows = rows.prefetch_related(None)  # reasons: attach_rejection_reasons below
        rows = self._with_overdue(self._annotated(rows.filter(pk__in=ids), ctx), ctx)
        objects = list(rows.order_by(*listed.query.order_by))
        if self.kind == REJECTION:
            attach_rejection_reasons(objects)
        return objects

    def _annotated(self, qs: QuerySet, ctx: QueueContext) -> QuerySet:
        return qs.annotate(**self.row_annotations(ctx)) if self.row_annotations else qs

    def _with_overdue(self, qs: QuerySet, ctx: QueueContext) -> QuerySet:
        late = self.overdue_q(ctx)
        if late is None:
            return qs.annotate(queue_overdue=Value(False, output_field=BooleanField()))
        return qs.annotate(
            queue_overdue=Case(When(late, then=Value(True)), default=Value(False)),
        )


def row_assignee_id(queue: Queue, obj) -> int | None:
    """Whose the row is: the order's (NPAC records: their order's), the request's or the
    rejection's own assignee."""
    if queue.kind == NPAC_CANCEL:
        return obj.order.assignee_id
    return obj.assignee_id


def rejection_can_return(rejection) -> bool:
    """Bulk "return to customer" applies to port-in rejections the desk is still fixing."""
    return rejection.order.direction == IN and rejection.order.status == S.EXCEPTION


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


def build_rows(
    queue: Queue, objects: Iterable, rc: RowContext, *, actions: RowActions | None = None
) -> list[Row]:
    """The rows' cells (the page and the CSV show the same text) and, for a page, each row's
    markup: rendered here in one pass, not by per-cell template logic."""
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
            row.html = row_html(row, actions)
        rows.append(row)
    return rows


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
