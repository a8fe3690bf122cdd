"""R1: open CSR requests past their answer time are flagged overdue, once."""

import pytest

from orders.models import CsrRequest
from orders.services import jobs

from .conftest import at, open_csr_request

pytestmark = pytest.mark.django_db


def test_open_requests_past_their_due_time_are_flagged_once():
    late = open_csr_request(received_at=at(2026, 11, 2, 8))  # due Tue 3 Nov 08:00
    on_time = open_csr_request(received_at=at(2026, 11, 3, 8))  # due Wed 4 Nov 08:00
    answered = open_csr_request(received_at=at(2026, 11, 2, 8), status=CsrRequest.Status.ANSWERED)

    first = jobs.csr_requests_flag_overdue(now=at(2026, 11, 3, 8, 15))
    second = jobs.csr_requests_flag_overdue(now=at(2026, 11, 3, 8, 30))

    assert first == {"flagged": 1}
    assert second == {"flagged": 0}
    late.refresh_from_db()
    on_time.refresh_from_db()
    answered.refresh_from_db()
    assert (late.is_overdue, on_time.is_overdue, answered.is_overdue) == (True, False, False)


def test_a_request_is_overdue_at_its_due_time_exactly():
    request = open_csr_request(received_at=at(2026, 11, 2, 8))

    assert jobs.csr_requests_flag_overdue(now=request.due_at) == {"flagged": 1}


def test_flagging_is_one_update(django_assert_num_queries):
    for hour in range(8, 12):
        open_csr_request(received_at=at(2026, 11, 2, hour))

    with django_assert_num_queries(1):
        result = jobs.csr_requests_flag_overdue(now=at(2026, 11, 4, 8))

    assert result == {"flagged": 4}
