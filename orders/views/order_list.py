"""The order list of both desks: search and filters, a page at a time."""

from django.shortcuts import render

from orders import order_list as listing
from orders.forms.order_list import OrderFilterForm
from orders.views.common import require

PAGE_SIZE = 50


def order_list(request):
    require(request.user, "orders.view_portorder")
    form = OrderFilterForm(request.GET or None)
    orders = (
        listing.orders_listed(**form.cleaned_data) if form.is_valid() else listing.orders_listed()
    )
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    paginator = listing.CappedPaginator(orders, PAGE_SIZE, cap=listing.count_cap(q))
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
