"""The kinds of queue row (orders, CSR requests, rejections, NPAC cancel records) and what
every queue of a kind shares: the row's shape (its joins and the only fields a row shows:
no remarks, no PIN, no account number), its filter panel and its permissions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from orders import filters
from orders.models import CsrRequest, NpacCancelRecord, PortOrder, Rejection, RejectionReason

ORDER = "order"
CSR_REQUEST = "csr_request"
REJECTION = "rejection"
NPAC_CANCEL = "npac_cancel"

# What a row shows of its assignee (orders.tables.person).
_PERSON_FIELDS = ("id", "username", "first_name", "last_name")

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
    *(f"assignee__{name}" for name in _PERSON_FIELDS),
)
_ORDER_RELATED = ("losing_carrier", "new_carrier", "assignee")
# What a row may read of the relations joined only for a list that shows them.
_JOINED_FIELDS = {"losing_spid": ("id", "code"), "new_spid": ("id", "code")}


def order_rows(*, joins: tuple[str, ...] = (), fields: tuple[str, ...] = ()) -> QuerySet:
    """Order rows with the carriers and the assignee joined; the SPIDs (`joins`) only for a
    list that shows them (two joins and 100 objects fewer per page for the others). `fields`:
    a list's own narrower set instead of every queue's."""
    fields = (
        *(fields or _ORDER_ROW_FIELDS),
        *(f"{name}__{field}" for name in joins for field in _JOINED_FIELDS[name]),
    )
    return PortOrder.objects.select_related(*_ORDER_RELATED, *joins).only(*fields).order_by()


def _prefixed(prefix: str, names: Iterable[str]) -> list[str]:
    return [f"{prefix}{name}" for name in names]


def csr_request_rows() -> QuerySet:
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
            *(f"assignee__{name}" for name in _PERSON_FIELDS),
        )
        .order_by()
    )


def npac_cancel_rows() -> QuerySet:
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
        *(f"assignee__{name}" for name in _PERSON_FIELDS),
    )
    return (
        NpacCancelRecord.objects.select_related("order__new_carrier", "order__assignee")
        .only("id", "tn", "reason", "created_at", "sent_at", *_prefixed("order__", order_fields))
        .order_by()
    )


def rejection_rows() -> QuerySet:
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
            *(f"assignee__{name}" for name in _PERSON_FIELDS),
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


@dataclass(frozen=True)
class Kind:
    """What every queue of one kind of row has unless its entry says otherwise."""

    model: type
    rows: Callable[..., QuerySet]  # the row shape, unfiltered (order_rows: joins=)
    filterset: type
    view_perm: str
    work_perm: str


KINDS = {
    ORDER: Kind(
        PortOrder,
        order_rows,
        filters.OrderFilter,
        "orders.view_portorder",
        "orders.change_portorder",
    ),
    CSR_REQUEST: Kind(
        CsrRequest,
        csr_request_rows,
        filters.CsrRequestFilter,
        "orders.view_csrrequest",
        "orders.change_csrrequest",
    ),
    REJECTION: Kind(
        Rejection,
        rejection_rows,
        filters.RejectionFilter,
        "orders.view_portorder",
        "orders.change_portorder",
    ),
    NPAC_CANCEL: Kind(
        NpacCancelRecord,
        npac_cancel_rows,
        filters.NpacCancelFilter,
        "orders.view_npaccancelrecord",
        "orders.change_portorder",
    ),
}
