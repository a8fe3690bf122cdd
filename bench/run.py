"""The portal's benchmark (issue 8): build or reuse a load database and measure it.

    .venv/bin/python bench/run.py --orders 20000              # build porting_bench, measure
    .venv/bin/python bench/run.py --orders 1000000 --reuse    # measure what is loaded

Measures, each over enough repetitions for a median and a p95: every work queue page and the
dashboard (Django test client, logged in as a manager, SQL query count per page), the order
page of a 2,000-TN project port, search by one TN, each scheduled job with 1% of orders due
and with nothing due (inside a transaction that is rolled back), LSR rule evaluation and FOC
computation as calls per second, importing a 20,000-TN project port from CSV, and for the
biggest queue the Django admin changelist and the page's own SQL timed in PostgreSQL alone
(EXPLAIN ANALYZE). Writes BENCHMARKS.md (its own section, between markers) and the raw
numbers to bench/results/<date>-<orders>.json.

The pure helpers (median, percentile, p95, summarize, verdict) import without Django.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/porting_bench"
PROTECTED_DATABASES = ("porting_ci",)
MARK_START = "<!-- bench/run.py: start (generated; edit bench/run.py, not this section) -->"
MARK_END = "<!-- bench/run.py: end -->"

# The targets at 1,000,000 orders / 5,000,000 TNs (server time, milliseconds).
TARGETS = {
    "page_median_ms": 50.0,
    "page_p95_ms": 100.0,
    "page_max_queries": 12,
    "order_page_ms": 150.0,
    "tn_search_ms": 20.0,
    "job_due_s": 10.0,
    "job_idle_ms": 200.0,
    "lsr_50_per_s": 2000.0,
    "csv_import_s": 5.0,
    "page_vs_sql": 2.5,
}


# --- pure helpers ----------------------------------------------------------------------------


def median(values):
    """The median of a non-empty sequence of numbers."""
    if not values:
        raise ValueError("median of no values")
    return statistics.median(values)


def percentile(values, q):
    """The q-th percentile (0-100), linear interpolation between closest ranks (numpy's
    default): percentile([1, 2, 3, 4], 50) == 2.5, percentile(v, 100) == max(v)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError("q must be between 0 and 100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def p95(values):
    return percentile(values, 95)


def summarize(seconds):
    """Milliseconds: median, p95, min, max and the number of samples."""
    ms = [s * 1000.0 for s in seconds]
    return {
        "median_ms": round(median(ms), 3),
        "p95_ms": round(p95(ms), 3),
        "min_ms": round(min(ms), 3),
        "max_ms": round(max(ms), 3),
        "n": len(ms),
    }


def verdict(value, limit, *, at_least=False):
    """PASS when value is within the limit (at most, or at least), MISS otherwise, n/a
    when there is no value."""
    if value is None:
        return "n/a"
    ok = value >= limit if at_least else value <= limit
    return "PASS" if ok else "MISS"


def ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)


def job_seconds_for(due, idle, *, rows):
    """A job's seconds for `rows` rows due: measured when the run had that many, else
    projected linearly from the measured cost per row (the jobs work row by row) on top of
    the nothing-due run. Returns (seconds, how it was obtained)."""
    measured = due["median_ms"] / 1000
    n = due.get("rows_due") or 0
    if n >= rows:
        return measured, f"measured with {n:,} rows"
    base = (idle or {}).get("median_ms", 0.0) / 1000
    per_row = max(measured - base, 0.0) / max(n, 1)
    return base + per_row * rows, f"projected from {n:,} rows: {per_row * 1000:.1f} ms/row"


def replace_section(document: str, section: str) -> str:
    """Put `section` between the markers in `document` (appended when absent), keeping
    everything else (other sections of BENCHMARKS.md belong to other people)."""
    block = f"{MARK_START}\n{section.rstrip()}\n{MARK_END}"
    if MARK_START in document and MARK_END in document:
        head, rest = document.split(MARK_START, 1)
        _old, tail = rest.split(MARK_END, 1)
        return f"{head}{block}{tail}"
    if document and not document.endswith("\n"):
        document += "\n"
    return f"{document}\n{block}\n" if document else f"{block}\n"


# --- Django setup -----------------------------------------------------------------------------


