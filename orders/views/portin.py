"""The port-in desk's pages and the order page shared by both desks.

Thin views: check the permission, parse the input with a crispy form, call one service, then
redirect with a message. A `DomainError` from a service becomes `messages.error` and nothing
is saved. The order page offers an action only when the lifecycle's table allows it.
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carriers.calendar import CalendarRangeError
from carriers.tn import format_tn
from orders import order_list as listing
from orders.crypto import mask_pin
from orders.forms import portin as forms
from orders.lifecycle import DomainError, allowed_moves
from orders.models import (
    Document,
    OrderNumber,
    PortInCsr,
    PortOrder,
    Rejection,
    Status,
    Supplement,
)
from orders.services import orders as order_services
from orders.services import portin as portin_services
from orders.tn_ranges import TNRange, tn_ranges

S = Status
PAGE_SIZE = 50


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def order_list(request):
    _require(request.user, "orders.view_portorder")
    form = forms.OrderFilterForm(request.GET or None)
    orders = (
        listing.orders_listed(**form.cleaned_data) if form.is_valid() else listing.orders_listed()
    )
    paginator = listing.CappedPaginator(orders, PAGE_SIZE, cap=listing.ORDER_LIST_COUNT_CAP)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "orders/order_list.html",
        {
            "form": form,
            "page": page,
            "orders": page.object_list,
            "rows": listing.order_rows(page.object_list),
            "query": query.urlencode(),
        },
    )


# --- new port-in orders --------------------------------------------------------------------------


def portin_new(request):
    _require(request.user, "orders.add_portorder")
    if request.method == "POST":
        form = forms.PortInOrderForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = portin_services.portin_orders_create(
                    tns=data["tn_list"],
                    created_by=request.user,
                    account_name=data["account_name"],
                    account_number=data["account_number"],
                    btn=data["btn"],
                    authorized_person=data["authorized_person"],
                    service_address=data["service_address"],
                    city=data["city"],
                    state=data["state"],
                    zip_code=data["zip_code"],
                    requested_due_date=data["requested_due_date"],
                    notification_email=data["notification_email"],
                    pin=data["pin"],
                    remarks=data["remarks"],
                    authorization_indicator=data["authorization"],
                )
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                if result.orders:
                    messages.success(
                        request,
                        f"{len(result.orders)} port-in order(s) created as drafts, one per "
                        "losing SPID.",
                    )
                else:
                    messages.error(request, "No order was created: every TN was refused.")
                # Post/Redirect/Get: a reload of the result shows it again, never resubmits.
                request.session[CREATED_SESSION_KEY] = {
                    "orders": [o.pk for o in result.orders],
                    "refused": [[r.tn, r.reason] for r in result.refused],
                }
                return redirect(f"{reverse('orders:portin_new')}?created=1")
    elif request.GET.get("created") and CREATED_SESSION_KEY in request.session:
        return _portin_created(request, request.session[CREATED_SESSION_KEY])
    else:
        form = forms.PortInOrderForm()
    return render(request, "orders/portin_new.html", {"form": form})


# Where the new-order page keeps what its last POST created, for the page it redirects to.
CREATED_SESSION_KEY = "portin_created"


def _portin_created(request, created: dict):
    orders = list(
        PortOrder.objects.filter(pk__in=created.get("orders", []))
        .select_related("losing_carrier", "losing_spid", "route_via")
        .order_by("pk")
    )
    return render(
        request,
        "orders/portin_created.html",
        {
            "created": orders,
            "refused": [
                {"tn": tn, "display": _display_tn(tn), "reason": reason}
                for tn, reason in created.get("refused", [])
            ],
        },
    )


def _display_tn(value: str) -> str:
    return format_tn(value) if value.isdigit() and len(value) == 10 else value


# --- the order page ----------------------------------------------------------------------------


def _order_queryset():
    return PortOrder.objects.select_related(
        "losing_carrier",
        "losing_spid",
        "new_carrier",
        "new_spid",
        "route_via",
        "assignee",
        "created_by",
        "simple_port_override_by",
        "csr",
        "csr__recorded_by",
        "csr__override_by",
        "customer_account",  # R19: the port-out section shows the account's lock
    )


@dataclass(frozen=True)
class Action:
    """One action form on the order page: when it is offered and what it does."""

    slug: str
    title: str
    form_class: type
    offered: Callable[[PortOrder], bool]
    run: Callable[[Any, PortOrder, Any], str]
    perm: str = "orders.change_portorder"
    port_in_only: bool = True
    group: str = "moves"
    # Beyond `perm`: whether this user may take the action on this order now (the service
    # checks again); None: `perm` is enough.
    permitted: Callable[[Any, PortOrder], bool] | None = None


def _moves(order) -> frozenset:
    return allowed_moves(order)


def _run_submit(request, order, form):
    portin_services.order_submit(order=order, user=request.user, expected_status=form.expected)
    return "LSR sent: the order is submitted."


def _run_foc(request, order, form):
    portin_services.foc_record(
        order=order,
        user=request.user,
        foc_date=form.cleaned_data["foc_date"],
        confirmed=form.cleaned_data["confirm_unusual"],
        expected_status=form.expected,
    )
    return f"FOC {order.foc_date:%Y-%m-%d} recorded; the customer is emailed."


def _run_lsp_reject(request, order, form):
    portin_services.lsp_reject_record(
        order=order,
        user=request.user,
        reason_codes=[r.code for r in form.cleaned_data["reasons"]],
        text=form.cleaned_data["text"],
        expected_status=form.expected,
    )
    return "Reject recorded: the order is in exception for the desk to fix."


def _run_exception_resend(request, order, form):
    portin_services.exception_resend(
        order=order,
        user=request.user,
        note=form.cleaned_data["note"],
        expected_status=form.expected,
    )
    return "Resent to the losing carrier: the order is submitted again."


def _run_return(request, order, form):
    portin_services.order_return_to_customer(
        order=order,
        user=request.user,
        reason_codes=[r.code for r in form.cleaned_data["reasons"]],
        message=form.cleaned_data["message"],
        expected_status=form.expected,
    )
    return "Returned to the customer, who is emailed the reasons and instructions."


def _run_resubmission(request, order, form):
    portin_services.customer_resubmission_record(
        order=order,
        user=request.user,
        note=form.cleaned_data["note"],
        expected_status=form.expected,
    )
    return "Resubmission recorded: the order is in review."


def _run_review_resend(request, order, form):
    portin_services.review_resend(
        order=order,
        user=request.user,
        note=form.cleaned_data["note"],
        expected_status=form.expected,
    )
    return "Reviewed and resent: the order is submitted again."


def _run_sup(request, order, form):
    sup = portin_services.portin_sup_record(
        order=order,
        user=request.user,
        sup_type=form.cleaned_data["sup_type"],
        requested_due_date=form.cleaned_data["requested_due_date"],
        remarks=form.cleaned_data["remarks"],
        expected_status=form.expected,
    )
    return f"{sup.get_sup_type_display()} recorded."


def _run_activate(request, order, form):
    count = portin_services.numbers_activate(
        order=order, user=request.user, tns=form.cleaned_data["tns"], expected_status=form.expected
    )
    if order.status == S.COMPLETED:
        return f"{count} TN(s) activated: every TN is active and the order is complete."
    return f"{count} TN(s) activated."


def _run_complete(request, order, form):
    portin_services.order_complete(order=order, user=request.user, expected_status=form.expected)
    return "Order complete; the customer is emailed."


def _run_cancel(request, order, form):
    was_sent = order.status != S.DRAFT
    portin_services.order_cancel(
        order=order,
        user=request.user,
        reason=form.cleaned_data["reason"],
        expected_status=form.expected,
    )
    return "Order cancelled" + (" (SUP 1 to the losing carrier)." if was_sent else ".")


def _csr_fields(form):
    return {k: v for k, v in form.cleaned_data.items() if k != "expected_status"}


def _run_csr(request, order, form):
    csr = portin_services.portin_csr_record(
        order=order, user=request.user, expected_status=form.expected, **_csr_fields(form)
    )
    if csr.mismatches:
        return "CSR recorded: it does not match the order (see the comparison)."
    return "CSR recorded: it matches the order."


def _run_csr_override(request, order, form):
    portin_services.portin_csr_override(
        order=order,
        user=request.user,
        reason=form.cleaned_data["reason"],
        expected_status=form.expected,
    )
    return "CSR mismatch overridden."


def _run_edit(request, order, form):
    changed = portin_services.portin_order_update(
        order=order,
        user=request.user,
        changes=form.changes(),
        pin=form.cleaned_data["pin"],
        expected_status=form.expected,
        expected_revision=form.seen_revision,
    )
    return f"Saved: {', '.join(changed)}." if changed else "Nothing changed."


def _run_simple_port(request, order, form):
    portin_services.simple_port_override(
        order=order,
        user=request.user,
        simple=form.value(),
        reason=form.cleaned_data["reason"],
        expected_revision=form.seen_revision,
    )
    return "Simple-port classification saved."


def _run_assign(request, order, form):
    assignee = form.cleaned_data["assignee"]
    if "to_me" in request.POST:
        assignee = request.user
    order_services.order_assign(order=order, assignee=assignee, by=request.user)
    return f"Assigned to {assignee.get_username()}." if assignee else "Unassigned."


def _run_comment(request, order, form):
    order_services.comment_add(
        order=order,
        author=request.user,
        body=form.cleaned_data["body"],
        visibility=form.cleaned_data["visibility"],
        source=form.cleaned_data["source"],
    )
    return "Comment added."


def _editable(order) -> bool:
    return order.status in portin_services.EDITABLE_STATUSES


ACTIONS: dict[str, Action] = {
    a.slug: a
    for a in [
        Action(
            "submit",
            "Submit the LSR",
            forms.SubmitOrderForm,
            lambda o: o.status == S.DRAFT and S.SUBMITTED in _moves(o),
            _run_submit,
        ),
        Action(
            "foc",
            "Record the FOC",
            forms.FocForm,
            lambda o: o.status == S.SUBMITTED and S.ACCEPTED in _moves(o),
            _run_foc,
        ),
        Action(
            "lsp-reject",
            "Losing carrier rejected",
            forms.LspRejectForm,
            lambda o: o.status in (S.SUBMITTED, S.ACCEPTED) and S.EXCEPTION in _moves(o),
            _run_lsp_reject,
        ),
        Action(
            "exception-resend",
            "Fixed by the desk: resend",
            forms.ExceptionResendForm,
            lambda o: o.status == S.EXCEPTION and S.SUBMITTED in _moves(o),
            _run_exception_resend,
        ),
        Action(
            "return-to-customer",
            "Return to the customer",
            forms.ReturnToCustomerForm,
            lambda o: S.REJECTED in _moves(o),
            _run_return,
        ),
        Action(
            "customer-resubmission",
            "Customer resubmitted",
            forms.CustomerResubmissionForm,
            lambda o: S.REVIEW in _moves(o),
            _run_resubmission,
        ),
        Action(
            "review-resend",
            "Reviewed: resend",
            forms.ReviewResendForm,
            lambda o: o.status == S.REVIEW and S.SUBMITTED in _moves(o),
            _run_review_resend,
        ),
        Action(
            "sup",
            "Supplement (SUP 2 / SUP 3)",
            forms.SupForm,
            lambda o: (
                o.status == S.SUBMITTED or (o.status == S.ACCEPTED and S.SUBMITTED in _moves(o))
            ),
            _run_sup,
        ),
        Action(
            "activate",
            "TNs activated",
            forms.ActivateForm,
            lambda o: o.status == S.ACCEPTED and S.COMPLETED in _moves(o),
            _run_activate,
        ),
        Action(
            "complete",
            "Complete",
            forms.CompleteForm,
            lambda o: o.status == S.ACCEPTED and S.COMPLETED in _moves(o),
            _run_complete,
            # Before the FOC date completing is a manager's call.
            permitted=lambda user, o: (
                not portin_services.completes_early(o) or portin_services.may_complete_early(user)
            ),
        ),
        Action(
            "cancel",
            "Cancel",
            forms.CancelForm,
            lambda o: S.CANCELLED in _moves(o),
            _run_cancel,
        ),
        Action(
            "csr",
            "Record the CSR",
            forms.CsrForm,
            lambda o: o.csr_status != PortOrder.CsrStatus.NOT_REQUIRED and _editable(o),
            _run_csr,
            perm="orders.add_portincsr",
            group="csr",
        ),
        Action(
            "csr-override",
            "Override the CSR mismatch",
            forms.CsrOverrideForm,
            lambda o: o.csr_status == PortOrder.CsrStatus.MISMATCHED and _editable(o),
            _run_csr_override,
            perm="orders.change_portincsr",
            group="csr",
        ),
        Action("edit", "Fix the order", forms.OrderEditForm, _editable, _run_edit, group="edit"),
        Action(
            "simple-port",
            "Simple-port classification",
            forms.SimplePortForm,
            lambda o: o.is_open,
            _run_simple_port,
            port_in_only=False,
            group="edit",
        ),
        Action(
            "assign",
            "Assign",
            forms.AssignForm,
            lambda o: True,
            _run_assign,
            port_in_only=False,
            group="side",
        ),
        Action(
            "comment",
            "Comment",
            forms.CommentForm,
            lambda o: True,
            _run_comment,
            perm="orders.add_comment",
            port_in_only=False,
            group="side",
        ),
    ]
}


def _form_kwargs(action: Action, order: PortOrder) -> dict:
    if action.slug == "csr":
        return {"csr": _csr_of(order)}
    return {}


def _csr_of(order) -> PortInCsr | None:
    try:
        return order.csr
    except PortInCsr.DoesNotExist:
        return None


@dataclass
class TimelineEntry:
    at: Any
    kind: str  # status, comment, supplement, rejection, document
    title: str
    body: str = ""
    who: str = ""
    badge: str = ""
    extra: Any = None
    sort_key: int = 0


_KIND_ORDER = {"status": 0, "rejection": 1, "supplement": 2, "document": 3, "comment": 4}


def order_page_prefetches() -> tuple[Prefetch, ...]:
    """The supplements and rejections of the order page, read once.

    Both the timeline and the port-out section show them; prefetched onto the order, the
    second reader costs no query (`prefetch_related_objects` skips what is already there).
    Model ordering kept: newest first, as the port-out section lists them.
    """
    return (
        Prefetch("supplements", queryset=Supplement.objects.select_related("created_by")),
        Prefetch(
            "rejections",
            queryset=Rejection.objects.select_related("raised_by").prefetch_related("reasons"),
        ),
    )


def build_timeline(order: PortOrder) -> list[TimelineEntry]:
    """History, comments, supplements, rejections and documents, newest first.

    One query per kind (plus one for the rejection reasons), whatever the order's size.
    """
    prefetch_related_objects([order], *order_page_prefetches())
    entries: list[TimelineEntry] = []
    status_label = dict(Status.choices)
    for h in order.history.select_related("actor").order_by():
        title = (
            f"Created as {status_label.get(h.to_status, h.to_status)}"
            if not h.from_status
            else f"{status_label.get(h.from_status, h.from_status)} → "
            f"{status_label.get(h.to_status, h.to_status)}"
        )
        entries.append(
            TimelineEntry(h.created_at, "status", title, h.reason, h.who, h.to_status, None, h.pk)
        )
    for c in order.comments.select_related("author").order_by():
        who = c.author.get_username() if c.author_id else c.get_source_display()
        if c.source == c.Source.SYSTEM:
            title = "Portal note"
        elif c.source == c.Source.CUSTOMER:
            title = "From the customer"
        else:
            title = "Comment"
        if c.visibility == c.Visibility.CUSTOMER:
            title += " (customer-visible)"
        entries.append(TimelineEntry(c.created_at, "comment", title, c.body, who, "", c, c.pk))
    for s in order.supplements.all():
        body_parts = []
        if s.requested_due_date:
            body_parts.append(f"New requested due date {s.requested_due_date:%Y-%m-%d}.")
        if s.previous_foc_date:
            body_parts.append(f"Previous FOC {s.previous_foc_date:%Y-%m-%d}.")
        if s.new_foc_date:
            body_parts.append(f"New FOC {s.new_foc_date:%Y-%m-%d}.")
        if s.remarks:
            body_parts.append(s.remarks)
        who = s.created_by.get_username() if s.created_by_id else ""
        entries.append(
            TimelineEntry(
                s.received_at,
                "supplement",
                s.get_sup_type_display(),
                " ".join(body_parts),
                who,
                "",
                s,
                s.pk,
            )
        )
    for r in order.rejections.all():
        who = r.raised_by.get_username() if r.raised_by_id else ""
        state = (
            "resolved"
            if r.resolved_at
            else ("returned to the customer" if r.returned_to_customer_at else "open")
        )
        entries.append(
            TimelineEntry(
                r.raised_at,
                "rejection",
                f"Rejection by {r.get_source_display().lower()} ({state})",
                r.text,
                who,
                "",
                list(r.reasons.all()),
                r.pk,
            )
        )
    for d in order.documents.select_related("uploaded_by").order_by():
        who = d.uploaded_by.get_username() if d.uploaded_by_id else ""
        entries.append(
            TimelineEntry(
                d.uploaded_at, "document", f"{d.get_kind_display()} uploaded", "", who, "", d, d.pk
            )
        )
    entries.sort(key=lambda e: (e.at, _KIND_ORDER[e.kind], e.sort_key), reverse=True)
    return entries


# --- the order's numbers ----------------------------------------------------------------------

# What the numbers card reads of each TN: values, not model instances (a project port's 2,000
# instances with a get_*_display and a |date per row were most of its page's time).
NUMBER_FIELDS = ("tn", "disposition", "npac_status", "activated_at")
# Lines of the numbers card at most; the CSV download always lists every TN.
MAX_NUMBER_ROWS = 100
_DISPOSITION_LABELS = dict(OrderNumber.Disposition.choices)
_NPAC_LABELS = dict(OrderNumber.NpacStatus.choices)
_MINUTE = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class NumberRow:
    """One line of the numbers card: one TN, or a range of consecutive TNs in one state."""

    tns: str
    count: int
    disposition: str
    npac_status: str
    activated: str


def _activated_label(times) -> str:
    """When the TNs of a line were activated: one minute, or the first and last."""
    stamps = [t for t in times if t is not None]
    if not stamps:
        return ""
    first = timezone.localtime(min(stamps)).strftime(_MINUTE)
    last = timezone.localtime(max(stamps)).strftime(_MINUTE)
    if first == last:
        return first
    return f"{first} – {last[11:] if first[:10] == last[:10] else last}"


def _number_state(row) -> tuple:
    _tn, disposition, npac_status, activated_at = row
    return disposition, npac_status, activated_at is not None


def _tn_of(row) -> str:
    return row[0]


def number_rows(ranges: list[TNRange]) -> list[NumberRow]:
    """The numbers card's lines from ranges of (tn, disposition, npac_status, activated_at)
    rows keyed by `_number_state`."""
    rows = []
    for r in ranges:
        disposition, npac_status, activated = r.key
        rows.append(
            NumberRow(
                tns=r.label,
                count=r.count,
                disposition=_DISPOSITION_LABELS.get(disposition, disposition),
                npac_status=_NPAC_LABELS.get(npac_status, npac_status),
                activated=_activated_label(row[3] for row in r.rows) if activated else "",
            )
        )
    return rows


def numbers_context(numbers) -> dict:
    """The numbers card: each TN of a small order, a project port's TNs as ranges.

    `numbers` are (tn, disposition, npac_status, activated_at) rows. A range holds consecutive
    TNs with the same disposition, NPAC state and activation (activated or not), so it hides
    no state; each TN's exact activation time is in the CSV. At most MAX_NUMBER_ROWS lines
    are shown, then how many more there are (TNs scattered over many exchanges).
    """
    ranges = tn_ranges(numbers, tn=_tn_of, key=_number_state)
    by_disposition: dict[str, int] = {}
    activated_count = 0
    for r in ranges:
        disposition, _npac_status, activated = r.key
        by_disposition[disposition] = by_disposition.get(disposition, 0) + r.count
        activated_count += r.count if activated else 0
    one_per_tn = len(numbers) < settings.PORTING["PROJECT_PORT_TNS"]
    if one_per_tn:
        ranges = [TNRange(row[0], row[0], r.key, (row,)) for r in ranges for row in r.rows]
    hidden = ranges[MAX_NUMBER_ROWS:]
    return {
        "tn_count": len(numbers),
        "activated_count": activated_count,
        "numbers_collapsed": not one_per_tn,
        "number_rows": number_rows(ranges[:MAX_NUMBER_ROWS]),
        "hidden_rows": len(hidden),
        "hidden_tns": sum(r.count for r in hidden),
        "disposition_counts": by_disposition,
        # Only worth a mention when the order is not all "port" (a partial port-out, R13).
        "disposition_summary": [
            (_DISPOSITION_LABELS[key], by_disposition[key])
            for key in OrderNumber.Disposition.values
            if by_disposition.get(key)
        ]
        if set(by_disposition) - {OrderNumber.Disposition.PORT}
        else [],
    }


NUMBERS_CSV_HEADER = ["tn", "disposition", "npac_status", "activated_at"]


def order_numbers_csv(request, pk: int):
    """Every TN of the order, one row each: the full list behind the page's ranges.

    Only the numbers and their state: nothing of the account (no account number, no PIN).
    """
    _require(request.user, "orders.view_portorder")
    order = get_object_or_404(PortOrder.objects.only("pk", "pon", "version"), pk=pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(NUMBERS_CSV_HEADER)
    for tn, disposition, npac_status, activated_at in order.numbers.values_list(*NUMBER_FIELDS):
        writer.writerow(
            [
                tn,
                _DISPOSITION_LABELS.get(disposition, disposition),
                _NPAC_LABELS.get(npac_status, npac_status),
                timezone.localtime(activated_at).strftime("%Y-%m-%d %H:%M:%S")
                if activated_at
                else "",
            ]
        )
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", order.pon) or str(order.pk)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-v{order.version}-tns.csv"'
    return response


def _portout_section(request, order, *, disposition_counts=None) -> str | None:
    """The port-out desk's part of the order page, when that desk's code is there."""
    if not order.is_port_out:
        return None
    try:
        from orders.views import portout as portout_views
    except ModuleNotFoundError as exc:
        if exc.name != "orders.views.portout":
            raise
        return None
    detail_context = getattr(portout_views, "detail_context", None)
    if detail_context is None:
        return None
    try:
        get_template("orders/_detail_portout.html")
    except TemplateDoesNotExist:
        return None
    context = detail_context(request, order, disposition_counts=disposition_counts) or {}
    return render_to_string(
        "orders/_detail_portout.html",
        {**context, "order": order, "portout": context},
        request=request,
    )


def _render_detail(request, order: PortOrder, *, bound: dict | None = None, status: int = 200):
    user = request.user
    numbers = list(order.numbers.values_list(*NUMBER_FIELDS))
    prefetch_related_objects([order], *order_page_prefetches())
    csr = _csr_of(order) if order.is_port_in else None
    comparison = None
    if csr is not None:
        comparison = portin_services.csr_comparison(order, order_tns=[n[0] for n in numbers])
    forms_by_group: dict[str, list] = {"moves": [], "csr": [], "edit": [], "side": []}
    for action in ACTIONS.values():
        if action.port_in_only and not order.is_port_in:
            continue
        if not action.offered(order) or not user.has_perm(action.perm):
            continue
        if action.permitted is not None and not action.permitted(user, order):
            continue
        form = (bound or {}).get(action.slug) or action.form_class(
            order=order, **_form_kwargs(action, order)
        )
        forms_by_group[action.group].append({"action": action, "form": form})
    document_form = None
    if user.has_perm("orders.add_document"):
        document_form = (bound or {}).get("document") or forms.DocumentForm(order=order)
    numbers_card = numbers_context(numbers)
    context = {
        "order": order,
        **numbers_card,
        "csr": csr,
        "comparison": comparison,
        "timeline": build_timeline(order),
        "action_forms": forms_by_group,
        "document_form": document_form,
        "open_action": next(iter(bound), None) if bound else None,
        "pin_mask": mask_pin(order.pin_encrypted),
        "simple_port_effective": (
            order.simple_port if order.simple_port_override is None else order.simple_port_override
        ),
        "allowed_moves": sorted(allowed_moves(order)),
        "portout_section": _portout_section(
            request, order, disposition_counts=numbers_card["disposition_counts"]
        ),
    }
    return render(request, "orders/order_detail.html", context, status=status)


def order_detail(request, pk: int):
    _require(request.user, "orders.view_portorder")
    order = get_object_or_404(_order_queryset(), pk=pk)
    return _render_detail(request, order)


def _redirect_to(order):
    return redirect("orders:order_detail", pk=order.pk)


@require_POST
def order_action(request, pk: int, action: str):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action.")
    _require(request.user, spec.perm)
    order = get_object_or_404(_order_queryset(), pk=pk)
    form = spec.form_class(request.POST, request.FILES, order=order, **_form_kwargs(spec, order))
    if not form.is_valid():
        messages.error(request, f"{spec.title}: check the form below.")
        return _render_detail(request, order, bound={spec.slug: form})
    try:
        message = spec.run(request, order, form)
    except (DomainError, CalendarRangeError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return _redirect_to(order)


# --- documents -------------------------------------------------------------------------------


@require_POST
def document_upload(request, pk: int):
    _require(request.user, "orders.add_document")
    order = get_object_or_404(_order_queryset(), pk=pk)
    form = forms.DocumentForm(request.POST, request.FILES, order=order)
    if not form.is_valid():
        messages.error(request, "Upload: check the form below.")
        return _render_detail(request, order, bound={"document": form})
    try:
        document = order_services.document_add(
            order=order,
            kind=form.cleaned_data["kind"],
            uploaded_file=form.cleaned_data["file"],
            user=request.user,
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"{document.get_kind_display()} “{document.original_name}” uploaded."
        )
    return _redirect_to(order)


@never_cache
def document_download(request, pk: int):
    """Served only through this view (login required), always as an attachment."""
    _require(request.user, "orders.view_document")
    document = get_object_or_404(Document, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The document's file is missing from storage.") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- PIN ---------------------------------------------------------------------------------------


@require_POST
@never_cache
def pin_reveal(request, pk: int):
    _require(request.user, "orders.reveal_pin")
    order = get_object_or_404(PortOrder.objects.select_related("losing_carrier"), pk=pk)
    try:
        pin = portin_services.pin_reveal(order=order, user=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        return _redirect_to(order)
    response = render(
        request,
        "orders/pin_reveal.html",
        {"order": order, "pin": pin, "back": reverse("orders:order_detail", args=[order.pk])},
    )
    response["Cache-Control"] = "no-store, private"
    return response
