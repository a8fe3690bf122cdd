"""Work queue pages: one list component for every queue, its CSV export and bulk actions.

Thin views: check the permission, parse the input, call orders.queues (reads) or
orders.services.queues (writes), render or redirect with a message.
"""

from __future__ import annotations

import math
import re
from functools import cached_property

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from orders.filters import FilterChoices, desk_users
from orders.lifecycle import DomainError
from orders.queues.base import COUNT_CAP, Queue, QueueContext, RowActions
from orders.queues.dashboard import dashboard_cards
from orders.queues.registry import get_queue
from orders.queues.rows import NPAC_CANCEL, REJECTION
from orders.services import queues as services
from orders.tables import RowContext

PER_PAGE = 50
# A filtered view (a filter or the search box) counts at most this many ("1,000+", 20 pages;
# "Narrow the filters"): the filters' columns are not in the queue's index, so counting to
# 10,000 read every row of the queue from the table (unassigned by desk: 0.5-0.7 s at a
# million orders, issue 21); a common value reaches 1,000 after a few thousand rows.
FILTERED_COUNT_CAP = 1_000


# --- forms ------------------------------------------------------------------------------------


class AssigneeField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class BulkAssignForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)
    assignee = AssigneeField(queryset=desk_users(), empty_label="Assign selected to…")

    def __init__(self, *args, choices: FilterChoices | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.widget.attrs.update({"class": "form-select form-select-sm"})
        if choices is not None:
            # Rendering only: the options come from the filter panel's cached lists.
            # Validating a POST still reads the desk users from the database (queryset).
            field.choices = lambda: [("", field.empty_label), *choices("user")]

    def clean_ids(self):
        return self.cleaned_data["ids"]


def _posted_ids(request) -> list[int]:
    ids = []
    for value in request.POST.getlist("ids"):
        if re.fullmatch(r"\d{1,18}", value or ""):
            ids.append(int(value))
    return ids


# --- helpers ----------------------------------------------------------------------------------


def _queue_or_404(slug: str) -> Queue:
    queue = get_queue(slug)
    if queue is None:
        raise Http404("No such queue.")
    return queue


def _require(user, *perms: str) -> None:
    if not all(user.has_perm(perm) for perm in perms if perm):
        raise PermissionDenied


def _back(request, queue: Queue):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(queue.url)


def _report(request, result: services.BulkResult, verb: str) -> None:
    if result.done:
        shown = ", ".join(result.done[:10]) + ("…" if len(result.done) > 10 else "")
        messages.success(request, f"{verb} {len(result.done)}: {shown}.")
    if result.skipped:
        shown = "; ".join(result.skipped[:10]) + ("…" if len(result.skipped) > 10 else "")
        messages.warning(request, f"Skipped {len(result.skipped)}: {shown}.")
    if not result.done and not result.skipped:
        messages.info(request, "Nothing to do.")


class Listing:
    """One queue read through its FilterSet, the overdue switch and a whitelisted sort."""

    # Query parameters that set no filter: without any other, the FilterSet is not even built
    # (the queue is read as is) and the filter panel's markup, the same for everyone, comes
    # from the cache (see filter_panel_seconds).
    NOT_FILTERS = frozenset({"sort", "overdue", "page"})

    def __init__(self, request, queue: Queue, ctx: QueueContext):
        self.queue = queue
        self.ctx = ctx
        self.request = request
        self.choices = FilterChoices()
        self.is_bound = bool(request.GET)
        self.filtering = not self.NOT_FILTERS.issuperset(request.GET.keys())
        self.panel_is_empty = (self.NOT_FILTERS | {"q"}).issuperset(request.GET.keys())
        qs = self.filterset.qs if self.filtering else queue.rows_queryset(ctx)
        self.overdue_only = bool(queue.overdue and request.GET.get("overdue") == "1")
        if self.overdue_only:
            qs = qs.filter(queue.overdue_q(ctx))
        self.sort, ordering = queue.ordering(request.GET.get("sort"))
        self.queryset = qs.order_by(*ordering)

    @cached_property
    def filterset(self):
        request = self.request
        return self.queue.filterset_for(
            request.GET.copy() if request.GET else None,
            self.ctx,
            request=request,
            choices=self.choices,
        )

    @property
    def filters_open(self) -> bool:
        return self.filtering and self.filterset.active

    def headers(self) -> list[dict]:
        current = self.sort.removeprefix("-")
        desc = self.sort.startswith("-")
        headers = []
        for column in self.queue.columns:
            active = column.sort is not None and column.sort == current
            if column.sort is None:
                next_sort = None
            elif active and not desc:
                next_sort = f"-{column.sort}"
            else:
                next_sort = column.sort
            headers.append(
                {
                    "label": column.label,
                    "sort": next_sort,
                    "active": active,
                    "desc": active and desc,
                    "numeric": column.numeric,
                }
            )
        return headers


def _page_numbers(page: int, pages: int) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20: None marks a gap."""
    wanted = {1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)}
    numbers: list[int | None] = []
    last = 0
    for n in sorted(wanted):
        if n - last > 1:
            numbers.append(None)
        numbers.append(n)
        last = n
    return numbers


def _can(user, queue: Queue) -> dict:
    return {
        "work": user.has_perm(queue.work_perm),
        "reassign": user.has_perm("orders.bulk_reassign") and user.has_perm(queue.work_perm),
        "return_to_customer": queue.kind == REJECTION
        and user.has_perm("orders.review_rejections")
        and user.has_perm("orders.change_portorder"),
        "decide": bool(queue.decision_perm) and user.has_perm(queue.decision_perm),
    }


# --- pages ------------------------------------------------------------------------------------


def queue_index(request):
    _require(request.user, "orders.view_portorder")
    ctx = QueueContext.build(user=request.user)
    return render(request, "queues/index.html", {"desks": dashboard_cards(ctx, request.user)})


def queue_detail(request, slug):
    queue = _queue_or_404(slug)
    _require(request.user, queue.view_perm)
    ctx = QueueContext.build(user=request.user)
    listing = Listing(request, queue, ctx)

    cap = min(COUNT_CAP, FILTERED_COUNT_CAP) if listing.filtering else COUNT_CAP
    total = queue.count(listing.queryset, cap)
    pages = max(1, math.ceil(total.value / PER_PAGE))
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    page = min(max(page, 1), pages)
    start = (page - 1) * PER_PAGE
    objects = queue.page_objects(ctx, listing.queryset, start, start + PER_PAGE, total=total)
    can = _can(request.user, queue)
    actions = RowActions(
        work=can["work"],
        decide=can["decide"],
        claim_url=reverse("orders:queue_claim", args=[queue.slug]),
        overdue_title=capfirst(queue.overdue_label),
        decision=queue.decision,
    )
    rows = queue.rows(objects, RowContext(ctx), actions=actions)

    context = {
        "queue": queue,
        # Built only if the template renders the panel (not when it comes from the cache).
        "filterset": SimpleLazyObject(lambda: listing.filterset),
        "is_bound": listing.is_bound,
        "filters_open": listing.filters_open,
        # The panel's markup (crispy, about a third of the page's rendering) is cached
        # while no filter is set: it is then the same for every user.
        "filter_panel_seconds": settings.DASHBOARD_CACHE_SECONDS if listing.panel_is_empty else 0,
        # Likewise the assign form's list of people (never bound on this page).
        "choices_cache_seconds": settings.DASHBOARD_CACHE_SECONDS,
        "overdue_only": listing.overdue_only,
        "headers": listing.headers(),
        "rows": rows,
        "total": total,
        "page": page,
        "pages": pages,
        "page_numbers": _page_numbers(page, pages),
        "first_index": start + 1 if rows else 0,
        "last_index": start + len(rows),
        "sort": listing.sort,
        "queue_can": can,
        "assign_form": BulkAssignForm(choices=listing.choices) if can["work"] else None,
        "npac_cancel_list_url": reverse("orders:portout_npac_cancels")
        if queue.kind == NPAC_CANCEL
        else None,
        "user_id": request.user.pk,
    }
    return render(request, "queues/queue.html", context)


# --- CSV export -------------------------------------------------------------------------------


def queue_export(request, slug):
    queue = _queue_or_404(slug)
    _require(request.user, queue.view_perm)
    ctx = QueueContext.build(user=request.user)
    listing = Listing(request, queue, ctx)
    response = StreamingHttpResponse(
        queue.csv_lines(listing.queryset, ctx), content_type="text/csv; charset=utf-8"
    )
    filename = f"queue-{queue.slug}-{ctx.today.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- actions ----------------------------------------------------------------------------------


@require_POST
def queue_claim(request, slug):
    queue = _queue_or_404(slug)
    _require(request.user, queue.view_perm, queue.work_perm)
    row_id = request.POST.get("claim") or request.POST.get("id") or ""
    if not row_id.isdigit():
        messages.error(request, "Choose the row to claim.")
        return _back(request, queue)
    try:
        result = services.queue_row_claim(kind=queue.kind, row_id=int(row_id), by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        _report(request, result, "Claimed")
    return _back(request, queue)


def _bulk_assign(request, queue: Queue, *, reassign: bool):
    ids = _posted_ids(request)
    form = BulkAssignForm(request.POST)
    form.fields["ids"].choices = [(i, i) for i in ids]
    if not form.is_valid():
        errors = "; ".join(
            f"{'rows' if name == 'ids' else name}: {' '.join(errs)}"
            for name, errs in form.errors.items()
        )
        messages.error(request, f"Select rows and a person to assign them to ({errors}).")
        return _back(request, queue)
    try:
        result = services.queue_rows_assign(
            kind=queue.kind,
            ids=form.cleaned_data["ids"],
            assignee=form.cleaned_data["assignee"],
            by=request.user,
            reassign=reassign,
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        _report(request, result, "Reassigned" if reassign else "Assigned")
    return _back(request, queue)


@require_POST
def queue_assign(request, slug):
    queue = _queue_or_404(slug)
    _require(request.user, queue.view_perm, queue.work_perm)
    return _bulk_assign(request, queue, reassign=False)


@require_POST
def queue_reassign(request, slug):
    queue = _queue_or_404(slug)
    _require(request.user, queue.view_perm, queue.work_perm, "orders.bulk_reassign")
    return _bulk_assign(request, queue, reassign=True)


@require_POST
def queue_return_to_customer(request, slug):
    queue = _queue_or_404(slug)
    if queue.kind != REJECTION:
        raise Http404("Only rejections are returned to the customer.")
    _require(request.user, queue.view_perm, "orders.change_portorder", "orders.review_rejections")
    ids = _posted_ids(request)
    try:
        result = services.rejections_return_to_customer(rejection_ids=ids, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        _report(request, result, "Returned to the customer")
    return _back(request, queue)
