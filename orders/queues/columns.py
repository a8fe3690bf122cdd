"""What a queue row shows: the cell of each column, computed in Python from the row (an
order, a CSR request, a rejection or an NPAC cancel record), so the page and its CSV export
show the same text (orders.tables renders them). Nothing here queries the database except
`RowContext.calendar`, once per carrier for the page (the R11 business-day countdown).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from orders.filters import age_bucket
from orders.models import Direction, PortOrder, Rejection, Status
from orders.tables import EMPTY, Cell, RowContext, col, date_text, dt_text, person

S = Status
IN = Direction.PORT_IN


def _date_cell(day, rc: RowContext, *, late_before_today=False) -> Cell:
    if not day:
        return EMPTY
    css = "tn"
    if late_before_today and day < rc.today:
        css += " countdown-overdue"
    elif day == rc.today:
        css += " fw-semibold"
    return Cell(date_text(day), css=css)


def other_carrier(order: PortOrder):
    """The carrier on the other side: who loses the TNs to us, or who asks us for them."""
    return order.losing_carrier if order.direction == IN else order.new_carrier


def other_spid(order: PortOrder):
    return order.losing_spid if order.direction == IN else order.new_spid


def business_days_left(order: PortOrder, rc: RowContext) -> int | None:
    """Business days from today to the end of the R11 port window (negative once past),
    on our carrier's calendar (the port-out order's losing carrier is us)."""
    end = order.port_window_ends_on
    if end is None:
        return None
    # (today, end]: 0 on the window's last day; antisymmetric, so negative once past.
    return rc.calendar(order.losing_carrier).business_days_between(rc.today, end)


# Order cells ---------------------------------------------------------------------------------


def c_order(o, rc):
    return Cell(
        f"{o.pon} v{o.version}", href=rc.url("orders:order_detail", o.pk), css="text-nowrap"
    )


# Choice labels by value: get_FOO_display() hashes its value on every call (150 per page).
_DIRECTION_LABELS = dict(Direction.choices)
_STATUS_LABELS = dict(Status.choices)
_CSR_STATUS_LABELS = dict(PortOrder.CsrStatus.choices)
_SOURCE_LABELS = dict(Rejection.Source.choices)


def c_direction(o, rc):
    return Cell(_DIRECTION_LABELS.get(o.direction, o.direction), css="text-nowrap")


def c_status(o, rc):
    label = _STATUS_LABELS.get(o.status, o.status)
    return Cell(label, css=f"queue-status queue-status-{o.status}")


def c_carrier(o, rc):
    carrier = other_carrier(o)
    return Cell(carrier.name if carrier else "")


def c_spid(o, rc):
    spid = other_spid(o)
    return Cell(spid.code if spid else "", css="tn")


def c_account(o, rc):
    return Cell(o.account_name)


def c_tns(o, rc):
    return Cell(str(o.tn_count), css="text-end tn")


def c_due(o, rc):
    late = o.status in (S.DRAFT, S.SUBMITTED, S.RECEIVED, S.EXPEDITE_REVIEW)
    return _date_cell(o.requested_due_date, rc, late_before_today=late)


def c_foc(o, rc):
    late = o.status in (S.ACCEPTED, S.FOC_SENT)
    return _date_cell(o.foc_date, rc, late_before_today=late)


def c_next_check(o, rc):
    return _date_cell(o.next_status_check_on, rc, late_before_today=True)


def c_days_left(o, rc):
    if not o.auto_cancel_on:
        return EMPTY
    days = (o.auto_cancel_on - rc.today).days
    css = "text-end tn"
    if days <= settings.PORTING.get("AUTO_CANCEL_WARNING_DAYS", 7):
        css += " countdown-overdue"
    return Cell(str(days), css=css, title=f"Auto-cancel on {o.auto_cancel_on.isoformat()}")


def c_bdays_left(o, rc):
    days = business_days_left(o, rc)
    if days is None:
        return EMPTY
    css = "text-end tn" + (" countdown-overdue" if days <= 1 else "")
    return Cell(
        str(days),
        css=css,
        title=f"Port window ends {o.port_window_ends_on.isoformat()} (R11)",
    )


def c_activity(o, rc):
    return Cell(dt_text(o.last_activity_at), css="tn")


def c_received(o, rc):
    return Cell(dt_text(o.received_at), css="tn")


def c_completed(o, rc):
    return Cell(dt_text(o.completed_at), css="tn")


def c_csr(o, rc):
    css = "text-danger" if o.csr_status == PortOrder.CsrStatus.MISMATCHED else ""
    return Cell(_CSR_STATUS_LABELS.get(o.csr_status, o.csr_status), css=css)


def c_sups(o, rc):
    return Cell(str(o.due_date_sup_count), css="text-end tn")


def c_assignee(o, rc):
    return Cell(person(o.assignee))


def c_risk_reasons(o, rc):
    """Why an LSR is in the port-out risk queue (R19), from the queue's row annotations."""
    reasons = []
    if getattr(o, "risk_mismatch", False):
        reasons.append("R18 validation-field mismatch")
    if getattr(o, "risk_locked", False):
        reasons.append("account locked against port-out")
    changed = getattr(o, "risk_details_changed_at", None)
    days = settings.PORTING.get("RISK_DETAILS_CHANGED_DAYS", 30)
    if changed is not None and changed >= rc.now - datetime.timedelta(days=days):
        reasons.append(f"account contact or address changed {dt_text(changed)}")
    if getattr(o, "risk_burst", False):
        reasons.append("requester sent LSRs for many accounts that day")
    return Cell("; ".join(reasons), css="text-danger")


