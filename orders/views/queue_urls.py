"""Work queues, mounted at /queues/ (names in the `orders:` namespace, prefixed `queue`)."""

from django.urls import path

from . import queues

urlpatterns = [
    path("", queues.queue_index, name="queue_index"),
    path("<slug:slug>/", queues.queue_detail, name="queue"),
    path("<slug:slug>/export.csv", queues.queue_export, name="queue_export"),
    path("<slug:slug>/claim/", queues.queue_claim, name="queue_claim"),
    path("<slug:slug>/assign/", queues.queue_assign, name="queue_assign"),
    path("<slug:slug>/reassign/", queues.queue_reassign, name="queue_reassign"),
    path(
        "<slug:slug>/return-to-customer/",
        queues.queue_return_to_customer,
        name="queue_return_to_customer",
    ),
]
