"""The work queues (selectors): one queryset function per queue and the registry that the
queue pages and the dashboard share.

Each queue is a `Queue` definition: slug, title, desk, description, its queryset function
(with the select_related/only it needs and the index it relies on), the same rows as a `Q`
(so the dashboard counts every queue of a kind in ONE conditional-aggregation query), an
overdue predicate, whitelisted sort keys and the columns a row shows.

Every queryset function names the index that serves its filter and sort; the indexes are
declared on the models (orders/models/order.py `PortOrder.Meta.indexes`, and the partial
indexes on CsrRequest, Rejection and NpacCancelRecord).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from orders import filters as qf
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
from orders.queue_columns import (
    ACCOUNT_COL,
    ACTIVITY_COL,
    ASSIGNEE_COL,
    CARRIER_COL,
    DIRECTION_COL,
    DUE_COL,
    FOC_COL,
    ORDER_COL,
    SPID_COL,
    STATUS_COL,
    TNS_COL,
    Cell,
    Column,
    RowActions,
    RowContext,
    c_bdays_left,
    c_carrier,
    c_completed,
    c_csr,
    c_csr_assignee,
    c_csr_carrier,
    c_csr_due,
    c_csr_received,
    c_csr_request,
    c_csr_time_left,
    c_csr_tns,
    c_days_left,
    c_next_check,
    c_npac_assignee,
    c_npac_carrier,
    c_npac_created,
    c_npac_order,
    c_npac_reason,
    c_npac_tn,
    c_npac_window,
    c_received,
    c_rej_age,
    c_rej_assignee,
    c_rej_carrier,
    c_rej_days_left,
    c_rej_direction,
    c_rej_order,
    c_rej_reasons,
    c_rej_returned,
    c_rej_source,
    c_rej_status,
    c_spid,
    c_sups,
    col,
    row_html,
)

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


# --- port-in queues ---------------------------------------------------------------------------


def portin_drafts_q(ctx: QueueContext) -> Q:
    return Q(direction=IN, status=S.DRAFT)


def portin_drafts(ctx: QueueContext) -> QuerySet:
    # Index: (direction, status, requested_due_date) "order_queue_due"; the other sorts use
    # (direction, status, -last_activity_at) and (direction, status, created_at).
    return _order_rows().filter(portin_drafts_q(ctx))


def portin_csr_q(ctx: QueueContext) -> Q:
    return Q(
        direction=IN,
        status__in=[S.DRAFT, S.EXCEPTION, S.REVIEW],
        csr_status__in=[PortOrder.CsrStatus.PENDING, PortOrder.CsrStatus.MISMATCHED],
    )


def portin_csr(ctx: QueueContext) -> QuerySet:
    # Index: (direction, status, -last_activity_at) for the editable statuses; csr_status
    # is a residual filter over that small set.
    return _order_rows().filter(portin_csr_q(ctx))


def portin_submitted_q(ctx: QueueContext) -> Q:
    return Q(direction=IN, status=S.SUBMITTED)


def portin_submitted(ctx: QueueContext) -> QuerySet:
    # Index: (direction, status, requested_due_date) "order_queue_due".
    return _order_rows().filter(portin_submitted_q(ctx))


def portin_status_checks_q(ctx: QueueContext) -> Q:
    return Q(direction=IN, status=S.SUBMITTED, next_status_check_on__lte=ctx.today)


def portin_status_checks(ctx: QueueContext) -> QuerySet:
    # Index: partial "order_status_check_due" (next_status_check_on WHERE status=submitted).
    return _order_rows().filter(portin_status_checks_q(ctx))


def portin_exceptions_q(ctx: QueueContext) -> Q:
    return Q(direction=IN, status=S.EXCEPTION)


def portin_exceptions(ctx: QueueContext) -> QuerySet:
    # Index: (direction, status, -last_activity_at).
    return _order_rows().filter(portin_exceptions_q(ctx))


def portin_rejected_q(ctx: QueueContext) -> Q:
    return Q(direction=IN, status=S.REJECTED)


def portin_rejected(ctx: QueueContext) -> QuerySet:
    # Index: partial "order_auto_cancel_due" (auto_cancel_on WHERE status=rejected, in).
    return _order_rows().filter(portin_rejected_q(ctx))


def portin_review_q(ctx: QueueContext) -> Q:
    return Q(direction=IN, status=S.REVIEW)


def portin_review(ctx: QueueContext) -> QuerySet:
    # Index: (direction, status, -last_activity_at).
    return _order_rows().filter(portin_review_q(ctx))


def portin_foc_week_q(ctx: QueueContext) -> Q:
    # FOC today, tomorrow and the rest of the coming week, plus FOCs already passed without
    # completion (those are the overdue ones).
    return Q(direction=IN, status=S.ACCEPTED, foc_date__lte=ctx.days(6))


def portin_foc_week(ctx: QueueContext) -> QuerySet:
    # Index: (status, foc_date).
    return _order_rows().filter(portin_foc_week_q(ctx))


def portin_completed_q(ctx: QueueContext) -> Q:
    return Q(
        direction=IN, status=S.COMPLETED, completed_at__gte=ctx.now - datetime.timedelta(days=7)
    )


def portin_completed(ctx: QueueContext) -> QuerySet:
    # Index: partial "order_completed_recent" (completed_at WHERE status=completed).
    return _order_rows().filter(portin_completed_q(ctx))


# --- port-out queues --------------------------------------------------------------------------


def portout_csr_requests_q(ctx: QueueContext) -> Q:
    return Q(status=CsrRequest.Status.OPEN)


def portout_csr_requests(ctx: QueueContext) -> QuerySet:
    # Index: partial "csr_request_open_due" (due_at WHERE status=open).
    return _csr_request_rows().filter(portout_csr_requests_q(ctx))


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


def portout_lsrs_q(ctx: QueueContext) -> Q:
    return Q(direction=OUT, status=S.RECEIVED)


def portout_lsrs(ctx: QueueContext) -> QuerySet:
    # Index: partial "order_lsr_to_decide" (received_at WHERE status=received); the due-date
    # sort uses (direction, status, requested_due_date) "order_queue_due".
    return _order_rows(spids=True).filter(portout_lsrs_q(ctx))


def portout_expedites_q(ctx: QueueContext) -> Q:
    return Q(direction=OUT, status=S.EXPEDITE_REVIEW)


def portout_expedites(ctx: QueueContext) -> QuerySet:
    # Index: (direction, status, requested_due_date) "order_queue_due".
    return _order_rows().filter(portout_expedites_q(ctx))


def portout_sup_flags_q(ctx: QueueContext) -> Q:
    return Q(direction=OUT, sup_flag=PortOrder.Decision.PENDING) & open_orders_q()


def portout_sup_flags(ctx: QueueContext) -> QuerySet:
    # Index: partial "order_sup_flag_pending" (last_activity_at WHERE sup_flag=pending).
    return _order_rows().filter(portout_sup_flags_q(ctx))


def portout_foc_sent_q(ctx: QueueContext) -> Q:
    return Q(direction=OUT, status=S.FOC_SENT)


def portout_foc_sent(ctx: QueueContext) -> QuerySet:
    # Index: partial "order_port_window_due" (port_window_ends_on WHERE status=foc_sent).
    return _order_rows().filter(portout_foc_sent_q(ctx))


def portout_npac_cancels_q(ctx: QueueContext) -> Q:
    return Q(sent_at__isnull=True)


def portout_npac_cancels(ctx: QueueContext) -> QuerySet:
    # Index: partial "npac_cancel_unsent" (created_at WHERE sent_at IS NULL).
    return _npac_cancel_rows().filter(portout_npac_cancels_q(ctx))


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


# --- everyone's queues ------------------------------------------------------------------------


def attention_q(ctx: QueueContext) -> Q:
    """An open order that needs someone today, whatever its desk."""
    return (
        Q(status=S.SUBMITTED, next_status_check_on__lt=ctx.today)
        | Q(direction=IN, status=S.REJECTED, auto_cancel_on__lte=_warning_day(ctx))
        | Q(status__in=[S.ACCEPTED, S.FOC_SENT], foc_date__lt=ctx.today)
        | Q(
            status__in=[S.DRAFT, S.SUBMITTED, S.RECEIVED, S.EXPEDITE_REVIEW],
            requested_due_date__lt=ctx.today,
        )
    )


def mine_q(ctx: QueueContext) -> Q:
    user = ctx.user
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__isnull=True)  # nobody: matches no row (and compiles inside COUNT FILTER)
    return Q(assignee_id=user.pk) & open_orders_q()


def mine(ctx: QueueContext) -> QuerySet:
    # Index: (assignee, status): one person's open orders, sorted in memory (a small set).
    return _order_rows().filter(mine_q(ctx))


def unassigned_q(ctx: QueueContext) -> Q:
    return Q(assignee__isnull=True) & open_orders_q()


def unassigned(ctx: QueueContext) -> QuerySet:
    # Index: (assignee, status) with assignee IS NULL (B-trees index NULLs); the activity
    # sort then runs over the unassigned open set.
    return _order_rows().filter(unassigned_q(ctx))


def rejections_open_q(ctx: QueueContext) -> Q:
    return Q(resolved_at__isnull=True)


def rejections_open(ctx: QueueContext) -> QuerySet:
    # Index: partial "rejection_open_by_age" (raised_at WHERE resolved_at IS NULL).
    return _rejection_rows().filter(rejections_open_q(ctx))


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
        return self._with_overdue(self.queryset(ctx), ctx)

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
        rows = self._with_overdue(rows.filter(pk__in=ids), ctx)
        objects = list(rows.order_by(*listed.query.order_by))
        if self.kind == REJECTION:
            attach_rejection_reasons(objects)
        return objects

    def _with_overdue(self, qs: QuerySet, ctx: QueueContext) -> QuerySet:
        late = self.overdue_q(ctx)
        if late is None:
            return qs.annotate(queue_overdue=Value(False, output_field=BooleanField()))
        return qs.annotate(
            queue_overdue=Case(When(late, then=Value(True)), default=Value(False)),
        )


_IN_HIDE = ("direction", "status")
# Mine and Unassigned show the same columns: what to act on next, on either desk.
OPEN_ORDER_COLUMNS = (
    ORDER_COL,
    DIRECTION_COL,
    STATUS_COL,
    CARRIER_COL,
    ACCOUNT_COL,
    DUE_COL,
    FOC_COL,
    ACTIVITY_COL,
)
_OUT_HIDE = ("direction", "status")


QUEUES: tuple[Queue, ...] = (
    # Port-in ------------------------------------------------------------------------------
    Queue(
        slug="in-drafts",
        title="Drafts",
        desk=PORT_IN_DESK,
        description="Port-in orders not yet sent to the losing carrier.",
        kind=ORDER,
        queryset=portin_drafts,
        where=portin_drafts_q,
        overdue=lambda ctx: Q(requested_due_date__lte=ctx.today),
        overdue_label="due date today or past",
        default_sort="due",
        sorts=ORDER_SORTS,
        columns=(
            ORDER_COL,
            CARRIER_COL,
            ACCOUNT_COL,
            TNS_COL,
            col("csr", "CSR", c_csr),
            DUE_COL,
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
        filterset=qf.OrderFilter,
        hide_filters=_IN_HIDE,
    ),
    Queue(
        slug="in-csr",
        title="CSR pending or mismatched",
        desk=PORT_IN_DESK,
        description="The losing carrier's CSR is awaited, or differs from the order (F1).",
        kind=ORDER,
        queryset=portin_csr,
        where=portin_csr_q,
        overdue=_stale,
        overdue_label="untouched for a day",
        default_sort="activity",
        sorts=ORDER_SORTS,
        columns=(
            ORDER_COL,
            STATUS_COL,
            CARRIER_COL,
            ACCOUNT_COL,
            col("csr", "CSR", c_csr),
            DUE_COL,
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
        filterset=qf.OrderFilter,
        hide_filters=("direction",),
    ),
    Queue(
        slug="in-submitted",
        title="Submitted, awaiting FOC",
        desk=PORT_IN_DESK,
        description="LSR sent; waiting for the losing carrier's FOC or reject (F2).",
        kind=ORDER,
        queryset=portin_submitted,
        where=portin_submitted_q,
        overdue=lambda ctx: Q(requested_due_date__lt=ctx.today),
        overdue_label="past the requested due date",
        default_sort="due",
        sorts={
            **ORDER_SORTS,
            "check": ("next_status_check_on",),  # order_status_check_due
        },
        columns=(
            ORDER_COL,
            CARRIER_COL,
            ACCOUNT_COL,
            TNS_COL,
            DUE_COL,
            col("next_check", "Next check", c_next_check, sort="check"),
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
        filterset=qf.OrderFilter,
        hide_filters=_IN_HIDE,
    ),
    Queue(
        slug="in-status-checks",
        title="Status checks due",
        desk=PORT_IN_DESK,
        description="Submitted orders whose status check is due today or overdue (F5).",
        kind=ORDER,
        queryset=portin_status_checks,
        where=portin_status_checks_q,
        overdue=lambda ctx: Q(next_status_check_on__lt=ctx.today),
        overdue_label="check overdue",
        default_sort="check",
        sorts={"check": ("next_status_check_on",), "due": ("requested_due_date",)},
        columns=(
            ORDER_COL,
            CARRIER_COL,
            ACCOUNT_COL,
            TNS_COL,
            col("next_check", "Check due", c_next_check, sort="check"),
            DUE_COL,
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
        filterset=qf.OrderFilter,
        hide_filters=_IN_HIDE,
    ),
    Queue(
        slug="in-exceptions",
        title="Exceptions being fixed",
        desk=PORT_IN_DESK,
        description="Rejected by the losing carrier; the desk tries to fix it first (F2).",
        kind=ORDER,
        queryset=portin_exceptions,
        where=portin_exceptions_q,
        overdue=_stale,
        overdue_label="untouched for a day",
        default_sort="activity",
        sorts=ORDER_SORTS,
        columns=(
            ORDER_COL,
            CARRIER_COL,
            ACCOUNT_COL,
            TNS_COL,
            DUE_COL,
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
        filterset=qf.OrderFilter,
        hide_filters=_IN_HIDE,
    ),
    Queue(
        slug="in-rejected",
        title="Rejected, awaiting the customer",
        desk=PORT_IN_DESK,
        description="Returned to the customer; cancelled automatically 45 days after the "
        "notification without activity (F4).",
        kind=ORDER,
        queryset=portin_rejected,
        where=portin_rejected_q,
        overdue=lambda ctx: Q(auto_cancel_on__lte=_warning_day(ctx)),
        overdue_label="a week or less before auto-cancel",
        default_sort="days_left",
        sorts={"days_left": ("auto_cancel_on",)},  # order_auto_cancel_due
        columns=(
            ORDER_COL,
            CARRIER_COL,
            ACCOUNT_COL,
            col("days_left", "Days left", c_days_left, sort="days_left", numeric=True),
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
        filterset=qf.OrderFilter,
        hide_filters=_IN_HIDE,
    ),
    Queue(
        slug="in-review",
        title="In review",
        desk=PORT_IN_DESK,
        description="The customer resubmitted; the desk checks the changes and resends (F3).",
        kind=ORDER,
        queryset=portin_review,
        where=portin_review_q,
        overdue=_stale,
        overdue_label="untouched for a day",
        default_sort="activity",
        sorts=ORDER_SORTS,
        columns=(
            ORDER_COL,
            CARRIER_COL,
            ACCOUNT_COL,
            TNS_COL,
            DUE_COL,
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
        filterset=qf.OrderFilter,
        hide_filters=_IN_HIDE,
    ),
    Queue(
        slug="in-foc-week",
        title="FOC today, tomorrow, this week",
        desk=PORT_IN_DESK,
        description="Accepted orders porting within 7 days, and FOCs passed without completion.",
        kind=ORDER,
        queryset=portin_foc_week,
        where=portin_foc_week_q,
        overdue=lambda ctx: Q(foc_date__lt=ctx.today),
        overdue_label="FOC passed, not completed",
        default_sort="foc",
        sorts={"foc": ("foc_date",)},  # (status, foc_date)
        columns=(
            ORDER_COL,
            CARRIER_COL,
            ACCOUNT_COL,
            TNS_COL,
            FOC_COL,
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
        filterset=qf.OrderFilter,
        hide_filters=_IN_HIDE,
    ),
    Queue(
        slug="in-completed",
        title="Completed in the last 7 days",
        desk=PORT_IN_DESK,
        description="Port-in orders completed during the past week.",
        kind=ORDER,
        queryset=portin_completed,
        where=portin_completed_q,
        overdue=None,
        overdue_label="",
        default_sort="-completed",
        sorts={"completed": ("completed_at",)},  # order_completed_recent
        columns=(
            ORDER_COL,
            CARRIER_COL,
            ACCOUNT_COL,
            TNS_COL,
            FOC_COL,
            col("completed", "Completed", c_completed, sort="completed"),
            ASSIGNEE_COL,
        ),
        filterset=qf.OrderFilter,
        hide_filters=_IN_HIDE,
    ),
    # Port-out -----------------------------------------------------------------------------
    Queue(
        slug="out-csr-requests",
        title="CSR requests",
        desk=PORT_OUT_DESK,
        description="Other carriers' CSR requests, by time left on the 24-hour clock (R1).",
        kind=CSR_REQUEST,
        queryset=portout_csr_requests,
        where=portout_csr_requests_q,
        overdue=lambda ctx: Q(due_at__lt=ctx.now),
        overdue_label="past the answer clock",
        default_sort="due",
        sorts={"due": ("due_at",)},  # csr_request_open_due
        columns=(
            col("request", "Request", c_csr_request),
            col("carrier", "Requesting carrier", c_csr_carrier),
            col("tns", "TNs", c_csr_tns),
            col("received", "Received", c_csr_received),
            col("due", "Answer due", c_csr_due, sort="due"),
            col("left", "Time left", c_csr_time_left, sort="due", numeric=True),
            col("assignee", "Assignee", c_csr_assignee),
        ),
        filterset=qf.CsrRequestFilter,
        view_perm="orders.view_csrrequest",
        work_perm="orders.change_csrrequest",
    ),
    Queue(
        slug="out-lsrs",
        title="LSRs to decide",
        desk=PORT_OUT_DESK,
        description="LSRs received: FOC or reject them against the rules (R2-R17).",
        kind=ORDER,
        queryset=portout_lsrs,
        where=portout_lsrs_q,
        overdue=lambda ctx: Q(received_at__lt=ctx.now - datetime.timedelta(days=1)),
        overdue_label="received over 24 hours ago",
        default_sort="received",
        sorts={
            "received": ("received_at",),  # order_lsr_to_decide
            "due": ("requested_due_date",),  # order_queue_due
        },
        columns=(
            ORDER_COL,
            col("carrier", "Requesting carrier", c_carrier),
            SPID_COL,
            TNS_COL,
            col("received", "Received", c_received, sort="received"),
            DUE_COL,
            ASSIGNEE_COL,
        ),
        filterset=qf.OrderFilter,
        hide_filters=_OUT_HIDE,
    ),
    Queue(
        slug="out-expedites",
        title="Expedites awaiting a manager",
        desk=PORT_OUT_DESK,
        description="LSRs with the expedite field set: a manager accepts or refuses (R8).",
        kind=ORDER,
        queryset=portout_expedites,
        where=portout_expedites_q,
        overdue=lambda ctx: Q(requested_due_date__lte=ctx.today),
        overdue_label="requested date today or past",
        default_sort="due",
        sorts={"due": ("requested_due_date",), "activity": ("last_activity_at",)},
        columns=(
            ORDER_COL,
            col("carrier", "Requesting carrier", c_carrier),
            TNS_COL,
            col("received", "Received", c_received),
            DUE_COL,
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
        filterset=qf.OrderFilter,
        hide_filters=_OUT_HIDE,
        decision="Decide the expedite",
        decision_perm="orders.decide_expedite",
    ),
    Queue(
        slug="out-sup-flags",
        title="SUP-threshold flags",
        desk=PORT_OUT_DESK,
        description="Orders with too many due-date SUPs: a manager contacts the carrier or "
        "rejects (R12).",
        kind=ORDER,
        queryset=portout_sup_flags,
        where=portout_sup_flags_q,
        overdue=_stale,
        overdue_label="waiting over a day",
        default_sort="activity",
        sorts={"activity": ("last_activity_at",)},  # order_sup_flag_pending
        columns=(
            ORDER_COL,
            STATUS_COL,
            col("carrier", "Requesting carrier", c_carrier),
            col("sups", "Due-date SUPs", c_sups, numeric=True),
            FOC_COL,
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
        filterset=qf.OrderFilter,
        hide_filters=("direction",),
        decision="Decide the flag",
        decision_perm="orders.decide_sup_flag",
    ),
    Queue(
        slug="out-foc-sent",
        title="FOC'd, awaiting port",
        desk=PORT_OUT_DESK,
        description="FOC sent; the new carrier must port within the window or the order is "
        "cancelled (R11).",
        kind=ORDER,
        queryset=portout_foc_sent,
        where=portout_foc_sent_q,
        overdue=lambda ctx: Q(port_window_ends_on__lte=ctx.today),
        overdue_label="last day of the port window or past",
        default_sort="window",
        sorts={
            "window": ("port_window_ends_on",),  # order_port_window_due
            "foc": ("foc_date",),  # (status, foc_date)
        },
        columns=(
            ORDER_COL,
            col("carrier", "Requesting carrier", c_carrier),
            TNS_COL,
            FOC_COL,
            col("bdays_left", "Business days left", c_bdays_left, sort="window", numeric=True),
            ACTIVITY_COL,
            ASSIGNEE_COL,
        ),
        filterset=qf.OrderFilter,
        hide_filters=_OUT_HIDE,
    ),
    Queue(
        slug="out-npac-cancels",
        title="NPAC cancel records to send",
        desk=PORT_OUT_DESK,
        description="Subscription cancels made by the R11 job, not yet sent to NPAC.",
        kind=NPAC_CANCEL,
        queryset=portout_npac_cancels,
        where=portout_npac_cancels_q,
        overdue=lambda ctx: Q(created_at__lt=ctx.now - datetime.timedelta(days=1)),
        overdue_label="waiting over a day",
        default_sort="created",
        sorts={"created": ("created_at",)},  # npac_cancel_unsent
        columns=(
            col("tn", "TN", c_npac_tn),
            col("order", "Order", c_npac_order),
            col("carrier", "Requesting carrier", c_npac_carrier),
            col("window", "Window ended", c_npac_window),
            col("reason", "Reason", c_npac_reason),
            col("created", "Created", c_npac_created, sort="created"),
            col("assignee", "Order assignee", c_npac_assignee),
        ),
        filterset=qf.NpacCancelFilter,
        view_perm="orders.view_npaccancelrecord",
    ),
    # Everyone -----------------------------------------------------------------------------
    Queue(
        slug="mine",
        title="Mine",
        desk=EVERYONE,
        description="Open orders assigned to you, both desks.",
        kind=ORDER,
        queryset=mine,
        where=mine_q,
        overdue=attention_q,
        overdue_label="need attention today",
        default_sort="due",
        sorts=ORDER_SORTS,
        columns=OPEN_ORDER_COLUMNS,
        filterset=qf.OrderFilter,
        hide_filters=("assignee",),
    ),
    Queue(
        slug="unassigned",
        title="Unassigned",
        desk=EVERYONE,
        description="Open orders nobody holds, both desks.",
        kind=ORDER,
        queryset=unassigned,
        where=unassigned_q,
        overdue=attention_q,
        overdue_label="need attention today",
        default_sort="activity",
        sorts=ORDER_SORTS,
        columns=OPEN_ORDER_COLUMNS,
        filterset=qf.OrderFilter,
        hide_filters=("assignee",),
    ),
    # Managers -----------------------------------------------------------------------------
    Queue(
        slug="rejections",
        title="Rejection review",
        desk=MANAGERS,
        description="Every open rejection on both desks, by age: reassign, or return port-in "
        "exceptions to the customer.",
        kind=REJECTION,
        queryset=rejections_open,
        where=rejections_open_q,
        overdue=lambda ctx: Q(raised_at__lt=ctx.midnight(ctx.days(-30))),
        overdue_label="over 30 days old",
        default_sort="raised",
        sorts={"raised": ("raised_at",)},  # rejection_open_by_age
        columns=(
            col("order", "Order", c_rej_order),
            col("direction", "Desk", c_rej_direction),
            col("status", "Order status", c_rej_status),
            col("carrier", "Carrier", c_rej_carrier),
            col("reasons", "Reasons", c_rej_reasons),
            col("age", "Age", c_rej_age, sort="raised", numeric=True),
            col("source", "Source", c_rej_source),
            col("returned", "Returned", c_rej_returned),
            col("days_left", "Days left", c_rej_days_left, numeric=True),
            col("assignee", "Assignee", c_rej_assignee),
        ),
        filterset=qf.RejectionFilter,
    ),
)

QUEUES_BY_SLUG: dict[str, Queue] = {q.slug: q for q in QUEUES}


def get_queue(slug: str) -> Queue | None:
    return QUEUES_BY_SLUG.get(slug)


def queues_by_desk() -> list[tuple[str, list[Queue]]]:
    return [(desk, [q for q in QUEUES if q.desk == desk]) for desk in DESKS]


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


# --- dashboard counts and figures -------------------------------------------------------------


@dataclass(frozen=True)
class QueueCount:
    queue: Queue
    count: int
    overdue: int


def visible_queues(user) -> list[Queue]:
    return [queue for queue in QUEUES if user.has_perm(queue.view_perm)]


# Queues whose rows depend on who is asking; every other count is the same for everyone.
PER_USER_QUEUES = frozenset({"mine"})


# The "open orders by status" chart's bars: (direction, status) of every open order.
OPEN_BY_STATUS = tuple(
    (d, s) for d in (IN, OUT) for s in OPEN_STATUS_VALUES if not (d == OUT and s == S.REJECTED)
)


def _order_counts(
    queues: list[Queue], ctx: QueueContext, *, statuses: bool = False
) -> tuple[dict[str, tuple[int, int]], list]:
    """(count, overdue) of every order queue in ONE query: COUNT(*) FILTER (WHERE ...) per
    queue and per overdue predicate, over an index-backed superset of every queue; with
    `statuses`, the open orders by desk and status from the same pass (the chart), rather
    than a second scan of every open order. Returns the counts and the chart's bars."""
    if not queues and not statuses:
        return {}, []
    if queues and not statuses and all(q.slug in PER_USER_QUEUES for q in queues):
        # One person's orders: their own condition reads the (assignee, status) index
        # instead of scanning every open order.
        base = PortOrder.objects.filter(reduce(or_, (q.where(ctx) for q in queues)))
    else:
        # The open orders (status IN ..., served by the status-led indexes) and the recently
        # completed ones (partial index order_completed_recent): every order queue is a
        # subset of these.
        base = PortOrder.objects.filter(
            Q(status__in=OPEN_STATUS_VALUES)
            | Q(status=S.COMPLETED, completed_at__gte=ctx.now - datetime.timedelta(days=7))
        )
    aggregates = {}
    for i, queue in enumerate(queues):
        where = queue.where(ctx)
        aggregates[f"n{i}"] = Count("pk", filter=where)
        late = queue.overdue_q(ctx)
        if late is not None:
            aggregates[f"o{i}"] = Count("pk", filter=where & late)
    if statuses:
        for i, (direction, status) in enumerate(OPEN_BY_STATUS):
            aggregates[f"s{i}"] = Count("pk", filter=Q(direction=direction, status=status))
    values = base.order_by().aggregate(**aggregates)
    counts = {
        queue.slug: (values[f"n{i}"] or 0, values.get(f"o{i}") or 0)
        for i, queue in enumerate(queues)
    }
    bars = []
    if statuses:
        bars = [
            (direction, status, values[f"s{i}"])
            for i, (direction, status) in enumerate(OPEN_BY_STATUS)
            if values[f"s{i}"]
        ]
    return counts, bars


