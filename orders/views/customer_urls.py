"""The customer's pages, reached by a signed link without an account (issue 19)."""

from django.urls import path

from orders.views import customer

urlpatterns = [
    path("<str:token>/", customer.customer_page, name="customer_page"),
    path("<str:token>/loa.pdf", customer.customer_loa_pdf, name="customer_loa_pdf"),
    path("<str:token>/sign/", customer.customer_sign, name="customer_sign"),
    path("<str:token>/corrections/", customer.customer_correct, name="customer_correct"),
    path("<str:token>/cancel/", customer.customer_cancel, name="customer_cancel"),
]
