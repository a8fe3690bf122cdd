"""The schedules (setup_schedules), the django-q2 tasks and what the dashboard reads back."""

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule, Task
from django_q.scheduler import scheduler
from django_q.tasks import async_task, result

from orders import tasks
from orders.jobs_status import job_last_runs, job_last_runs_by_name
from orders.models import CsrRequest

from .conftest import open_csr_request

pytestmark = pytest.mark.django_db

JOB_NAMES = {job.name for job in tasks.JOBS}


def test_setup_schedules_twice_leaves_one_schedule_per_job():
    call_command("setup_schedules", verbosity=0)
    first = {s.name: (s.pk, s.next_run) for s in Schedule.objects.all()}
    call_command("setup_schedules", verbosity=0)

    assert Schedule.objects.count() == len(tasks.JOBS)
    assert {s.name: (s.pk, s.next_run) for s in Schedule.objects.all()} == first
    for job in tasks.JOBS:
        schedule = Schedule.objects.get(name=job.name)
        assert (schedule.func, schedule.schedule_type, schedule.cron) == (
            job.func,
            Schedule.CRON,
            job.cron,
        )
        assert schedule.repeats == -1
        assert schedule.next_run > timezone.now()


def test_setup_schedules_repairs_duplicates_changed_and_stale_schedules():
    Schedule.objects.create(name="port-windows-expire", func="orders.tasks.port_windows_expire")
    Schedule.objects.create(name="port-windows-expire", func="orders.tasks.port_windows_expire")
    Schedule.objects.create(
        name="manager-digest-send",
        func="orders.tasks.manager_digest_send",
        schedule_type=Schedule.CRON,
        cron="0 9 * * *",
    )
    Schedule.objects.create(name="old-job", func="orders.tasks.something_removed")
    Schedule.objects.create(name="someone-elses", func="portal.tasks.other")

    call_command("setup_schedules", verbosity=0)

    assert set(Schedule.objects.values_list("name", flat=True)) == JOB_NAMES | {"someone-elses"}
    assert Schedule.objects.filter(name="port-windows-expire").count() == 1
    assert Schedule.objects.get(name="manager-digest-send").cron == "0 7 * * 1-5"


def test_daily_schedules_run_early_in_the_morning_and_status_checks_on_weekdays():
    crons = {job.name: job.cron for job in tasks.JOBS}

    assert crons["status-checks-refresh-due"].endswith("* * 1-5")
    assert crons["port-windows-expire"].endswith("* * 1-5")
    assert crons["csr-requests-flag-overdue"] == "*/15 * * * *"
    for name in ("status-checks-refresh-due", "rejected-orders-auto-cancel", "port-windows-expire"):
        minute, hour, *_ = crons[name].split()
        assert 4 <= int(hour) <= 6


def test_a_task_runs_through_django_q_and_returns_its_counts():
    request = open_csr_request(received_at=timezone.now() - datetime.timedelta(hours=30))

    task_id = async_task("orders.tasks.csr_requests_flag_overdue")

    assert result(task_id) == {"flagged": 1}
    request.refresh_from_db()
    assert request.is_overdue


def test_the_scheduler_runs_a_due_schedule():
    call_command("setup_schedules", verbosity=0)
    open_csr_request(received_at=timezone.now() - datetime.timedelta(hours=30))
    Schedule.objects.filter(name="csr-requests-flag-overdue").update(
        next_run=timezone.now() - datetime.timedelta(minutes=1)
    )

    scheduler()

    assert CsrRequest.objects.filter(is_overdue=True).count() == 1
    schedule = Schedule.objects.get(name="csr-requests-flag-overdue")
    assert schedule.next_run > timezone.now()
    task = Task.objects.get(id=schedule.task)
    assert task.group == "csr-requests-flag-overdue"
    assert task.success and task.result == {"flagged": 1}
    # Nothing else was due.
    assert Task.objects.count() == 1


def finished_task(func, *, success, result, seconds=3):
    stopped = timezone.now()
    return Task.objects.create(
        id=uuid.uuid4().hex,
        name=f"test-{func}",
        func=func,
        started=stopped - datetime.timedelta(seconds=seconds),
        stopped=stopped,
        success=success,
        result=result,
    )


def test_the_dashboard_reads_each_jobs_last_run(django_assert_max_num_queries):
    call_command("setup_schedules", verbosity=0)
    open_csr_request(received_at=timezone.now() - datetime.timedelta(hours=30))
    async_task("orders.tasks.csr_requests_flag_overdue")
    async_task("orders.tasks.csr_requests_flag_overdue")
    # What a cluster stores for a task that raised (sync mode re-raises instead).
    finished_task(
        "orders.tasks.manager_digest_send",
        success=False,
        result="mail server unreachable : Traceback (most recent call last):\n  ...",
    )

    with django_assert_max_num_queries(2):
        runs = job_last_runs()

    assert [run.name for run in runs] == [job.name for job in tasks.JOBS]
    by_name = job_last_runs_by_name()
    csr = by_name["csr-requests-flag-overdue"]
    assert csr.state == "ok"
    assert csr.counts == {"flagged": 0}  # the latest of the two runs
    assert csr.duration_seconds is not None and csr.duration_seconds >= 0
    assert csr.schedule_exists and csr.next_run > timezone.now()
    digest = by_name["manager-digest-send"]
    assert digest.state == "failed"
    assert digest.error == "mail server unreachable : Traceback (most recent call last):"
    never = by_name["port-windows-expire"]
    assert never.state == "never" and never.duration_seconds is None


def test_a_run_with_failed_orders_shows_as_partial():
    finished_task(
        "orders.tasks.rejected_orders_auto_cancel",
        success=True,
        result={"cancelled": 4, "skipped": 0, "failed": 1},
    )

    run = job_last_runs_by_name()["rejected-orders-auto-cancel"]

    assert run.state == "partial"
    assert run.failed_items == 1
    assert run.summary == "cancelled 4 · skipped 0 · failed 1"
    assert 2.5 < run.duration_seconds < 3.5
