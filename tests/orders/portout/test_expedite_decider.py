"""Only a manager decides an order waiting for an expedite decision (R8), reject included
(issue 14, section 6): staff can neither accept/refuse the expedite nor reject the LSR while
it waits, in the service, through the page's POST, or on the page itself."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from orders.lifecycle import transition
from orders.models import PortOrder, Rejection, Status
from orders.services import portout as services

from .conftest import MONDAY, make_lsr
from .test_pages import detail

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(make_account, requester):
    """An expedite inside the interval, waiting for a manager. How an LSR gets there is
    test_lsr_services.py's business; here it is moved there directly."""
    _, tns = make_account(2)
    lsr = make_lsr(
        tns, requested_due_date=MONDAY.date() + datetime.timedelta(days=1), expedite=True
    )
    order = services.lsr_receive(requesting_carrier=requester, lsr=lsr, now=MONDAY)
    transition(
        order,
        Status.EXPEDITE_REVIEW,
        actor_label="test",
        changes={"expedite_decision": PortOrder.Decision.PENDING},
    )
    return order


def reject_post(client, order):
    return client.post(
        reverse("orders:portout_decide", args=[order.pk]),
        {
            "decision": "reject",
            "expected_status": Status.EXPEDITE_REVIEW,
            "reason_codes": ["OTHER"],
            "text": "Not now.",
        },
    )


def test_staff_cannot_reject_an_order_waiting_for_an_expedite_decision(waiting, alice):
    with pytest.raises(PermissionDenied, match="only a manager decides it"):
        services.lsr_decide(
            order=waiting,
            decision="reject",
            by=alice,
            reason_codes=["OTHER"],
            expected_status=Status.EXPEDITE_REVIEW,
        )
    assert PortOrder.objects.get(pk=waiting.pk).status == Status.EXPEDITE_REVIEW
    assert not Rejection.objects.filter(order=waiting).exists()


def test_staff_cannot_reject_it_through_the_page(waiting, alice_client):
    page = alice_client.get(detail(waiting)).content.decode()
    assert 'data-testid="decide-form"' not in page and "Send reject" not in page

    assert reject_post(alice_client, waiting).status_code == 403
    assert PortOrder.objects.get(pk=waiting.pk).status == Status.EXPEDITE_REVIEW
    assert not Rejection.objects.filter(order=waiting).exists()


def test_a_manager_rejects_it(waiting, maria, maria_client):
    page = maria_client.get(detail(waiting)).content.decode()
    assert "Send reject" in page and 'data-testid="expedite-form"' in page
    assert "Send FOC" not in page  # the FOC is the expedite form's decision

    assert reject_post(maria_client, waiting).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.REJECTED
    assert "OTHER" in [r.code for r in waiting.rejections.get().reasons.all()]


def test_a_manager_rejects_it_through_the_service(waiting, maria):
    services.lsr_decide(order=waiting, decision="reject", by=maria, reason_codes=["OTHER"])
    assert PortOrder.objects.get(pk=waiting.pk).status == Status.REJECTED


def test_staff_still_reject_a_received_lsr(make_account, requester, alice):
    """The manager's call is the expedite only: a received LSR stays the desk's."""
    _, tns = make_account(1)
    order = services.lsr_receive(requesting_carrier=requester, lsr=make_lsr(tns), now=MONDAY)
    services.lsr_decide(order=order, decision="reject", by=alice, reason_codes=["OTHER"])
    assert order.status == Status.REJECTED
