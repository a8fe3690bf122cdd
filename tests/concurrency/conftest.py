"""Concurrency and fault tests. The races need PostgreSQL (row locks, concurrent sessions);
SQLite serialises writers, so those tests are skipped there with that reason."""

import threading

import pytest
from django.db import connection

needs_postgres = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: concurrent sessions and row locks (SQLite serialises writers)",
    ),
]


def run_together(*callables, timeout=30):
    """Run each callable in its own thread, released at the same instant by a barrier.

    Returns one ("ok", value) or ("error", exception) per callable, in order. Each thread
    closes its own database connection when done.
    """
    barrier = threading.Barrier(len(callables))
    outcomes = [None] * len(callables)

    def runner(index, fn):
        try:
            barrier.wait(timeout=timeout)
            outcomes[index] = ("ok", fn())
        except Exception as exc:
            outcomes[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout * 2)
        assert not thread.is_alive(), "a racing thread hung (deadlock?)"
    return outcomes
