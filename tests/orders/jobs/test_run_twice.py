"""Every job run twice gives the same database and sends each email once; a failure on one
order does not stop the others and is retried on the next run."""

import datetime
import logging

import pytest
from django.core import mail

from orders.models import (
    Comment,
    CsrRequest,
    DigestLog,
    NpacCancelRecord,
    PortOrder,
    Rejection,
    Status,
    StatusChange,
    Supplement,
)
from orders.services import jobs
from orders.services.portout import port_windows

from .conftest import at, foc_sent_port_out, open_csr_request, rejected_port_in, submitted_port_in

pytestmark = pytest.mark.django_db

# Thursday 3 Dec 2026, early morning: something is due for every job.
NOW = at(2026, 12, 3, 5)


def run_every_job(now):
    return {
        "status_checks": jobs.status_checks_refresh_due(now=now),
        "auto_cancel": jobs.rejected_orders_auto_cancel(now=now),
        "port_windows": jobs.port_windows_expire(now=now),
        "csr": jobs.csr_requests_flag_overdue(now=now),
        "digest": jobs.manager_digest_send(now=now),
    }


def snapshot():
    return {
        "orders": sorted(
            PortOrder.objects.values_list(
                "pk", "status", "next_status_check_on", "auto_cancel_on", "last_activity_at"
            )
        ),
        "history": sorted(
            StatusChange.objects.values_list("order_id", "from_status", "to_status", "actor_label")
        ),
        "comments": sorted(Comment.objects.values_list("order_id", "source", "body")),
        "supplements": sorted(Supplement.objects.values_list("order_id", "sup_type")),
        "open_rejections": sorted(
            Rejection.objects.filter(resolved_at__isnull=True).values_list("pk", flat=True)
        ),
        "npac_cancels": sorted(NpacCancelRecord.objects.values_list("order_id", "tn", "reason")),
        "csr_overdue": sorted(CsrRequest.objects.values_list("pk", "is_overdue")),
        "digests": sorted(DigestLog.objects.values_list("user_id", "digest_date")),
    }


@pytest.fixture
def something_due_for_every_job(maria, our_carrier, requesting_carrier):
    submitted_port_in(
        submitted_at=at(2026, 11, 27, 10), requested_due_date=datetime.date(2027, 1, 4)
    )
    rejected = rejected_port_in(notified_at=at(2026, 10, 19, 10))  # day 45 = 3 Dec
    Rejection.objects.create(
        order=rejected, source=Rejection.Source.LOSING_CARRIER, raised_at=at(2026, 10, 15, 10)
    )
    foc_sent_port_out(
        foc_at=at(2026, 11, 20, 14),
        foc_date=datetime.date(2026, 11, 25),
        losing_carrier=our_carrier,
        new_carrier=requesting_carrier,
    )
    open_csr_request(received_at=at(2026, 12, 1, 9))


