"""Several processes on one PostgreSQL: gunicorn (4 workers) + two django-q2 clusters.

    .venv/bin/python bench/multiprocess_jobs.py                  # ORM broker
    .venv/bin/python bench/multiprocess_jobs.py --broker redis   # Q_REDIS_URL broker

What it does, all on 127.0.0.1 and bounded in time:
1. Clones the load database (`porting_bench`, filled by generate_load_data) into a scratch
   database (`porting_bench_mp`, dropped at the end unless --keep), or generates one with
   --generate N, so the load data itself is never changed.
2. Makes 1% of the orders due for each clock job (status checks F5, 45-day auto-cancel F4,
   R11 port windows; open CSR requests past R1) by moving their clock fields.
3. Starts an SMTP sink (a few lines of socket code in this file: counts every email),
   gunicorn with 4 workers (`--no-control-socket`, a free port) and two `manage.py qcluster`
   processes, all pointed at the scratch database and the sink.
4. Enqueues every scheduled job twice at the same moment (as two clusters' schedulers would
   when both fire), with an explicit business-day `now`, and then lets both clusters' own
   schedulers fire every schedule once more (next_run moved to now), while a client logs in
   to gunicorn and loads pages.
5. Waits for the tasks, stops every process it started, and checks: no duplicate history
   rows, no duplicate NPAC cancel records, no duplicate emails, one system comment per moved
   order, every task succeeded, every page answered 200. Prints PASS/FAIL per check and
   exits 1 on any FAIL.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime
import email
import http.cookiejar
import os
import re
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"
JOBS = [
    "status_checks_refresh_due",
    "rejected_orders_auto_cancel",
    "port_windows_expire",
    "csr_requests_flag_overdue",
    "manager_digest_send",
]


# --- a tiny SMTP sink ----------------------------------------------------------------------


class SmtpSink(socketserver.ThreadingTCPServer):
    """Accepts SMTP on 127.0.0.1 and keeps (recipients, subject) of every message."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.messages: list[tuple[tuple[str, ...], str]] = []
        self.lock = threading.Lock()

    @property
    def port(self):
        return self.server_address[1]


class _SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.request.settimeout(30)
        self.reply("220 sink ESMTP")
        recipients: list[str] = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go ahead")
                data = []
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk in (b".\r\n", b".\n"):
                        break
                    data.append(chunk)
                message = email.message_from_bytes(b"".join(data))
                subject = str(email.header.make_header(email.header.decode_header(
                    message.get("Subject", ""))))  # fmt: skip
                with self.server.lock:
                    self.server.messages.append((tuple(sorted(recipients)), subject))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 not implemented")


# --- processes -------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Processes:
    """Start children in their own process group; stop exactly those groups."""

    def __init__(self, log_dir: Path):
        self.children: list[tuple[str, subprocess.Popen]] = []
        self.log_dir = log_dir

    def start(self, name, argv, env):
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop()
        proc = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        proc._log = log
        self.children.append((name, proc))
        return proc

    def stop(self, timeout=20):
        for _name, proc in self.children:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for _name, proc in self.children:
            remaining = max(0.1, deadline - time.monotonic())
            try:
                proc.wait(remaining)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
            proc._log.close()

    def alive(self):
        return {name: proc.poll() is None for name, proc in self.children}


# --- database helpers (raw psycopg: the scratch database is made before Django runs) ---------


def admin_sql(statement):
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def db_exists(name):
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def manage(args, env, *, timeout=3600):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=timeout
    )


def setup_django(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- the check ---------------------------------------------------------------------------------


def business_now():
    """06:00 today in the portal's zone, or on the next business day (daily jobs do nothing on
    closed days)."""
    import zoneinfo

    from django.conf import settings

    from carriers.services import calendar_for

    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    day = datetime.datetime.now(tz).date()
    calendar = calendar_for(None)
    while not calendar.is_business_day(day):
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(6, 0), tz)


def make_due(k, today, now):
    """Move the clocks of k rows per job into the past; return the ids made due."""
    from django.db import connection

    day = datetime.timedelta(days=1)
    due = {}
    with connection.cursor() as cursor:
        for name, status, direction, column, value in [
            ("status_checks", "submitted", "in", "next_status_check_on", today - day),
            ("auto_cancel", "rejected", "in", "auto_cancel_on", today - day),
            ("port_windows", "foc_sent", "out", "port_window_ends_on", today - 2 * day),
        ]:
            cursor.execute(
                f"UPDATE orders_portorder SET {column} = %s WHERE id IN (SELECT id FROM "
                f"orders_portorder WHERE status = %s AND direction = %s ORDER BY id LIMIT %s) "
                f"RETURNING id",
                [value, status, direction, k],
            )
            due[name] = sorted(row[0] for row in cursor.fetchall())
        cursor.execute(
            "UPDATE orders_csrrequest SET status = 'open', is_overdue = false, answered_at = NULL,"
            " due_at = %s WHERE id IN (SELECT id FROM orders_csrrequest ORDER BY id LIMIT %s) "
            "RETURNING id",
            [now - datetime.timedelta(hours=1), k],
        )
        due["csr_overdue"] = sorted(row[0] for row in cursor.fetchall())
    return due