def _grouped(qs: QuerySet, kind: str, *, n, a=None, b=None, o=None) -> QuerySet:
    """One part of the dashboard's UNION ALL: rows (kind, a, b, n, o), grouped by a and b."""
    blank = Value("", output_field=CharField())
    return (
        qs.order_by()
        .annotate(
            fig_kind=Value(kind, output_field=CharField()),
            fig_a=blank if a is None else a,
            fig_b=blank if b is None else b,
        )
        .values("fig_kind", "fig_a", "fig_b")
        .annotate(fig_n=n, fig_o=Value(0) if o is None else o)
        .values_list("fig_kind", "fig_a", "fig_b", "fig_n", "fig_o")
    )


CHART_DAYS = 30  # rejections charts: the last 30 days
FOC_DAYS = 14  # FOCs per day: the next two weeks
CHART_BARS = 10  # the most frequent reasons / carriers


def _chart_parts(ctx: QueueContext) -> list[QuerySet]:
    since = ctx.now - datetime.timedelta(days=CHART_DAYS)
    return [
        # Rejection reasons over the last 30 days (bounded by Rejection.raised_at).
        _grouped(
            RejectionReason.objects.filter(rejections__raised_at__gte=since),
            "reason",
            a=F("code"),
            b=F("title"),
            n=Count("rejections"),
        ),
        # Port-in rejections by the losing carrier that raised them.
        _grouped(
            Rejection.objects.filter(raised_at__gte=since, order__direction=IN),
            "carrier",
            a=F("order__losing_carrier__name"),
            n=Count("pk"),
        ),
        # FOCs per day and desk, next two weeks ((status, foc_date) index).
        _grouped(
            PortOrder.objects.filter(
                status__in=[S.ACCEPTED, S.FOC_SENT],
                foc_date__gte=ctx.today,
                foc_date__lt=ctx.days(FOC_DAYS),
            ),
            "foc",
            a=Cast("foc_date", CharField()),
            b=F("direction"),
            n=Count("pk"),
        ),
    ]