def test_every_job_twice_gives_the_same_database_and_one_email_each(
    something_due_for_every_job, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = run_every_job(NOW)
    after_first = snapshot()
    emails_after_first = [(m.subject, tuple(m.to)) for m in mail.outbox]

    with django_capture_on_commit_callbacks(execute=True):
        second = run_every_job(NOW + datetime.timedelta(minutes=20))

    assert first["status_checks"]["updated"] == 1
    assert first["auto_cancel"]["cancelled"] == 1
    assert first["port_windows"]["cancelled"] == 1
    assert first["csr"]["flagged"] == 1
    assert first["digest"]["sent"] == 1
    # customer cancellation, carrier notice, manager digest
    assert len(emails_after_first) == 3
    assert second == {
        # The check is still due (nobody recorded it); its date is already right.
        "status_checks": {"due": 1, "updated": 0, "unchanged": 1, "failed": 0},
        "auto_cancel": {"cancelled": 0, "skipped": 0, "failed": 0},
        "port_windows": {"cancelled": 0, "held": 0, "skipped": 0, "failed": 0},
        "csr": {"flagged": 0},
        "digest": {"sent": 0, "already_sent": 1, "failed": 0},
    }
    assert snapshot() == after_first
    assert [(m.subject, tuple(m.to)) for m in mail.outbox] == emails_after_first


def test_a_failure_on_one_order_does_not_stop_the_others(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    orders = [rejected_port_in(notified_at=at(2026, 9, 1, 10)) for _ in range(3)]
    broken = orders[1]
    real_step = jobs._cancel_rejected_orders

    def step(batch, **kwargs):
        if broken.pk in batch:
            raise RuntimeError("simulated failure")
        return real_step(batch, **kwargs)

    monkeypatch.setattr(jobs, "_cancel_rejected_orders", step)
    with (
        caplog.at_level(logging.ERROR, logger="orders.jobs"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = jobs.rejected_orders_auto_cancel(now=at(2026, 10, 20, 5))

    assert result == {"cancelled": 2, "skipped": 0, "failed": 1}
    statuses = {o.pk: s for o, s in ((o, PortOrder.objects.get(pk=o.pk).status) for o in orders)}
    assert statuses == {
        orders[0].pk: Status.CANCELLED,
        broken.pk: Status.REJECTED,
        orders[2].pk: Status.CANCELLED,
    }
    assert len(mail.outbox) == 2
    record = next(r for r in caplog.records if r.name == "orders.jobs")
    assert str(broken.pk) in record.getMessage()
    assert broken.account_number not in caplog.text

    # The next run retries it.
    monkeypatch.setattr(jobs, "_cancel_rejected_orders", real_step)
    with django_capture_on_commit_callbacks(execute=True):
        retry = jobs.rejected_orders_auto_cancel(now=at(2026, 10, 21, 5))
    assert retry["cancelled"] == 1
    assert PortOrder.objects.get(pk=broken.pk).status == Status.CANCELLED


def test_a_failure_half_way_through_an_order_leaves_it_untouched(
    monkeypatch, our_carrier, requesting_carrier, django_capture_on_commit_callbacks
):
    # The status moved, then creating the cancel records failed: all of it is rolled back.
    order = foc_sent_port_out(
        foc_at=at(2026, 11, 20, 14),
        foc_date=datetime.date(2026, 11, 25),
        losing_carrier=our_carrier,
        new_carrier=requesting_carrier,
    )
    other = foc_sent_port_out(
        foc_at=at(2026, 11, 20, 14),
        foc_date=datetime.date(2026, 11, 25),
        tns=("5035550177",),
        losing_carrier=our_carrier,
        new_carrier=requesting_carrier,
    )
    real_make_records = port_windows._make_npac_cancel_records

    def make_records(reasons, **kwargs):
        if order.pk in reasons:
            raise RuntimeError("NPAC gateway table locked")
        return real_make_records(reasons, **kwargs)

    monkeypatch.setattr(port_windows, "_make_npac_cancel_records", make_records)
    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.port_windows_expire(now=NOW)

    assert result["failed"] == 1 and result["cancelled"] == 1
    order.refresh_from_db()
    assert order.status == Status.FOC_SENT
    assert not StatusChange.objects.filter(order=order, to_status=Status.CANCELLED).exists()
    assert PortOrder.objects.get(pk=other.pk).status == Status.CANCELLED
    assert len(mail.outbox) == 1  # only the order that was cancelled


def test_the_task_through_django_q_still_processes_the_rest_when_one_order_raises(
    monkeypatch, django_capture_on_commit_callbacks
):
    from django.utils import timezone
    from django_q.tasks import async_task, result

    notified = timezone.localtime() - datetime.timedelta(days=50)
    orders = [rejected_port_in(notified_at=notified) for _ in range(3)]
    real_step = jobs._cancel_rejected_orders

    def step(batch, **kwargs):
        if orders[0].pk in batch:
            raise RuntimeError("simulated failure")
        return real_step(batch, **kwargs)

    monkeypatch.setattr(jobs, "_cancel_rejected_orders", step)
    with django_capture_on_commit_callbacks(execute=True):
        task_id = async_task("orders.tasks.rejected_orders_auto_cancel")

    assert result(task_id) == {"cancelled": 2, "skipped": 0, "failed": 1}
    assert PortOrder.objects.get(pk=orders[0].pk).status == Status.REJECTED
    assert len(mail.outbox) == 2
