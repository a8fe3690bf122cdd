"""Load scenario for the porting desk (issue 9): simulated porting staff who log in, work the
queues, open orders and post comments.

Run it through bench/locust/run.sh (gunicorn with 4 workers on PostgreSQL, loopback only,
bounded by --run-time). Directly:

    bench/locust/.venv/bin/locust -f bench/locust/locustfile.py --headless \
        -u 50 -r 10 --run-time 60s --host http://127.0.0.1:PORT --csv bench/results/load/load

Users `load-staff-01` .. `load-staff-NN` with the password in $LOAD_PASSWORD must exist in
the "Porting staff" group (run.sh creates them). run.sh logs them in through the form before the
timed run (bench/locust/login.py) and passes the sessions in $LOAD_SESSIONS; without that file
each simulated user logs in through the form in on_start. Requests are named by page, not by URL,
so the statistics give one line per page ("order page", not one per order).
"""

import itertools
import json
import os
import random
import re
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-password-1")
USERS = int(os.environ.get("LOAD_USERS", "50"))
QUEUES = [
    "in-drafts",
    "in-submitted",
    "in-status-checks",
    "in-exceptions",
    "in-rejected",
    "in-review",
    "in-foc-week",
    "out-csr-requests",
    "out-lsrs",
    "out-foc-sent",
    "unassigned",
    "mine",
]
ORDER_LINK = re.compile(r'href="/orders/(\d+)/"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
EXPECTED = re.compile(r'name="comment-expected_status" value="([^"]*)"')
_logins = itertools.count(1)


def _sessions() -> dict:
    path = os.environ.get("LOAD_SESSIONS", "")
    if not path or not os.path.exists(path):
        return {}
    with open(path) as handle:
        return json.load(handle).get("sessions", {})


SESSIONS = _sessions()


@events.test_start.add_listener
def _loopback_only(environment, **kwargs):
    """Never aim this at anything but this machine."""
    host = urlparse(environment.host or "").hostname or ""
    if not (host in ("localhost", "::1") or host.startswith("127.")):
        raise SystemExit(f"Refusing to load {environment.host!r}: loopback addresses only.")


class PortingStaff(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        number = (next(_logins) - 1) % USERS + 1
        self.username = f"load-staff-{number:02d}"
        self.order_ids: list[str] = []
        cookie = SESSIONS.get(self.username)
        if cookie:
            # Logged in before the timed run (bench/locust/login.py): reuse that session.
            self.client.cookies.set("sessionid", cookie)
            response = self.client.get("/", name="dashboard", allow_redirects=False)
            if response.status_code == 200:
                return
            self.client.cookies.clear()
        page = self.client.get("/accounts/login/", name="login page")
        token = self.client.cookies.get("csrftoken") or _first(CSRF_INPUT, page.text)
        with self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="log in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"log-in of {self.username} answered {response.status_code}")

    @task(2)
    def dashboard(self):
        self._get("/", "dashboard")

    @task(5)
    def work_a_queue(self):
        slug = random.choice(QUEUES)
        response = self._get(f"/queues/{slug}/", "queue page")
        if response is not None:
            found = ORDER_LINK.findall(response.text)
            if found:
                self.order_ids = found[:50]

    @task(4)
    def open_an_order(self):
        if not self.order_ids:
            return self.work_a_queue()
        self._get(f"/orders/{random.choice(self.order_ids)}/", "order page")

    @task(1)
    def comment_on_an_order(self):
        if not self.order_ids:
            return self.work_a_queue()
        pk = random.choice(self.order_ids)
        page = self._get(f"/orders/{pk}/", "order page")
        if page is None:
            return
        token = _first(CSRF_INPUT, page.text)
        expected = _first(EXPECTED, page.text)
        with self.client.post(
            f"/orders/{pk}/action/comment/",
            data={
                "csrfmiddlewaretoken": token,
                "comment-expected_status": expected,
                "comment-body": f"Load test: called the carrier ({self.username}).",
                "comment-visibility": "internal",
                "comment-source": "staff",
            },
            headers={"Referer": f"{self.host}/orders/{pk}/"},
            name="post a comment",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"comment answered {response.status_code}")

    def _get(self, path, name):
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as r:
            if r.status_code != 200:
                r.failure(f"{path} answered {r.status_code}")
                return None
            return r


def _first(pattern, text):
    match = pattern.search(text or "")
    return match.group(1) if match else ""
