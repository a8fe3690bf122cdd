"""What the dashboard shows about the scheduled jobs: each job's last run, how long it took,
what it did (the counts its task returned) and when it runs next.

Read from django-q2's own tables: the last `Task` row (Success or Failure) per task function
and the `Schedule` row per job name. Two queries whatever the number of jobs or runs.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, Subquery
from django_q.models import Schedule, Task

from orders.tasks import JOBS, Job


@dataclass(frozen=True)
class JobRun:
    job: Job
    schedule_exists: bool = False
    next_run: datetime.datetime | None = None
    started: datetime.datetime | None = None
    stopped: datetime.datetime | None = None
    success: bool | None = None
    counts: dict = field(default_factory=dict)
    error: str = ""

    @property
    def name(self) -> str:
        return self.job.name

    @property
    def label(self) -> str:
        return self.job.label

    @property
    def has_run(self) -> bool:
        return self.stopped is not None

    @property
    def duration_seconds(self) -> float | None:
        if self.started is None or self.stopped is None:
            return None
        return max((self.stopped - self.started).total_seconds(), 0.0)

    @property
    def failed_items(self) -> int:
        """Rows the last run could not process (retried on the next run)."""
        return int(self.counts.get("failed", 0) or 0)

    @property
    def summary(self) -> str:
        """The counts as a line of text: "cancelled 3 · skipped 0 · failed 1"."""
        if not self.success:
            return self.error
        return " · ".join(f"{key.replace('_', ' ')} {value}" for key, value in self.counts.items())

    @property
    def state(self) -> str:
        """ "never", "failed" (the task raised), "partial" (some rows failed) or "ok"."""
        if not self.has_run:
            return "never"
        if not self.success:
            return "failed"
        return "partial" if self.failed_items else "ok"


def _first_line(result) -> str:
    # A failed task's result is the error text (with its traceback); the first line names it.
    lines = str(result or "").strip().splitlines()
    return lines[0] if lines else "failed"


def _latest_task_id(func: str):
    return Subquery(Task.objects.filter(func=func).order_by("-stopped").values("id")[:1])


def job_last_runs() -> list[JobRun]:
    """One JobRun per declared job, in the order of orders.tasks.JOBS."""
    funcs = [job.func for job in JOBS]
    latest_q = Q(pk__in=[])
    for func in funcs:
        latest_q |= Q(id=_latest_task_id(func))
    tasks = {
        task.func: task
        for task in Task.objects.filter(latest_q).only(
            "id", "func", "started", "stopped", "success", "result"
        )
    }
    schedules = {}
    for row in Schedule.objects.filter(name__in=[job.name for job in JOBS]).order_by("pk"):
        schedules.setdefault(row.name, row)

    runs = []
    for job in JOBS:
        task = tasks.get(job.func)
        schedule = schedules.get(job.name)
        kwargs = {
            "job": job,
            "schedule_exists": schedule is not None,
            "next_run": schedule.next_run if schedule else None,
        }
        if task is not None:
            result = task.result
            kwargs |= {
                "started": task.started,
                "stopped": task.stopped,
                "success": task.success,
                "counts": dict(result) if task.success and isinstance(result, dict) else {},
                "error": "" if task.success else _first_line(result),
            }
        runs.append(JobRun(**kwargs))
    return runs


def job_last_runs_by_name() -> dict[str, JobRun]:
    return {run.name: run for run in job_last_runs()}
