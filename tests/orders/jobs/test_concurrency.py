"""Two runs of the same job at the same moment (two worker clusters) write and send nothing
twice. Needs PostgreSQL: row locks and concurrent sessions; SQLite serialises writers."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from orders.models import DigestLog, NpacCancelRecord, Rejection, Status, StatusChange
from orders.services import jobs

from .conftest import at, foc_sent_port_out, rejected_port_in

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks and sessions"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def run_concurrently(job, now, runs=2):
    """Start `runs` threads on `job(now=now)` together; return their results."""
    barrier = threading.Barrier(runs)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(job(now=now))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(results) == runs
    return results


def test_two_auto_cancel_runs_cancel_each_order_once():
    orders = [rejected_port_in(notified_at=at(2026, 9, 1, 10)) for _ in range(6)]

    results = run_concurrently(jobs.rejected_orders_auto_cancel, at(2026, 10, 20, 5))

    assert sum(r["cancelled"] for r in results) == 6
    assert sum(r["failed"] for r in results) == 0
    for order in orders:
        cancels = StatusChange.objects.filter(order=order, to_status=Status.CANCELLED)
        assert cancels.count() == 1
    assert len(mail.outbox) == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(o.notification_email for o in orders)


def test_two_port_window_runs_make_one_cancel_record_per_tn_and_one_notice(
    our_carrier, requesting_carrier
):
    orders = [
        foc_sent_port_out(
            foc_at=at(2026, 11, 20, 14),
            foc_date=datetime.date(2026, 11, 25),
            tns=(f"50355502{i}1", f"50355502{i}2"),
            losing_carrier=our_carrier,
            new_carrier=requesting_carrier,
        )
        for i in range(4)
    ]

    results = run_concurrently(jobs.port_windows_expire, at(2026, 12, 3, 5))

    assert sum(r["cancelled"] for r in results) == 4
    assert NpacCancelRecord.objects.count() == 8
    for order in orders:
        assert StatusChange.objects.filter(order=order, to_status=Status.CANCELLED).count() == 1
    assert len(mail.outbox) == 4


def test_two_digest_runs_send_one_email_per_manager(maria):
    order = rejected_port_in(notified_at=at(2026, 11, 2, 10))
    Rejection.objects.create(
        order=order, source=Rejection.Source.LOSING_CARRIER, raised_at=at(2026, 11, 2, 10)
    )

    results = run_concurrently(jobs.manager_digest_send, at(2026, 11, 10, 7))

    assert sorted(r["sent"] for r in results) == [0, 1]
    assert DigestLog.objects.filter(user=maria).count() == 1
    assert len(mail.outbox) == 1
