"""The port-in desk's URLs and the order page shared by both desks (mounted at /orders/)."""

from django.urls import path

from . import portin as views

urlpatterns = [
    path("", views.order_list, name="order_list"),
    path("new/", views.portin_new, name="portin_new"),
    path("<int:pk>/", views.order_detail, name="order_detail"),
    path("<int:pk>/numbers.csv", views.order_numbers_csv, name="order_numbers_csv"),
    path("<int:pk>/action/<slug:action>/", views.order_action, name="order_action"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("<int:pk>/pin/", views.pin_reveal, name="pin_reveal"),
]
