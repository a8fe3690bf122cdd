"""The order pages both desks share and the port-in desk's own pages (mounted at /orders/)."""

from django.urls import path

from . import document_actions, documents, order_list, order_numbers, order_page, portin

urlpatterns = [
    path("", order_list.order_list, name="order_list"),
    path("new/", portin.portin_new, name="portin_new"),
    path("<int:pk>/", order_page.order_detail, name="order_detail"),
    path("<int:pk>/numbers.csv", order_numbers.order_numbers_csv, name="order_numbers_csv"),
    path("<int:pk>/action/<slug:action>/", order_page.order_action, name="order_action"),
    path(
        "<int:pk>/documents/",
        order_page.order_action,
        {"action": "document"},
        name="document_upload",
    ),
    path(
        "<int:pk>/documents/preview/<slug:kind>/",
        document_actions.document_preview,
        name="document_preview",
    ),
    path(
        "<int:pk>/documents/<int:doc_pk>/resend/",
        document_actions.document_resend_view,
        name="document_resend",
    ),
    path("documents/<int:pk>/download/", documents.document_download, name="document_download"),
    path("<int:pk>/pin/", portin.pin_reveal, name="pin_reveal"),
]
