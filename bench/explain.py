"""The slowest statement of a page, explained: `EXPLAIN (ANALYZE, BUFFERS)`, best of 3.

    BENCH_DATABASE_URL=postgres://.../porting_bench \
        python bench/explain.py "/queues/rejections/?carrier=2" "/orders/?losing_carrier=2&page=200"

Each URL is requested in-process as a superuser (Django's test client, after one warm-up
request); its slowest statement is explained three times and the fastest run printed,
condensed to the plan's nodes with their actual times, the heap blocks read and the buffers,
as BENCHMARKS.md quotes them ("before" and "after" of each miss). Reads only.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEEP = re.compile(r"(->|^\S).*actual time|Heap Blocks|Execution Time|Rows Removed|Heap Fetches")


def condensed(plan: list[str]) -> list[str]:
    lines = [line.strip() for line in plan if KEEP.search(line)]
    buffers = next((line.strip() for line in plan if "Buffers:" in line), "")
    return [re.sub(r"\(cost=[^)]*\) ", "", line) for line in lines] + [buffers]


def explain(url: str, *, runs: int = 3) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
    best = None
    for _ in range(runs):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
            plan = [row[0] for row in cursor.fetchall()]
        ms = float(re.search(r"Execution Time: ([\d.]+)", "\n".join(plan)).group(1))
        if best is None or ms < best[0]:
            best = (ms, plan)
    return {
        "url": url,
        "status": status,
        "statements": len(queries.captured_queries),
        "execution_ms": best[0],
        "plan": condensed(best[1]),
    }


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault(
        "DATABASE_URL",
        os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/porting_bench"),
    )
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    import django

    django.setup()
    for url in argv:
        found = explain(url)
        print(f"**`{url}`**: {found['execution_ms']:.1f} ms ({found['statements']} statements)")
        print("```")
        print("\n".join(found["plan"]))
        print("```")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
