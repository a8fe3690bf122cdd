"""The run: one `Generator` makes chunk after chunk of orders from one random stream and
writes each chunk through a sink (pipelined on PostgreSQL), keeping counts and timings."""

from __future__ import annotations

import datetime
import math
import queue
import random
import threading
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction

from carriers.models import SPID, Carrier
from orders.loaddata.children import OrderChildrenMixin
from orders.loaddata.plan import (
    BIG_PROJECT_EVERY,
    BIG_PROJECT_MIN_ORDERS,
    PON_PREFIX,
    PORT_IN_STATUS,
    PORT_OUT_SHARE,
    PORT_OUT_STATUS,
    PROJECT_MAX,
    PROJECT_MEAN,
    PROJECT_MIN,
    PROJECT_TN_SHARE,
    UTC,
    LoadDataError,
    _pick,
    _weighted,
)
from orders.loaddata.portin import PortInMixin
from orders.loaddata.portout import PortOutMixin
from orders.loaddata.reference import ReferenceMixin
from orders.loaddata.sinks import CopySink, InsertSink, Sink
from orders.loaddata.tables import Table, id_models, new_tables
from orders.models import OpenTnClaim, PortOrder
from orders.services.claims import claims_backfill


@dataclass
class Stats:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    pons_sample: list[str] = field(default_factory=list)

    def add(self, name, n):
        self.counts[name] = self.counts.get(name, 0) + n