def _setup_django(database_url: str):
    name = database_url.rsplit("/", 1)[-1].split("?")[0]
    if name in PROTECTED_DATABASES or name.startswith("test_"):
        raise SystemExit(f"Refusing to benchmark the shared database {name!r}.")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # Import with DEBUG on (plain static files storage, no HTTPS redirect for the test
    # client), then switch DEBUG off before the first request so that neither queries nor
    # template debug information are recorded: closer to production.
    os.environ["DEBUG"] = "true"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["CONN_MAX_AGE"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    import logging

    logging.getLogger("django.request").setLevel(logging.CRITICAL)


def _ensure_database(database_url: str):
    import psycopg

    name = database_url.rsplit("/", 1)[-1].split("?")[0]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            return True
    return False


class Rollback(Exception):
    """Raised to leave a measuring transaction without keeping anything."""


@contextlib.contextmanager
def rolled_back():
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


@contextlib.contextmanager
def count_queries():
    """Count SQL statements cheaply (an execute wrapper, no SQL kept)."""
    from django.db import connection

    box = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        box["n"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield box


def run_pending_on_commit():
    """Run the callbacks queued with transaction.on_commit inside our measuring transaction
    (emails of the jobs): they are part of the job's cost, but the transaction is rolled back
    so Django would otherwise drop them."""
    from django.db import connection

    callbacks = list(connection.run_on_commit)
    connection.run_on_commit = []
    for _sids, func, _robust in callbacks:
        func()
    return len(callbacks)


# --- the benchmark ------------------------------------------------------------------------------


class Bench:
    def __init__(self, args):
        self.args = args
        self.results: dict = {"sections": {}, "errors": {}, "notes": []}
        self.log = print

    # --- fixtures ------------------------------------------------------------------------
    def users(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from orders.roles import MANAGER_GROUP

        User = get_user_model()
        manager, created = User.objects.get_or_create(
            username="bench-manager",
            defaults={"first_name": "Bench", "email": "bench-manager@porting-desk.example.net"},
        )
        if created:
            manager.set_unusable_password()
            manager.save()
        group = Group.objects.filter(name=MANAGER_GROUP).first()
        if group:
            manager.groups.add(group)
        admin, created = User.objects.get_or_create(
            username="bench-admin",
            defaults={"is_staff": True, "is_superuser": True},
        )
        if created:
            admin.set_unusable_password()
            admin.save()
        return manager, admin

    def client_for(self, user):
        from django.test import Client

        client = Client()
        client.force_login(user)
        return client

    def data_size(self):
        from django.db import connection

        sizes = {}
        with connection.cursor() as cursor:
            for label, table in [
                ("orders", "orders_portorder"),
                ("order_numbers", "orders_ordernumber"),
                ("inventory_tns", "carriers_telephonenumber"),
                ("history", "orders_statuschange"),
                ("comments", "orders_comment"),
                ("rejections", "orders_rejection"),
                ("supplements", "orders_supplement"),
                ("csr_requests", "orders_csrrequest"),
                ("npac_cancels", "orders_npaccancelrecord"),
                ("status_checks", "orders_statuscheck"),
            ]:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                sizes[label] = cursor.fetchone()[0]
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_database_size(current_database())")
                sizes["database_bytes"] = cursor.fetchone()[0]
        return sizes

    # --- timing helpers --------------------------------------------------------------------
    def time_page(self, client, url, *, repeat=None, capture=False, cold=False):
        """GET url `repeat` times after one warm-up request; the warm-up also counts the SQL
        queries (and keeps them when `capture`). With `cold`, the cache is cleared before
        each request, the warm-up included (not timed)."""
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        repeat = repeat or self.args.repeat
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        # Read them now: the next request empties the connection's query log.
        sql = [q["sql"] for q in captured.captured_queries]
        status = response.status_code
        samples = []
        for _ in range(repeat):
            if cold:
                cache.clear()
            t0 = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - t0)
            status = response.status_code if response.status_code != 200 else status
        out = summarize(samples) | {
            "url": url,
            "status": status,
            "queries": len(sql),
            "bytes": len(response.content),
        }
        if capture:
            out["_sql"] = sql
        return out

    def time_call(self, func, *, repeat=None, warmup=1):
        repeat = repeat or self.args.repeat
        for _ in range(warmup):
            func()
        samples = []
        with count_queries() as box:
            for _ in range(repeat):
                t0 = time.perf_counter()
                func()
                samples.append(time.perf_counter() - t0)
        return summarize(samples) | {"queries_per_call": box["n"] / repeat}

    def section(self, name, func):
        self.log(f"- {name} ...")
        t0 = time.perf_counter()
        try:
            value = func()
        except Exception as exc:  # a missing part must not stop the other measurements
            import traceback

            self.results["errors"][name] = f"{type(exc).__name__}: {exc}"
            self.log(f"  ! {name}: {type(exc).__name__}: {exc}")
            if self.args.verbose:
                traceback.print_exc()
            return None
        self.results["sections"][name] = value
        self.log(f"  done in {time.perf_counter() - t0:.1f}s")
        return value

    # --- 1. queues and dashboard -------------------------------------------------------------
    def discover_queues(self, client):
        """Queue URLs from the queues engineer's registry (orders.queues), else the links
        the dashboard shows."""
        urls: dict[str, str] = {}
        try:
            from orders.queues import registry as registry_module
        except ImportError:
            registry_module = None
        if registry_module is not None:
            from django.urls import NoReverseMatch, reverse

            for slug in _registry_slugs(registry_module):
                for name in ("orders:queue", "orders:queue_detail", "orders:queue_page"):
                    try:
                        urls[slug] = reverse(name, kwargs={"slug": slug})
                        break
                    except NoReverseMatch:
                        continue
                else:
                    urls[slug] = f"/queues/{slug}/"
        if not urls:
            try:
                html = client.get("/").content.decode("utf-8", "replace")
            except Exception:
                html = ""
            for slug in dict.fromkeys(re.findall(r'href="/queues/([\w-]+)/"', html)):
                urls[slug] = f"/queues/{slug}/"
        return urls

    def bench_pages(self):
        manager = self.manager
        client = self.client_for(manager)
        out = {}
        urls = {"dashboard": "/"}
        urls.update({f"queue:{slug}": url for slug, url in self.discover_queues(client).items()})
        # The dashboard's figures are the summary its job refreshes every minute: run the job
        # first, as the cluster would have (its time is the job's, not a request's).
        out["_summary_refresh"] = _refresh_dashboard_summary()
        for name, url in urls.items():
            try:
                out[name] = self.time_page(client, url, capture=name != "dashboard")
            except Exception as exc:  # one broken page must not hide the others
                out[name] = {"url": url, "error": f"{type(exc).__name__}: {exc}"[:300]}
                self.results["errors"][f"page {url}"] = out[name]["error"]
        # The dashboard as the first user after a cache expiry meets it: the shared cache
        # (CACHE_URL) cleared before each request.
        try:
            out["dashboard:cold"] = self.time_page(client, "/", cold=True) | {
                "url": "/ (cache cleared before each request)"
            }
        except Exception as exc:
            out["dashboard:cold"] = {"url": "/ (cold)", "error": f"{type(exc).__name__}: {exc}"}
            self.results["errors"]["page / (cold)"] = out["dashboard:cold"]["error"]
        # The biggest queue of orders is the one compared with the admin and raw SQL.
        out["_queue_counts"] = _queue_row_counts()
        return out

    # --- 2. order page of a 2,000-TN project port ---------------------------------------------
    def bench_order_page(self):
        from orders.models import PortOrder

        client = self.client_for(self.manager)
        out = {}
        biggest = (
            PortOrder.objects.filter(is_project_port=True)
            .order_by("-tn_count", "pk")
            .values_list("pk", "direction", "tn_count")
        )
        seen = set()
        for pk, direction, tn_count in biggest[:20]:
            if direction in seen:
                continue
            seen.add(direction)
            page = self.time_page(client, f"/orders/{pk}/")
            out[f"port-{direction} ({tn_count} TNs)"] = page | {"tn_count": tn_count}
        if not out:
            raise RuntimeError("no project port in the data set")
        return out

    # --- 3. TN search --------------------------------------------------------------------
    def bench_tn_search(self):
        from orders.models import OrderNumber

        out = {}
        # A TN in the middle of the id range: not conveniently at either end of any index.
        middle = OrderNumber.objects.order_by().values_list("id", flat=True).last() // 2
        tn = (
            OrderNumber.objects.filter(id__gte=middle).order_by("id").values_list("tn", flat=True)
        ).first()
        formatted = f"({tn[:3]}) {tn[3:6]}-{tn[6:]}"
        out["tn"] = tn
        try:
            from carriers.services import portability_check

            out["portability_check"] = self.time_call(lambda: portability_check([tn]), repeat=50)
        except ImportError as exc:
            out["portability_check"] = {"error": str(exc)}
        client = self.client_for(self.manager)
        from urllib.parse import quote

        for slug, url in list(self.discover_queues(client).items())[:1]:
            out[f"queue search ({slug})"] = self.time_page(
                client, f"{url}?q={quote(formatted)}", capture=False
            )
        out["order list search"] = self.time_page(client, f"/orders/?q={quote(formatted)}")
        return out

    # --- 3b. the order list -----------------------------------------------------------------
    def bench_order_list(self):
        """The navbar's "Orders" at this size: no target of its own in the issue, but every
        desk opens it, and its text and partial-number searches read the whole table
        unless an index answers them."""
        from urllib.parse import quote

        from orders.models import OrderNumber, PortOrder

        client = self.client_for(self.manager)
        middle = PortOrder.objects.order_by().values_list("id", flat=True).last() // 2
        order = PortOrder.objects.filter(id__gte=middle).order_by("id").only("account_name")[0]
        word = max(order.account_name.split(), key=len)
        tn = (
            OrderNumber.objects.filter(order_id__gte=middle)
            .order_by("order_id")
            .values_list("tn", flat=True)
        ).first()
        return {
            "first page (no filter)": self.time_page(client, "/orders/"),
            f"text search ({word})": self.time_page(client, f"/orders/?q={quote(word)}"),
            f"part of a number ({tn[3:]})": self.time_page(client, f"/orders/?q={tn[3:]}"),
        }

    # --- 4. scheduled jobs ---------------------------------------------------------------
    def bench_jobs(self):
        from django.test.utils import override_settings
        from django.utils import timezone

        from orders.services import jobs as jobs_module

        names = _job_names(jobs_module)
        now = _bench_now()
        today = timezone.localdate(now)
        n_orders = self.results["data"]["orders"]
        due = max(1, n_orders // 100)
        out = {"now": now.isoformat(), "due_target": due}
        mailers = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        with override_settings(MAILERS=mailers):
            for name in names:
                func = getattr(jobs_module, name)
                prepare = PREPARERS.get(name)
                job = {}
                for mode, k in (("due", due), ("nothing_due", 0)):
                    if mode == "due" and (prepare is None or self.args.job_repeat < 1):
                        continue
                    repeat = self.args.job_repeat if mode == "due" else max(5, self.args.job_repeat)
                    samples, queries, results, made_due = [], [], [], None
                    committed = self.args.commit_preparation and prepare is not None
                    if committed:
                        # As in production: the due rows committed and vacuumed before the
                        # job runs (a preparation rolled back with the job leaves its dead
                        # row versions in the job's index scans: F5 "nothing due" 263 ms
                        # instead of 3-4 ms, issue 21). Only in a scratch database.
                        made_due = prepare(k=k, now=now, today=today)
                        _vacuum_after_rollbacks()
                    for _ in range(repeat):
                        with rolled_back():
                            if prepare is not None and not committed:
                                made_due = prepare(k=k, now=now, today=today)
                            with count_queries() as box:
                                t0 = time.perf_counter()
                                result = func(now=now)
                                mails = run_pending_on_commit()
                                samples.append(time.perf_counter() - t0)
                            queries.append(box["n"])
                            results.append(result)
                    job[mode] = summarize(samples) | {
                        "preparation": "committed, vacuumed"
                        if committed
                        else ("rolled back" if prepare is not None else "none"),
                        "rows_due": made_due,
                        "queries": statistics.median(queries),
                        "result": _jsonable(results[-1]),
                        "on_commit_callbacks": mails,
                    }
                out[name] = job
                _vacuum_after_rollbacks()
            out["outbox_deliver"] = self.bench_outbox_delivery(now=now, today=today)
        return out

    def bench_outbox_delivery(self, *, now, today, k=2000):
        """The emails a job owes are delivered after it by `outbox_deliver` on a worker: its
        rate per worker (locmem backend: rendering, building the MIME message, the comment)."""
        from orders.models import OutboundEmail
        from orders.services import jobs as jobs_module
        from orders.services import outbox

        with rolled_back():
            _prepare_auto_cancel(k=k, now=now, today=today)
            jobs_module.rejected_orders_auto_cancel(now=now)
            owed = OutboundEmail.objects.filter(sent_at__isnull=True).count()
            with count_queries() as box:
                t0 = time.perf_counter()
                result = outbox.deliver(now=now)
                seconds = time.perf_counter() - t0
        _vacuum_after_rollbacks()
        return {
            "emails_owed": owed,
            "result": _jsonable(result),
            "seconds": round(seconds, 2),
            "per_second": round(result.get("sent", 0) / seconds, 1) if seconds else None,
            "queries": box["n"],
        }

    # --- 3c. every link the pages offer, over HTTP; the first request after a restart -------
    summarize = staticmethod(summarize)

    def bench_links(self):
        from bench.links import bench_links

        return bench_links(self)

    def bench_boot(self):
        from bench.links import bench_boot

        return bench_boot(self)

    def bench_api(self):
        from bench.api import bench_api

        return bench_api(
            database_url=self.args.database_url,
            summarize=summarize,
            count_queries=count_queries,
        )

    def bench_documents(self):
        from bench.documents import bench_documents

        return bench_documents(
            rolled_back=rolled_back,
            summarize=summarize,
            count_queries=count_queries,
            now=_bench_now(),
        )

    def bench_reports(self):
        from bench.reports import bench_reports

        return bench_reports(
            client=self.client_for(self.manager),
            summarize=summarize,
            count_queries=count_queries,
            repeat=max(3, min(self.args.repeat, 10)),
        )

    # --- 5. rules ------------------------------------------------------------------------
    def bench_rules(self):
        from carriers.end_user import EndUser
        from carriers.models import Carrier
        from carriers.services import our_carrier
        from orders.rules import LsrData, compute_foc, evaluate_lsr
        from orders.services.portout import lsr_facts

        ours = our_carrier()
        requester = (
            Carrier.objects.filter(is_ours=False, spids__isnull=False)
            .exclude(kind="third_party")
            .order_by("pk")
            .first()
        )
        tns_by_size = _our_tns_for_lsr(ours, sizes=(1, 50, 500))
        now = _bench_now()
        out = {}
        for size, (tns, account) in tns_by_size.items():
            lsr = LsrData(
                pon="BENCH1",
                version=1,
                reqtype="C",
                act="V",
                mi="",
                requested_due_date=now.date() + datetime.timedelta(days=10),
                tns=tuple(tns),
                end_user=EndUser(
                    account_number=account.account_number if account else "",
                    btn=account.btn if account else tns[0],
                    account_name=account.name if account else "Bench account",
                    authorized_person=account.authorized_person if account else "Pat Bench",
                    service_address=account.service_address if account else "1 Main St",
                    zip_code=account.zip_code if account else "97204",
                ),
                authorization_indicator=True,
                received_at=now,
            )
            t0 = time.perf_counter()
            facts = lsr_facts(lsr, requesting_carrier=requester)
            facts_ms = (time.perf_counter() - t0) * 1000
            rates = _rates(lambda lsr=lsr, facts=facts: evaluate_lsr(lsr, facts))
            out[f"evaluate_lsr {size} TNs"] = rates | {
                "findings": [f.code for f in evaluate_lsr(lsr, facts)][:10],
                "facts_fetch_ms": round(facts_ms, 2),
            }
        facts = lsr_facts(
            LsrData(tns=tuple(tns_by_size[1][0]), reqtype="C", received_at=now),
            requesting_carrier=requester,
        )

        def foc():
            return compute_foc(
                received_at=now,
                calendar=facts.calendar,
                tz=facts.tz,
                cutoff=facts.cutoff,
                interval_days=4,
                kind="port_only",
                requested_date=now.date() + datetime.timedelta(days=3),
                reqtype="C",
                tn_count=50,
            )

        out["compute_foc"] = _rates(foc)
        return out

    # --- 6. CSV import ----------------------------------------------------------------------
    def bench_csv_import(self):
        out = {}
        n = 20_000
        for label, per_request in (
            ("port-in desk: one CSV of 20,000 TNs", n),
            ("port-in desk: 4 CSVs of 5,000 TNs (the limit before 2026-11-23)", 5_000),
        ):
            try:
                out[label] = self._portin_csv(n, per_request=per_request)
            except Exception as exc:
                out[label] = {"error": f"{type(exc).__name__}: {exc}"}
        try:
            out["carriers import_numbers (CSV)"] = self._numbers_csv(n)
        except Exception as exc:
            out["carriers import_numbers (CSV)"] = {"error": f"{type(exc).__name__}: {exc}"}
        return out

    def _portin_csv(self, n, *, per_request):
        """POST the port-in desk's new-order form (/orders/new/) with CSV files of n TNs in
        all, of one losing SPID (inventory made for the purpose inside the rolled-back
        transaction), as staff would: the form parses the CSV, the service checks
        portability and open orders, and creates the draft orders."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from orders.models import PortOrder

        client = self.client_for(self.manager)
        samples, ordered, orders, statuses, messages = [], [], [], [], []
        for attempt in range(self.args.job_repeat):
            with rolled_back():
                tns = _fresh_inventory(n, ours=False, salt=attempt)
                before = PortOrder.objects.order_by("-pk").values_list("pk", flat=True).first()
                elapsed = 0.0
                for start in range(0, n, per_request):
                    part = tns[start : start + per_request]
                    body = "tn\n" + "\n".join(part) + "\n"
                    data = {
                        "account_name": "Bench Project Port Inc.",
                        "account_number": "99887766",
                        "btn": part[0],
                        "authorized_person": "Pat Bench",
                        "service_address": "100 Main Street Suite 4",
                        "city": "Portland",
                        "state": "OR",
                        "zip_code": "97204",
                        "requested_due_date": (
                            datetime.date.today() + datetime.timedelta(days=20)
                        ).isoformat(),
                        "notification_email": "it@bench.example",
                        "pin": "1234",
                        "authorization": "on",
                        "tns": "",
                        "tn_file": SimpleUploadedFile("project.csv", body.encode(), "text/csv"),
                    }
                    t0 = time.perf_counter()
                    response = client.post("/orders/new/", data)
                    elapsed += time.perf_counter() - t0
                    statuses.append(response.status_code)
                    messages.extend(_page_messages(response.content))
                samples.append(elapsed)
                new = PortOrder.objects.filter(pk__gt=before or 0)
                ordered.append(sum(new.values_list("tn_count", flat=True)))
                orders.append(new.count())
        return summarize(samples) | {
            "tns": n,
            "requests": math.ceil(n / per_request),
            "tns_ordered": ordered[-1],
            "orders_created": orders[-1],
            "status": statuses[-1],
            "message": "" if ordered[-1] == n else " | ".join(dict.fromkeys(messages))[:300],
        }

    def _numbers_csv(self, n):
        """carriers.importers.numbers.numbers_import over a CSV of n new numbers on one account."""
        import io

        from carriers.importers import numbers as importers
        from carriers.models import SPID

        spid = SPID.objects.filter(carrier__is_ours=True).order_by("pk").first()
        samples, summaries = [], []
        for attempt in range(self.args.job_repeat):
            with rolled_back():
                tns = _fresh_tns(n, salt=100 + attempt)
                header = "tn,spid,account_number,btn,account_name,service_address,zip\n"
                body = header + "".join(
                    f"{tn},{spid.code},BENCH{attempt}01,{tns[0]},Bench Project Port Inc.,"
                    f"100 Main Street,97204\n"
                    for tn in tns
                )
                t0 = time.perf_counter()
                summary = importers.numbers_import(source=io.StringIO(body))
                samples.append(time.perf_counter() - t0)
                summaries.append(summary)
        last = summaries[-1]
        counts = getattr(last, "counts", None)
        return summarize(samples) | {
            "tns": n,
            "summary": _jsonable(getattr(counts, "__dict__", counts) or str(last)),
        }

    # --- 7. biggest queue vs admin and raw SQL ---------------------------------------------
    def bench_compare(self):
        from django.db import connection

        pages = self.results["sections"].get("pages") or {}
        counts = pages.get("_queue_counts") or {}
        queue_pages = {
            k: v for k, v in pages.items() if k.startswith("queue:") and "error" not in v
        }
        if not queue_pages:
            raise RuntimeError("no queue page measured")
        # The biggest queue of orders (the admin compared with is the PortOrder changelist).
        order_queues = {
            slug: c["rows"] for slug, c in counts.items()
            if c.get("kind") in ("order", "") and c.get("rows") is not None
            and f"queue:{slug}" in queue_pages
        }  # fmt: skip
        if order_queues:
            slug = max(order_queues, key=order_queues.get)
        else:
            slug = max(queue_pages, key=lambda k: queue_pages[k]["bytes"]).split(":", 1)[1]
        page = queue_pages[f"queue:{slug}"]
        out = {"queue": slug, "rows": order_queues.get(slug), "page": _public(page)}
        client = self.client_for(self.manager)
        # Our page once more in this same run, next to the admin and the SQL.
        again = self.time_page(client, page["url"], capture=True)
        out["page_again"] = _public(again)
        admin_client = self.client_for(self.admin)
        query = _admin_filter_for(slug)
        admin_url = "/admin/orders/portorder/" + (f"?{query}" if query else "")
        out["admin"] = _public(self.time_page(admin_client, admin_url))
        out["admin_filter"] = admin_url
        if connection.vendor == "postgresql":
            explained = []
            with connection.cursor() as cursor:
                for sql in again["_sql"]:
                    if not sql.lstrip().upper().startswith("SELECT"):
                        continue
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
                    plan = cursor.fetchone()[0]
                    plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
                    explained.append(
                        {
                            "sql": sql[:300],
                            "execution_ms": plan["Execution Time"],
                            "planning_ms": plan["Planning Time"],
                            "top_node": plan["Plan"]["Node Type"],
                            "rows": plan["Plan"].get("Actual Rows"),
                            "seq_scans": _seq_scans(plan["Plan"]),
                        }
                    )
            out["sql"] = explained
            # EXPLAIN ANALYZE's times include its own instrumentation (4.4-7.1 ms against
            # 2.1-2.6 ms executed, issue 21): kept for the findings (plans, seq scans), not as
            # the baseline. The baseline is the same SELECTs executed through the cursor, rows
            # fetched, as the page runs them.
            total = sum(e["execution_ms"] + e["planning_ms"] for e in explained)
            out["sql_explain_total_ms"] = round(total, 3)
            out["sql_slowest"] = (
                max(explained, key=lambda e: e["execution_ms"]) if explained else None
            )
            selects = [q for q in again["_sql"] if q.lstrip().upper().startswith("SELECT")]
            out["sql_executed"] = self.time_call(
                lambda: _execute_all(selects), repeat=self.args.repeat
            )
            out["sql_executed_statements"] = len(selects)
            out["page_vs_sql"] = ratio(again["median_ms"], out["sql_executed"]["median_ms"])
        out["page_vs_admin"] = ratio(again["median_ms"], out["admin"]["median_ms"])
        return out

    # --- the run ---------------------------------------------------------------------------
    def run(self):
        from django.core.management import call_command
        from django.db import connection

        from orders import loaddata
        from orders.models import PortOrder

        args = self.args
        self.results["started_at"] = datetime.datetime.now(datetime.UTC).isoformat()
        if not args.reuse:
            call_command("migrate", verbosity=0)
            if PortOrder.objects.filter(pon__startswith=loaddata.PON_PREFIX).exists():
                self.log("Deleting the previous load data...")
                loaddata.reset()
            self.log(f"Generating {args.orders:,} orders ({args.tns_per_order} TNs/order)...")
            t0 = time.perf_counter()
            stats = loaddata.generate(
                orders=args.orders,
                tns_per_order=args.tns_per_order,
                seed=args.seed,
                log=self.log,
            )
            self.results["generate"] = {
                "seconds": round(time.perf_counter() - t0, 1),
                "counts": stats.counts,
            }
        elif not PortOrder.objects.filter(pon__startswith=loaddata.PON_PREFIX).exists():
            raise SystemExit("--reuse: no load data in this database; run without --reuse.")
        self.manager, self.admin = self.users()
        if connection.vendor == "postgresql":
            # A production database is vacuumed: visibility map set, no dead rows from a
            # previous --reset. Cheap when already done.
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
            self.results["vacuum_seconds"] = round(time.perf_counter() - t0, 1)
            self.log(f"VACUUM (ANALYZE) in {self.results['vacuum_seconds']}s")
        self.results["machine"] = machine_info(connection)
        self.results["data"] = self.data_size()
        self.log(f"Data: {self.results['data']}")
        wanted = set(args.only.split(",")) if args.only else None
        if wanted and "compare" in wanted:
            wanted.add("pages")  # the comparison is of the biggest queue the pages measured
        for name, func in [
            ("pages", self.bench_pages),
            ("order_page", self.bench_order_page),
            ("tn_search", self.bench_tn_search),
            ("order_list", self.bench_order_list),
            ("jobs", self.bench_jobs),
            ("rules", self.bench_rules),
            ("csv_import", self.bench_csv_import),
            ("documents", self.bench_documents),
            ("reports", self.bench_reports),
            ("api", self.bench_api),
            ("links", self.bench_links),
            ("boot", self.bench_boot),
            ("compare", self.bench_compare),
        ]:
            if wanted and name not in wanted:
                continue
            self.section(name, func)
        self.results["finished_at"] = datetime.datetime.now(datetime.UTC).isoformat()
        return self.results


# --- helpers that need Django -----------------------------------------------------------------


def _refresh_dashboard_summary() -> dict:
    """Run the dashboard's summary job once; its time (not a request's) at this size."""
    try:
        from orders.services.dashboard_summary import refresh_dashboard_summary
    except ImportError:  # before issue 21: the dashboard counted in its request
        return {}
    t0 = time.perf_counter()
    result = refresh_dashboard_summary()
    return {"seconds": round(time.perf_counter() - t0, 2), "result": result}


def _registry_slugs(module) -> list[str]:
    """Slugs from orders.queues, whatever its registry looks like."""
    for attr in ("QUEUES", "REGISTRY", "queues", "ALL_QUEUES"):
        registry = getattr(module, attr, None)
        if registry is None:
            continue
        if callable(registry):
            registry = registry()
        if isinstance(registry, dict):
            return [str(s) for s in registry]
        slugs = []
        for item in registry:
            slug = getattr(item, "slug", None) or (
                item.get("slug") if isinstance(item, dict) else item
            )
            slugs.append(str(slug))
        return slugs
    for attr in ("all_queues", "queue_list", "registry"):
        func = getattr(module, attr, None)
        if callable(func):
            return [str(getattr(q, "slug", q)) for q in func()]
    return []


def _queue_querysets() -> dict:
    """slug -> (kind, queryset of the queue's rows for the bench manager), from the queues
    engineer's registry (orders.queues.QUEUES of Queue(slug, kind, queryset(ctx)))."""
    try:
        from orders.queues import registry as module
        from orders.queues.base import QueueContext
    except ImportError:
        return {}
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="bench-manager")
    context_class = QueueContext
    out = {}
    for slug in _registry_slugs(module):
        queue = _registry_get(module, slug)
        func = getattr(queue, "queryset", None)
        if not callable(func):
            continue
        try:
            qs = func(context_class.build(user=user)) if context_class else func(user)
        except Exception:
            continue
        out[slug] = (getattr(queue, "kind", ""), qs)
    return out


def _queue_row_counts() -> dict:
    """Rows per queue (for picking the biggest)."""
    counts = {}
    for slug, (kind, qs) in _queue_querysets().items():
        try:
            counts[slug] = {"kind": kind, "rows": qs.count()}
        except Exception:
            counts[slug] = {"kind": kind, "rows": None}
    return counts


def _registry_get(module, slug):
    for attr in ("QUEUES_BY_SLUG", "QUEUES", "REGISTRY"):
        registry = getattr(module, attr, None)
        if isinstance(registry, dict):
            return registry.get(slug)
        if registry is not None:
            for item in registry:
                if getattr(item, "slug", None) == slug:
                    return item
    for attr in ("get_queue", "queue_for"):
        func = getattr(module, attr, None)
        if callable(func):
            return func(slug)
    return None


def _admin_filter_for(slug) -> str:
    """The admin changelist query string that lists the same orders as queue `slug`:
    its statuses and directions (admin lookups on local fields)."""
    kind_qs = _queue_querysets().get(slug)
    if not kind_qs:
        return ""
    qs = kind_qs[1]
    statuses = sorted(set(qs.order_by().values_list("status", flat=True).distinct()))
    directions = sorted(set(qs.order_by().values_list("direction", flat=True).distinct()))
    params = []
    if statuses:
        params.append("status__in=" + ",".join(statuses))
    if len(directions) == 1:
        params.append(f"direction__exact={directions[0]}")
    return "&".join(params)


def _job_names(jobs_module) -> list[str]:
    """The job services, in the order orders.tasks.JOBS declares them."""
    names = []
    try:
        from orders.tasks import JOBS

        for job in JOBS:
            names.append(job.func.rsplit(".", 1)[-1])
    except ImportError:
        names = list(PREPARERS)
    return [n for n in names if callable(getattr(jobs_module, n, None))]


def _bench_now():
    """A business-day morning (06:00 in the portal's zone): daily jobs do nothing on closed
    days, so the benchmark must not depend on the weekday it runs on."""
    import zoneinfo

    from django.conf import settings

    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    day = datetime.datetime.now(tz).date()
    try:
        from carriers.services import calendar_for

        calendar = calendar_for(None)
        while not calendar.is_business_day(day):
            day += datetime.timedelta(days=1)
    except ImportError:
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(6, 0), tz)


def _vacuum_after_rollbacks():
    """The rolled-back runs leave dead row versions in the tables they touched; vacuum them
    so that the next job is measured on a table like production's (autovacuum would)."""
    from django.db import connection

    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for table in (
            "orders_portorder", "orders_csrrequest", "orders_statuschange", "orders_comment",
            "orders_npaccancelrecord",
        ):  # fmt: skip
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def _execute_all(statements):
    """Run each statement through the cursor and fetch its rows (the raw-SQL baseline)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
            cursor.fetchall()


def _sql(statement, params=()):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def _prepare_status_checks(*, k, now, today):
    day = datetime.timedelta(days=1)
    # Only the rows that are due move out of the way: every UPDATE leaves a dead row version
    # behind (rolled back), and rewriting all submitted orders would bloat the measurement.
    _sql(
        "UPDATE orders_portorder SET next_status_check_on = %s "
        "WHERE status = 'submitted' AND direction = 'in' "
        "AND (next_status_check_on IS NULL OR next_status_check_on <= %s)",
        [today + 30 * day, today],
    )
    if not k:
        return 0
    return _sql(
        "UPDATE orders_portorder SET next_status_check_on = %s WHERE id IN ("
        "SELECT id FROM orders_portorder WHERE status = 'submitted' AND direction = 'in' "
        "ORDER BY id LIMIT %s)",
        [today - day, k],
    )


def _prepare_auto_cancel(*, k, now, today):
    day = datetime.timedelta(days=1)
    _sql(
        "UPDATE orders_portorder SET auto_cancel_on = %s "
        "WHERE status = 'rejected' AND direction = 'in' AND auto_cancel_on <= %s",
        [today + day, today],
    )
    if not k:
        return 0
    return _sql(
        "UPDATE orders_portorder SET auto_cancel_on = %s WHERE id IN ("
        "SELECT id FROM orders_portorder WHERE status = 'rejected' AND direction = 'in' "
        "ORDER BY id LIMIT %s)",
        [today - day, k],
    )


def _prepare_port_windows(*, k, now, today):
    day = datetime.timedelta(days=1)
    _sql(
        "UPDATE orders_portorder SET port_window_ends_on = %s "
        "WHERE status = 'foc_sent' AND port_window_ends_on < %s",
        [today + day, today],
    )
    if not k:
        return 0
    return _sql(
        "UPDATE orders_portorder SET port_window_ends_on = %s WHERE id IN ("
        "SELECT id FROM orders_portorder WHERE status = 'foc_sent' ORDER BY id LIMIT %s)",
        [today - 2 * day, k],
    )


def _prepare_csr_overdue(*, k, now, today):
    hour = datetime.timedelta(hours=1)
    _sql(
        "UPDATE orders_csrrequest SET due_at = %s "
        "WHERE status = 'open' AND is_overdue = false AND due_at <= %s",
        [now + 24 * hour, now],
    )
    if not k:
        return 0
    # There are fewer open requests than 1% of orders: reopen answered ones for the run.
    return _sql(
        "UPDATE orders_csrrequest SET status = 'open', is_overdue = false, answered_at = NULL, "
        "due_at = %s WHERE id IN (SELECT id FROM orders_csrrequest ORDER BY id LIMIT %s)",
        [now - hour, k],
    )


def _prepare_nothing(*, k, now, today):
    return None


PREPARERS = {
    "status_checks_refresh_due": _prepare_status_checks,
    "rejected_orders_auto_cancel": _prepare_auto_cancel,
    "port_windows_expire": _prepare_port_windows,
    "csr_requests_flag_overdue": _prepare_csr_overdue,
}


def _our_tns_for_lsr(ours, *, sizes):
    """Working TNs of ours for LSRs of each size, from one account when one is big enough."""
    from django.db.models import Count

    from carriers.models import CustomerAccount, TelephoneNumber

    out = {}
    base = TelephoneNumber.objects.filter(
        spid__carrier=ours, status="working", account__isnull=False
    )
    for size in sizes:
        account_id = (
            base.values("account_id")
            .annotate(n=Count("id"))
            .filter(n__gte=size, n__lte=max(size * 2, size + 5))
            .order_by("account_id")
            .values_list("account_id", flat=True)
            .first()
        )
        if account_id is not None:
            tns = list(base.filter(account_id=account_id).values_list("tn", flat=True)[:size])
            out[size] = (tns, CustomerAccount.objects.get(pk=account_id))
        else:
            out[size] = (list(base.order_by("id").values_list("tn", flat=True)[:size]), None)
    return out


def _rates(func, *, rounds=5, min_seconds=0.3):
    """Calls per second: `rounds` rounds of at least `min_seconds`; median and the slow end."""
    rates = []
    for _ in range(rounds):
        n = 0
        t0 = time.perf_counter()
        while True:
            func()
            n += 1
            elapsed = time.perf_counter() - t0
            if elapsed >= min_seconds:
                break
        rates.append(n / elapsed)
    return {
        "per_second_median": round(median(rates)),
        "per_second_p5": round(percentile(rates, 5)),
        "ms_per_call_median": round(1000 / median(rates), 4),
    }


def _fresh_tns(n, *, salt=0):
    """n TNs in NPA-NXX blocks no inventory row uses (for imports that need new numbers)."""
    from carriers.models import TelephoneNumber

    taken_npas = {"555"}
    out = []
    npa = 200 + salt % 50
    for npa_candidate in range(npa, 1000):
        if str(npa_candidate)[1:] == "11" or str(npa_candidate) in taken_npas:
            continue
        for nxx in range(200, 1000):
            prefix = f"{npa_candidate}{nxx}"
            if TelephoneNumber.objects.filter(tn__startswith=prefix).exists():
                continue
            out.extend(f"{prefix}{line:04d}" for line in range(10_000))
            if len(out) >= n:
                return out[:n]
    raise RuntimeError("no free number block")


def _fresh_inventory(n, *, ours, salt=0):
    """n new inventory TNs of one losing SPID (another carrier's) for a port-in import."""
    from carriers.models import SPID, TelephoneNumber

    spid = (
        SPID.objects.filter(carrier__is_ours=ours)
        .exclude(carrier__kind__in=["third_party", "resporg"])
        .order_by("pk")
        .first()
    )
    tns = _fresh_tns(n, salt=salt)
    TelephoneNumber.objects.bulk_create(
        [TelephoneNumber(tn=tn, spid=spid) for tn in tns], batch_size=5000
    )
    return tns


def _page_messages(content: bytes) -> list[str]:
    """The texts of Django messages and form errors on a rendered page."""
    html = content.decode("utf-8", "replace")
    found = re.findall(
        r'(?s)class="[^"]*(?:alert|invalid-feedback|errorlist)[^"]*"[^>]*>(.*?)</', html
    )
    return [" ".join(re.sub(r"<[^>]+>", " ", f).split()) for f in found if f.strip()]


def _seq_scans(plan) -> list[str]:
    found = []
    if plan.get("Node Type") == "Seq Scan":
        found.append(f"{plan.get('Relation Name')} ({plan.get('Actual Rows')} rows)")
    for child in plan.get("Plans", []):
        found.extend(_seq_scans(child))
    return found


def _public(page):
    return {k: v for k, v in page.items() if not k.startswith("_")}


def _jsonable(value):
    try:
        json.dumps(value)
        return value
    except TypeError:
        return str(value)


def machine_info(connection):
    import django

    info = {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "platform": platform.platform(),
        "database": connection.vendor,
    }
    with contextlib.suppress(OSError):
        meminfo = Path("/proc/meminfo").read_text()
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
        info["memory_gib"] = round(kb / 1024 / 1024, 1)
    with contextlib.suppress(OSError, AttributeError):
        info["cpu"] = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text()).group(
            1
        )
    with contextlib.suppress(OSError):
        info["loadavg_at_start"] = Path("/proc/loadavg").read_text().split()[:3]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            info["postgresql"] = cursor.fetchone()[0]
            for setting in ("shared_buffers", "work_mem", "effective_cache_size"):
                cursor.execute(f"SHOW {setting}")
                info[setting] = cursor.fetchone()[0]
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        info["git"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    return info


# --- the report ---------------------------------------------------------------------------------


def _fmt_ms(page):
    if not page or "median_ms" not in page:
        return "n/a"
    return f"{page['median_ms']:.1f} / {page['p95_ms']:.1f}"


def page_queries_by_size(results_dir: Path, *, exclude_orders: int) -> dict[int, dict]:
    """{orders: {url: SQL queries}} from the latest earlier run at each other data size."""
    latest: dict[int, tuple[str, dict]] = {}
    for path in sorted(results_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        orders = (data.get("data") or {}).get("orders")
        if not orders or orders == exclude_orders:
            continue
        pages = (data.get("sections") or {}).get("pages") or {}
        counts = {
            p["url"]: p["queries"] for p in pages.values() if isinstance(p, dict) and "queries" in p
        }
        if counts and (orders not in latest or data.get("started_at", "") >= latest[orders][0]):
            latest[orders] = (data.get("started_at", ""), counts)
    return {orders: counts for orders, (_, counts) in sorted(latest.items())}


def _pages_table(add, title: str, first_column: str, pages: dict) -> None:
    """A section of timed pages: name and URL, median / p95, SQL queries."""
    add(title)
    add("")
    add(f"| {first_column} | median / p95 ms | SQL queries |")
    add("| --- | --- | --- |")
    for name, page in pages.items():
        if isinstance(page, dict) and "median_ms" in page:
            add(f"| {name} `{page['url']}` | {_fmt_ms(page)} | {page['queries']} |")
    add("")


def render_report(results: dict, *, json_name: str, other_sizes: dict | None = None) -> str:
    """The generated section of BENCHMARKS.md."""
    s = results.get("sections", {})
    m = results.get("machine", {})
    d = results.get("data", {})
    lines = []
    add = lines.append
    date = results.get("started_at", "")[:10]
    add(f"## Run of {date}: {d.get('orders', 0):,} orders, {d.get('order_numbers', 0):,} TNs")
    add("")
    add(
        f"Machine: {m.get('nproc')} cores ({m.get('cpu', '?')}), {m.get('memory_gib', '?')} GiB, "
        f"PostgreSQL {m.get('postgresql', '-')} (shared_buffers {m.get('shared_buffers', '?')}), "
        f"Python {m.get('python')}, Django {m.get('django')}, commit {m.get('git', '?')}; "
        f"load average at start {' '.join(m.get('loadavg_at_start', []))} (a shared machine: "
        f"other processes ran during the run)."
    )
    add("")
    add(
        "Data: "
        + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in d.items() if k != "database_bytes")
        + (f"; database {d['database_bytes'] / 1024**3:.1f} GiB" if "database_bytes" in d else "")
        + "."
    )
    if "generate" in results:
        add("")
        add(f"Load generated by this run in {results['generate']['seconds']:.0f} s.")
    add("")
    add(f"Raw numbers: `bench/results/{json_name}`. Times are median / p95 in milliseconds.")
    add("")
    targets = []

    pages = s.get("pages") or {}
    if pages:
        add("### Queue pages and dashboard (Django test client, logged in as a manager)")
        add("")
        other_sizes = other_sizes or {}
        sizes = "".join(f" queries at {n:,} orders |" for n in other_sizes)
        add(f"| page | rows in the queue | median / p95 ms | SQL queries |{sizes} status |")
        add("| --- | --- | --- | --- |" + " --- |" * len(other_sizes) + " --- |")
        worst_median = worst_p95 = worst_queries = None
        errors_seen = False
        counts = pages.get("_queue_counts") or {}
        for name, page in pages.items():
            if name.startswith("_"):
                continue
            rows = (counts.get(name.split(":", 1)[-1]) or {}).get("rows")
            rows = f"{rows:,}" if isinstance(rows, int) else "-"
            if "error" in page:
                add(
                    f"| `{page['url']}` | {rows} | error | |"
                    + " |" * len(other_sizes)
                    + f" {page['error']} |"
                )
                errors_seen = True
                continue
            others = "".join(
                f" {counts_at.get(page['url'], '-')} |" for counts_at in other_sizes.values()
            )
            add(
                f"| `{page['url']}` | {rows} | {_fmt_ms(page)} | {page['queries']} |{others} "
                f"{page['status']} |"
            )
            worst_median = max(worst_median or 0, page["median_ms"])
            worst_p95 = max(worst_p95 or 0, page["p95_ms"])
            worst_queries = max(worst_queries or 0, page["queries"])
        add("")
        refresh = pages.get("_summary_refresh") or {}
        if refresh:
            add(
                f"The dashboard reads a summary its job refreshes every minute; the job took "
                f"{refresh['seconds'] * 1000:,.0f} ms at this size (no request waits for it)."
            )
            add("")
        targets += [
            ("Any queue page or the dashboard: median <= 50 ms", f"{worst_median:.1f} ms (worst)",
             verdict(worst_median, TARGETS["page_median_ms"])),
            ("... p95 <= 100 ms", f"{worst_p95:.1f} ms (worst)",
             verdict(worst_p95, TARGETS["page_p95_ms"])),
            ("... at most 12 SQL queries", f"{worst_queries} (worst)",
             verdict(worst_queries, TARGETS["page_max_queries"])),
        ]  # fmt: skip
        if errors_seen:
            targets.append(("Every queue page and the dashboard render", "errors", "MISS"))
        for n, counts_at in other_sizes.items():
            differ = [
                p["url"] for p in pages.values()
                if isinstance(p, dict) and "queries" in p
                and counts_at.get(p["url"]) not in (None, p["queries"])
            ]  # fmt: skip
            targets.append(
                (f"... the same query count as at {n:,} orders",
                 "differs: " + ", ".join(differ) if differ else "same on every page",
                 "MISS" if differ else "PASS")
            )  # fmt: skip
    order_pages = s.get("order_page") or {}
    if order_pages:
        _pages_table(add, "### Order page of the biggest project ports", "order", order_pages)
        worst = max(p["median_ms"] for p in order_pages.values())
        targets.append(
            ("Order page of a 2,000-TN port <= 150 ms", f"{worst:.1f} ms",
             verdict(worst, TARGETS["order_page_ms"]))
        )  # fmt: skip
    search = s.get("tn_search") or {}
    if search:
        add(f"### Search by one TN (`{search.get('tn')}`) among all numbers")
        add("")
        add("| path | median / p95 ms | SQL queries |")
        add("| --- | --- | --- |")
        for name, value in search.items():
            if not isinstance(value, dict) or "median_ms" not in value:
                continue
            queries = value.get("queries", value.get("queries_per_call"))
            add(f"| {name} | {_fmt_ms(value)} | {queries} |")
        add("")
        pages_only = [v for k, v in search.items() if isinstance(v, dict) and "url" in v]
        if pages_only:
            worst = max(v["median_ms"] for v in pages_only)
            targets.append(
                ("TN search <= 20 ms (page)", f"{worst:.1f} ms",
                 verdict(worst, TARGETS["tn_search_ms"]))
            )  # fmt: skip
        check = search.get("portability_check") or {}
        if "median_ms" in check:
            targets.append(
                ("TN search <= 20 ms (portability_check)", f"{check['median_ms']:.2f} ms",
                 verdict(check["median_ms"], TARGETS["tn_search_ms"]))
            )  # fmt: skip
    order_list = s.get("order_list") or {}
    if order_list:
        title = "### The order list (`/orders/`: no target of its own; the page the navbar opens)"
        _pages_table(add, title, "path", order_list)
    jobs = s.get("jobs") or {}
    if jobs:
        add(
            f"### Scheduled jobs (whole data set; 1% of orders = {jobs.get('due_target'):,} rows "
            "made due, and nothing due)"
        )
        add("")
        preparations = {
            (j.get(m) or {}).get("preparation", "rolled back")
            for j in jobs.values() if isinstance(j, dict) for m in ("due", "nothing_due")
        } - {"none"}  # fmt: skip
        add("Rows made due: " + (
            "committed and vacuumed before the timed runs, as in production (a scratch database)"
            if preparations == {"committed, vacuumed"}
            else "in the same rolled-back transaction as the job (its dead row versions are read "
            "by the job: pessimistic for nothing-due runs)"
        ) + ".")  # fmt: skip
        add("")
        add("Each run inside a transaction that is rolled back afterwards. The jobs write the "
            "emails they owe to the outbox inside the timing; a worker delivers them after the "
            "job (`outbox_deliver`, measured below the table).")  # fmt: skip
        add("")
        add("| job | rows due | due: median / p95 ms | queries | nothing due: median / p95 ms "
            "| queries | result (due run) |")  # fmt: skip
        add("| --- | --- | --- | --- | --- | --- | --- |")
        for name, job in jobs.items():
            if not isinstance(job, dict) or "nothing_due" not in job:
                continue
            due = job.get("due") or {}
            idle = job["nothing_due"]
            add(
                f"| `{name}` | {due.get('rows_due', '-')} | {_fmt_ms(due)} | "
                f"{due.get('queries', '-')} | {_fmt_ms(idle)} | {idle.get('queries')} | "
                f"`{json.dumps(due.get('result', idle.get('result')))}` |"
            )
            if due and due.get("rows_due"):
                seconds, how = job_seconds_for(due, idle, rows=10_000)
                targets.append(
                    (f"`{name}` with 10,000 rows due <= 10 s", f"{seconds:.2f} s ({how})",
                     verdict(seconds, TARGETS["job_due_s"]))
                )  # fmt: skip
            targets.append(
                (f"`{name}` nothing due <= 200 ms", f"{idle['median_ms']:.1f} ms",
                 verdict(idle["median_ms"], TARGETS["job_idle_ms"]))
            )  # fmt: skip
        add("")
        delivery = jobs.get("outbox_deliver")
        if delivery:
            add(
                f"Email delivery after a job (`outbox_deliver`, one worker, locmem backend): "
                f"{delivery['emails_owed']:,} owed emails in {delivery['seconds']} s, "
                f"{delivery['per_second']} per second, {delivery['queries']} queries. Each "
                "batch queues a delivery task, so with several workers the emails go out in "
                "parallel; SMTP adds its own round trips."
            )
            add("")
    rules = s.get("rules") or {}
    if rules:
        add("### Rules (pure functions, facts fetched once beforehand; one core)")
        add("")
        add("| call | per second (median) | per second (slowest 5%) | ms per call |")
        add("| --- | --- | --- | --- |")
        for name, value in rules.items():
            add(
                f"| `{name}` | {value['per_second_median']:,} | {value['per_second_p5']:,} | "
                f"{value['ms_per_call_median']} |"
            )
        add("")
        fifty = rules.get("evaluate_lsr 50 TNs")
        if fifty:
            targets.append(
                ("LSR rules for 50 TNs >= 2,000 per second", f"{fifty['per_second_median']:,}/s",
                 verdict(fifty["per_second_median"], TARGETS["lsr_50_per_s"], at_least=True))
            )  # fmt: skip
    csv_import = s.get("csv_import") or {}
    if csv_import:
        add("### Importing a 20,000-TN project port from CSV")
        add("")
        add("| path | median / p95 ms | outcome |")
        add("| --- | --- | --- |")
        for name, value in csv_import.items():
            if "error" in value:
                add(f"| {name} | n/a | {value['error']} |")
                continue
            outcome = value.get("message") or (
                f"{value.get('tns_ordered', value.get('tns')):,} TNs"
                + (f" on {value['orders_created']} order(s)" if "orders_created" in value else "")
            )
            add(f"| {name} | {_fmt_ms(value)} | {outcome} |")
            if value.get("tns_ordered", 1):
                targets.append(
                    (f"20,000-TN CSV import <= 5 s ({name})",
                     f"{value['median_ms'] / 1000:.2f} s",
                     verdict(value["median_ms"] / 1000, TARGETS["csv_import_s"]))
                )  # fmt: skip
            else:
                targets.append(
                    (f"20,000-TN CSV import <= 5 s ({name})", "refused", "MISS")
                )  # fmt: skip
        add("")
    if s.get("links") or s.get("boot"):
        from bench.links import render as render_links

        render_links(add, s.get("links"), s.get("boot"), targets)
    if s.get("reports"):
        from bench.reports import render as render_reports

        render_reports(add, s.get("reports"))
    compare = s.get("compare") or {}
    if compare:
        add(f"### Biggest queue ({compare['queue']}, {compare.get('rows')} rows): page vs SQL "
            "vs admin, one run")  # fmt: skip
        add("")
        add("| what | median / p95 ms | SQL queries |")
        add("| --- | --- | --- |")
        add(f"| our page `{compare['page_again']['url']}` | {_fmt_ms(compare['page_again'])} | "
            f"{compare['page_again']['queries']} |")  # fmt: skip
        add(f"| admin changelist `{compare['admin_filter']}` | {_fmt_ms(compare['admin'])} | "
            f"{compare['admin']['queries']} |")  # fmt: skip
        if "sql_executed" in compare:
            add(f"| the page's {compare['sql_executed_statements']} SELECTs executed through the "
                f"cursor (rows fetched), the raw-SQL baseline | {_fmt_ms(compare['sql_executed'])} "
                "| |")  # fmt: skip
        if "sql_explain_total_ms" in compare or "sql_total_ms" in compare:
            explain = compare.get("sql_explain_total_ms", compare.get("sql_total_ms"))
            add(f"| for the findings only: the sum of their EXPLAIN ANALYZE execution + planning "
                f"times | {explain:.2f} | |")  # fmt: skip
        add("")
        if compare.get("sql_slowest"):
            slow = compare["sql_slowest"]
            add(f"Slowest statement: {slow['execution_ms']:.2f} ms, top node {slow['top_node']}, "
                f"seq scans: {', '.join(slow['seq_scans']) or 'none'}.")  # fmt: skip
            add("")
        add(f"Ratios: our page / raw SQL = **{compare.get('page_vs_sql')}**, "
            f"our page / admin = **{compare.get('page_vs_admin')}**.")  # fmt: skip
        add("")
        targets += [
            ("Queue page / its raw SQL executed (reported, not a gate)",
             f"{compare.get('page_vs_sql')}x", "info"),
            ("Queue page faster than the admin changelist", f"{compare.get('page_vs_admin')}x",
             verdict(compare.get("page_vs_admin"), 1.0)),
        ]  # fmt: skip
    if results.get("errors"):
        add("### Not measured")
        add("")
        for name, error in results["errors"].items():
            add(f"- {name}: {error}")
        add("")
    add("### Targets")
    add("")
    add("| target | measured | verdict |")
    add("| --- | --- | --- |")
    for name, value, result in targets:
        add(f"| {name} | {value} | {result} |")
    add("")
    for note in results.get("notes", []):
        add(f"- {note}")
    return "\n".join(lines)


def merge_into_previous(results, *, results_dir: Path):
    """An --only run updates its sections in the same day's results for the same data size
    (the other sections stay as they were measured), with a note saying so."""
    date = results.get("started_at", "")[:10]
    path = results_dir / f"{date}-{results['data']['orders']}.json"
    if not path.exists():
        return results
    previous = json.loads(path.read_text())
    rerun = sorted(results["sections"])
    previous.setdefault("sections", {}).update(results["sections"])
    errors = {k: v for k, v in previous.get("errors", {}).items() if k not in rerun}
    previous["errors"] = errors | results.get("errors", {})
    note = (
        f"Sections {', '.join(rerun)} measured again at {results['started_at'][:16]} on "
        f"commit {results['machine'].get('git', '?')} plus the working tree (load average "
        f"then {' '.join(results['machine'].get('loadavg_at_start', []))})."
    )
    previous["notes"] = [*previous.get("notes", []), note]
    return previous


def write_outputs(results, *, orders, benchmarks_path, results_dir):
    date = results.get("started_at", datetime.datetime.now(datetime.UTC).isoformat())[:10]
    results_dir.mkdir(parents=True, exist_ok=True)
    json_name = f"{date}-{orders}.json"
    clean = json.loads(json.dumps(results, default=str))
    for page in (clean.get("sections", {}).get("pages") or {}).values():
        if isinstance(page, dict):
            page.pop("_sql", None)
    (results_dir / json_name).write_text(json.dumps(clean, indent=2, sort_keys=True) + "\n")
    other_sizes = page_queries_by_size(results_dir, exclude_orders=results["data"]["orders"])
    section = render_report(clean, json_name=json_name, other_sizes=other_sizes)
    existing = benchmarks_path.read_text() if benchmarks_path.exists() else ""
    benchmarks_path.write_text(replace_section(existing, section))
    return results_dir / json_name


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=0, help="orders to generate")
    parser.add_argument("--tns-per-order", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the load data already in the database"
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--job-repeat", type=int, default=3, help="runs per job with rows due")
    parser.add_argument(
        "--commit-preparation",
        action="store_true",
        help="jobs: commit and vacuum the due rows before timing (a scratch database only)",
    )
    parser.add_argument(
        "--link-repeat", type=int, default=10, help="warm HTTP requests per link (links section)"
    )
    parser.add_argument("--only", default="", help="comma-separated sections to run")
    parser.add_argument("--benchmarks", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--results-dir", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--no-write", action="store_true", help="print, do not write files")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not args.reuse and args.orders < 1:
        parser.error("give --orders N to build the data set, or --reuse")
    if args.commit_preparation and args.database_url.rsplit("/", 1)[-1] == "porting_bench":
        parser.error("--commit-preparation changes rows: not on the shared porting_bench")
    created = args.database_url.startswith("postgres") and _ensure_database(args.database_url)
    if created and args.reuse:
        raise SystemExit("--reuse: the database did not exist; run without --reuse.")
    _setup_django(args.database_url)
    bench = Bench(args)
    results = bench.run()
    results["args"] = {k: str(v) for k, v in vars(args).items()}
    if args.no_write:
        print(json.dumps(results, indent=2, default=str))
        return 0
    if args.only:
        results = merge_into_previous(results, results_dir=args.results_dir)
    path = write_outputs(
        results,
        orders=results["data"]["orders"],
        benchmarks_path=args.benchmarks,
        results_dir=args.results_dir,
    )
    print(f"Wrote {path} and {args.benchmarks}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
