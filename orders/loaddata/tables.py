"""The rows of one chunk, table by table: which columns the generator fills, in which order."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from carriers.models import CustomerAccount, TelephoneNumber
from orders.models import (
    AuthorizationDispute,
    Comment,
    CsrRequest,
    NpacCancelRecord,
    OrderNumber,
    PortOrder,
    Rejection,
    StatusChange,
    StatusCheck,
    Supplement,
)

# Port-out JSON fields: the LSR as received and the rules' evaluation.
ORDER_JSON_FIELDS = ("lsr_snapshot", "rule_evaluation")
ORDER_FIELDS = (
    "id", "direction", "status", "pon", "version", "supersedes_id", "reqtype", "act", "mi",
    "requested_due_date", "foc_date", "foc_explanation", "completed_at",
    "expedite", "expedite_decision", "simple_port", "simple_port_override",
    "simple_port_override_by_id", "simple_port_override_reason",
    "tn_count", "is_project_port",
    "losing_carrier_id", "losing_spid_id", "new_carrier_id", "new_spid_id",
    "route", "route_via_id", "csr_status",
    "account_name", "account_number", "account_number_digest", "btn", "authorized_person",
    "service_address",
    "city", "state", "zip_code", "pin_encrypted", "pin_matched", "authorization_indicator",
    "notification_email", "remarks",
    "assignee_id", "created_by_id",
    "received_at", "effective_received_on", "submitted_at", "last_status_check_at",
    "next_status_check_on", "customer_notified_at", "auto_cancel_on",
    "port_window_ends_on", "due_date_sup_count", "sup_flag",
    "last_activity_at", "created_at", "updated_at",
)  # fmt: skip


@dataclass
class Table:
    """Rows for one table: the columns we fill and the tuples, in column order."""

    model: type[models.Model] | None
    fields: list[str]
    through: tuple[type[models.Model], str] | None = None  # (model, m2m field name)
    rows: list[tuple] = field(default_factory=list)

    @property
    def db_model(self):
        if self.through:
            model, name = self.through
            return model._meta.get_field(name).remote_field.through
        return self.model


def new_tables() -> dict[str, Table]:
    """Empty tables for one chunk. The order is the write order: parents before the
    rows that point at them."""
    return {
        "accounts": Table(
            CustomerAccount,
            [
                "id", "account_number", "account_number_digest", "btn", "name",
                "authorized_person",
                "service_address", "city", "state", "zip_code", "pin_hash",
                "uses_unbundled_elements",
            ],
        ),
        "numbers": Table(
            TelephoneNumber,
            [
                "id", "tn", "spid_id", "lrn", "is_toll_free", "account_id", "status",
                "line_type", "features", "has_centrex", "has_isdn", "has_ain",
                "has_remote_call_forwarding", "multiple_services_on_loop", "updated_at",
            ],
        ),
        "orders": Table(PortOrder, [*ORDER_FIELDS, *ORDER_JSON_FIELDS]),
        "order_numbers": Table(
            OrderNumber, ["id", "order_id", "tn", "disposition", "npac_status", "activated_at"]
        ),
        "history": Table(
            StatusChange,
            [
                "id", "order_id", "from_status", "to_status", "actor_id", "actor_label",
                "reason", "created_at",
            ],
        ),
        "comments": Table(
            Comment,
            ["id", "order_id", "author_id", "source", "visibility", "body", "created_at"],
        ),
        "status_checks": Table(
            StatusCheck,
            ["id", "order_id", "checked_by_id", "checked_at", "outcome", "comment_id"],
        ),
        "rejections": Table(
            Rejection,
            [
                "id", "order_id", "direction", "text", "source", "raised_by_id",
                "assignee_id", "raised_at", "returned_to_customer_at", "resolved_at",
            ],
        ),
        "rejection_reasons": Table(
            None, ["id", "rejection_id", "rejectionreason_id"], through=(Rejection, "reasons")
        ),
        "supplements": Table(
            Supplement,
            [
                "id", "order_id", "sup_type", "received_at", "effective_received_on",
                "requested_due_date", "previous_foc_date", "new_foc_date", "explanation",
                "remarks", "created_by_id",
            ],
        ),
        "npac_cancels": Table(
            NpacCancelRecord,
            ["id", "order_id", "tn", "reason", "created_at", "sent_at", "confirmed_at"],
        ),
        "csr_requests": Table(
            CsrRequest,
            [
                "id", "requesting_carrier_id", "tns", "authorization_indicator",
                "received_at", "due_at", "status", "is_overdue", "answered_at",
                "answered_by_id", "answer", "assignee_id", "created_by_id", "created_at",
            ],
        ),
        "csr_reject_reasons": Table(
            None,
            ["id", "csrrequest_id", "rejectionreason_id"],
            through=(CsrRequest, "reject_reasons"),
        ),
        "disputes": Table(
            AuthorizationDispute,
            [
                "id", "order_id", "csr_request_id", "description", "opened_by_id",
                "opened_at", "evidence_requested_at", "evidence_received_at",
                "evidence_notes", "resolution", "resolved_at",
            ],
        ),
    }  # fmt: skip


def id_models():
    """The tables whose ids the generator hands out (and ANALYZEs after the load)."""
    return [
        CustomerAccount,
        TelephoneNumber,
        PortOrder,
        OrderNumber,
        StatusChange,
        Comment,
        StatusCheck,
        Rejection,
        Rejection.reasons.through,
        Supplement,
        NpacCancelRecord,
        CsrRequest,
        CsrRequest.reject_reasons.through,
        AuthorizationDispute,
    ]
