"""The port-in desk's own pages: the new-order page (F6: one draft per losing SPID) with the
page it redirects to, and the PIN reveal. The order page and its actions are shared by both
desks (`order_page`, `registry`).
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carriers.end_user import EndUser
from carriers.tn import format_tn
from orders.forms.portin_new import PortInOrderForm
from orders.lifecycle import DomainError
from orders.models import PortOrder
from orders.services import portin as portin_services
from orders.views.common import require


def portin_new(request):
    require(request.user, "orders.add_portorder")
    if request.method == "POST":
        form = PortInOrderForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = portin_services.portin_orders_create(
                    tns=data["tn_list"],
                    by=request.user,
                    end_user=EndUser.from_values(data),
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
        form = PortInOrderForm()
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


@require_POST
@never_cache
def pin_reveal(request, pk: int):
    require(request.user, "orders.reveal_pin")
    order = get_object_or_404(PortOrder.objects.select_related("losing_carrier"), pk=pk)
    try:
        pin = portin_services.pin_reveal(order=order, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("orders:order_detail", pk=order.pk)
    response = render(
        request,
        "orders/pin_reveal.html",
        {"order": order, "pin": pin, "back": reverse("orders:order_detail", args=[order.pk])},
    )
    response["Cache-Control"] = "no-store, private"
    return response
