"""Orders as the API answers them: a fixed number of queries per order (the order with its
carriers and SPIDs, its numbers, its rejections with their reasons), masked as the desk's
pages are."""

from __future__ import annotations

from django.db.models import Prefetch

from carriers.cpni import mask_account_number
from orders.models import Direction, PortOrder, Rejection, RejectionReason

ORDER_RELATED = ("losing_carrier", "new_carrier", "losing_spid", "new_spid")
# What a list row reads: nothing else is loaded for a page of summaries.
SUMMARY_FIELDS = (
    "id",
    "direction",
    "status",
    "pon",
    "version",
    "requested_due_date",
    "foc_date",
    "tn_count",
    "losing_carrier__name",
    "new_carrier__name",
    "created_at",
    "updated_at",
)


def order_summary(order: PortOrder) -> dict:
    return {
        "id": order.pk,
        "direction": order.direction,
        "status": order.status,
        "status_label": order.get_status_display(),
        "pon": order.pon,
        "version": order.version,
        "requested_due_date": order.requested_due_date,
        "foc_date": order.foc_date,
        "tn_count": order.tn_count,
        "losing_carrier": order.losing_carrier.name,
        "new_carrier": order.new_carrier.name,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
    }


def _evaluation(order: PortOrder) -> dict | None:
    if order.direction != Direction.PORT_OUT:
        return None
    stored = order.rule_evaluation or {}
    foc = stored.get("foc") or {}
    return {
        "evaluated_at": stored.get("evaluated_at"),
        "findings": [
            {
                "rule": f.get("rule", ""),
                "field_or_tn": f.get("field_or_tn", ""),
                "message": f.get("message", ""),
                "code": f.get("code", ""),
            }
            for f in stored.get("findings", [])
        ],
        "reject_codes": list(stored.get("reject_codes", [])),
        "proposed_foc_date": foc.get("date"),
    }


def order_detail(order: PortOrder) -> dict:
    """The order with its numbers and rejections (two queries, three with rejections)."""
    numbers = list(order.numbers.order_by("tn").values_list("tn", "disposition"))
    rejections = list(
        Rejection.objects.filter(order=order)
        .order_by("raised_at", "id")
        .prefetch_related(Prefetch("reasons", queryset=RejectionReason.objects.order_by("code")))
    )
    is_port_in = order.direction == Direction.PORT_IN
    return {
        **order_summary(order),
        "losing_spid": order.losing_spid.code if order.losing_spid_id else None,
        "new_spid": order.new_spid.code if order.new_spid_id else None,
        "route": order.route,
        "csr_status": order.csr_status,
        "reqtype": order.reqtype,
        "act": order.act,
        "mi": order.mi,
        "expedite": order.expedite,
        "foc_explanation": order.foc_explanation,
        "submitted_at": order.submitted_at,
        "received_at": order.received_at,
        "completed_at": order.completed_at,
        "end_user": {
            "account_name": order.account_name,
            "account_number": mask_account_number(order.account_number),
            "btn": order.btn,
            "authorized_person": order.authorized_person,
            "service_address": order.service_address,
            "city": order.city,
            "state": order.state,
            "zip_code": order.zip_code,
        },
        "authorization_indicator": order.authorization_indicator,
        "pin_on_file": bool(order.pin_encrypted) if is_port_in else False,
        "pin_matched": None if is_port_in else order.pin_matched,
        "remarks": order.remarks,
        "numbers": [{"tn": tn, "disposition": disposition} for tn, disposition in numbers],
        "evaluation": _evaluation(order),
        "rejections": [
            {
                "raised_at": rejection.raised_at,
                "source": rejection.source,
                "reasons": [
                    {"code": r.code, "title": r.title, "rule": r.rule}
                    for r in rejection.reasons.all()
                ],
                "details": rejection.text,
            }
            for rejection in rejections
        ],
    }