@dataclass
class DashboardFigures:
    """Every number on the dashboard besides the FOC list and the jobs (cacheable: plain
    data, the same for every user except the per-user counts)."""

    counts: dict[str, tuple[int, int]]  # slug -> (count, overdue)
    reasons: list = field(default_factory=list)  # (code, title, n), most frequent first
    carriers: list = field(default_factory=list)  # (losing carrier, n), most frequent first
    statuses: list = field(default_factory=list)  # (direction, status, n) of open orders
    focs: list = field(default_factory=list)  # (day, port-in FOCs, port-out FOCs)


def dashboard_figures(
    ctx: QueueContext, *, queues: Iterable[Queue] | None = None, charts: bool = True
) -> DashboardFigures:
    """The counts of `queues` (default: all) and the charts' numbers in TWO queries whatever
    the number of queues: the order queues' conditional aggregation, and one UNION ALL of
    the other kinds' counts (CSR requests, rejections, NPAC records) and the grouped chart
    figures."""
    queues = list(queues if queues is not None else QUEUES)
    counts, statuses = _order_counts([q for q in queues if q.kind == ORDER], ctx, statuses=charts)
    parts = []
    for queue in queues:
        if queue.kind == ORDER:
            continue
        where, late = queue.where(ctx), queue.overdue_q(ctx)
        parts.append(
            _grouped(
                queue.model.objects.filter(where),
                f"queue:{queue.slug}",
                n=Count("pk"),
                o=None if late is None else Count("pk", filter=late),
            )
        )
        counts[queue.slug] = (0, 0)  # no row matched: the part returns no row
    if charts:
        parts.extend(_chart_parts(ctx))
    figures = DashboardFigures(counts=counts, statuses=statuses)
    if not parts:
        return figures
    rows = parts[0].union(*parts[1:], all=True).order_by() if len(parts) > 1 else parts[0]
    reasons, carriers, focs = [], [], {}
    for kind, a, b, n, o in rows:
        if kind.startswith("queue:"):
            counts[kind.removeprefix("queue:")] = (n or 0, o or 0)
        elif kind == "reason":
            reasons.append((a, b, n))
        elif kind == "carrier":
            carriers.append((a, n))
        elif kind == "foc":
            focs[(datetime.date.fromisoformat(str(a)[:10]), b)] = n
    if charts:
        figures.reasons = sorted(reasons, key=lambda r: (-r[2], r[0]))[:CHART_BARS]
        figures.carriers = sorted(carriers, key=lambda r: (-r[1], r[0] or ""))[:CHART_BARS]
        figures.focs = [
            (day, focs.get((day, IN), 0), focs.get((day, OUT), 0))
            for day in (ctx.days(i) for i in range(FOC_DAYS))
        ]
    return figures


