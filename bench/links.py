"""Every link the pages offer, timed as a user meets it (issue 21).

The links are enumerated, never listed by hand: each work queue of the registry
(`orders.queues.registry.QUEUES`) in each of its whitelisted sorts, both directions, at page 1,
a middle page and the last page the pager links (the count stops at `COUNT_CAP`, so the last
page is at most 200); each filter of the queue's FilterSet (`orders/filters.py`) with a
representative value; and the order list (`orders/order_list.py`, `OrderFilterForm`) with each
of its filters, its last page and a search for the most common account-name word. A new sort,
filter or queue is timed without anyone adding it here.

Each link is requested once in-process (Django's test client: the SQL query count) and over
HTTP through gunicorn started with the Procfile's `web` command: the first request to the link
("cold": nothing of this URL in PostgreSQL's buffers or the worker's prepared statements) and
`repeat` more ("warm"). `first_requests` times the first request to each main page after a
fresh start of gunicorn.

Used by bench/run.py (sections `links` and `boot`).
"""

from __future__ import annotations

import contextlib
import datetime
import http.client
import math
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 100.0
FIRST_REQUEST_TARGET_MS = 300.0


@dataclass
class Link:
    page: str  # the page the link belongs to ("/queues/unassigned/", "/orders/")
    what: str  # "sort=-created page=200", "filter carrier=12"
    url: str
    linked: bool = True  # False: reachable and whitelisted, but no header links it


# --- enumeration ---------------------------------------------------------------------------