# CSR request cells ---------------------------------------------------------------------------


def c_csr_request(r, rc):
    return Cell(f"CSR #{r.pk}", href=rc.url("orders:portout_csr_detail", r.pk), css="text-nowrap")


def c_csr_carrier(r, rc):
    return Cell(r.requesting_carrier.name)


def c_csr_tns(r, rc):
    tns = list(r.tns or [])
    more = f" +{len(tns) - 1}" if len(tns) > 1 else ""
    return Cell(f"{tns[0]}{more}" if tns else "", css="tn")


def c_csr_received(r, rc):
    return Cell(dt_text(r.received_at), css="tn")


def c_csr_due(r, rc):
    return Cell(dt_text(r.due_at), css="tn")


def c_csr_time_left(r, rc):
    seconds = (r.due_at - rc.now).total_seconds()
    hours = seconds / 3600
    if seconds < 0:
        text = f"{-hours:.1f} h over"
        css = "countdown-overdue"
    else:
        text = f"{hours:.1f} h"
        css = "countdown-overdue" if hours < 4 else ""
    return Cell(text, css=f"text-end tn {css}".strip())


def c_csr_assignee(r, rc):
    return Cell(person(r.assignee))


# Rejection cells -----------------------------------------------------------------------------


def rejection_age_days(r, rc) -> int:
    return (rc.today - timezone.localdate(r.raised_at)).days


def c_rej_order(r, rc):
    return c_order(r.order, rc)


def c_rej_direction(r, rc):
    return c_direction(r.order, rc)


def c_rej_status(r, rc):
    return c_status(r.order, rc)


def c_rej_carrier(r, rc):
    return c_carrier(r.order, rc)


def c_rej_reasons(r, rc):
    # (code, title) pairs: attached to a page's rows (queues.attach_rejection_reasons), else
    # from the prefetched reasons (CSV export).
    reasons = getattr(r, "queue_reasons", None)
    if reasons is None:
        reasons = [(reason.code, reason.title) for reason in r.reasons.all()]
    return Cell(
        ", ".join(code for code, _ in reasons),
        title="; ".join(title for _, title in reasons),
    )


def c_rej_age(r, rc):
    days = rejection_age_days(r, rc)
    bucket = age_bucket(days)
    css = "text-end tn" + (" countdown-overdue" if days > 30 else "")
    return Cell(f"{days} d ({bucket})", css=css)


def c_rej_source(r, rc):
    return Cell(_SOURCE_LABELS.get(r.source, r.source))


def c_rej_returned(r, rc):
    moment = r.returned_to_customer_at
    return Cell(
        date_text(timezone.localdate(moment)) if moment else "",
        css="tn",
        title=dt_text(moment),
    )


def c_rej_days_left(r, rc):
    return c_days_left(r.order, rc)


def c_rej_assignee(r, rc):
    return Cell(person(r.assignee))


# NPAC cancel record cells --------------------------------------------------------------------


def c_npac_tn(r, rc):
    return Cell(r.tn, css="tn")


def c_npac_order(r, rc):
    return c_order(r.order, rc)


def c_npac_carrier(r, rc):
    return Cell(r.order.new_carrier.name)


def c_npac_reason(r, rc):
    return Cell(r.reason)


def c_npac_created(r, rc):
    return Cell(dt_text(r.created_at), css="tn")


def c_npac_window(r, rc):
    return _date_cell(r.order.port_window_ends_on, rc)


def c_npac_assignee(r, rc):
    return Cell(person(r.order.assignee))


# --- the columns most order queues share -------------------------------------------------------

ORDER_COL = col("order", "Order", c_order)
DIRECTION_COL = col("direction", "Desk", c_direction)
STATUS_COL = col("status", "Status", c_status)
CARRIER_COL = col("carrier", "Carrier", c_carrier)
SPID_COL = col("spid", "SPID", c_spid, joins=("losing_spid", "new_spid"))
ACCOUNT_COL = col("account", "Account", c_account)
TNS_COL = col("tns", "TNs", c_tns, numeric=True)
DUE_COL = col("due", "Due date", c_due, sort="due")
FOC_COL = col("foc", "FOC", c_foc, sort="foc")
ACTIVITY_COL = col("activity", "Last activity", c_activity, sort="activity", zoned=True)
ASSIGNEE_COL = col("assignee", "Assignee", c_assignee)
