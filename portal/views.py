"""The dashboard: every queue's count, the FOCs due now, the jobs' last runs and charts."""

import datetime

from django.shortcuts import render
from django.utils.safestring import mark_safe

from orders.jobs_status import job_last_runs
from orders.models import Direction, Status
from orders.queues.base import QueueContext
from orders.queues.columns import c_carrier, c_order
from orders.queues.dashboard import DashboardFigures, dashboard_snapshot, focs_soon
from orders.tables import Cell, RowContext, col, person, render_row
from reports import charts

# The summary job runs every minute: figures older than this mean it has stopped.
SUMMARY_STALE = datetime.timedelta(minutes=5)


CHART_TITLES = {
    "reasons": "Rejections by reason, last 30 days",
    "carriers": "Port-in rejections by losing carrier, last 30 days",
    "statuses": "Open orders by status",
    "focs": "FOCs per day, next two weeks",
}


def _charts(figures: DashboardFigures) -> dict:
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


def _order_link(o, rc) -> Cell:
    link = c_order(o, rc)  # the queues' order cell, without its nowrap
    return Cell(link.text, href=link.href)


# The FOC list's columns: up to 50 rows of six cells cost more as template lookups than the
# rest of the card, so its rows are rendered as the queues' are.
FOC_COLUMNS = (
    col("day", "FOC", lambda o, rc: Cell("Today" if o.foc_date == rc.today else "Tomorrow")),
    col("order", "Order", _order_link),
    col("direction", "Desk", lambda o, rc: Cell(o.get_direction_display())),
    col("carrier", "Carrier", c_carrier),
    col("tns", "TNs", lambda o, rc: Cell(str(o.tn_count), css="text-end tn"), numeric=True),
    col("assignee", "Assignee", lambda o, rc: Cell(person(o.assignee) or "—")),
)


def _foc_rows(orders, testid: str, rc: RowContext) -> list:
    return [
        render_row((column.cell(o, rc) for column in FOC_COLUMNS), attrs=(("data-testid", testid),))
        for o in orders
    ]


def dashboard(request):
    user = request.user
    if not user.has_perm("orders.view_portorder"):
        # Logged in but in no desk group: nothing to work on (and nothing to count).
        return render(request, "portal/dashboard.html", {"no_role": True})
    ctx = QueueContext.build(user=user)
    # Counts and chart figures: the summary the job refreshes every minute (one row), plus
    # this user's own counts (one query).
    desks, figures = dashboard_snapshot(ctx, user)
    focs = list(focs_soon(ctx))
    rc = RowContext(ctx)
    tomorrow = ctx.days(1)
    context = {
        "desks": desks,
        "focs_today": _foc_rows([o for o in focs if o.foc_date == ctx.today], "foc-today", rc),
        "focs_tomorrow": _foc_rows([o for o in focs if o.foc_date == tomorrow], "foc-tomorrow", rc),
        "today": ctx.today,
        "tomorrow": tomorrow,
        # Read live: two small queries over django-q2's tables (its save_limit bounds them),
        # fewer than a database cache's miss and refill would cost.
        "job_runs": list(job_last_runs()),
        "charts": _charts(figures),
        "figures_as_of": figures.as_of,
        "figures_stale": figures.as_of is not None and ctx.now - figures.as_of > SUMMARY_STALE,
    }
    return render(request, "portal/dashboard.html", context)
