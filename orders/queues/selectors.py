"""One queryset function per queue and the same rows as a `Q` (for the dashboard's one
conditional-aggregation count). Each names the index that serves its filter and sort."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import F, Q, QuerySet

from carriers.models import CustomerAccount
from orders.models import CsrRequest, PortOrder
from orders.queues.base import (
    IN,
    OUT,
    QueueContext,
    S,
    _csr_request_rows,
    _npac_cancel_rows,
    _order_rows,
    _rejection_rows,
    _warning_day,
    open_orders_q,
)

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


# --- managers' queues -------------------------------------------------------------------------


def _details_changed_since(ctx: QueueContext) -> datetime.datetime:
    return ctx.now - datetime.timedelta(days=settings.PORTING.get("RISK_DETAILS_CHANGED_DAYS", 30))


def portout_risk_q(ctx: QueueContext) -> Q:
    """R19: open LSRs with an R18 mismatch, from a requester that asked for many accounts
    that day (both stored at intake), or on an account locked against port-out or whose
    contact or address changed recently (read live: the desk may lock it after the LSR)."""
    risky_accounts = CustomerAccount.objects.filter(
        Q(port_out_locked=True) | Q(details_changed_at__gte=_details_changed_since(ctx))
    ).values("pk")
    return Q(direction=OUT, status__in=[S.RECEIVED, S.EXPEDITE_REVIEW]) & (
        Q(validation_mismatch=True)
        | Q(requester_burst=True)
        | Q(customer_account__in=risky_accounts)
    )


def portout_risk_annotations(ctx: QueueContext) -> dict:
    """What the "Why" cell reads: the stored flags and the account's lock and change time
    (one LEFT JOIN in the page's statement)."""
    return {
        "risk_mismatch": F("validation_mismatch"),
        "risk_burst": F("requester_burst"),
        "risk_locked": F("customer_account__port_out_locked"),
        "risk_details_changed_at": F("customer_account__details_changed_at"),
    }


def portout_risk(ctx: QueueContext) -> QuerySet:
    # Index: partial "order_queue_out_risk" (received_at, id WHERE direction=out AND status
    # IN received, expedite_review): the open LSRs, a small set; the conditions above are
    # residual filters over it (the accounts' side: partial indexes on carriers' accounts).
    return _order_rows(spids=True).filter(portout_risk_q(ctx))


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
