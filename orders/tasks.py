"""django-q2 tasks: thin entry points that call a job service with the current time.

Each returns the service's small dict of counts; django-q2 stores it as the task result, and
the dashboard reads it back (orders.jobs_status). The schedules are declared in `JOBS` and
created by `manage.py setup_schedules`.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from orders.services import jobs, outbox
from orders.services.dashboard_summary import refresh_dashboard_summary
from orders.services.portin import documents as portin_documents


def status_checks_refresh_due() -> dict:
    return jobs.status_checks_refresh_due(now=timezone.now())


def rejected_orders_auto_cancel() -> dict:
    return jobs.rejected_orders_auto_cancel(now=timezone.now())


def port_windows_expire() -> dict:
    return jobs.port_windows_expire(now=timezone.now())


def csr_requests_flag_overdue() -> dict:
    return jobs.csr_requests_flag_overdue(now=timezone.now())


def manager_digest_send() -> dict:
    return jobs.manager_digest_send(now=timezone.now())


def outbox_deliver() -> dict:
    return outbox.deliver(now=timezone.now())


def auto_cancel_sup1_documents(ids: list[int], cancelled_at: str) -> int:
    """F4's SUP 1 documents for one auto-cancel batch (queued after its commit)."""
    return portin_documents.auto_cancel_sup1_documents_send(
        ids=ids, cancelled_at=datetime.datetime.fromisoformat(cancelled_at)
    )


def dashboard_summary_refresh() -> dict:
    return refresh_dashboard_summary(now=timezone.now())


@dataclass(frozen=True)
class Job:
    """One scheduled job: its schedule name, task, cron line (in settings.TIME_ZONE)."""

    name: str
    func: str
    cron: str
    label: str
    when: str


JOBS: tuple[Job, ...] = (
    Job(
        name="outbox-deliver",
        func="orders.tasks.outbox_deliver",
        cron="* * * * *",
        label="Email outbox (emails still owed)",
        when="every minute",
    ),
    Job(
        name="dashboard-summary-refresh",
        func="orders.tasks.dashboard_summary_refresh",
        cron="* * * * *",
        label="Dashboard counts and charts",
        when="every minute",
    ),
    Job(
        name="csr-requests-flag-overdue",
        func="orders.tasks.csr_requests_flag_overdue",
        cron="*/15 * * * *",
        label="CSR answer clock (R1)",
        when="every 15 minutes",
    ),
    Job(
        name="port-windows-expire",
        func="orders.tasks.port_windows_expire",
        cron="0 5 * * 1-5",
        label="Port window expiry, NPAC cancels (R11)",
        when="business days at 05:00",
    ),
    Job(
        name="rejected-orders-auto-cancel",
        func="orders.tasks.rejected_orders_auto_cancel",
        cron="15 5 * * *",
        label="Rejected port-in orders (F4)",
        when="daily at 05:15",
    ),
    Job(
        name="status-checks-refresh-due",
        func="orders.tasks.status_checks_refresh_due",
        cron="30 5 * * 1-5",
        label="Submitted port-in orders (F5)",
        when="business days at 05:30",
    ),
    Job(
        name="manager-digest-send",
        func="orders.tasks.manager_digest_send",
        cron="0 7 * * 1-5",
        label="Manager digest",
        when="business days at 07:00",
    ),
    # The reports app's task, named not imported (reports builds on orders, never back).
    Job(
        name="reports-rollup",
        func="reports.tasks.reports_rollup",
        cron="* * * * *",
        label="Reports' rollup (days that ended or changed) and today's figures",
        when="every minute",
    ),
    # The partner API's webhooks (issue 18), named not imported (api builds on orders).
    Job(
        name="webhooks-fan-out",
        func="api.tasks.webhooks_fan_out",
        cron="* * * * *",
        label="Webhooks: new events to deliveries",
        when="every minute",
    ),
    Job(
        name="webhooks-deliver",
        func="api.tasks.webhooks_deliver",
        cron="* * * * *",
        label="Webhooks: deliveries sent and retried",
        when="every minute",
    ),
)
