"""A document of an order or a CSR request, downloaded. (Uploads are an order action:
`order_actions`.)"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from orders.models import Document
from orders.views.common import require


@never_cache
def document_download(request, pk: int):
    """Served only through this view (login required), always as an attachment."""
    require(request.user, "orders.view_document")
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
