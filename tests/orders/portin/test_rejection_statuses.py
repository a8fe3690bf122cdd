"""An open rejection is only ever on an order in REJECTION_OPEN_STATUSES: the rejection
review's filters on the order read it through the index of those orders
(`order_rejection_review`, issue 21), so a rejection left open on an order that moved on
would drop out of a filtered view. Every step of F2-F3 keeps it so."""

import pytest

from orders.models import PortOrder, Rejection
from orders.models.statuses import REJECTION_OPEN_STATUSES
from orders.services import portin

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(make_portin, desk, alice):
    order = make_portin("5035550101", "5035550102", spid=desk.rural_spid, pin="4321")
    portin.order_submit(order=order, by=alice)
    return order


def _open_rejection_statuses() -> set[str]:
    return set(
        PortOrder.objects.filter(rejections__resolved_at__isnull=True).values_list(
            "status", flat=True
        )
    )


def _assert_invariant():
    assert _open_rejection_statuses() <= set(REJECTION_OPEN_STATUSES)


def test_reject_return_resubmit_and_resend_keep_open_rejections_on_their_statuses(submitted, alice):
    portin.lsp_reject_record(order=submitted, by=alice, reason_codes=["ACCT"])
    assert _open_rejection_statuses() == {"exception"}
    portin.order_return_to_customer(order=submitted, by=alice, reason_codes=["ZIP"])
    assert _open_rejection_statuses() == {"rejected"}
    portin.customer_resubmission_record(order=submitted, by=alice, note="New bill sent.")
    assert _open_rejection_statuses() == {"review"}
    portin.review_resend(order=submitted, by=alice)
    assert _open_rejection_statuses() == set()
    assert not Rejection.objects.filter(order=submitted, resolved_at__isnull=True).exists()


def test_an_exception_resent_or_cancelled_resolves_its_rejections(submitted, alice):
    portin.lsp_reject_record(order=submitted, by=alice, reason_codes=["ACCT"])
    portin.exception_resend(order=submitted, by=alice, note="Fixed the account number.")
    _assert_invariant()
    assert _open_rejection_statuses() == set()

    portin.lsp_reject_record(order=submitted, by=alice, reason_codes=["ZIP"])
    portin.order_cancel(order=submitted, by=alice, reason="Customer stays.")
    _assert_invariant()
    assert _open_rejection_statuses() == set()
