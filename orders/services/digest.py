"""The managers' daily digest: what needs a manager, desk-wide, one email per manager per
business day.

The daily job (`orders.services.jobs.manager_digest_send`) takes the counts once and calls
`manager_digest_queue` for each manager in its own transaction. The digest is an outbox row
like every other email (`orders.services.outbox`; rendered by `orders.emails`), claimed by a
`DigestLog` row unique per (manager, day) in the same transaction: a second run or a second
cluster the same day queues nothing.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from carriers.services import calendar_for
from orders import emails
from orders.models import DigestLog, Status, StatusChange
from orders.queues.base import Queue, QueueContext
from orders.queues.registry import get_queue
from orders.roles import MANAGER_GROUP
from orders.services import outbox
from orders.services.portin import AUTO_CANCEL_ACTOR
from orders.services.portout import PORT_WINDOW_ACTOR


@dataclass(frozen=True)
class DigestLine:
    """One line of the digest. A line about work waiting is a queue's count (`queue`: its
    slug; `overdue_only`: the queue's overdue view), read through the queue's own
    declaration; a line about what the jobs cancelled has no queue."""

    key: str  # its name in the email's context and the DigestLog's counts
    label: str
    queue: str = ""
    overdue_only: bool = False


# What needs a manager, in the email's order. The counts used to be filters of their own
# (the review line counted port-in rejections only: 6 where the queue it names showed 9).
NEEDS_A_MANAGER = (
    DigestLine("rejections_to_review", "Rejections awaiting review (both desks)", "rejections"),
    DigestLine(
        "expedites_to_decide", "Expedites to accept or refuse (port-out, R8)", "out-expedites"
    ),
    DigestLine("sup_flags_to_decide", "SUP-threshold flags to decide (R12)", "out-sup-flags"),
    DigestLine(
        "csr_requests_overdue",
        "CSR requests past their answer time (R1)",
        "out-csr-requests",
        overdue_only=True,
    ),
    DigestLine(
        "npac_cancels_unsent", "NPAC subscription cancels not yet sent (R11)", "out-npac-cancels"
    ),
)
CANCELLED_BY_JOBS = (
    DigestLine("auto_cancelled_f4", "Rejected port-in orders, 45 days without activity (F4)"),
    DigestLine("cancelled_r11", "Port-out orders, port window expired after FOC (R11)"),
)
_JOB_ACTORS = {"auto_cancelled_f4": AUTO_CANCEL_ACTOR, "cancelled_r11": PORT_WINDOW_ACTOR}


@dataclass(frozen=True)
class CountedLine:
    line: DigestLine
    value: int
    capped: bool = False  # the queue holds more than its page counts (COUNT_CAP)
    queue: Queue | None = None

    @property
    def url(self) -> str:
        if self.queue is None:
            return ""
        return self.queue.url + ("?overdue=1" if self.line.overdue_only else "")


@dataclass(frozen=True)
class Digest:
    today: datetime.date
    since: datetime.date  # the job-cancelled lines cover `since` to yesterday
    needs_a_manager: tuple[CountedLine, ...]
    cancelled_by_jobs: tuple[CountedLine, ...]

    @property
    def since_is_yesterday(self) -> bool:
        return self.since == self.today - datetime.timedelta(days=1)

    def counts(self) -> dict[str, int]:
        """Plain numbers by line key: the email's context and the DigestLog's record."""
        lines = (*self.needs_a_manager, *self.cancelled_by_jobs)
        return {counted.line.key: counted.value for counted in lines}


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def digest_since(today: datetime.date) -> datetime.date:
    """The job-cancelled lines run from the previous business day (a Monday's digest covers
    the weekend); our own business days: weekends, federal holidays, closed days."""
    return calendar_for(None).previous_business_day(today)


def digest_build(*, now: datetime.datetime | None = None, since=None) -> Digest:
    """The digest as of `now`: each waiting-work line is its queue's own capped count
    (`Queue.total`, what the queue's page shows), one query per line; the job-cancelled
    counts in one more."""
    ctx = QueueContext.build(now=now)
    since = since or digest_since(ctx.today)
    waiting = []
    for line in NEEDS_A_MANAGER:
        queue = get_queue(line.queue)
        total = queue.total(ctx, overdue_only=line.overdue_only)
        waiting.append(CountedLine(line, total.value, capped=total.capped, queue=queue))
    # One count per job, through the partial index `history_cancelled_by`.
    by_actor = dict(
        StatusChange.objects.filter(
            to_status=Status.CANCELLED,
            actor_label__in=list(_JOB_ACTORS.values()),
            created_at__gte=_day_start(since),
            created_at__lt=_day_start(ctx.today),
        )
        .values("actor_label")
        .annotate(n=Count("id"))
        .values_list("actor_label", "n")
    )
    cancelled = tuple(
        CountedLine(line, by_actor.get(_JOB_ACTORS[line.key], 0)) for line in CANCELLED_BY_JOBS
    )
    return Digest(ctx.today, since, tuple(waiting), cancelled)


def digest_counts(*, now: datetime.datetime, since: datetime.date) -> dict:
    """What needs a manager, desk-wide, as plain numbers (the daily email's counts)."""
    return digest_build(now=now, since=since).counts()


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
