"""A carrier document previewed before its decision is sent, and a sent one resent (issue
17). The services do the work: `document_previews` renders, `carrier_documents` resends."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from orders.lifecycle import DomainError
from orders.models import Document, PortOrder
from orders.services.carrier_documents import document_resend
from orders.services.document_previews import decision_preview
from orders.views.common import require

# Who may send a decision may read what it sends and send it again (the actions' CHANGE).
CHANGE = ("orders.view_portorder", "orders.change_portorder")


@never_cache
def document_preview(request, pk: int, kind: str):
    """The PDF the decision would send now, shown inline; nothing is stored."""
    require(request.user, *CHANGE)
    order = get_object_or_404(PortOrder, pk=pk)
    try:
        pdf = decision_preview(order=order, kind=kind)
    except DomainError as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.pon}-{kind}-preview.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def document_resend_view(request, pk: int, doc_pk: int):
    require(request.user, *CHANGE)
    document = get_object_or_404(Document, pk=doc_pk, order_id=pk)
    try:
        copy = document_resend(document=document, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        to = copy.sent_to or "no one: the carrier has no contact (see the timeline)"
        messages.success(request, f"{copy.get_kind_display()} resent to {to}.")
    return redirect("orders:order_detail", pk=pk)
