"""F5: the next status check of a submitted port-in order, the daily job, recording a check."""

import datetime

import pytest

from orders.lifecycle import DomainError, transition
from orders.models import Comment, PortOrder, Status, StatusChange, StatusCheck
from orders.services import jobs
from orders.services.status_checks import (
    next_status_check_date,
    status_check_record,
    status_check_refresh,
)

from .conftest import at, submitted_port_in

D = datetime.date
pytestmark = pytest.mark.django_db


def test_check_due_three_business_days_after_submission():
    # Submitted Monday 2 Nov 2026; the requested date is far away.
    order = submitted_port_in(submitted_at=at(2026, 11, 2), requested_due_date=D(2026, 11, 30))

    assert next_status_check_date(order, today=D(2026, 11, 2)) == D(2026, 11, 5)


def test_check_due_the_business_day_before_the_requested_date_when_that_is_sooner():
    order = submitted_port_in(submitted_at=at(2026, 11, 2), requested_due_date=D(2026, 11, 4))

    assert next_status_check_date(order, today=D(2026, 11, 2)) == D(2026, 11, 3)


def test_business_day_before_the_requested_date_skips_the_weekend():
    # Requested Monday 9 Nov: the day before is Friday 6 Nov, sooner than Mon 9 (3 bd).
    order = submitted_port_in(submitted_at=at(2026, 11, 4), requested_due_date=D(2026, 11, 9))

    assert next_status_check_date(order, today=D(2026, 11, 4)) == D(2026, 11, 6)


def test_three_business_days_skip_a_federal_holiday():
    # Thu 5 Nov + 3 business days: Fri 6, Mon 9, Tue 10 (Wed 11 is Veterans Day).
    # From Mon 9: Tue 10, Thu 12, Fri 13.
    order = submitted_port_in(submitted_at=at(2026, 11, 9), requested_due_date=D(2026, 12, 15))

    assert next_status_check_date(order, today=D(2026, 11, 9)) == D(2026, 11, 13)


def test_project_port_of_60_tns_is_checked_weekly():
    order = submitted_port_in(
        submitted_at=at(2026, 11, 2), requested_due_date=D(2026, 12, 15), tn_count=60
    )

    assert next_status_check_date(order, today=D(2026, 11, 2)) == D(2026, 11, 9)


def test_flagged_project_port_is_checked_weekly_and_a_holiday_moves_it_to_the_next_business_day():
    # Thu 19 Nov + 7 days is Thanksgiving: the check is due Friday 27 Nov.
    order = submitted_port_in(
        submitted_at=at(2026, 11, 19),
        requested_due_date=D(2026, 12, 31),
        tn_count=12,
        is_project_port=True,
    )

    assert next_status_check_date(order, today=D(2026, 11, 19)) == D(2026, 11, 27)


def test_project_port_is_still_checked_the_business_day_before_the_requested_date():
    order = submitted_port_in(
        submitted_at=at(2026, 11, 2), requested_due_date=D(2026, 11, 6), tn_count=60
    )

    assert next_status_check_date(order, today=D(2026, 11, 2)) == D(2026, 11, 5)


def test_orders_not_submitted_have_no_check_date():
    order = submitted_port_in(submitted_at=at(2026, 11, 2), requested_due_date=D(2026, 11, 30))
    status_check_refresh(order, now=at(2026, 11, 2))
    transition(order, Status.ACCEPTED, actor_label="test", now=at(2026, 11, 3))

    assert status_check_refresh(order, now=at(2026, 11, 3)) is None
    order.refresh_from_db()
    assert order.next_status_check_on is None


def test_recording_a_check_comments_the_outcome_and_counts_the_next_one_from_it(alice):
    order = submitted_port_in(submitted_at=at(2026, 11, 2), requested_due_date=D(2026, 11, 30))
    status_check_refresh(order, now=at(2026, 11, 2))
    history_before = StatusChange.objects.filter(order=order).count()

    check = status_check_record(
        order=order, by=alice, outcome="LSP says the LSR is in their queue", now=at(2026, 11, 5)
    )

    order.refresh_from_db()
    assert order.status == Status.SUBMITTED
    assert StatusChange.objects.filter(order=order).count() == history_before
    assert check.comment.body == "Status check: LSP says the LSR is in their queue"
    assert check.comment.author == alice
    assert order.last_status_check_at == at(2026, 11, 5)
    # Thu 5 Nov + 3 bd = Tue 10 Nov (Veterans Day on Wed 11 is after it).
    assert order.next_status_check_on == D(2026, 11, 10)
    assert StatusCheck.objects.filter(order=order).count() == 1


def test_the_day_before_the_requested_date_counts_only_until_it_was_checked(alice):
    order = submitted_port_in(submitted_at=at(2026, 11, 2), requested_due_date=D(2026, 11, 4))
    status_check_record(order=order, by=alice, outcome="Still pending", now=at(2026, 11, 3))

    order.refresh_from_db()
    assert order.next_status_check_on == D(2026, 11, 6)


def test_a_check_without_an_outcome_is_refused(alice):
    order = submitted_port_in(submitted_at=at(2026, 11, 2), requested_due_date=D(2026, 11, 30))

    with pytest.raises(DomainError, match="outcome"):
        status_check_record(order=order, by=alice, outcome="  ", now=at(2026, 11, 5))
    assert not Comment.objects.filter(order=order).exists()


def test_daily_job_fills_missing_dates_and_reports_the_checks_due():
    due = submitted_port_in(submitted_at=at(2026, 11, 2), requested_due_date=D(2026, 11, 30))
    later = submitted_port_in(submitted_at=at(2026, 11, 4), requested_due_date=D(2026, 11, 30))
    assert PortOrder.objects.filter(next_status_check_on__isnull=False).count() == 0

    result = jobs.status_checks_refresh_due(now=at(2026, 11, 5, 5, 30))

    assert result == {"due": 1, "updated": 2, "failed": 0}
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.next_status_check_on == D(2026, 11, 5)
    assert later.next_status_check_on == D(2026, 11, 9)


def test_daily_job_touches_nothing_the_second_time():
    submitted_port_in(submitted_at=at(2026, 11, 2), requested_due_date=D(2026, 11, 30))
    jobs.status_checks_refresh_due(now=at(2026, 11, 5, 5, 30))

    again = jobs.status_checks_refresh_due(now=at(2026, 11, 5, 5, 30))

    assert again["updated"] == 0
    assert again["due"] == 1


def test_daily_job_does_nothing_on_thanksgiving():
    order = submitted_port_in(submitted_at=at(2026, 11, 20), requested_due_date=D(2026, 12, 30))

    result = jobs.status_checks_refresh_due(now=at(2026, 11, 26, 5, 30))

    assert result["closed_day"] == 1
    order.refresh_from_db()
    assert order.next_status_check_on is None
