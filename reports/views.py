"""The reports pages and their CSV downloads: managers see every figure, porting staff their
own desk figures (actions, orders held). Thin: permission, the range form, build, render."""

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from carriers.models import Carrier
from carriers.timefmt import zone_name
from orders.csv_safety import csv_safe

from .forms import ReportRangeForm
from .report import build_report, build_scorecard

DESK_PERM = "orders.view_portorder"  # porting staff and managers
# The managers' own permission (the digest and rejection review use it): every figure.
MANAGER_PERM = "orders.review_rejections"


def _person(user) -> int | None:
    """None for a manager (every figure), else the user's id (their own desk figures)."""
    if user.has_perm(MANAGER_PERM):
        return None
    if user.has_perm(DESK_PERM):
        return user.pk
    raise PermissionDenied("Reports are for the porting desk.")


def _range(request):
    form = ReportRangeForm(request.GET)
    if form.is_valid():
        c = form.cleaned_data
        return form, (c["first"], c["last"], c["group"])
    return form, None


@require_safe
def report_page(request):
    person = _person(request.user)
    form, wanted = _range(request)
    report = build_report(*wanted, person=person) if wanted else None
    _link_csvs(report, request, lambda slug: reverse("reports:csv", args=[slug]))
    return render(
        request,
        "reports/report.html",
        {
            "form": form,
            "report": report,
            "own_only": person is not None,
            "query": request.GET.urlencode(),
            "zone": zone_name(),
        },
    )


@require_safe
def report_csv(request, slug):
    person = _person(request.user)
    form, wanted = _range(request)
    if not wanted:
        raise Http404("Give a valid range.")
    return _csv(build_report(*wanted, person=person), slug, "desk-report")


@require_safe
def scorecard_page(request, pk):
    if not request.user.has_perm(MANAGER_PERM):
        raise PermissionDenied("Carrier scorecards are for managers.")
    carrier = get_object_or_404(Carrier, pk=pk)
    form, wanted = _range(request)
    report = build_scorecard(*wanted, carrier=carrier) if wanted else None
    _link_csvs(report, request, lambda slug: reverse("reports:scorecard_csv", args=[pk, slug]))
    return render(
        request,
        "reports/scorecard.html",
        {
            "form": form,
            "report": report,
            "carrier": carrier,
            "query": request.GET.urlencode(),
            "zone": zone_name(),
        },
    )


@require_safe
def scorecard_csv(request, pk, slug):
    if not request.user.has_perm(MANAGER_PERM):
        raise PermissionDenied("Carrier scorecards are for managers.")
    carrier = get_object_or_404(Carrier, pk=pk)
    form, wanted = _range(request)
    if not wanted:
        raise Http404("Give a valid range.")
    return _csv(build_scorecard(*wanted, carrier=carrier), slug, f"scorecard-{carrier.pk}")


def _link_csvs(report, request, url) -> None:
    """Each table's download link: the same range as the page."""
    if report is None:
        return
    query = request.GET.urlencode()
    for tables in report.sections.values():
        for table in tables:
            table.csv_url = f"{url(table.slug)}?{query}" if query else url(table.slug)


def _csv(report, slug, stem) -> HttpResponse:
    """The table exactly as the page shows it; every cell through csv_safe (a carrier or a
    person's name is typed by someone)."""
    table = report.table(slug)
    if table is None:
        raise Http404("No such table in this report.")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(h) for h in table.headers])
    for row in table.rows:
        writer.writerow(["" if v is None else csv_safe(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"{stem}-{slug}-{report.first:%Y%m%d}-{report.last:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
