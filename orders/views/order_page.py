"""The order page both desks share, and the one view that runs every order action.

The page: the header, the port-in CSR comparison, the numbers card (`order_numbers`), the
port-out section (`portout_section`), the timeline (`order_timeline`) and the action panel,
which offers the registry's actions (`registry`) whose desk, statuses and permissions match.
A port-out's decision (FOC or reject, a manager's expedite or SUP-flag call) and the findings
behind it head the action panel, where the eye is, not below the numbers.

An action posts to `order_action`: permission check, load, parse the form, call the action's
service, tell the desk, back to the order. A `DomainError` from the service (or a date the
business-day calendar cannot count with) becomes an error message and nothing is saved.
"""

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from carriers.calendar import CalendarRangeError
from orders.crypto import mask_pin
from orders.forms.portin_actions import csr_of
from orders.lifecycle import DomainError, OrderChanged, allowed_moves
from orders.models import PortOrder
from orders.services import portin as portin_services
from orders.views.actions import PAGE, PANEL_GROUPS, SECTION, Action, Done
from orders.views.common import form_errors, require, say
from orders.views.order_customer import customer_context
from orders.views.order_numbers import NUMBER_FIELDS, numbers_context
from orders.views.order_timeline import build_timeline, order_page_prefetches
from orders.views.order_versions import versions_context
from orders.views.portout_section import portout_context
from orders.views.registry import ACTIONS, offered_actions


def order_queryset():
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


def _action_panel(offered: dict[str, Action], order, bound: dict) -> dict[str, list]:
    """The panel's forms by group: the form posted back with its errors, else a fresh one."""
    panel: dict[str, list] = {group: [] for group in PANEL_GROUPS}
    for action in offered.values():
        if action.group in panel:
            form = bound.get(action.slug) or action.form(order=order)
            panel[action.group].append({"action": action, "form": form})
    return panel


def render_order_page(request, order: PortOrder, *, bound: dict | None = None):
    """The order page; `bound`: {slug: form} of an action posted with errors, shown again."""
    bound = bound or {}
    numbers = list(order.numbers.values_list(*NUMBER_FIELDS))
    prefetch_related_objects([order], *order_page_prefetches())
    csr = csr_of(order) if order.is_port_in else None
    comparison = None
    if csr is not None:
        comparison = portin_services.csr_comparison(order, order_tns=[n[0] for n in numbers])
    offered = offered_actions(request.user, order)
    panel = _action_panel(offered, order, bound)
    numbers_card = numbers_context(numbers)
    context = {
        "order": order,
        **numbers_card,
        "csr": csr,
        "comparison": comparison,
        "timeline": build_timeline(order),
        "versions": versions_context(order),
        # Issue 19: the LOA's state and the customer's links (port-in only).
        "customer": customer_context(order) if order.is_port_in else None,
        "action_forms": panel,
        "open_action": next(iter(bound), None),
        "pin_mask": mask_pin(order.pin_encrypted),
        "simple_port_effective": (
            order.simple_port if order.simple_port_override is None else order.simple_port_override
        ),
        "allowed_moves": sorted(allowed_moves(order)),
        # One port-out context for two places: the decision at the top of the actions
        # column (`_portout_decision.html`) and the section under the numbers.
        "portout": portout_context(
            order, offered=offered, disposition_counts=numbers_card["disposition_counts"]
        )
        if order.is_port_out
        else None,
    }
    return render(request, "orders/order_detail.html", context)


def order_detail(request, pk: int):
    require(request.user, "orders.view_portorder")
    order = get_object_or_404(order_queryset(), pk=pk)
    return render_order_page(request, order)


def order_action(request, pk: int, action: str):
    """Run one registered action on one order (the URL names the action)."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action.")
    if request.method != "POST" and not (spec.group == PAGE and request.method == "GET"):
        return HttpResponseNotAllowed(["POST"])
    require(request.user, *spec.perms)
    order = get_object_or_404(order_queryset(), pk=pk)
    if order.direction not in spec.statuses:
        raise Http404(f"No such action on a {order.get_direction_display()} order.")
    back = redirect("orders:order_detail", pk=order.pk)
    form = None
    if spec.form is not None:
        if request.method != "POST":
            return _action_page(request, spec, order, spec.form(order=order))
        form = spec.form(request.POST, request.FILES, order=order)
        if not form.is_valid():
            return _invalid(request, spec, order, form, back)
    before = order.status
    try:
        args = spec.service_args(form, request.user)
        result = spec.service(order=order, by=request.user, **args)
    except (DomainError, CalendarRangeError) as exc:
        messages.error(request, str(exc))
        if spec.group == PAGE:
            return _action_page(request, spec, order, form)
        if form is not None and spec.group in PANEL_GROUPS and not isinstance(exc, OrderChanged):
            # Refused, nothing saved: the form again with what was typed (a stale page is
            # reloaded instead, so the desk sees what changed).
            order = get_object_or_404(order_queryset(), pk=order.pk)
            return render_order_page(request, order, bound={spec.slug: form})
        return back
    say(request, spec.message(Done(order=order, result=result, args=args, before=before)))
    return back


def _invalid(request, spec: Action, order, form, back):
    if spec.group == PAGE:
        return _action_page(request, spec, order, form)
    if spec.group == SECTION:
        form_errors(request, form)
        return back
    messages.error(request, f"{spec.title}: check the form below.")
    return render_order_page(request, order, bound={spec.slug: form})


def _action_page(request, spec: Action, order, form):
    return render(request, spec.template, {"form": form, "order": order})
