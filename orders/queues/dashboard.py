"""The dashboard's queue counts and figures, and its lists."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.db.models.functions import Cast

from orders.models import DashboardSummary, PortOrder, Rejection, RejectionReason
from orders.models.statuses import OPEN_STATUS_VALUES
from orders.queues.base import IN, OUT, Queue, QueueContext, S
from orders.queues.registry import QUEUES, queues_by_desk, visible_queues
from orders.queues.rows import ORDER, order_rows

# --- dashboard counts and figures -------------------------------------------------------------


@dataclass(frozen=True)
class QueueCount:
    queue: Queue
    count: int | None  # None: not counted yet (the summary job has not run)
    overdue: int | None


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
    """Every number on the dashboard besides the FOC list and the jobs: plain data, the same
    for every user except the per-user counts, stored as JSON by the summary job."""

    counts: dict[str, tuple[int, int]]  # slug -> (count, overdue)
    reasons: list = field(default_factory=list)  # (code, title, n), most frequent first
    carriers: list = field(default_factory=list)  # (losing carrier, n), most frequent first
    statuses: list = field(default_factory=list)  # (direction, status, n) of open orders
    focs: list = field(default_factory=list)  # (day, port-in FOCs, port-out FOCs)
    as_of: datetime.datetime | None = None  # when the summary job computed them

    def as_json(self) -> dict:
        return {
            "counts": {slug: list(pair) for slug, pair in self.counts.items()},
            "reasons": [list(r) for r in self.reasons],
            "carriers": [list(r) for r in self.carriers],
            "statuses": [list(r) for r in self.statuses],
            "focs": [[day.isoformat(), n_in, n_out] for day, n_in, n_out in self.focs],
        }

    @classmethod
    def from_json(cls, data: dict, *, as_of=None) -> DashboardFigures:
        return cls(
            counts={slug: tuple(pair) for slug, pair in data.get("counts", {}).items()},
            reasons=[tuple(r) for r in data.get("reasons", [])],
            carriers=[tuple(r) for r in data.get("carriers", [])],
            statuses=[tuple(r) for r in data.get("statuses", [])],
            focs=[
                (datetime.date.fromisoformat(day), n_in, n_out)
                for day, n_in, n_out in data.get("focs", [])
            ],
            as_of=as_of,
        )


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


SUMMARY_KEY = "shared"


def shared_queues() -> list[Queue]:
    """The queues whose counts are the same for everyone: the summary job counts these."""
    return [q for q in QUEUES if q.slug not in PER_USER_QUEUES]


def summary_figures() -> DashboardFigures | None:
    """The shared figures as the summary job last computed them (one query by primary key),
    or None before its first run."""
    row = DashboardSummary.objects.filter(key=SUMMARY_KEY).values("figures", "as_of").first()
    return DashboardFigures.from_json(row["figures"], as_of=row["as_of"]) if row else None


def dashboard_snapshot(ctx: QueueContext, user) -> tuple[list, DashboardFigures]:
    """The queue cards `user` may see, grouped by desk, and the chart figures.

    At a national size the shared aggregates read every open order (about a second at 1M
    orders), so no request computes them: they come from the summary the job
    dashboard-summary-refresh keeps (orders.services.dashboard_summary), as of its last run.
    Only this user's own counts (Mine) are counted here, from the (assignee, status) index.
    Before the job's first run the shared cards show no count rather than make someone wait."""
    visible = visible_queues(user)
    per_user = [q for q in visible if q.slug in PER_USER_QUEUES]
    figures = summary_figures() or DashboardFigures(counts={})
    counts = {**figures.counts, **_order_counts(per_user, ctx)[0]}
    shown = {q.slug for q in visible}
    desks = []
    for desk, queues in queues_by_desk():
        cards = [
            QueueCount(queue, *counts.get(queue.slug, (None, None)))
            for queue in queues
            if queue.slug in shown
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
        order_rows()
        .filter(
            status__in=[S.ACCEPTED, S.FOC_SENT],
            foc_date__gte=ctx.today,
            foc_date__lt=ctx.days(days),
        )
        .order_by("foc_date", "pon", "pk")[:limit]
    )
