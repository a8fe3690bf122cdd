from django.urls import include, path

from orders.views import digest

app_name = "orders"
# Each desk's views live in their own module with their own URL list.
urlpatterns = [
    path("orders/", include("orders.views.portin_urls")),
    path("port-out/", include("orders.views.portout_urls")),
    path("queues/", include("orders.views.queue_urls")),
    path("digest/", digest.digest_page, name="digest"),
    path("customer/", include("orders.views.customer_urls")),
]
