"""The dashboard: every queue's count, the FOCs due now, the jobs' last runs and charts."""

from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from orders import queue_columns as cells
from orders import queues as q
from orders.models import Direction, Status

from . import charts

# The jobs engineer's selector; the dashboard shows "no runs yet" until it exists.
JOB_STATUS_MODULES = ("orders.jobs_status", "orders.selectors.jobs")


def _job_runs():
    for name in JOB_STATUS_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue
            raise
        return list(module.job_last_runs())
    return None


def _chart_data(ctx: q.QueueContext) -> dict:
    """The charts' numbers: aggregates over a month of rejections and every open order,
    cached like the queue counts (settings.DASHBOARD_CACHE_SECONDS)."""

    def compute():
        return {
            "reasons": q.rejections_by_reason(ctx),
            "carriers": q.rejections_by_losing_carrier(ctx),
            "statuses": q.open_orders_by_status(ctx),
            "focs": q.focs_per_day(ctx),
        }

    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return compute()
    return cache.get_or_set(f"dashboard-charts:{ctx.today.isoformat()}", compute, seconds)


def _charts(ctx: q.QueueContext) -> dict:
    data = _chart_data(ctx)
    reasons, carriers, statuses, focs = (
        data["reasons"],
        data["carriers"],
        data["statuses"],
        data["focs"],
    )
    desk = {Direction.PORT_IN: "in", Direction.PORT_OUT: "out"}
    return {
        "reasons": charts.horizontal_bars(
            [(f"{code} {title}", n) for code, title, n in reasons], css="chart-bar-reason"
        ),
        "carriers": charts.horizontal_bars(carriers, css="chart-bar-carrier"),
        "statuses": charts.horizontal_bars(
            [(f"{desk[d]} · {Status(s).label}", n) for d, s, n in statuses],
            css="chart-bar-status",
        ),
        "focs": charts.stacked_columns(
            [(f"{day:%a}\n{day:%m-%d}", (n_in, n_out)) for day, n_in, n_out in focs],
            series_css=("chart-series-in", "chart-series-out"),
            series_names=("port-in", "port-out"),
        ),
    }


def dashboard(request):
    user = request.user
    if not user.has_perm("orders.view_portorder"):
        # Logged in but in no desk group: nothing to work on (and nothing to count).
        return render(request, "portal/dashboard.html", {"no_role": True})
    ctx = q.QueueContext.build(user=user)
    focs = list(q.focs_soon(ctx))
    rc = cells.RowContext(ctx)
    tomorrow = ctx.days(1)
    rows = [
        {
            "order": order,
            "link": cells.c_order(order, rc),
            "carrier": cells.c_carrier(order, rc).text,
            "assignee": cells.person(order.assignee),
        }
        for order in focs
    ]
    context = {
        "desks": q.dashboard_cards(ctx, user),
        "focs_today": [row for row in rows if row["order"].foc_date == ctx.today],
        "focs_tomorrow": [row for row in rows if row["order"].foc_date == tomorrow],
        "today": ctx.today,
        "tomorrow": tomorrow,
        "job_runs": _job_runs(),
        "charts": _charts(ctx),
    }
    return render(request, "portal/dashboard.html", context)
