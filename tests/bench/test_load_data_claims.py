"""F7 in the load data: the generator bulk-loads orders past the services, so it writes the
open orders' TN claims itself, as the services would have (one per TN and desk)."""

import pytest
from django.db.models import Count

from orders.models import OpenTnClaim, OrderNumber, PortOrder
from orders.models.statuses import OPEN_STATUSES_Q

from .test_generate_load_data import _generate

pytestmark = pytest.mark.django_db


def test_generated_open_orders_claim_their_tns_and_closed_ones_none():
    _generate()

    open_orders = PortOrder.objects.filter(OPEN_STATUSES_Q)
    assert OpenTnClaim.objects.exists()
    assert not OpenTnClaim.objects.exclude(order__in=open_orders).exists()
    to_port = (
        OrderNumber.objects.filter(order__in=open_orders, disposition="port")
        .values("tn", "order__direction")
        .distinct()
        .count()
    )
    assert OpenTnClaim.objects.count() == to_port
    assert not (
        OpenTnClaim.objects.values("tn", "direction").annotate(n=Count("id")).filter(n__gt=1)
    )
