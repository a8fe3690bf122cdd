"""A worker killed in the middle of a job: the next run finishes the work, and nothing is
written or sent twice.

- In process (SQLite and PostgreSQL): the job's batch step dies with a BaseException after
  some batches (what a SIGTERM/KeyboardInterrupt does to a worker: `_in_batches` only catches
  Exception), so the run stops with a batch transaction open. The next run finishes.
- Out of process (PostgreSQL): the job runs in a child process that is SIGKILLed while a
  batch's transaction is open; PostgreSQL rolls it back when the connection drops.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from orders.lifecycle import transition
from orders.models import Comment, PortOrder, Status, StatusChange, Supplement
from orders.services import jobs
from orders.services.orders import f4_auto_cancel_date
from tests.factories import PortOrderFactory

from .conftest import needs_postgres

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[2]
ORDERS = 6


class WorkerKilled(BaseException):
    """Not an Exception: the job's per-row handler cannot swallow it, as with a real kill."""


def _rejected_port_ins(n, notified_at):
    orders = []
    for i in range(n):
        order = PortOrderFactory(
            pon=f"PONCRASH{i:03d}",
            requested_due_date=notified_at.date() + datetime.timedelta(20),
            notification_email=f"customer{i}@crash.example",
        )
        for status in (Status.SUBMITTED, Status.EXCEPTION):
            transition(order, status, actor_label="test", now=notified_at)
        transition(
            order,
            Status.REJECTED,
            actor_label="test",
            now=notified_at,
            changes={
                "customer_notified_at": notified_at,
                "auto_cancel_on": f4_auto_cancel_date(notified_at),
            },
        )
        orders.append(order)
    return orders


def _assert_each_cancelled_exactly_once(orders):
    for order in orders:
        order.refresh_from_db()
        assert order.status == Status.CANCELLED, order
        assert StatusChange.objects.filter(order=order, to_status=Status.CANCELLED).count() == 1
        assert Supplement.objects.filter(order=order, sup_type=1).count() == 1
        auto = Comment.objects.filter(order=order, body__startswith="Cancelled automatically")
        assert auto.count() == 1


def test_job_killed_mid_run_is_finished_by_the_next_run_without_duplicates(monkeypatch):
    notified = timezone.now() - datetime.timedelta(days=60)
    orders = _rejected_port_ins(ORDERS, notified)
    real_step = jobs._cancel_rejected_orders
    calls = {"n": 0}

    def dying_step(batch, **kwargs):
        calls["n"] += 1
        result = real_step(batch, **kwargs)  # the batch's work is done, its transaction open
        if calls["n"] == 2:
            raise WorkerKilled
        return result

    monkeypatch.setattr(jobs, "BATCH_SIZE", 2)
    monkeypatch.setattr(jobs, "_cancel_rejected_orders", dying_step)
    with pytest.raises(WorkerKilled):
        jobs.rejected_orders_auto_cancel(now=timezone.now())
    done = PortOrder.objects.filter(pk__in=[o.pk for o in orders], status=Status.CANCELLED)
    assert done.count() == 2  # the second batch's transaction was rolled back with the worker
    assert len(mail.outbox) == 2  # and its emails, owed only once it commits, never went

    monkeypatch.setattr(jobs, "_cancel_rejected_orders", real_step)
    result = jobs.rejected_orders_auto_cancel(now=timezone.now())
    assert result["cancelled"] == ORDERS - 2 and result["failed"] == 0
    _assert_each_cancelled_exactly_once(orders)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(o.notification_email for o in orders)  # one each, no repeat

    again = jobs.rejected_orders_auto_cancel(now=timezone.now())
    assert again["cancelled"] == 0
    assert len(mail.outbox) == ORDERS


CHILD = """
import os, sys, time
import django
django.setup()
from django.utils import timezone
from orders.services import jobs

real_step = jobs._cancel_rejected_orders

def slow_step(batch, **kwargs):
    result = real_step(batch, **kwargs)
    # The batch is done, its transaction not yet committed.
    print("batch " + " ".join(map(str, batch)), flush=True)
    time.sleep(float(os.environ["ROW_SECONDS"]))
    return result

jobs.BATCH_SIZE = 2
jobs._cancel_rejected_orders = slow_step
jobs.rejected_orders_auto_cancel(now=timezone.now())
print("finished", flush=True)
"""


def _child_env():
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}?application_name=killed-worker"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": url,
            "ROW_SECONDS": "0.5",
            "PYTHONWARNINGS": "ignore",
        }
    )
    return env


def _wait_for_backend_gone(timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'killed-worker'"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.2)
    raise AssertionError("the killed worker's PostgreSQL session did not end")


@needs_postgres[0]
@needs_postgres[1]
def test_worker_process_sigkilled_mid_job_then_the_next_run_finishes():
    notified = timezone.now() - datetime.timedelta(days=60)
    orders = _rejected_port_ins(ORDERS, notified)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=_child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        batches = []
        deadline = time.monotonic() + 60
        while len(batches) < 2 and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            if line.startswith("batch "):
                batches.append([int(pk) for pk in line.split()[1:]])
        assert len(batches) == 2, child.stderr.read()
    finally:
        os.kill(child.pid, signal.SIGKILL)  # our own child, by its pid
        child.wait(timeout=10)
    _wait_for_backend_gone()

    cancelled = PortOrder.objects.filter(pk__in=[o.pk for o in orders], status=Status.CANCELLED)
    # Batch 1 (two orders) committed; batch 2 was mid-transaction when the process died.
    assert cancelled.count() == 2
    assert not set(batches[1]) & set(cancelled.values_list("pk", flat=True))

    result = jobs.rejected_orders_auto_cancel(now=timezone.now())
    assert result["cancelled"] == ORDERS - 2 and result["failed"] == 0
    _assert_each_cancelled_exactly_once(orders)
    # This process sent one email per order it cancelled; the child's went to its own outbox.
    assert len(mail.outbox) == ORDERS - 2
    assert len({m.to[0] for m in mail.outbox}) == ORDERS - 2
