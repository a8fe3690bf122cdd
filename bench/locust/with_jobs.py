"""The load run with the django-q2 cluster busy (issue 21): rows made due for the clock jobs,
then every job enqueued as the desk's load starts, and the time until the cluster is done.

    bench/locust/with_jobs.py prepare N   # N rows due in all, spread over the 4 clock jobs
    bench/locust/with_jobs.py run         # enqueue each job once, wait for them (JSON out)

Called by bench/locust/run.sh when JOBS_DUE=N is set, against its own database (never
porting_bench): the due rows are committed and the tables vacuumed before the run, as a
production database would hold them when the morning's jobs start.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CLOCK_JOBS = 4  # status checks, auto-cancel, port windows, CSR overdue (make_due's four)


def _setup():
    sys.path.insert(0, str(ROOT))
    name = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1]
    if name in ("porting_bench", "porting_ci", "postgres") or name.startswith("test_"):
        raise SystemExit(f"refusing {name!r}: the load run's own database only")
    import django

    django.setup()


def prepare(total: int) -> dict:
    from django.db import connection
    from django.utils import timezone

    from bench.multiprocess_jobs import business_now, make_due

    now = business_now()
    per_job = -(-total // CLOCK_JOBS)
    due = make_due(per_job, timezone.localdate(now), now)
    with connection.cursor() as cursor:
        for table in ("orders_portorder", "orders_csrrequest"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    counts = {name: len(ids) for name, ids in due.items()}
    return {"now": now.isoformat(), "due": counts, "due_total": sum(counts.values())}


def run(timeout: float) -> dict:
    from django_q.models import Task
    from django_q.tasks import async_task

    from bench.multiprocess_jobs import business_now
    from orders.services import jobs

    now = business_now()
    names = [
        "status_checks_refresh_due",
        "rejected_orders_auto_cancel",
        "port_windows_expire",
        "csr_requests_flag_overdue",
    ]
    names = [n for n in names if callable(getattr(jobs, n, None))]
    group = f"load-{uuid.uuid4().hex[:8]}"
    t0 = time.monotonic()
    for name in names:
        async_task(f"orders.services.jobs.{name}", now=now, group=group)
    while time.monotonic() - t0 < timeout:
        if Task.objects.filter(group=group).count() >= len(names):
            break
        time.sleep(1)
    tasks = Task.objects.filter(group=group)
    return {
        "jobs": len(names),
        "finished": tasks.count(),
        "succeeded": tasks.filter(success=True).count(),
        "seconds_until_all_finished": round(time.monotonic() - t0, 1),
        "per_job": {
            t.func.rsplit(".", 1)[-1]: {
                "seconds": round((t.stopped - t.started).total_seconds(), 1),
                "result": str(t.result)[:200],
                "success": t.success,
            }
            for t in tasks
        },
    }


def main(argv):
    _setup()
    if argv[:1] == ["prepare"]:
        out = prepare(int(argv[1]))
    elif argv[:1] == ["run"]:
        out = run(float(argv[1]) if len(argv) > 1 else 600)
    else:
        raise SystemExit(__doc__)
    print(json.dumps(out, indent=2, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