def dashboard_counts(ctx: QueueContext, *, queues: Iterable[Queue] | None = None) -> dict:
    """Count and overdue count of every queue (default: all), in at most two queries."""
    queues = list(queues if queues is not None else QUEUES)
    figures = dashboard_figures(ctx, queues=queues, charts=False)
    return {
        queue.slug: QueueCount(queue, *figures.counts.get(queue.slug, (0, 0))) for queue in queues
    }


def dashboard_snapshot(ctx: QueueContext, user) -> tuple[list, DashboardFigures]:
    """The queue cards `user` may see, grouped by desk, and the chart figures.

    At a national size these aggregates read every open order, and a desk refreshing its
    dashboard does not need them to the second: the shared figures are cached for
    settings.DASHBOARD_CACHE_SECONDS. A miss computes them together with this user's own
    counts (Mine) in the same two queries; a hit leaves one query, the user's own counts."""
    visible = visible_queues(user)
    per_user = [q for q in visible if q.slug in PER_USER_QUEUES]
    seconds = settings.DASHBOARD_CACHE_SECONDS
    key = f"dashboard-figures:{ctx.today.isoformat()}"
    figures = cache.get(key) if seconds else None
    if figures is None:
        shared = [q for q in QUEUES if q.slug not in PER_USER_QUEUES]
        figures = dashboard_figures(ctx, queues=[*shared, *per_user])
        own = {q.slug: figures.counts.pop(q.slug) for q in per_user}
        if seconds:
            cache.set(key, figures, seconds)
    else:
        own = _order_counts(per_user, ctx)[0]
    counts = {**figures.counts, **own}
    shown = {q.slug for q in visible}
    desks = []
    for desk, queues in queues_by_desk():
        cards = [
            QueueCount(queue, *counts[queue.slug])
            for queue in queues
            if queue.slug in shown and queue.slug in counts
        ]
        if cards:
            desks.append((desk, cards))
    return desks, figures


def dashboard_cards(ctx: QueueContext, user) -> list[tuple[str, list[QueueCount]]]:
    """The queues `user` may see, grouped by desk, each with its count and overdue count."""
    return dashboard_snapshot(ctx, user)[0]


# --- dashboard lists --------------------------------------------------------------------------


def focs_soon(ctx: QueueContext, *, days: int = 2, limit: int = 50) -> QuerySet:
    """Orders of both desks with an FOC today or tomorrow. Index: partial "order_focs_soon"
    (foc_date, pon, id WHERE status IN accepted, foc_sent): read in the list's order."""
    return (
        _order_rows()
        .filter(
            status__in=[S.ACCEPTED, S.FOC_SENT],
            foc_date__gte=ctx.today,
            foc_date__lt=ctx.days(days),
        )
        .order_by("foc_date", "pon", "pk")[:limit]
    )


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