class Generator(ReferenceMixin, PortInMixin, PortOutMixin, OrderChildrenMixin):
    """One load run. The parts live in mixins (one module each) because they all draw on the
    same state: the one random stream, the next id per table, the reference data. The rows
    depend on the order of the draws, never on which module a method sits in."""

    def __init__(
        self,
        *,
        orders: int,
        tns_per_order: float,
        seed: int,
        today: datetime.date | None = None,
        chunk_orders: int = 20_000,
        log: Callable[[str], None] | None = None,
    ):
        if orders < 1:
            raise LoadDataError("--orders must be at least 1.")
        if tns_per_order < 1:
            raise LoadDataError("--tns-per-order must be at least 1.")
        self.n_orders = orders
        self.mean_tns = float(tns_per_order)
        self.seed = seed
        self.rng = random.Random(seed)
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.today = today or datetime.datetime.now(self.tz).date()
        # "now" is noon in the portal's zone on `today` (or the real now if earlier), so that
        # every generated event is in the past and a fixed --today gives identical rows.
        noon = datetime.datetime.combine(self.today, datetime.time(12, 0), self.tz)
        real_now = datetime.datetime.now(UTC)
        self.now = min(noon.astimezone(UTC), real_now) if today is None else noon.astimezone(UTC)
        self.chunk_orders = chunk_orders
        self.log = log or (lambda msg: None)
        self.stats = Stats()
        self._lock = threading.Lock()
        self.sink: Sink = CopySink() if connection.vendor == "postgresql" else InsertSink()
        # TN-size model: a share of orders are project ports, sized so that the project ports
        # carry PROJECT_TN_SHARE of all TNs; the rest are small (1-49, mostly 1-5) orders.
        self.p_project = min(0.02, PROJECT_TN_SHARE * self.mean_tns / PROJECT_MEAN)
        small_mean = (self.mean_tns - self.p_project * PROJECT_MEAN) / (1 - self.p_project)
        self.small_mean = max(1.0, small_mean)
        self.q_small = 1.0 - 1.0 / self.small_mean  # geometric: mean 1/(1-q)

    # --- helpers ----------------------------------------------------------------------
    def tn_count_for(self, i: int) -> int:
        if self.n_orders >= BIG_PROJECT_MIN_ORDERS and i % BIG_PROJECT_EVERY == 100:
            return PROJECT_MAX
        rng = self.rng
        if rng.random() < self.p_project:
            return int(PROJECT_MIN * math.exp(rng.random() * math.log(PROJECT_MAX / PROJECT_MIN)))
        if self.q_small <= 0:
            return 1
        k = 1 + int(math.log(1.0 - rng.random()) / math.log(self.q_small))
        return min(k, PROJECT_MIN - 1)

    def ts(self, age_days: float) -> datetime.datetime:
        return self.now - datetime.timedelta(days=age_days)

    def local_date(self, dt: datetime.datetime) -> datetime.date:
        return dt.astimezone(self.tz).date()

    def new_id(self, model) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    # --- the run -----------------------------------------------------------------------
    # Tables written first (the parents), then the rows that hang off the orders.
    PARENT_TABLES = ("accounts", "numbers", "orders")

    def run(self) -> Stats:
        t_start = time.perf_counter()
        with transaction.atomic():
            if PortOrder.objects.filter(pon__startswith=PON_PREFIX).exists():
                raise LoadDataError(
                    "Load data is already present; run generate_load_data --reset first "
                    "(or drop the database)."
                )
            self.setup_reference()
        self._t_start = t_start
        self._done = 0
        if connection.vendor == "postgresql" and self.n_orders > self.chunk_orders:
            self._run_pipelined()
        else:
            for _start, n, tables in self._chunks():
                self._write_group(tables, self.PARENT_TABLES, parents=True)
                self._write_group(tables, self.PARENT_TABLES, parents=False)
                self._chunk_done(n)
        tables = new_tables()
        with transaction.atomic():
            self.sink.finish(tables.values())
            # F7: the open orders' TN claims, as the services would have written them.
            t0 = time.perf_counter()
            self.stats.add("open_tn_claims", claims_backfill(pon_prefix=PON_PREFIX))
            self._add_seconds("write:open_tn_claims", time.perf_counter() - t0)
        if connection.vendor == "postgresql":
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                for model in [*id_models(), OpenTnClaim, SPID, Carrier]:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            self.stats.seconds["analyze"] = time.perf_counter() - t0
        self.stats.seconds["total"] = time.perf_counter() - t_start
        return self.stats

    def _chunks(self):
        """Generate chunk after chunk (in this thread: one random stream, reproducible)."""
        start = 0
        while start < self.n_orders:
            n = min(self.chunk_orders, self.n_orders - start)
            t0 = time.perf_counter()
            tables = new_tables()
            self.generate_chunk(tables, start, n)
            self._add_seconds("generate", time.perf_counter() - t0)
            yield start, n, tables
            start += n

    def _add_seconds(self, name, seconds):
        with self._lock:
            self.stats.seconds[name] = self.stats.seconds.get(name, 0.0) + seconds

    def _write_group(self, tables, names, *, parents: bool):
        """Write the parent tables (or all the others) of one chunk in one transaction."""
        t0 = time.perf_counter()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Per session only: this load can be re-made, so do not wait for WAL flushes.
                cursor.execute("SET synchronous_commit TO off")
        with transaction.atomic():
            for name, table in tables.items():
                if (name in names) != parents:
                    continue
                ts = time.perf_counter()
                self.sink.write(table)
                self._add_seconds(f"write:{name}", time.perf_counter() - ts)
                with self._lock:
                    self.stats.add(name, len(table.rows))
        # The commit runs the deferred foreign-key checks: part of the write time.
        self._add_seconds(
            "write:parents" if parents else "write:children", time.perf_counter() - t0
        )

    def _chunk_done(self, n):
        with self._lock:
            self._done += n
            done = self._done
        self.log(
            f"  {done:,}/{self.n_orders:,} orders written "
            f"({time.perf_counter() - self._t_start:.0f}s)"
        )

    def _run_pipelined(self):
        """PostgreSQL: three stages, so both cores work.

        This thread generates chunk k+2 while writer 1 loads the parents (accounts, numbers,
        orders) of chunk k+1 and writer 2 the order children (numbers on orders, history,
        comments...) of chunk k, each on its own connection. A chunk's children are written
        only after its parents committed, so every deferred foreign-key check finds them.
        """
        from django.db import connections

        to_parents: queue.Queue = queue.Queue(maxsize=1)
        to_children: queue.Queue = queue.Queue(maxsize=1)
        errors: list[BaseException] = []
        stop = threading.Event()

        def stage(inbox, outbox, parents):
            try:
                while True:
                    item = inbox.get()
                    if item is None or stop.is_set():
                        break
                    start, n, tables = item
                    self._write_group(tables, self.PARENT_TABLES, parents=parents)
                    if outbox is not None:
                        _put(outbox, item, stop)
                    else:
                        self._chunk_done(n)
            except BaseException as exc:
                errors.append(exc)
                stop.set()
            finally:
                if outbox is not None:
                    _put(outbox, None, stop, force=True)
                connections.close_all()

        writers = [
            threading.Thread(target=stage, args=(to_parents, to_children, True), daemon=True),
            threading.Thread(target=stage, args=(to_children, None, False), daemon=True),
        ]
        for w in writers:
            w.start()
        try:
            for item in self._chunks():
                if not _put(to_parents, item, stop):
                    break
        finally:
            _put(to_parents, None, stop, force=True)
            for w in writers:
                w.join()
        if errors:
            raise errors[0]

    # --- one chunk of orders ---------------------------------------------------------------
    def generate_chunk(self, t: dict[str, Table], start: int, n: int) -> None:
        rng = self.rng
        i = start
        end = start + n
        in_values, in_cum = _weighted(PORT_IN_STATUS)
        out_values, out_cum = _weighted(PORT_OUT_STATUS)
        while i < end:
            if rng.random() < PORT_OUT_SHARE:
                status = _pick(rng, out_values, out_cum)
                # A rejected LSR is often followed by a version 2 of the same PON.
                if status == "rejected" and i + 1 < end and rng.random() < 0.3:
                    v2_status = _pick(rng, out_values, out_cum)
                    if v2_status == "rejected":
                        v2_status = "completed"
                    self.port_out(t, i, status, v2_status=v2_status)
                    i += 2
                    continue
                self.port_out(t, i, status)
            else:
                self.port_in(t, i, _pick(rng, in_values, in_cum))
            i += 1
        self.open_csr_requests(t, n)


def _put(q, item, stop, *, force=False):
    """Put on a bounded queue without hanging forever when the other side died."""
    while True:
        if stop.is_set() and not force:
            return False
        try:
            q.put(item, timeout=0.5)
            return True
        except queue.Full:
            if stop.is_set() and force:
                return False


def generate(
    *,
    orders: int,
    tns_per_order: float,
    seed: int,
    today: datetime.date | None = None,
    chunk_orders: int = 20_000,
    log: Callable[[str], None] | None = None,
) -> Stats:
    return Generator(
        orders=orders,
        tns_per_order=tns_per_order,
        seed=seed,
        today=today,
        chunk_orders=chunk_orders,
        log=log,
    ).run()
