"""Log the load users in through the real log-in form before the timed run, 4 at a time.

A log-in costs one PBKDF2 hash (1,500,000 iterations: about a second of CPU here); fifty of
them in the first seconds of a 60 s run would measure the hasher, not the desk's work. So
run.sh logs everyone in first with this script, records how long each log-in took, and hands
the session cookies to locust (LOAD_SESSIONS), whose users fall back to the form if a cookie
does not work.

    python bench/locust/login.py http://127.0.0.1:PORT SESSIONS.json SUMMARY.json

The session cookies go to SESSIONS.json (run.sh puts it in a temporary directory outside the
repository and deletes it afterwards); SUMMARY.json gets the timings only.
"""

import json
import os
import re
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import requests

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def login(host: str, username: str, password: str) -> tuple[str, float]:
    session = requests.Session()
    page = session.get(f"{host}/accounts/login/", timeout=120)
    token = session.cookies.get("csrftoken") or CSRF_INPUT.search(page.text).group(1)
    started = time.perf_counter()
    response = session.post(
        f"{host}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{host}/accounts/login/"},
        allow_redirects=False,
        timeout=120,
    )
    elapsed = time.perf_counter() - started
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"log-in of {username} failed: {response.status_code}")
    return session.cookies["sessionid"], elapsed


def main():
    host, sessions_out, summary_out = sys.argv[1], sys.argv[2], sys.argv[3]
    hostname = urlparse(host).hostname or ""
    if not (hostname == "localhost" or hostname.startswith("127.")):
        raise SystemExit("loopback addresses only")
    users = int(os.environ.get("LOAD_USERS", "50"))
    password = os.environ.get("LOAD_PASSWORD", "load-test-password-1")
    names = [f"load-staff-{n:02d}" for n in range(1, users + 1)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda name: login(host, name, password), names))
    wall = time.perf_counter() - started
    times = sorted(t for _, t in results)
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    sessions = {name: cookie for name, (cookie, _) in zip(names, results, strict=True)}
    with open(sessions_out, "w") as handle:
        json.dump({"sessions": sessions}, handle)
    summary = {
        "logins": len(times),
        "wall_seconds": round(wall, 1),
        "median_ms": round(statistics.median(times) * 1000),
        "p95_ms": round(p95 * 1000),
    }
    with open(summary_out, "w") as handle:
        json.dump(summary, handle)
    print(
        f"{len(times)} log-ins through the form, 4 at a time: {wall:.1f} s; "
        f"median {summary['median_ms']} ms, p95 {summary['p95_ms']} ms"
    )


if __name__ == "__main__":
    main()
