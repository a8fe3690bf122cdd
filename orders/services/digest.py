"""The managers' daily digest: what needs a manager, desk-wide, one email per manager per
business day.

The daily job (`orders.services.jobs.manager_digest_send`) takes the counts once and calls
`manager_digest_queue` for each manager in its own transaction. The digest is an outbox row
like every other email (`orders.services.outbox`; rendered by `orders.emails`), claimed by a
`DigestLog` row unique per (manager, day) in the same transaction: a second run or a second
cluster the same day queues nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from orders import emails
from orders.models import (
    CsrRequest,
    DigestLog,
    Direction,
    NpacCancelRecord,
    PortOrder,
    Rejection,
    Status,
    StatusChange,
)
from orders.roles import MANAGER_GROUP
from orders.services import outbox
from orders.services.portin import AUTO_CANCEL_ACTOR
from orders.services.portout import PORT_WINDOW_ACTOR


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def digest_counts(*, now: datetime.datetime, since: datetime.date) -> dict:
    """What needs a manager, desk-wide; the job-cancelled counts cover `since` to today."""
    today = timezone.localdate(now)
    closed = [Status.COMPLETED, Status.CANCELLED]
    # One count per job, through the partial index `history_cancelled_by`.
    job_cancels = dict(
        StatusChange.objects.filter(
            to_status=Status.CANCELLED,
            actor_label__in=[AUTO_CANCEL_ACTOR, PORT_WINDOW_ACTOR],
            created_at__gte=_day_start(since),
            created_at__lt=_day_start(today),
        )
        .values("actor_label")
        .annotate(n=Count("id"))
        .values_list("actor_label", "n")
    )
    return {
        # Closing a port-in order resolves its rejections (cancel, and the resubmission
        # every completed order went through), so the open ones are all on open orders:
        # counted through `rejection_open_by_desk`, without joining the orders.
        "rejections_to_review": Rejection.objects.filter(
            resolved_at__isnull=True, direction=Direction.PORT_IN
        ).count(),
        "expedites_to_decide": PortOrder.objects.filter(status=Status.EXPEDITE_REVIEW).count(),
        "sup_flags_to_decide": PortOrder.objects.filter(sup_flag=PortOrder.Decision.PENDING)
        .exclude(status__in=closed)
        .count(),
        "csr_requests_overdue": CsrRequest.objects.filter(
            status=CsrRequest.Status.OPEN, due_at__lte=now
        ).count(),
        "auto_cancelled_f4": job_cancels.get(AUTO_CANCEL_ACTOR, 0),
        "cancelled_r11": job_cancels.get(PORT_WINDOW_ACTOR, 0),
        "npac_cancels_unsent": NpacCancelRecord.objects.filter(sent_at__isnull=True).count(),
    }


def managers_for_digest():
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, groups__name=MANAGER_GROUP)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def manager_digest_queue(
    *,
    user,
    counts: dict,
    today: datetime.date,
    since: datetime.date,
    now: datetime.datetime,
) -> bool:
    """Owe `user` today's digest; False when it was already owed today (nothing written).

    Run inside the caller's transaction: the DigestLog claim and the outbox row commit
    together, and the digest is delivered right after the commit.
    """
    _log, created = DigestLog.objects.get_or_create(
        user=user, digest_date=today, defaults={"sent_at": now, "counts": counts}
    )
    if not created:
        return False
    outbox.queue(
        emails.MANAGER_DIGEST,
        recipients=[user.email],
        # Plain data: the dates as ISO text (orders.emails reads them back).
        context={
            "name": user.get_full_name() or user.get_username(),
            "today": today.isoformat(),
            "since": since.isoformat(),
            **counts,
        },
        now=now,
    )
    return True
