"""The steps the port-out desk's pages share beyond the order page: `portout.py` (LSR intake,
NPAC cancel records) and `portout_csr.py` (CSR requests, disputes).

An action on something other than an order (a CSR request, a dispute, NPAC cancel records)
posts, and `post_action` does the rest in one place: permission check, load, bind the form,
call one service in `orders.services.portout`, turn a `DomainError` into a message naming the
problem, say what was done, redirect. A page with its own form (LSR, CSR request) goes
through `form_page` the same way. Actions on an order are the registry's
(`orders.views.registry`).
"""

import csv
import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from carriers.calendar import CalendarRangeError
from orders.csv_safety import csv_safe
from orders.lifecycle import DomainError
from orders.models import CsrRequest, Direction, PortOrder
from orders.views.common import Said, form_errors, require, say


def order_or_404(pk) -> PortOrder:
    return get_object_or_404(
        PortOrder.objects.select_related("new_carrier", "losing_carrier"),
        pk=pk,
        direction=Direction.PORT_OUT,
    )


def order_url(order) -> str:
    return reverse("orders:order_detail", args=[order.pk])


def csr_request_or_404(pk) -> CsrRequest:
    return get_object_or_404(
        CsrRequest.objects.select_related("requesting_carrier", "answered_by", "created_by"),
        pk=pk,
    )


def csr_request_url(pk) -> str:
    return reverse("orders:portout_csr_detail", args=[pk])


def post_action(
    request,
    perm: str,
    *,
    load: Callable[[], Any],
    back: Callable[[Any], str],
    run: Callable[[Any, Any, Any], Said],
    form: Callable[[Any], Any] | None = None,
    invalid: str = "",
):
    """One port-out POST action.

    The permission is checked before `load()` fetches what the action works on, so an
    outsider gets 403 whatever the id. `back(target)` is where the desk goes afterwards,
    whatever happened. `form(request.POST)` binds the input; when it is invalid each field's
    errors (or the `invalid` message) are shown and no service is called. Otherwise
    `run(request, target, form)` calls the service and returns what to tell the desk; a
    `DomainError` it raises (or a date the business-day calendar cannot count with) becomes
    the error message and nothing is saved.
    """
    require(request.user, perm)
    target = load()
    url = back(target)
    bound = form(request.POST) if form else None
    if bound is not None and not bound.is_valid():
        if invalid:
            messages.error(request, invalid)
        else:
            form_errors(request, bound)
        return redirect(url)
    try:
        said = run(request, target, bound)
    except (DomainError, CalendarRangeError) as exc:
        messages.error(request, str(exc))
    else:
        say(request, said)
    return redirect(url)


def form_page(request, form, template: str, run: Callable[[Any, Any], tuple[Said, str]], **context):
    """A page with one form: shown on GET and again, with the errors, when the POST is invalid
    or the service raises a `DomainError`. On success `run(request, form)` calls the service
    and returns what to tell the desk and the URL to go on to."""
    if request.method == "POST" and form.is_valid():
        try:
            said, url = run(request, form)
        except (DomainError, CalendarRangeError) as exc:
            messages.error(request, str(exc))
        else:
            say(request, said)
            return redirect(url)
    return render(request, template, {"form": form, **context})


# --- CSV downloads -----------------------------------------------------------------------------


def csv_response(filename, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
