"""The dashboard: every queue's count, the FOCs due now, the jobs' last runs and charts."""

from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.safestring import mark_safe

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


def _cached_job_runs():
    """The jobs' last runs, cached like the counts: the jobs run every few minutes at most,
    and a refreshing dashboard should not read django-q's tables each time."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return _job_runs()
    return cache.get_or_set("dashboard-job-runs", _job_runs, seconds)


CHART_TITLES = {
    "reasons": "Rejections by reason, last 30 days",
    "carriers": "Port-in rejections by losing carrier, last 30 days",
    "statuses": "Open orders by status",
    "focs": "FOCs per day, next two weeks",
}


def _charts(figures: q.DashboardFigures) -> dict:
    """Each chart's title and SVG (None when there is nothing to draw)."""
    desk = {Direction.PORT_IN: "in", Direction.PORT_OUT: "out"}
    shapes = {
        "reasons": charts.horizontal_bars(
            [(f"{code} {title}", n) for code, title, n in figures.reasons],
            css="chart-bar-reason",
        ),
        "carriers": charts.horizontal_bars(figures.carriers, css="chart-bar-carrier"),
        "statuses": charts.horizontal_bars(
            [(f"{desk[d]} · {Status(s).label}", n) for d, s, n in figures.statuses],
            css="chart-bar-status",
        ),
        "focs": charts.stacked_columns(
            [(f"{day:%a}\n{day:%m-%d}", (n_in, n_out)) for day, n_in, n_out in figures.focs],
            series_css=("chart-series-in", "chart-series-out"),
            series_names=("port-in", "port-out"),
        ),
    }
    return {
        name: {
            "title": CHART_TITLES[name],
            # charts.Chart.svg escapes every text it writes.
            "svg": None if chart.empty else mark_safe(chart.svg(CHART_TITLES[name])),
        }
        for name, chart in shapes.items()
    }


def _foc_rows(orders, day: str, rc) -> list:
    """The FOC list's rows as markup (escaped by cells.cell_html): up to 50 rows of six cells
    cost more as template lookups than the rest of the card."""
    testid = "foc-today" if day == "Today" else "foc-tomorrow"
    rows = []
    for order in orders:
        link = cells.c_order(order, rc)
        row = (
            cells.Cell(day),
            cells.Cell(link.text, href=link.href),
            cells.Cell(order.get_direction_display()),
            cells.Cell(cells.c_carrier(order, rc).text),
            cells.Cell(str(order.tn_count), css="text-end tn"),
            cells.Cell(cells.person(order.assignee) or "—"),
        )
        html = "".join(cells.cell_html(cell) for cell in row)
        rows.append(mark_safe(f'<tr data-testid="{testid}">{html}</tr>'))
    return rows


def dashboard(request):
    user = request.user
    if not user.has_perm("orders.view_portorder"):
        # Logged in but in no desk group: nothing to work on (and nothing to count).
        return render(request, "portal/dashboard.html", {"no_role": True})
    ctx = q.QueueContext.build(user=user)
    # Counts and chart figures: cached and shared, plus this user's own counts (one query).
    desks, figures = q.dashboard_snapshot(ctx, user)
    focs = list(q.focs_soon(ctx))
    rc = cells.RowContext(ctx)
    tomorrow = ctx.days(1)
    context = {
        "desks": desks,
        "focs_today": _foc_rows([o for o in focs if o.foc_date == ctx.today], "Today", rc),
        "focs_tomorrow": _foc_rows([o for o in focs if o.foc_date == tomorrow], "Tomorrow", rc),
        "today": ctx.today,
        "tomorrow": tomorrow,
        "job_runs": _cached_job_runs(),
        "charts": _charts(figures),
    }
    return render(request, "portal/dashboard.html", context)
