"""The managers' digest as a page: the daily email's lines, counted live, each linked to the
queue it counts (orders.services.digest builds both from the queues' own counts)."""

from django.shortcuts import render

from orders.services.digest import digest_build
from orders.views.common import require

# Every line is a manager's call (review, expedites, SUP flags) or a desk-wide clock the
# managers watch; staff find their own work on the dashboard's cards and in Mine. So the
# page is the managers' (and admins'), as the email is.
DIGEST_PERM = "orders.review_rejections"


def digest_page(request):
    require(request.user, DIGEST_PERM)
    return render(request, "orders/digest.html", {"digest": digest_build()})