def _depths(total: int, per_page: int) -> list[int]:
    """Page 1, a middle page and the last page the pager links (the count is capped)."""
    pages = max(1, math.ceil(total / per_page))
    return sorted({1, (pages + 1) // 2, pages})


def _url(base: str, params: dict) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{base}?{urlencode(params, doseq=True)}" if params else base


def _samples():
    """Representative filter values from the data: the most common of each (a common value
    has many matches: the page cannot stop early). One grouped query each, over the open
    orders where that is what a queue holds."""
    from django.db.models import Case, Count, F, When

    from orders.models import Direction, PortOrder, Rejection

    open_orders = PortOrder.objects.exclude(status__in=["completed", "cancelled"])
    # The carrier filters name the other side of an order (never ours): the losing carrier
    # of a port-in, the requesting carrier of a port-out.
    other_side = Case(
        When(direction=Direction.PORT_IN, then=F("losing_carrier")), default=F("new_carrier")
    )
    carrier = (
        open_orders.annotate(other_side=other_side)
        .values("other_side")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
        or {}
    ).get("other_side")
    spid = (
        open_orders.exclude(losing_spid=None)
        .values("losing_spid__code")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
        or {}
    ).get("losing_spid__code")
    assignee = (
        open_orders.exclude(assignee=None)
        .values("assignee")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
        or {}
    ).get("assignee")
    reason = (
        Rejection.reasons.through.objects.values("rejectionreason_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
        or {}
    ).get("rejectionreason_id")
    return {
        "carrier": carrier,
        "spid": spid,
        "assignee": assignee,
        "reason": reason,
        "word": common_name_word(),
    }


def common_name_word() -> str:
    """The most common word of the account names (a sample of orders): what a desk types when
    it searches for a customer with a common name."""
    from collections import Counter

    from orders.models import PortOrder

    last = PortOrder.objects.order_by().values_list("id", flat=True).last() or 0
    step = max(1, last // 2000)
    names = PortOrder.objects.filter(id__in=range(1, last + 1, step)).values_list(
        "account_name", flat=True
    )
    words = Counter(
        word for name in names for word in re.findall(r"[A-Za-z]{4,}", name or "")
    ).most_common(1)
    return words[0][0] if words else "Sunrise"


def _filter_values(name, flt, samples, today) -> list[tuple[str, dict]]:
    """(label, query parameters) for one filter of a FilterSet: each choice of a fixed list, the
    common value of a data-backed list, the last 30 days of a date range, true of a flag, a
    common name for a search box."""
    import django_filters as filters

    from orders.filters import CHOICE_FILTERS

    if name in CHOICE_FILTERS:
        kind = CHOICE_FILTERS[name]
        out = []
        if kind == "user":
            out.append(("Unassigned", {name: "null"}))
        value = samples.get({"user": "assignee"}.get(kind, kind))
        if value is not None:
            out.append((str(value), {name: value}))
        return out
    if isinstance(flt, filters.DateFromToRangeFilter):
        since = (today - datetime.timedelta(days=30)).isoformat()
        return [("last 30 days", {f"{name}_after": since, f"{name}_before": today.isoformat()})]
    if isinstance(flt, filters.BooleanFilter):
        return [("yes", {name: "true"})]
    if isinstance(flt, filters.MultipleChoiceFilter | filters.ChoiceFilter):
        choices = flt.extra.get("choices") or ()
        if callable(choices):
            choices = choices()
        return [(str(value), {name: value}) for value, _label in choices if value not in ("", None)]
    if isinstance(flt, filters.CharFilter):
        if name == "q":
            return [(f"common name {samples['word']}", {name: samples["word"]})]
        if name == "spid" and samples.get("spid"):
            return [(samples["spid"], {name: samples["spid"]})]
    return []


def queue_links(user, *, samples=None) -> list[Link]:
    """Every queue the user sees: each sort both ways at three depths, each filter."""
    from orders.queues.base import COUNT_CAP, QueueContext
    from orders.queues.registry import visible_queues
    from orders.views.queues import PER_PAGE

    samples = samples or _samples()
    ctx = QueueContext.build(user=user)
    links: list[Link] = []
    for queue in visible_queues(user):
        total = min(queue.total(ctx).value, COUNT_CAP)
        linked = {column.sort for column in queue.columns if column.sort}
        for key in queue.sorts:
            for sort in (key, f"-{key}"):
                for page in _depths(total, PER_PAGE):
                    links.append(
                        Link(
                            queue.url,
                            f"sort={sort} page={page}",
                            _url(queue.url, {"sort": sort, "page": page if page > 1 else None}),
                            linked=key in linked,
                        )
                    )
        filterset = queue.filterset_for(None, ctx)
        for name, flt in filterset.filters.items():
            for label, params in _filter_values(name, flt, samples, ctx.today):
                links.append(Link(queue.url, f"filter {name}={label}", _url(queue.url, params)))
    return links


def order_list_links(*, samples=None) -> list[Link]:
    """The order list: first, middle and last page; each filter of its form alone (each choice
    of a fixed list, the carrier with most orders), with its last page; the common-name search."""
    from django import forms

    from orders import order_list
    from orders.forms.order_list import OrderFilterForm
    from orders.views.order_list import PAGE_SIZE

    samples = samples or _samples()
    base = "/orders/"
    links: list[Link] = []

    def add(what, params):
        listed = order_list.orders_listed(**_cleaned(params))
        cap = order_list.count_cap(params.get("q", ""))
        total = order_list.ORDER_LIST.count(listed, cap).value
        for page in _depths(min(total, cap), PAGE_SIZE):
            suffix = f" page={page}" if page > 1 else ""
            links.append(
                Link(
                    base,
                    f"{what}{suffix}",
                    _url(base, {**params, "page": page if page > 1 else None}),
                )
            )

    add("no filter", {})
    form = OrderFilterForm()
    for name, field in form.fields.items():
        if name == "q":
            add(f"search common name {samples['word']}", {"q": samples["word"]})
        elif isinstance(field, forms.ModelChoiceField):
            if samples.get("carrier"):
                add(f"{name}={samples['carrier']}", {name: samples["carrier"]})
        elif isinstance(field, forms.ChoiceField):
            for value, _label in field.choices:
                if value:
                    add(f"{name}={value}", {name: value})
    return links


def _cleaned(params: dict) -> dict:
    from orders.forms.order_list import OrderFilterForm

    form = OrderFilterForm(params or None)
    return form.cleaned_data if form.is_valid() else {}


# --- HTTP through gunicorn ------------------------------------------------------------------


def procfile_web_command() -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.split(":", 1)[1].strip()
    raise RuntimeError("Procfile has no web process")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_env(database_url: str) -> dict:
    """Production settings over plain loopback HTTP (bench/locust/settings_load.py: DEBUG off,
    whitenoise manifest, CSP, axes), with this process's keys so the data stays readable."""
    from django.conf import settings

    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "bench.locust.settings_load",
            "DEBUG": "false",
            "SECRET_KEY": settings.SECRET_KEY,
            "PIN_ENCRYPTION_KEY": settings.PIN_ENCRYPTION_KEY,
            "CPNI_HASH_KEY": settings.CPNI_HASH_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            "EMAIL_HOST": "",
        }
    )
    env.pop("CONN_MAX_AGE", None)  # the production default (60 s), not the bench's 0
    return env


def ensure_static(env: dict) -> None:
    """The manifest whitenoise serves in production (STATIC_ROOT, git-ignored)."""
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        subprocess.run(
            [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )


class Gunicorn:
    """gunicorn exactly as the Procfile's `web` line starts it (workers, flags; `--preload`
    when the Procfile has it), on a free loopback port, in its own process group."""

    def __init__(self, env: dict, *, log_dir: Path | None = None):
        self.env = dict(env)
        self.port = free_port()
        self.env.update({"HOST": "127.0.0.1", "PORT": str(self.port)})
        self.log_dir = log_dir or Path(tempfile.gettempdir())
        self.proc = None
        self.started_at = None

    def __enter__(self):
        command = procfile_web_command()
        log = open(self.log_dir / f"bench-gunicorn-{self.port}.log", "w")
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {log.name}")
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                self.ready_seconds = time.perf_counter() - self.started_at
                return self
            time.sleep(0.05)
        raise RuntimeError("gunicorn did not listen within 60 s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def get(self, url: str, cookie: str) -> tuple[int, float, int]:
        """(status, seconds, bytes) of one GET with the session cookie; a new connection per
        request, as gunicorn's sync workers close each one."""
        t0 = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("GET", url, headers={"Cookie": cookie, "Host": "127.0.0.1"})
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        return response.status, time.perf_counter() - t0, len(body)


def session_cookie(user) -> str:
    """A signed-in session for `user`, stored in the database (the session backend every worker
    reads)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


# --- measuring --------------------------------------------------------------------------------


def query_counts(user, links: list[Link]) -> dict[str, tuple[int, int]]:
    """url -> (status, SQL queries) of one in-process request (after one to warm it)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    out = {}
    for link in links:
        client.get(link.url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(link.url)
        out[link.url] = (response.status_code, len(captured.captured_queries))
    return out


def time_links_http(server: Gunicorn, cookie: str, links: list[Link], *, repeat: int, summarize):
    """Per link: the first request (cold) and `repeat` more (warm), over HTTP."""
    results = []
    for link in links:
        status, first, size = server.get(link.url, cookie)
        warm = []
        for _ in range(repeat):
            s, seconds, size = server.get(link.url, cookie)
            status = s if s != 200 else status
            warm.append(seconds)
        results.append(
            asdict(link)
            | {"status": status, "bytes": size, "cold_ms": round(first * 1000, 2)}
            | summarize(warm)
        )
    return results


def worst_per_page(results: list[dict]) -> dict[str, dict]:
    """page -> its worst link by warm p95, with how many links it has and how many miss."""
    pages: dict[str, dict] = {}
    for r in results:
        if "p95_ms" not in r:
            continue
        page = pages.setdefault(
            r["page"], {"links": 0, "over_target": 0, "worst": None, "worst_cold": None}
        )
        page["links"] += 1
        page["over_target"] += r["p95_ms"] > TARGET_P95_MS or r.get("status") != 200
        if page["worst"] is None or r["p95_ms"] > page["worst"]["p95_ms"]:
            page["worst"] = r
        if page["worst_cold"] is None or r["cold_ms"] > page["worst_cold"]["cold_ms"]:
            page["worst_cold"] = r
    return pages


def main_pages(user) -> dict[str, str]:
    """The pages a desk opens first: the dashboard, a queue, the queue index, the order list,
    an order page."""
    from orders.models import PortOrder
    from orders.queues.registry import visible_queues

    queue = visible_queues(user)[0]
    order = PortOrder.objects.filter(direction="in").order_by("-id").values_list("id", flat=True)
    return {
        "dashboard": "/",
        f"queue {queue.slug}": queue.url,
        "queue index": "/queues/",
        "order list": "/orders/",
        "order page": f"/orders/{order.first()}/",
    }


def first_requests(env: dict, cookie: str, pages: dict[str, str], *, restarts: int = 3):
    """For each main page, `restarts` fresh starts of gunicorn, each answering that page first:
    the time of that first request (and the second, for comparison)."""
    out = {}
    for name, url in pages.items():
        firsts, seconds, statuses, ready = [], [], [], []
        for _ in range(restarts):
            with Gunicorn(env) as server:
                ready.append(server.ready_seconds)
                status, first, _size = server.get(url, cookie)
                _status, second, _size = server.get(url, cookie)
            firsts.append(first * 1000)
            seconds.append(second * 1000)
            statuses.append(status)
        out[name] = {
            "url": url,
            "first_ms": [round(v, 1) for v in firsts],
            "first_max_ms": round(max(firsts), 1),
            "second_ms": [round(v, 1) for v in seconds],
            "status": sorted(set(statuses)),
            "listening_after_s": round(max(ready), 2),
        }
    return out


# --- the two sections of bench/run.py ---------------------------------------------------------


def bench_links(bench) -> dict:
    """Section `links`: every link of every queue and of the order list, in-process (query
    counts) and over HTTP through gunicorn (cold first hit, warm p95)."""
    user = bench.manager
    samples = _samples()
    links = queue_links(user, samples=samples) + order_list_links(samples=samples)
    t0 = time.perf_counter()
    counts = query_counts(user, links)
    in_process_s = time.perf_counter() - t0
    env = gunicorn_env(bench.args.database_url)
    ensure_static(env)
    cookie = session_cookie(user)
    with Gunicorn(env) as server:
        results = time_links_http(
            server, cookie, links, repeat=bench.args.link_repeat, summarize=bench.summarize
        )
    for r in results:
        r["in_process_status"], r["queries"] = counts[r["url"]]
    return {
        "samples": {k: str(v) for k, v in samples.items()},
        "procfile_web": procfile_web_command(),
        "repeat": bench.args.link_repeat,
        "in_process_seconds": round(in_process_s, 1),
        "links": results,
        "pages": {
            page: {
                "links": v["links"],
                "over_target": v["over_target"],
                "worst": {
                    k: v["worst"][k] for k in ("what", "url", "p95_ms", "median_ms", "queries")
                },
                "worst_cold": {k: v["worst_cold"][k] for k in ("what", "url", "cold_ms")},
            }
            for page, v in worst_per_page(results).items()
        },
    }


def bench_boot(bench) -> dict:
    """Section `boot`: the first request to each main page after a fresh start of gunicorn."""
    env = gunicorn_env(bench.args.database_url)
    ensure_static(env)
    cookie = session_cookie(bench.manager)
    return {
        "procfile_web": procfile_web_command(),
        "pages": first_requests(env, cookie, main_pages(bench.manager), restarts=3),
    }


def render(add, section_links: dict | None, section_boot: dict | None, targets: list) -> None:
    """The report's part for the two sections (bench/run.py render_report)."""
    if section_links:
        n = len(section_links["links"])
        add(
            f"### Every link the pages offer ({n} links; HTTP through gunicorn as the Procfile "
            "starts it)"
        )
        add("")
        add(
            f"`{section_links['procfile_web']}`; each link requested once cold (its first "
            f"request) and {section_links['repeat']} times warm, one at a time; SQL queries from "
            "one in-process request (Django test client). Links enumerated from the queue "
            "registry, the FilterSets and the order list's form (`bench/links.py`)."
        )
        add("")
        add(
            "| page | links | worst link (warm p95) | median / p95 ms | queries "
            "| worst cold first hit | over 100 ms |"
        )
        add("| --- | --- | --- | --- | --- | --- | --- |")
        worst_all = 0.0
        for page, v in sorted(section_links["pages"].items()):
            w, c = v["worst"], v["worst_cold"]
            worst_all = max(worst_all, w["p95_ms"])
            add(
                f"| `{page}` | {v['links']} | `{w['url']}` | {w['median_ms']:.1f} / "
                f"{w['p95_ms']:.1f} | {w['queries']} | {c['cold_ms']:.1f} (`{c['url']}`) | "
                f"{v['over_target']} |"
            )
        add("")
        over = [r for r in section_links["links"] if r["p95_ms"] > TARGET_P95_MS]
        if over:
            add(
                "Links over 100 ms (warm p95): "
                + ", ".join(
                    f"`{r['url']}` {r['p95_ms']:.0f} ms"
                    for r in sorted(over, key=lambda r: -r["p95_ms"])[:20]
                )
                + "."
            )
            add("")
        bad = [r for r in section_links["links"] if r.get("status") != 200]
        targets.append(
            (
                "Every link a page offers: p95 <= 100 ms (HTTP, warm)",
                f"{worst_all:.1f} ms (worst of {n})",
                "PASS" if worst_all <= TARGET_P95_MS and not bad else "MISS",
            )
        )
        if bad:
            targets.append(("Every link answers 200", f"{len(bad)} did not", "MISS"))
    if section_boot:
        add("### The first request after a restart (HTTP, a fresh gunicorn per sample)")
        add("")
        add(
            f"`{section_boot['procfile_web']}`, started anew three times per page; each time that "
            "page is its first request."
        )
        add("")
        add("| page | first request ms (3 starts) | second request ms | listening after s |")
        add("| --- | --- | --- | --- |")
        worst = 0.0
        for name, v in section_boot["pages"].items():
            worst = max(worst, v["first_max_ms"])
            add(
                f"| {name} `{v['url']}` | {', '.join(f'{x:.0f}' for x in v['first_ms'])} | "
                f"{', '.join(f'{x:.0f}' for x in v['second_ms'])} | {v['listening_after_s']} |"
            )
        add("")
        targets.append(
            (
                "First request to each main page after a restart <= 300 ms",
                f"{worst:.0f} ms (worst)",
                "PASS" if worst <= FIRST_REQUEST_TARGET_MS else "MISS",
            )
        )