def web_client(base_url, username, password, pages, stop_event, results):
    """Log in through the login form, then load pages until told to stop."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        html = opener.open(f"{base_url}/accounts/login/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            f"{base_url}/accounts/login/", data=body, headers={"Referer": f"{base_url}/"}
        )
        # A bad answer from the page after the login is counted with the pages below.
        with contextlib.suppress(urllib.error.HTTPError):
            opener.open(request, timeout=30).read()
        if not any(cookie.name == "sessionid" for cookie in jar):
            raise RuntimeError("login refused")
    except Exception as exc:
        results.append(("login", str(exc)))
        return
    while not stop_event.is_set():
        for page in pages:
            try:
                response = opener.open(f"{base_url}{page}", timeout=60)
                results.append((page, response.status))
                response.read()
            except urllib.error.HTTPError as exc:
                results.append((page, exc.code))
            except Exception as exc:
                results.append((page, str(exc)))
            if stop_event.is_set():
                break
        stop_event.wait(0.2)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default="porting_bench", help="load database to clone")
    parser.add_argument("--database", default="porting_bench_mp", help="scratch database")
    parser.add_argument("--generate", type=int, default=0, help="generate N orders instead")
    parser.add_argument("--broker", choices=("orm", "redis"), default="orm")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--due-percent", type=float, default=1.0)
    parser.add_argument("--timeout", type=int, default=900, help="seconds for the whole run")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--log-dir",
        default=str(Path(tempfile.gettempdir()) / "porting-bench-mp-logs"),
        help="where the children's logs go (not in the repository)",
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.database in ("porting_ci", args.source) or args.database.startswith("test_"):
        raise SystemExit(f"Refusing to use {args.database!r} as the scratch database.")

    # 1. The scratch database.
    if db_exists(args.database):
        admin_sql(f'DROP DATABASE "{args.database}"')
    base_env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{args.database}",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "true",
        "LOG_LEVEL": "WARNING",
    }
    base_env.pop("Q_REDIS_URL", None)
    if args.generate:
        print(f"Creating {args.database} with {args.generate:,} generated orders...")
        admin_sql(f'CREATE DATABASE "{args.database}"')
        manage(["migrate", "-v0"], base_env)
        manage(["generate_load_data", "--orders", str(args.generate), "-v0"], base_env)
    else:
        if not db_exists(args.source):
            raise SystemExit(
                f"No database {args.source!r}: create it and run generate_load_data first, "
                "or pass --generate N (see bench/README.md)."
            )
        print(f"Cloning {args.source} into {args.database}...")
        t0 = time.monotonic()
        admin_sql(f'CREATE DATABASE "{args.database}" TEMPLATE "{args.source}"')
        print(f"  cloned in {time.monotonic() - t0:.0f}s")
        manage(["migrate", "-v0"], base_env)

    sink = SmtpSink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    cluster = f"mp-check-{uuid.uuid4().hex[:8]}"
    env = {
        **base_env,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "false",
        "Q_CLUSTER_NAME": cluster,
        "Q_WORKERS": "2",
        "CONN_MAX_AGE": "0",
    }
    if args.broker == "redis":
        env["Q_REDIS_URL"] = args.redis_url
    setup_django(env)

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone
    from django_q.brokers import get_broker
    from django_q.models import Schedule, Task
    from django_q.tasks import async_task

    from orders.models import Comment, NpacCancelRecord, OutboundEmail, PortOrder, StatusChange
    from orders.roles import STAFF_GROUP

    # 2. Rows due, a web user, the schedules.
    n_orders = PortOrder.objects.count()
    k = max(1, int(n_orders * args.due_percent / 100))
    now = business_now()
    today = timezone.localdate(now)
    due = make_due(k, today, now)
    print(
        f"{n_orders:,} orders; made due per job: "
        + ", ".join(f"{n} {len(v)}" for n, v in due.items())
    )
    User = get_user_model()
    web_user, _ = User.objects.get_or_create(username="mp-check")
    password = uuid.uuid4().hex
    web_user.set_password(password)
    web_user.save()
    web_user.groups.add(Group.objects.get(name=STAFF_GROUP))
    manage(["setup_schedules"], env)
    mark = timezone.now()
    max_history = StatusChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    max_comment = Comment.objects.order_by("-id").values_list("id", flat=True).first() or 0
    max_outbox = OutboundEmail.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # Emails the data set already owed (seed_demo's, when no worker ran): the clusters' every-
    # minute delivery sends them too, so they are expected at the sink as well.
    owed_before = OutboundEmail.objects.filter(sent_at__isnull=True, gave_up_at__isnull=True)
    owed_before = set(owed_before.values_list("id", flat=True))
    sample_order = (
        PortOrder.objects.filter(is_project_port=True).order_by("pk").values_list("pk", flat=True)
    ).first() or PortOrder.objects.order_by("pk").values_list("pk", flat=True).first()
    connection.close()

    # 3. The processes.
    log_dir = Path(args.log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    procs = Processes(log_dir)
    port = free_port()
    checks: list[tuple[str, bool, str]] = []
    web_results: list = []
    stop_web = threading.Event()
    try:
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        procs.start(
            "gunicorn",
            [gunicorn, "portal.wsgi", "--workers", "4", "--bind", f"127.0.0.1:{port}",
             "--no-control-socket", "--timeout", "120"],
            env,
        )  # fmt: skip
        for i in (1, 2):
            procs.start(f"qcluster-{i}", [PYTHON, "manage.py", "qcluster"], env)
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{base_url}/accounts/login/", timeout=5).read()
                break
            time.sleep(0.5)
        else:
            raise RuntimeError("gunicorn did not answer within 60 s (see the logs in --log-dir)")
        time.sleep(3)  # both clusters up
        web = threading.Thread(
            target=web_client,
            args=(base_url, "mp-check", password, ["/", f"/orders/{sample_order}/"], stop_web,
                  web_results),
            daemon=True,
        )  # fmt: skip
        web.start()

        # 4. Every job twice at the same moment, then both schedulers fire every schedule.
        group = f"mp-{uuid.uuid4().hex[:8]}"
        t_jobs = time.monotonic()
        for _copy in (1, 2):
            for name in JOBS:
                async_task(f"orders.services.jobs.{name}", now=now, group=group)
        expected = 2 * len(JOBS)
        schedules = Schedule.objects.filter(func__startswith="orders.tasks.")
        n_schedules = schedules.count()
        if n_schedules:
            schedules.update(next_run=timezone.now())
            connection.close()
        wait_until = started + args.timeout - 30
        clock_funcs = set(schedules.values_list("func", flat=True))
        broker = get_broker(cluster)
        while time.monotonic() < wait_until:
            finished = Task.objects.filter(group=group).count()
            # Each schedule's own run (not just any task: the outbox's every-minute delivery
            # is one too), and the emails the jobs owed all sent, before the checks.
            fired = set(
                Task.objects.filter(func__in=clock_funcs, started__gte=mark)
                .values_list("func", flat=True)
                .distinct()
            )
            owed = OutboundEmail.objects.filter(id__gt=max_outbox, sent_at__isnull=True).exists()
            if (
                finished >= expected
                and fired >= clock_funcs
                and not owed
                and not broker.queue_size()
            ):
                break
            connection.close()
            time.sleep(1)
        jobs_seconds = time.monotonic() - t_jobs
        time.sleep(2)
        stop_web.set()
        web.join(30)
        alive = procs.alive()
    finally:
        stop_web.set()
        procs.stop()
        sink.shutdown()

    # 5. The checks.
    tasks = list(Task.objects.filter(group=group).values_list("name", "func", "success", "result"))
    scheduled = list(
        Task.objects.filter(func__startswith="orders.tasks.", started__gte=mark)
        .order_by("started")
        .values_list("func", "started")
    )
    checks.append((
        "every enqueued job ran and succeeded (2 copies x 5 jobs)",
        len(tasks) == expected and all(t[2] for t in tasks),
        f"{sum(1 for t in tasks if t[2])}/{expected} succeeded",
    ))  # fmt: skip
    # The outbox is also delivered by a task each job batch queues and by its every-minute
    # schedule: many runs are expected there. Every other schedule must fire once per
    # occurrence: a second run of the same occurrence (two clusters both firing it) starts
    # within seconds of the first; a later run is the schedule's next cron time (a 15-minute
    # job, or a daily job whose time fell inside the run).
    outbox_func = "orders.tasks.outbox_deliver"
    starts: dict = collections.defaultdict(list)
    for func, started_at in scheduled:
        if func != outbox_func:
            starts[func].append(started_at)
    doubled = {
        func: len(times)
        for func, times in starts.items()
        if any((b - a).total_seconds() < 30 for a, b in zip(times, times[1:], strict=False))
    }
    n_daily = schedules.exclude(func=outbox_func).count()
    checks.append((
        "each schedule occurrence fired once although two clusters run the scheduler",
        n_daily > 0 and len(starts) == n_daily and not doubled,
        f"runs per schedule: { {f: len(t) for f, t in starts.items()} }; fired twice: {doubled}",
    ))  # fmt: skip
    history = StatusChange.objects.filter(id__gt=max_history)
    dupes = (
        history.values("order_id", "from_status", "to_status")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    moved = set(history.values_list("order_id", flat=True))
    checks.append((
        "no duplicate history rows",
        not dupes.exists(),
        f"{history.count()} new history rows on {len(moved)} orders; duplicates: {dupes.count()}",
    ))  # fmt: skip
    cancelled_f4 = set(due["auto_cancel"]) & moved
    cancelled_r11 = set(due["port_windows"]) & moved
    checks.append((
        "every due F4 order cancelled exactly once",
        cancelled_f4 == set(due["auto_cancel"]),
        f"{len(cancelled_f4)}/{len(due['auto_cancel'])}",
    ))  # fmt: skip
    npac = NpacCancelRecord.objects.filter(order_id__in=due["port_windows"])
    npac_dupes = npac.values("order_id", "tn").annotate(n=Count("id")).filter(n__gt=1)
    checks.append((
        "no duplicate NPAC cancel records",
        not npac_dupes.exists(),
        f"{npac.count()} records for {len(cancelled_r11)} R11-cancelled orders",
    ))  # fmt: skip
    system = Comment.objects.filter(id__gt=max_comment, source="system")
    same_comment = collections.Counter(system.values_list("order_id", "body"))
    repeated = {key: n for key, n in same_comment.items() if n > 1}
    checks.append((
        "no system comment written twice on an order (each job comment, each email record)",
        not repeated,
        f"{system.count()} system comments on {len({o for o, _ in same_comment})} orders; "
        f"repeated: {len(repeated)}",
    ))  # fmt: skip
    owed = OutboundEmail.objects.filter(id__gt=max_outbox)
    # Every email goes through the outbox, the managers' digests included.
    owed_received = sink.messages
    unsent = owed.filter(sent_at__isnull=True).count()
    sent_from_before = OutboundEmail.objects.filter(
        id__in=owed_before, sent_at__isnull=False
    ).count()
    checks.append((
        "every email the jobs owed (outbox rows) was delivered by the clusters",
        unsent == 0 and owed.count() + sent_from_before == len(owed_received),
        f"{owed.count()} owed, {unsent} unsent; {len(owed_received)} received by the SMTP sink "
        f"({sent_from_before} of those the data set "
        "already owed before the run)",
    ))  # fmt: skip
    sent = collections.Counter(sink.messages)
    email_dupes = {key: n for key, n in sent.items() if n > 1}
    checks.append((
        "no duplicate emails",
        not email_dupes,
        f"{len(sink.messages)} emails, {len(email_dupes)} sent more than once",
    ))  # fmt: skip
    statuses = collections.Counter(
        status if isinstance(status, int) else "error" for _page, status in web_results
    )
    problems = sorted({f"{page}: {status}" for page, status in web_results if status != 200})
    checks.append((
        "gunicorn (4 workers) answered every page while the jobs ran",
        bool(web_results) and set(statuses) == {200},
        f"{dict(statuses)} " + "; ".join(problems[:3]),
    ))  # fmt: skip
    checks.append((
        "all processes were still running at the end",
        all(alive.values()),
        f"{alive}",
    ))  # fmt: skip

    print()
    print(f"Logs of the processes: {log_dir}")
    print(f"Broker: {args.broker}; cluster {cluster}; jobs finished in {jobs_seconds:.1f}s; "
          f"whole run {time.monotonic() - started:.0f}s")  # fmt: skip
    for name, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    ok = all(c[1] for c in checks)
    print("RESULT:", "PASS" if ok else "FAIL")
    from django.db import connections

    connections.close_all()
    if not args.keep:
        admin_sql(f'DROP DATABASE "{args.database}"')
    if args.broker == "redis":
        import redis

        redis.Redis.from_url(args.redis_url).delete(f"django_q:{cluster}:q", cluster)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
