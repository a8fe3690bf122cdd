"""F7: three identical new port-in requests at the same moment make ONE order; the others are
told the TNs are already on that open order, and nothing of theirs is saved.

The early "already on an open order" check runs before the request's transaction, so all
three can pass it; the database's unique claim per TN and desk is what refuses the others
(their INSERT waits for the winner's transaction, then its rows are refused). Each trial
releases the three requests together by a barrier, each in its own thread and session."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carriers.models import SPID
from orders.models import OpenTnClaim, OrderNumber, PortOrder
from orders.roles import STAFF_GROUP
from orders.services import portin
from orders.services.claims import TnOnOpenOrder
from tests.conftest import _user
from tests.factories import CarrierFactory, OurCarrierFactory, SPIDFactory, TelephoneNumberFactory
from tests.orders.portin.conftest import END_USER, create_kwargs

from .conftest import needs_postgres, run_together

pytestmark = [*needs_postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TRIALS = 6
REQUESTS = 3


@pytest.fixture
def world(db):
    ours = OurCarrierFactory()
    SPIDFactory(code="7231", carrier=ours, region=SPID.Region.WEST_COAST)
    lsp = CarrierFactory(name="Pacific Bell", supports_csr=True)
    lsp_spid = SPIDFactory(code="9100", carrier=lsp, region=SPID.Region.WEST_COAST)
    return lsp_spid


@pytest.fixture
def staff(db):
    return [_user(f"staff{i}", group=STAFF_GROUP) for i in range(REQUESTS)]


def _numbers(spid, trial):
    tns = [f"50355{trial:02d}{i:03d}" for i in range(3)]
    for tn in tns:
        TelephoneNumberFactory(tn=tn, spid=spid)
    return tns


def _told_already_on(outcome, order) -> bool:
    """The loser's answer: the clear error (lost the race in the database) or, if it came
    late enough for the early check to see the winner, every TN refused with the same words."""
    kind, value = outcome
    words = f"already on open port-in order {order.pon} v{order.version}"
    if kind == "error":
        return isinstance(value, TnOnOpenOrder) and words in str(value)
    return not value.orders and all(words in refused.reason for refused in value.refused)


def test_three_identical_new_port_in_requests_at_once_make_one_order(world, staff):
    due = timezone.localdate() + timezone.timedelta(days=10)
    for trial in range(TRIALS):
        tns = _numbers(world, trial)

        def submit(user, tns=tns):
            return lambda: portin.portin_orders_create(
                tns=tns, by=user, **create_kwargs(END_USER), requested_due_date=due
            )

        outcomes = run_together(*(submit(user) for user in staff))

        orders = list(PortOrder.objects.filter(numbers__tn=tns[0]))
        assert len(orders) == 1, outcomes
        (order,) = orders
        winners = [o for kind, o in outcomes if kind == "ok" and o.orders]
        assert len(winners) == 1, outcomes
        losers = [o for o in outcomes if not (o[0] == "ok" and o[1].orders)]
        assert len(losers) == REQUESTS - 1
        assert all(_told_already_on(o, order) for o in losers), losers
        # Nothing half-saved by the losers: only the winner's numbers and claims exist.
        assert OrderNumber.objects.filter(tn__in=tns).count() == len(tns)
        assert set(OpenTnClaim.objects.filter(tn__in=tns).values_list("order_id", flat=True)) == {
            order.pk
        }


def test_three_identical_posts_of_the_new_port_in_form_make_one_order(world, staff):
    due = timezone.localdate() + timezone.timedelta(days=10)
    for trial in range(TRIALS):
        tns = _numbers(world, 50 + trial)
        data = {
            **END_USER,
            "requested_due_date": due.isoformat(),
            "authorization": "on",
            "tns": "\n".join(tns),
        }
        clients = []
        for user in staff:
            client = Client()
            client.force_login(user)
            clients.append(client)

        outcomes = run_together(
            *(
                lambda c=c, data=data: c.post(reverse("orders:portin_new"), data, follow=True)
                for c in clients
            )
        )

        assert [kind for kind, _ in outcomes] == ["ok"] * REQUESTS, outcomes
        orders = list(PortOrder.objects.filter(numbers__tn=tns[0]))
        assert len(orders) == 1
        pages = [response.content.decode() for _, response in outcomes]
        assert all(response.status_code == 200 for _, response in outcomes)
        told = [p for p in pages if f"already on open port-in order {orders[0].pon}" in p]
        assert len(told) == REQUESTS - 1, [p[:300] for p in pages]
