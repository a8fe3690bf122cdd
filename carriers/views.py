"""The staff carrier directory: read-only; superusers get links to the admin to edit."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .forms import CarrierSearchForm
from .models import Carrier
from .selectors import carrier_directory, carrier_profile

PAGE_SIZE = 25


def _require_directory_access(user):
    if not user.has_perm("carriers.view_carrier"):
        raise PermissionDenied


@require_safe
def carrier_list(request):
    _require_directory_access(request.user)
    form = CarrierSearchForm(request.GET or None)
    q = kind = ""
    if form.is_valid():
        q = form.cleaned_data["q"]
        kind = form.cleaned_data["kind"]
    page = Paginator(carrier_directory(q=q, kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "carriers/carrier_list.html",
        {"form": form, "page": page, "q": q, "kind": kind, "querystring": query.urlencode()},
    )


@require_safe
def carrier_detail(request, pk):
    _require_directory_access(request.user)
    carrier = get_object_or_404(
        Carrier.objects.select_related("porting_peer").prefetch_related("spids", "contacts"),
        pk=pk,
    )
    return render(request, "carriers/carrier_detail.html", {"profile": carrier_profile(carrier)})
