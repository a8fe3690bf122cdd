"""A national-size, reproducible load data set for benchmarks (issue 8).

`generate(orders=N, tns_per_order=M, seed=S)` fills the database with a realistic mix of
port orders of both directions in every status, with the rows a desk accumulates around
them: numbers (and the number inventory they come from), status history, rejections with
coded reasons, supplements, comments, status checks, CSR requests and NPAC cancel records.

Everything random comes from one `random.Random(seed)`, and every date is counted back from
one `today`, so the same arguments give the same rows (same PONs, same counts).

How rows reach the database:
- PostgreSQL: COPY through psycopg 3 (`cursor.copy(...).write_row`), table by table in
  dependency order, in chunks of orders, one transaction per chunk. Ids are generated here
  (continuing after the table's current maximum) and each identity sequence is moved past
  them with `setval` afterwards. No constraint, index or trigger is disabled.
- Any other database (SQLite in tests and development): plain multi-row INSERTs
  (`executemany`) with values prepared by each model field, which is what bulk_create does
  minus its `auto_now_add` override (we need historical `created_at` values).

Generated rows are marked so that `reset()` can remove them: PONs and account numbers
start with "LD", load users are named `ld-...`. Carriers created here are kept (they are
reused by the next run).

This module writes rows directly, not through `orders.lifecycle`: it loads history that
already happened (one StatusChange row per status each order passed through), it does not
move orders. Nothing here runs in a request.
"""

from __future__ import annotations

import datetime
import math
import queue
import random
import threading
import time
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, models, transaction

from carriers.models import (
    SPID,
    Carrier,
    Contact,
    CustomerAccount,
    IntervalGuideline,
    TelephoneNumber,
)
from orders.models import (
    AuthorizationDispute,
    Comment,
    CsrRequest,
    Direction,
    NpacCancelRecord,
    OrderNumber,
    PortOrder,
    Rejection,
    RejectionReason,
    StatusChange,
    StatusCheck,
    Supplement,
)

PON_PREFIX = "LD"
# How the jobs sign the history rows they write (orders.services.jobs.actor_label).
F4_JOB_LABEL = "job:rejected_orders_auto_cancel"
R11_JOB_LABEL = "job:port_windows_expire"
# Port-out JSON fields (the LSR as received and the rules' evaluation), when the model has them.
ORDER_JSON_FIELDS = tuple(
    name
    for name in ("lsr_snapshot", "rule_evaluation")
    if name in {f.name for f in PortOrder._meta.concrete_fields}
)
ACCOUNT_PREFIX = "LD"
USER_PREFIX = "ld-"
UTC = datetime.UTC

# --- proportions ------------------------------------------------------------------------
PORT_OUT_SHARE = 0.45
# Final status -> share. Most orders are history (completed, cancelled, rejected LSRs);
# a few per cent sit in each open status, as on a real desk.
PORT_IN_STATUS = [
    ("completed", 0.600),
    ("cancelled", 0.200),
    ("draft", 0.025),
    ("submitted", 0.050),
    ("accepted", 0.045),
    ("exception", 0.020),
    ("rejected", 0.035),
    ("review", 0.025),
]
PORT_OUT_STATUS = [
    ("completed", 0.62),
    ("cancelled", 0.10),
    ("rejected", 0.17),
    ("received", 0.03),
    ("expedite_review", 0.01),
    ("foc_sent", 0.07),
]
OPEN_PORT_IN = {"draft", "submitted", "accepted", "exception", "rejected", "review"}
OPEN_PORT_OUT = {"received", "expedite_review", "foc_sent"}
# Project ports (50-2,000 TNs, log-uniform: mean about 528 TNs) carry this share of all TNs.
PROJECT_TN_SHARE = 0.30
PROJECT_MIN, PROJECT_MAX = 50, 2000
PROJECT_MEAN = (PROJECT_MAX - PROJECT_MIN) / math.log(PROJECT_MAX / PROJECT_MIN)
HISTORY_DAYS = 548  # 18 months
# Orders forced to exactly 2,000 TNs (the benchmark opens their page); only for big runs.
BIG_PROJECT_EVERY = 250_000
BIG_PROJECT_MIN_ORDERS = 5_000

# --- names for realistic-looking rows -----------------------------------------------------
ADJECTIVES = [
    "Acme", "Blue Harbor", "Cedar", "Summit", "Evergreen", "Granite", "Lakeside", "Northwind",
    "Pioneer", "Redwood", "Silverline", "Sunrise", "Twin Rivers", "Valley", "Westgate",
    "Maple", "Ironwood", "Coastal", "Prairie", "Highland", "Riverbend", "Golden Gate",
]  # fmt: skip
NOUNS = [
    "Dental", "Logistics", "Bakery", "Realty", "Law Group", "Auto Repair", "Insurance",
    "Clinic", "Builders", "Hardware", "Veterinary", "Accounting", "Printing", "Florist",
    "Plumbing", "Consulting", "Fitness", "Pharmacy", "Motors", "Hotel", "School District",
]  # fmt: skip
SUFFIXES = ["Inc.", "LLC", "Corp.", "Co.", "Group", "Partners", "Ltd."]
FIRST = [
    "Pat", "Jordan", "Alex", "Sam", "Chris", "Taylor", "Morgan", "Jamie", "Casey", "Robin",
    "Lee", "Dana", "Avery", "Quinn", "Riley", "Drew", "Kim", "Jesse", "Sky", "Reese",
]  # fmt: skip
LAST = [
    "Smith", "Garcia", "Nguyen", "Johnson", "Patel", "Kim", "Brown", "Lopez", "Miller",
    "Davis", "Wilson", "Martinez", "Anderson", "Thomas", "Moore", "Jackson", "Lee", "Clark",
]  # fmt: skip
STREETS = [
    "Main Street", "Oak Avenue", "Pine Street", "Maple Drive", "Cedar Lane", "Elm Street",
    "Washington Blvd", "Lake Road", "Hill Street", "Park Avenue", "Broadway", "Market Street",
]  # fmt: skip
CITIES = [
    ("Portland", "OR", "972"), ("Seattle", "WA", "981"), ("Spokane", "WA", "992"),
    ("Boise", "ID", "837"), ("Sacramento", "CA", "958"), ("Fresno", "CA", "937"),
    ("Reno", "NV", "895"), ("Salem", "OR", "973"), ("Eugene", "OR", "974"),
    ("Tacoma", "WA", "984"), ("Medford", "OR", "975"), ("Bend", "OR", "977"),
]  # fmt: skip
# Geographic NPAs used for the inventory (none toll-free).
NPAS = [
    "503", "971", "541", "458", "206", "253", "360", "425", "509", "564", "208", "986",
    "916", "279", "530", "559", "209", "775", "702", "725", "415", "628", "510", "341",
    "408", "669", "650", "707", "831", "925", "619", "858", "760", "442", "949", "714",
    "657", "562", "213", "323", "310", "424", "818", "747", "626", "909", "951", "805",
]  # fmt: skip
TOLL_FREE_NPAS = ["800", "833", "844", "855", "866", "877", "888"]
STAFF_COMMENTS = [
    "Called the customer to confirm the service address.",
    "Customer confirmed the authorized person on the account.",
    "Losing carrier says the order is in their queue.",
    "Asked the customer for a recent bill copy.",
    "Checked NPAC: subscription version pending.",
    "Left a voicemail for the customer's IT contact.",
    "Customer wants the port after business hours.",
    "Verified the BTN against the CSR.",
    "Escalated to the losing carrier's LSR contact.",
    "Updated the requested due date at the customer's request.",
]
CHECK_OUTCOMES = [
    "No response yet from the losing carrier; will check again.",
    "Losing carrier confirms the LSR is being worked.",
    "Losing carrier expects an FOC within two business days.",
    "Portal of the losing carrier shows the order in review.",
]
LOAD_CARRIERS = [
    # (name, kind, supports_csr, route, tz)
    ("Pacific Bell Telephone (load)", "ilec", True, "direct", "America/Los_Angeles"),
    ("Mountain States Telco (load)", "ilec", True, "direct", "America/Denver"),
    ("Northwest Exchange Carrier (load)", "ilec", True, "direct", "America/Los_Angeles"),
    ("Great Plains Telephone (load)", "ilec", True, "local_peer", "America/Chicago"),
    ("Lakeshore Telephone Co (load)", "ilec", False, "direct", "America/Chicago"),
    ("Atlantic Bell (load)", "ilec", True, "direct", "America/New_York"),
    ("Southern Exchange (load)", "ilec", True, "direct", "America/New_York"),
    ("Metro Fiber CLEC (load)", "clec", True, "direct", "America/Los_Angeles"),
    ("Keystone Networks (load)", "clec", True, "direct", "America/New_York"),
    ("Sierra Connect (load)", "clec", True, "direct", "America/Los_Angeles"),
    ("Harbor Communications (load)", "clec", False, "direct", "America/Los_Angeles"),
    ("Prairie Link CLEC (load)", "clec", True, "local_peer", "America/Chicago"),
    ("Capitol Telecom (load)", "clec", True, "direct", "America/New_York"),
    ("Desert Lines (load)", "clec", True, "direct", "America/Phoenix"),
    ("Rocky Ridge Telecom (load)", "clec", True, "direct", "America/Denver"),
    ("Evergreen Wireless (load)", "wireless", True, "direct", "America/Los_Angeles"),
    ("Continental Mobile (load)", "wireless", True, "direct", "America/Chicago"),
    ("Nationwide Cellular (load)", "wireless", True, "direct", "America/New_York"),
    ("Bluewave Mobile (load)", "wireless", False, "direct", "America/Los_Angeles"),
    ("Summit Wireless (load)", "wireless", True, "direct", "America/Denver"),
    ("CloudVoice (load)", "voip", True, "direct", "America/Los_Angeles"),
    ("NetTalk Systems (load)", "voip", False, "direct", "America/New_York"),
    ("VoxPath (load)", "voip", True, "direct", "America/Chicago"),
    ("SIPstream (load)", "voip", True, "direct", "America/Los_Angeles"),
    ("Brightwire VoIP (load)", "voip", True, "direct", "America/Denver"),
    ("Cascade Cable (load)", "cable", True, "direct", "America/Los_Angeles"),
    ("Valley Cablevision (load)", "cable", True, "direct", "America/Los_Angeles"),
    ("Riverside Cable (load)", "cable", False, "direct", "America/Chicago"),
    ("Tower Plaza Shared Tenant (load)", "shared_tenant", True, "direct", "America/Chicago"),
    ("Campus Telecom Services (load)", "shared_tenant", True, "direct", "America/New_York"),
    ("Discount Dial Reseller (load)", "reseller", True, "direct", "America/Los_Angeles"),
    ("Value Phone Resale (load)", "reseller", True, "direct", "America/Chicago"),
    ("Tollfree Direct RespOrg (load)", "resporg", False, "somos", "America/New_York"),
    ("800 Connect RespOrg (load)", "resporg", False, "somos", "America/Chicago"),
    ("Porting Partners Agency (load)", "third_party", False, "direct", "America/New_York"),
    ("Telecom Consulting Group (load)", "third_party", False, "direct", "America/Chicago"),
    ("Interconnect Peer West (load)", "clec", True, "direct", "America/Los_Angeles"),
    ("Interconnect Peer Central (load)", "clec", True, "direct", "America/Chicago"),
    ("Frontier Range Telephone (load)", "ilec", True, "direct", "America/Denver"),
    ("Coastal Telephone Coop (load)", "ilec", False, "direct", "America/Los_Angeles"),
]
OUR_CARRIER_NAME = "Cascade Telecom"


# --- rows and where they go ----------------------------------------------------------------


@dataclass
class Table:
    """Rows for one table: the columns we fill and the tuples, in column order."""

    model: type[models.Model] | None
    fields: list[str]
    through: tuple[type[models.Model], str] | None = None  # (model, m2m field name)
    rows: list[tuple] = field(default_factory=list)

    @property
    def db_model(self):
        if self.through:
            model, name = self.through
            return model._meta.get_field(name).remote_field.through
        return self.model


class Sink:
    """Writes the rows of one table; subclasses per database."""

    def __init__(self):
        self._plans: dict[type, tuple[str, list[str], tuple, list]] = {}

    def plan(self, table: Table):
        """Column names for the table, plus defaults for model fields we do not fill.

        Another engineer may add a NOT NULL field with a default later: we fill it with
        its default so this loader keeps working without an edit.
        """
        model = table.db_model
        cached = self._plans.get(model)
        if cached is None:
            meta = model._meta
            by_name = {f.name: f for f in meta.concrete_fields}
            by_name.update({f.attname: f for f in meta.concrete_fields})
            ours = [by_name[name] for name in table.fields]
            filled = {f.attname for f in ours}
            extra = [f for f in meta.concrete_fields if f.attname not in filled]
            now = datetime.datetime.now(UTC)
            extra_values = []
            for f in extra:
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    extra_values.append(now)
                elif f.has_default():
                    extra_values.append(f.get_default())
                elif f.null:
                    extra_values.append(None)
                elif f.empty_strings_allowed:
                    extra_values.append("")
                else:
                    raise RuntimeError(
                        f"{meta.label}.{f.name} has no default: teach orders/loaddata.py "
                        f"to fill it."
                    )
            fields = ours + extra
            cached = (meta.db_table, [f.column for f in fields], tuple(extra_values), fields)
            self._plans[model] = cached
        return cached

    def write(self, table: Table) -> None:
        raise NotImplementedError

    def finish(self, tables: Iterable[Table]) -> None:
        """Move each identity sequence past the ids we generated."""


class CopySink(Sink):
    """PostgreSQL: binary COPY ... FROM STDIN through psycopg 3.

    Binary format: the server does not parse text (timestamps and dates are the costly
    part of text COPY); psycopg dumps each value by the column's actual type (read from
    pg_attribute, so an int4 user id and an int8 order id are both right). JSON columns
    take the Python objects (psycopg's jsonb dumper).
    """

    binary = True  # text format kept for comparison (bench notes in BENCHMARKS.md)

    def __init__(self):
        super().__init__()
        self._oids: dict[str, dict[str, int]] = {}

    def column_oids(self, db_table: str) -> dict[str, int]:
        oids = self._oids.get(db_table)
        if oids is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
                    "AND attnum > 0 AND NOT attisdropped",
                    [db_table],
                )
                oids = dict(cursor.fetchall())
            self._oids[db_table] = oids
        return oids

    def write(self, table: Table) -> None:
        if not table.rows:
            return
        db_table, columns, extra, _fields = self.plan(table)
        oids = self.column_oids(db_table)
        qn = connection.ops.quote_name
        sql = (
            f"COPY {qn(db_table)} ({', '.join(qn(c) for c in columns)}) "
            f"FROM STDIN (FORMAT {'BINARY' if self.binary else 'TEXT'})"
        )
        raw = connection.cursor().connection  # the psycopg connection Django uses
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            copy.set_types([oids[c] for c in columns])
            write_row = copy.write_row
            if extra:
                for row in table.rows:
                    write_row(row + extra)
            else:
                for row in table.rows:
                    write_row(row)

    def finish(self, tables: Iterable[Table]) -> None:
        with connection.cursor() as cursor:
            for table in tables:
                db_table = table.db_model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {connection.ops.quote_name(db_table)}))",
                    [db_table],
                )


class InsertSink(Sink):
    """Any other database: executemany INSERTs with values prepared by each field."""

    batch = 2000

    def write(self, table: Table) -> None:
        if not table.rows:
            return
        db_table, columns, extra, fields = self.plan(table)
        qn = connection.ops.quote_name
        sql = (
            f"INSERT INTO {qn(db_table)} ({', '.join(qn(c) for c in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        preps = [f.get_db_prep_save for f in fields]
        with connection.cursor() as cursor:
            for start in range(0, len(table.rows), self.batch):
                params = [
                    [
                        prep(value, connection)
                        for prep, value in zip(preps, row + extra, strict=True)
                    ]
                    for row in table.rows[start : start + self.batch]
                ]
                cursor.executemany(sql, params)


# --- the generator ---------------------------------------------------------------------------


@dataclass
class Stats:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    pons_sample: list[str] = field(default_factory=list)

    def add(self, name, n):
        self.counts[name] = self.counts.get(name, 0) + n


def _weighted(choices):
    values = [c for c, _ in choices]
    cum = []
    total = 0.0
    for _, w in choices:
        total += w
        cum.append(total)
    return values, cum


class LoadDataError(Exception):
    pass


class Generator:
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

    # --- reference data (ORM: a few hundred rows) -------------------------------------
    def setup_reference(self):
        t0 = time.perf_counter()
        # Its own stream: whether the carriers already exist must not change the orders.
        rng = random.Random(f"reference-{self.seed}")
        User = get_user_model()
        staff_group = Group.objects.filter(name="Porting staff").first()
        manager_group = Group.objects.filter(name="Porting managers").first()
        self.staff_ids = []
        for i in range(1, 31):
            user, created = User.objects.get_or_create(
                username=f"{USER_PREFIX}staff-{i:02d}",
                defaults={"first_name": FIRST[i % len(FIRST)], "last_name": LAST[i % len(LAST)]},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                if staff_group:
                    user.groups.add(staff_group)
            self.staff_ids.append(user.pk)
        self.manager_ids = []
        for i in range(1, 5):
            user, created = User.objects.get_or_create(
                username=f"{USER_PREFIX}manager-{i}",
                defaults={
                    "first_name": FIRST[-i],
                    "last_name": LAST[-i],
                    "email": f"{USER_PREFIX}manager-{i}@porting-desk.example.net",
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                if manager_group:
                    user.groups.add(manager_group)
            self.manager_ids.append(user.pk)

        ours = Carrier.objects.filter(is_ours=True).order_by("pk").first()
        if ours is None:
            ours = Carrier.objects.create(
                name=OUR_CARRIER_NAME, kind=Carrier.Kind.CLEC, is_ours=True
            )
        self.our_carrier = ours
        used_codes = set(SPID.objects.values_list("code", flat=True))

        def new_code():
            alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
            while True:
                code = "".join(rng.choice(alphabet) for _ in range(4))
                if code not in used_codes:
                    used_codes.add(code)
                    return code

        if not ours.spids.exists():
            for region in ("west_coast", "western", "midwest"):
                SPID.objects.create(code=new_code(), carrier=ours, region=region)
        self.our_spids = list(ours.spids.order_by("pk").values_list("pk", flat=True))

        others = list(
            Carrier.objects.filter(is_ours=False, spids__isnull=False).distinct().order_by("pk")
        )
        if len(others) < 10:
            # No (or too small a) reference set: create ~40 carriers with SPIDs and contacts.
            peers = {}
            for name, kind, csr, route, tz in LOAD_CARRIERS:
                carrier, created = Carrier.objects.get_or_create(
                    name=name,
                    defaults={
                        "kind": kind,
                        "supports_csr": csr,
                        "port_in_route": "direct" if route == "local_peer" else route,
                        "time_zone": tz,
                        "notes": "Created by generate_load_data.",
                    },
                )
                if name.startswith("Interconnect Peer"):
                    peers[tz] = carrier
                if created:
                    for _ in range(rng.choice((1, 1, 2, 3))):
                        SPID.objects.create(
                            code=new_code(), carrier=carrier, region=rng.choice(SPID.Region.values)
                        )
                    domain = name.split()[0].lower()
                    for role in rng.sample(Contact.Role.values, k=rng.randint(2, 4)):
                        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                        Contact.objects.create(
                            carrier=carrier,
                            role=role,
                            name=person,
                            email=f"{role}@{domain}.example",
                            phone=f"800-555-{rng.randint(100, 199):04d}",
                            hours="Mon-Fri 8:00-17:00 local",
                        )
                    if rng.random() < 0.12:
                        IntervalGuideline.objects.create(
                            carrier=carrier,
                            kind="other",
                            min_tns=1,
                            max_tns=49,
                            business_days=rng.choice((3, 5)),
                            note="Trading-partner agreement (load data).",
                        )
            for name, _kind, _csr, route, tz in LOAD_CARRIERS:
                if route == "local_peer":
                    peer = peers.get(tz) or next(iter(peers.values()))
                    Carrier.objects.filter(name=name).update(
                        port_in_route="local_peer", porting_peer=peer
                    )
            others = list(
                Carrier.objects.filter(is_ours=False, spids__isnull=False).distinct().order_by("pk")
            )
        spids_by_carrier: dict[int, list[int]] = {}
        for spid_id, carrier_id in SPID.objects.filter(carrier__in=others).values_list(
            "pk", "carrier_id"
        ):
            spids_by_carrier.setdefault(carrier_id, []).append(spid_id)
        self.carriers = {c.pk: (c, sorted(spids_by_carrier.get(c.pk, []))) for c in others}
        losing = [c for c in others if c.kind not in ("third_party", "resporg")]
        resporgs = [c for c in others if c.kind == "resporg"] or losing[:1]
        requesters = [c for c in others if c.kind not in ("third_party", "resporg")]
        agents = [c for c in others if c.kind == "third_party"]
        if not losing:
            raise LoadDataError("No carrier with a SPID to port from: check carriers data.")
        # A few big carriers get most orders (skewed like real traffic).
        self.losing_carriers = [c.pk for c in losing]
        self.losing_weights = _cum([1.0 / (i + 1) ** 0.8 for i in range(len(losing))])
        self.resporgs = [c.pk for c in resporgs]
        self.requesters = [c.pk for c in requesters]
        self.requester_weights = _cum([1.0 / (i + 1) ** 0.8 for i in range(len(requesters))])
        self.agents = [c.pk for c in agents]

        reasons = {r.code: r for r in RejectionReason.objects.all()}
        self.in_reasons = [
            r.pk for r in reasons.values() if r.applies_to in ("in", "both") and r.code != "OTHER"
        ] or [r.pk for r in reasons.values()]
        self.out_reasons = [
            r.pk for r in reasons.values() if r.applies_to in ("out", "both") and r.code != "OTHER"
        ] or [r.pk for r in reasons.values()]
        self.csr_reject_reasons = [
            reasons[c].pk for c in ("R2", "R3", "R4", "R5") if c in reasons
        ] or self.out_reasons
        if not self.in_reasons:
            raise LoadDataError("The rejection-reason catalogue is empty: run migrate first.")

        # TN blocks (NPA-NXX, 10,000 lines each) in a shuffled order; blocks that already hold
        # inventory (demo data) are skipped so the unique TN constraint is never hit.
        taken = set()
        if TelephoneNumber.objects.exists():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT DISTINCT SUBSTR(tn, 1, 6) FROM {TelephoneNumber._meta.db_table}"
                )
                taken = {row[0] for row in cursor.fetchall()}
        geo = [n + f"{x}" for n in NPAS for x in range(200, 1000) if x != 555]
        geo = [b for b in geo if b not in taken]
        self.rng.shuffle(geo)
        tf = [n + f"{x}" for n in TOLL_FREE_NPAS for x in range(200, 1000)]
        tf = [b for b in tf if b not in taken]
        self.rng.shuffle(tf)
        self.geo_blocks, self.tf_blocks = geo, tf
        self.geo_next = 0
        self.tf_next = 0

        # Ids continue after what each table already holds.
        self.next_id = {}
        for model in self._id_models():
            self.next_id[model] = (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        self.stats.seconds["reference"] = time.perf_counter() - t0

    @staticmethod
    def _id_models():
        return [
            CustomerAccount,
            TelephoneNumber,
            PortOrder,
            OrderNumber,
            StatusChange,
            Comment,
            StatusCheck,
            Rejection,
            Rejection.reasons.through,
            Supplement,
            NpacCancelRecord,
            CsrRequest,
            CsrRequest.reject_reasons.through,
            AuthorizationDispute,
        ]

    # --- helpers ----------------------------------------------------------------------
    def take_tns(self, n: int, *, toll_free=False) -> list[str]:
        """n consecutive-ish TNs (a project port is a DID range), never reused."""
        out = []
        while len(out) < n:
            if toll_free:
                block, pos = divmod(self.tf_next, 10_000)
                if block >= len(self.tf_blocks):
                    raise LoadDataError("Out of toll-free number blocks.")
                take = min(n - len(out), 10_000 - pos)
                prefix = self.tf_blocks[block]
                self.tf_next += take
            else:
                block, pos = divmod(self.geo_next, 10_000)
                if block >= len(self.geo_blocks):
                    raise LoadDataError("Out of number blocks.")
                take = min(n - len(out), 10_000 - pos)
                prefix = self.geo_blocks[block]
                self.geo_next += take
            out.extend(f"{prefix}{line:04d}" for line in range(pos, pos + take))
        return out

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
        tables = self.new_tables()
        with transaction.atomic():
            self.sink.finish(tables.values())
        if connection.vendor == "postgresql":
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                for model in [*self._id_models(), SPID, Carrier]:
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
            tables = self.new_tables()
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

    def new_tables(self) -> dict[str, Table]:
        return {
            "accounts": Table(
                CustomerAccount,
                [
                    "id", "account_number", "btn", "name", "authorized_person",
                    "service_address", "city", "state", "zip_code", "pin_hash",
                    "uses_unbundled_elements",
                ],
            ),
            "numbers": Table(
                TelephoneNumber,
                [
                    "id", "tn", "spid_id", "lrn", "is_toll_free", "account_id", "status",
                    "line_type", "features", "has_centrex", "has_isdn", "has_ain",
                    "has_remote_call_forwarding", "multiple_services_on_loop", "updated_at",
                ],
            ),
            "orders": Table(PortOrder, [*ORDER_FIELDS, *ORDER_JSON_FIELDS]),
            "order_numbers": Table(
                OrderNumber, ["id", "order_id", "tn", "disposition", "npac_status", "activated_at"]
            ),
            "history": Table(
                StatusChange,
                [
                    "id", "order_id", "from_status", "to_status", "actor_id", "actor_label",
                    "reason", "created_at",
                ],
            ),
            "comments": Table(
                Comment,
                ["id", "order_id", "author_id", "source", "visibility", "body", "created_at"],
            ),
            "status_checks": Table(
                StatusCheck,
                ["id", "order_id", "checked_by_id", "checked_at", "outcome", "comment_id"],
            ),
            "rejections": Table(
                Rejection,
                [
                    "id", "order_id", "direction", "text", "source", "raised_by_id",
                    "assignee_id", "raised_at", "returned_to_customer_at", "resolved_at",
                ],
            ),
            "rejection_reasons": Table(
                None, ["id", "rejection_id", "rejectionreason_id"], through=(Rejection, "reasons")
            ),
            "supplements": Table(
                Supplement,
                [
                    "id", "order_id", "sup_type", "received_at", "effective_received_on",
                    "requested_due_date", "previous_foc_date", "new_foc_date", "explanation",
                    "remarks", "created_by_id",
                ],
            ),
            "npac_cancels": Table(
                NpacCancelRecord,
                ["id", "order_id", "tn", "reason", "created_at", "sent_at", "confirmed_at"],
            ),
            "csr_requests": Table(
                CsrRequest,
                [
                    "id", "requesting_carrier_id", "tns", "authorization_indicator",
                    "received_at", "due_at", "status", "is_overdue", "answered_at",
                    "answered_by_id", "answer", "assignee_id", "created_by_id", "created_at",
                ],
            ),
            "csr_reject_reasons": Table(
                None,
                ["id", "csrrequest_id", "rejectionreason_id"],
                through=(CsrRequest, "reject_reasons"),
            ),
            "disputes": Table(
                AuthorizationDispute,
                [
                    "id", "order_id", "csr_request_id", "description", "opened_by_id",
                    "opened_at", "evidence_requested_at", "evidence_received_at",
                    "evidence_notes", "resolution", "resolved_at",
                ],
            ),
        }  # fmt: skip

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

    def _customer(self):
        rng = self.rng
        city, state, zip3 = rng.choice(CITIES)
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(SUFFIXES)}"
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        address = f"{rng.randint(10, 9999)} {rng.choice(STREETS)}"
        if rng.random() < 0.3:
            address += f" Suite {rng.randint(1, 900)}"
        return name, person, address, city, state, f"{zip3}{rng.randint(0, 99):02d}"

    def _times(self, n_events: int, open_: bool, last_age, *, last_gap: float | None = None):
        """Ages (days before now) of n events, oldest first, consistent with the status."""
        rng = self.rng
        gaps = [rng.uniform(0.05, 3.0) for _ in range(n_events - 1)]
        if last_gap is not None and gaps:
            gaps[-1] = last_gap
        total = sum(gaps)
        if open_:
            end_age = rng.uniform(*last_age)
            created_age = end_age + total
        else:
            created_age = rng.uniform(max(3.0, total + 1.0), HISTORY_DAYS)
        ages = [created_age]
        for g in gaps:
            ages.append(ages[-1] - g)
        return ages

    def _history(self, t, order_id, path, ages, *, actor, labels=None):
        rows = t["history"].rows
        new_id = self.new_id
        prev = ""
        for k, (status, age) in enumerate(zip(path, ages, strict=True)):
            label = (labels or {}).get(k, "")
            rows.append(
                (
                    new_id(StatusChange),
                    order_id,
                    prev,
                    status,
                    None if label else actor,
                    label,
                    HISTORY_REASONS.get((prev, status), ""),
                    self.ts(age),
                )
            )
            prev = status

    def _comments(self, t, order_id, first_age, last_age, *, k_max=3):
        rng = self.rng
        rows = t["comments"].rows
        k = rng.choice((0, 0, 1, 1, 1, 2, 2, 3)) if k_max else 0
        for _ in range(min(k, k_max)):
            age = rng.uniform(last_age, first_age)
            rows.append(
                (
                    self.new_id(Comment),
                    order_id,
                    rng.choice(self.staff_ids),
                    "staff",
                    "customer" if rng.random() < 0.15 else "internal",
                    rng.choice(STAFF_COMMENTS),
                    self.ts(age),
                )
            )

    def _system_comment(self, t, order_id, body, age):
        t["comments"].rows.append(
            (self.new_id(Comment), order_id, None, "system", "internal", body, self.ts(age))
        )

    def _account(self, t, customer, btn):
        rng = self.rng
        account_id = self.new_id(CustomerAccount)
        name, person, address, city, state, zip_code = customer
        t["accounts"].rows.append(
            (
                account_id,
                f"{ACCOUNT_PREFIX}{account_id:010d}",
                btn,
                name,
                person,
                address,
                city,
                state,
                zip_code,
                "",
                rng.random() < 0.05,
            )
        )
        return account_id

    def _inventory(self, t, tns, spid_id, account_id, *, toll_free=False, status="working"):
        rng = self.rng
        rows = t["numbers"].rows
        new_id = self.new_id
        now = self.now
        line_type = "toll_free" if toll_free else rng.choice(LINE_TYPES)
        centrex = line_type == "centrex"
        isdn = line_type == "isdn_bri"
        features = rng.choice(FEATURES)
        for tn in tns:
            rows.append(
                (
                    new_id(TelephoneNumber),
                    tn,
                    spid_id,
                    "",
                    toll_free,
                    account_id,
                    status,
                    line_type,
                    features,
                    centrex,
                    isdn,
                    False,
                    False,
                    False,
                    now,
                )
            )

    # --- port-in --------------------------------------------------------------------------
    def port_in(self, t, i, status):
        rng = self.rng
        order_id = self.new_id(PortOrder)
        toll_free = rng.random() < 0.03
        if toll_free:
            carrier_id = rng.choice(self.resporgs)
        else:
            carrier_id = self.losing_carriers[_pick_index(rng, self.losing_weights)]
        carrier, spids = self.carriers[carrier_id]
        losing_spid = rng.choice(spids)
        n_tns = self.tn_count_for(i)
        tns = self.take_tns(n_tns, toll_free=toll_free)
        path = _port_in_path(rng, status)
        open_ = status in OPEN_PORT_IN
        auto_cancelled = status == "cancelled" and path[-2] == "rejected"
        # F4: an auto-cancel comes 45 days after the customer was notified.
        ages = self._times(
            len(path),
            open_,
            OPEN_AGE_PORT_IN.get(status),
            last_gap=settings.PORTING["REJECTED_AUTO_CANCEL_DAYS"] if auto_cancelled else None,
        )
        created = self.ts(ages[0])
        last = self.ts(ages[-1])
        customer = self._customer()
        actor = rng.choice(self.staff_ids)
        assignee = actor if rng.random() < 0.85 else None

        # Clocks and dates.
        submitted_at = None
        if "submitted" in path:
            submitted_at = self.ts(ages[path.index("submitted")])
        rdd_base = self.local_date(submitted_at or created)
        requested_due = rdd_base + datetime.timedelta(days=rng.randint(5, 21))
        foc_date = None
        if "accepted" in path:
            acc_age = ages[len(path) - 1 - path[::-1].index("accepted")]
            foc_date = max(requested_due, self.local_date(self.ts(acc_age)))
            if status == "accepted" and foc_date < self.today:
                foc_date = self.today + datetime.timedelta(days=rng.randint(0, 8))
        completed_at = last if status == "completed" else None
        customer_notified_at = None
        auto_cancel_on = None
        next_check = None
        last_check_at = None
        csr_status = "not_required"
        if not toll_free and carrier.supports_csr:
            csr_status = rng.choices(("matched", "overridden", "mismatched"), weights=(80, 12, 8))[
                0
            ]
            if status == "draft":
                csr_status = rng.choices(("pending", "mismatched", "matched"), (50, 30, 20))[0]
        if status == "rejected":
            customer_notified_at = last
            auto_cancel_on = self.local_date(last) + datetime.timedelta(
                days=settings.PORTING["REJECTED_AUTO_CANCEL_DAYS"]
            )
        labels = {len(path) - 1: F4_JOB_LABEL} if auto_cancelled else None
        # Status checks while submitted (F5): one per ~3 business days waited.
        checks = []
        for k, st in enumerate(path):
            if st != "submitted":
                continue
            start_age = ages[k]
            end_age = ages[k + 1] if k + 1 < len(path) else 0.05
            waited = start_age - end_age
            for c in range(min(3, int(waited / 4.2))):
                checks.append(start_age - (c + 1) * 4.2)
        if status == "submitted":
            last_check_at = self.ts(checks[-1]) if checks else None
            base = self.local_date(last_check_at or submitted_at)
            if n_tns >= settings.PORTING["PROJECT_PORT_TNS"]:
                next_check = base + datetime.timedelta(
                    days=settings.PORTING["PROJECT_STATUS_CHECK_DAYS"]
                )
            else:
                next_check = _add_business_days(
                    base, settings.PORTING["STATUS_CHECK_BUSINESS_DAYS"]
                )
                before_due = _previous_business_day(requested_due)
                next_check = min(next_check, before_due)
            # The daily job runs: a check that fell due is due today at the earliest.
            if next_check < self.today and rng.random() < 0.8:
                next_check = self.today + datetime.timedelta(days=rng.randint(0, 3))

        route = carrier.port_in_route
        route_via = carrier.porting_peer_id if route == "local_peer" else None
        if toll_free:
            route = "somos"
        pon = f"{PON_PREFIX}{i:08d}{_letters(rng, 3)}"
        if len(self.stats.pons_sample) < 50:
            self.stats.pons_sample.append(pon)
        name, person, address, city, state, zip_code = customer
        t["orders"].rows.append(
            (
                order_id, "in", status, pon, 1, None, "C", "V", "",
                requested_due, foc_date, "", completed_at,
                False, "", n_tns == 1 and rng.random() < 0.4, None, None, "",
                n_tns, n_tns >= PROJECT_MIN,
                carrier_id, losing_spid, self.our_carrier.pk, self.our_spids[0],
                route, route_via, csr_status,
                name, f"{rng.randint(10**7, 10**10 - 1)}", tns[0], person, address,
                city, state, zip_code, "", None, True,
                f"it@{_slug(name)}.example", "",
                assignee, actor,
                None, None, submitted_at, last_check_at, next_check,
                customer_notified_at, auto_cancel_on, None, 0, "",
                last, created, last,
                *({} for _ in ORDER_JSON_FIELDS),
            )
        )  # fmt: skip
        # Numbers: before completion they are the losing carrier's; after, ours on an account.
        if status == "completed":
            account_id = self._account(t, customer, tns[0])
            self._inventory(t, tns, rng.choice(self.our_spids), account_id, toll_free=toll_free)
            npac, activated = "active", completed_at
        else:
            self._inventory(t, tns, losing_spid, None, toll_free=toll_free)
            npac, activated = NPAC_PORT_IN.get(status, ""), None
            if status == "cancelled" and "accepted" in path:
                npac = "cancelled"
        rows = t["order_numbers"].rows
        new_id = self.new_id
        for tn in tns:
            rows.append((new_id(OrderNumber), order_id, tn, "port", npac, activated))
        self._history(t, order_id, path, ages, actor=actor, labels=labels)
        self._comments(t, order_id, ages[0], ages[-1])
        # Emails the port-in desk sends are recorded as system comments.
        for k, st in enumerate(path):
            body = PORT_IN_EMAILS.get(st)
            if body and k:
                self._system_comment(t, order_id, body, max(ages[k] - 0.001, 0.0))
        for age in checks:
            comment_id = self.new_id(Comment)
            outcome = rng.choice(CHECK_OUTCOMES)
            checker = rng.choice(self.staff_ids)
            t["comments"].rows.append(
                (
                    comment_id, order_id, checker, "staff", "internal",
                    f"Status check: {outcome}", self.ts(age),
                )
            )  # fmt: skip
            t["status_checks"].rows.append(
                (self.new_id(StatusCheck), order_id, checker, self.ts(age), outcome, comment_id)
            )
        # Rejections: each trip through exception is one losing-carrier reject.
        for k, st in enumerate(path):
            if st != "exception":
                continue
            raised = ages[k]
            returned = ages[k + 1] if k + 1 < len(path) and path[k + 1] == "rejected" else None
            resolved = None
            for j in range(k + 1, len(path)):
                if path[j] in ("submitted", "cancelled", "completed"):
                    resolved = ages[j]
                    break
            self._rejection(
                t,
                order_id,
                "losing_carrier",
                raised,
                returned,
                resolved,
                self.in_reasons,
                direction=Direction.PORT_IN,
                assignee=assignee if resolved is None else None,
            )
        # A SUP 2 asked the losing carrier for a new FOC (accepted -> submitted).
        for k in range(1, len(path)):
            if path[k - 1] == "accepted" and path[k] == "submitted":
                self._supplement(t, order_id, 2, ages[k], requested_due, foc_date, actor)

    # --- port-out -------------------------------------------------------------------------
    def port_out(self, t, i, status, *, v2_status=None):
        rng = self.rng
        requester_id = self.requesters[_pick_index(rng, self.requester_weights)]
        _requester, req_spids = self.carriers[requester_id]
        n_tns = self.tn_count_for(i)
        tns = self.take_tns(n_tns)
        customer = self._customer()
        partial = n_tns < PROJECT_MIN and rng.random() < 0.1
        remain = self.take_tns(rng.randint(1, 2)) if partial else []
        disconnect = self.take_tns(1) if partial and rng.random() < 0.3 else []
        account_id = self._account(t, customer, (remain or tns)[0])
        final = v2_status or status
        our_spid = rng.choice(self.our_spids)
        if final == "completed":
            # Ported away: NPAC now shows the requester's SPID and the account no longer has it.
            self._inventory(t, tns, rng.choice(req_spids), None)
        else:
            bad = "disconnected" if status == "rejected" and rng.random() < 0.1 else "working"
            self._inventory(t, tns, our_spid, account_id, status=bad)
        if remain:
            self._inventory(t, remain, our_spid, account_id)
        if disconnect:
            self._inventory(t, disconnect, our_spid, account_id, status="disconnected")
        pon = f"{PON_PREFIX}{i:08d}{_letters(rng, 3)}"
        if len(self.stats.pons_sample) < 50:
            self.stats.pons_sample.append(pon)
        path, how = _port_out_path(rng, status)
        ages = self._times(len(path), status in OPEN_PORT_OUT, OPEN_AGE_PORT_OUT.get(status))
        if v2_status:
            # Version 2 of the same PON arrives after version 1 was rejected.
            path2, how2 = _port_out_path(rng, v2_status)
            ages2 = self._times(
                len(path2), v2_status in OPEN_PORT_OUT, OPEN_AGE_PORT_OUT.get(v2_status)
            )
            rejected_age = min(ages2[0] + rng.uniform(0.1, 3.0), HISTORY_DAYS - 1)
            ages = [rejected_age + rng.uniform(0.05, 2.0), rejected_age]
        common = (requester_id, req_spids, tns, remain, disconnect, customer, n_tns, our_spid)
        first_id = self._port_out_order(t, status, pon, 1, None, path, how, ages, *common)
        if v2_status:
            self._port_out_order(t, v2_status, pon, 2, first_id, path2, how2, ages2, *common)
        # A CSR request often came first (R1): answered, sometimes rejected.
        if rng.random() < 0.25:
            self._csr_request(t, requester_id, tns, ages[0] + rng.uniform(0.5, 5), open_=False)

    def _port_out_order(
        self, t, status, pon, version, supersedes, path, how, ages, requester_id, req_spids,
        tns, remain, disconnect, customer, n_tns, our_spid,
    ):  # fmt: skip
        rng = self.rng
        order_id = self.new_id(PortOrder)
        open_ = status in OPEN_PORT_OUT
        created = self.ts(ages[0])
        last = self.ts(ages[-1])
        received_at = created
        effective_on = self.local_date(received_at)
        if received_at.astimezone(self.tz).hour >= 15 or effective_on.weekday() >= 5:
            effective_on = _add_business_days(effective_on, 1)
        requested_due = effective_on + datetime.timedelta(days=rng.randint(3, 25))
        reqtype = rng.choices(("C", "CB", "BB", "CB"), weights=(55, 25, 15, 5))[0]
        act = rng.choice(("V", "Z")) if reqtype == "BB" else "V"
        simple = n_tns == 1 and rng.random() < 0.5
        interval = 1 if simple else (10 if n_tns >= PROJECT_MIN else 4)
        earliest = _add_business_days(effective_on, interval)
        foc_date = None
        port_window_ends_on = None
        expedite = "expedite_review" in path or (status == "received" and rng.random() < 0.03)
        expedite_decision = ""
        if "expedite_review" in path:
            expedite_decision = "pending" if status == "expedite_review" else "accepted"
        if "foc_sent" in path:
            foc_date = max(requested_due, earliest)
            if status == "foc_sent":
                foc_sent_date = self.local_date(self.ts(ages[path.index("foc_sent")]))
                foc_date = max(foc_date, foc_sent_date)
                # Still inside the port window: R11 has not fired yet.
                port_window_ends_on = _add_business_days(foc_date, 4)
                if port_window_ends_on < self.today:
                    foc_date = self.today - datetime.timedelta(days=rng.randint(0, 3))
                    port_window_ends_on = _add_business_days(foc_date, 4)
        completed_at = last if status == "completed" else None
        # SUPs (R10, R12).
        sup2 = 0
        if "foc_sent" in path:
            sup2 = rng.choices((0, 1, 2, 3), weights=(85, 10, 3, 2))[0]
        sup_flag = ""
        if sup2 >= 3:
            sup_flag = "pending" if status == "foc_sent" else "accepted"
        mi = "A" if remain else ""
        assignee = rng.choice(self.staff_ids) if rng.random() < 0.8 else None
        actor = assignee or rng.choice(self.staff_ids)
        name, person, address, city, state, zip_code = customer
        labels = None
        if how == "r11":
            labels = {len(path) - 1: R11_JOB_LABEL}
        t["orders"].rows.append(
            (
                order_id, "out", status, pon, version, supersedes, reqtype, act, mi,
                requested_due, foc_date, "", completed_at,
                expedite, expedite_decision, simple, None, None, "",
                n_tns, n_tns >= PROJECT_MIN,
                self.our_carrier.pk, our_spid, requester_id, rng.choice(req_spids),
                "direct", None, "not_required",
                name, f"{ACCOUNT_PREFIX}{rng.randint(10**6, 10**7 - 1)}", (remain or tns)[0],
                person, address, city, state, zip_code, "",
                rng.random() < 0.7, status != "rejected" or rng.random() < 0.7,
                "", "PARTIAL PORT" if remain else "",
                assignee, actor,
                received_at, effective_on, None, None, None, None, None,
                port_window_ends_on, sup2, sup_flag,
                last, created, last,
                *self._lsr_json(
                    status=status, pon=pon, version=version, reqtype=reqtype, act=act, mi=mi,
                    requested_due=requested_due, expedite=expedite, tns=tns,
                    disconnect=disconnect, remain=remain, customer=customer,
                    received_at=received_at, effective_on=effective_on, earliest=earliest,
                    interval=interval, foc_date=foc_date, simple=simple,
                ),
            )
        )  # fmt: skip
        # Numbers on the order and their NPAC state.
        npac, activated = "", None
        if status == "completed":
            npac, activated = "active", completed_at
        elif status == "foc_sent":
            npac = rng.choice(("pending", "pending", "sending", ""))
        elif status == "cancelled" and how == "r11":
            npac = "cancel_pending"
        elif status == "cancelled" and "foc_sent" in path:
            npac = "cancelled"
        rows = t["order_numbers"].rows
        new_id = self.new_id
        for tn in tns:
            rows.append((new_id(OrderNumber), order_id, tn, "port", npac, activated))
        for tn in remain:
            rows.append((new_id(OrderNumber), order_id, tn, "remain", "", None))
        for tn in disconnect:
            rows.append((new_id(OrderNumber), order_id, tn, "disconnect", "", None))
        self._history(t, order_id, path, ages, actor=actor, labels=labels)
        self._comments(t, order_id, ages[0], ages[-1])
        if status == "rejected":
            resolved = ages[-1] - 0.01 if ages[-1] > 45 else None
            self._rejection(
                t, order_id, "validation", ages[-1], None, resolved, self.out_reasons,
                direction=Direction.PORT_OUT, assignee=assignee if resolved is None else None,
                k_max=3,
            )  # fmt: skip
        if "foc_sent" in path:
            foc_age = ages[path.index("foc_sent")]
            end_age = ages[path.index("foc_sent") + 1] if status != "foc_sent" else 0.05
            previous = foc_date
            for s in range(sup2):
                age = foc_age - (foc_age - end_age) * (s + 1) / (sup2 + 1)
                new_foc = (previous or requested_due) + datetime.timedelta(days=rng.randint(1, 7))
                self._supplement(t, order_id, 2, age, new_foc, previous, actor)
                previous = new_foc
            if rng.random() < 0.02:
                self._supplement(t, order_id, 3, (foc_age + end_age) / 2, None, None, actor)
        if status == "cancelled" and how == "sup1":
            self._supplement(t, order_id, 1, ages[-1], None, foc_date, actor)
        if how == "r11":
            age = ages[-1]
            sent = age - 0.05 if age > 2 else None
            confirmed = age - 1.0 if age > 3 else None
            for tn in tns:
                t["npac_cancels"].rows.append(
                    (
                        self.new_id(NpacCancelRecord), order_id, tn,
                        "R11: port window after the FOC passed without activation",
                        self.ts(age),
                        self.ts(sent) if sent is not None else None,
                        self.ts(confirmed) if confirmed is not None else None,
                    )
                )  # fmt: skip
        if rng.random() < 0.002:
            opened = rng.uniform(ages[-1], ages[0])
            resolved = None if open_ else ages[-1]
            t["disputes"].rows.append(
                (
                    self.new_id(AuthorizationDispute), order_id, None,
                    "End user says they did not authorize this port.",
                    rng.choice(self.manager_ids), self.ts(opened), self.ts(opened),
                    None, "", "" if resolved is None else "upheld",
                    self.ts(resolved) if resolved is not None else None,
                )
            )  # fmt: skip
        return order_id

    def _lsr_json(
        self, *, status, pon, version, reqtype, act, mi, requested_due, expedite, tns,
        disconnect, remain, customer, received_at, effective_on, earliest, interval, foc_date,
        simple,
    ):  # fmt: skip
        """The LSR as received and the rules' evaluation, as the port-out service stores them
        (orders.services.portout: LsrData.as_dict() and _evaluation_json())."""
        if not ORDER_JSON_FIELDS:
            return ()
        rng = self.rng
        name, person, address, city, state, zip_code = customer
        snapshot = {
            "pon": pon, "version": version, "reqtype": reqtype, "act": act, "mi": mi,
            "requested_due_date": requested_due.isoformat(), "expedite": expedite,
            "tns": list(tns), "disconnect_tns": list(disconnect),
            "remarks": "PARTIAL PORT" if remain else "", "account_number": "",
            "btn": (remain or tns)[0], "account_name": name, "authorized_person": person,
            "service_address": address, "city": city, "state": state, "zip_code": zip_code,
            "authorization_indicator": True, "received_at": received_at.isoformat(),
        }  # fmt: skip
        kind = "simple" if simple else ("port_only" if reqtype in ("C", "CB") else "other")
        findings = [
            {"rule": "R17", "field_or_tn": "simple port", "code": "",
             "message": "Simple port: the simple-port interval applies." if simple else
             "Not a simple port: more than one line on the account."},
        ]  # fmt: skip
        if status == "rejected":
            for code in rng.sample(
                ("R2", "R4", "R9", "R13", "R14", "R15", "R16"), rng.randint(1, 3)
            ):
                findings.append(
                    {"rule": code, "field_or_tn": tns[0] if code in ("R2", "R15") else "LSR",
                     "code": code, "message": f"{code}: see the rejection-reason catalogue."}
                )  # fmt: skip
        foc = None
        if foc_date is not None or status in ("received", "expedite_review"):
            target = foc_date or max(earliest, requested_due)
            foc = {
                "date": target.isoformat(),
                "explanation": (
                    f"received {received_at.astimezone(self.tz):%a %H:%M} -> "
                    f"{effective_on:%a %m/%d}; {kind.replace('_', ' ')} {interval} business "
                    f"days -> {earliest:%a %m/%d}; requested {requested_due:%a %m/%d} -> "
                    f"FOC {target:%a %m/%d}"
                ),
                "needs_expedite_review": status == "expedite_review",
                "effective_receipt": effective_on.isoformat(),
                "interval_date": earliest.isoformat(),
                "expedite_date": None,
            }
        evaluation = {
            "evaluated_at": received_at.isoformat(),
            "findings": findings,
            "reject_codes": [f["code"] for f in findings if f["code"]],
            "foc": foc,
            "kind": kind,
            "simple_port": simple,
            "simple_port_reasons": [] if simple else ["more than one line on the account"],
            "dispositions": {
                "port": len(tns),
                "disconnect": len(disconnect),
                "remain": len(remain),
            },
        }
        values = {"lsr_snapshot": snapshot, "rule_evaluation": evaluation}
        return tuple(values[name] for name in ORDER_JSON_FIELDS)

    def _rejection(
        self,
        t,
        order_id,
        source,
        raised,
        returned,
        resolved,
        reasons,
        *,
        direction,
        assignee,
        k_max=2,
    ):
        rng = self.rng
        rejection_id = self.new_id(Rejection)
        t["rejections"].rows.append(
            (
                rejection_id,
                order_id,
                direction,
                "",
                source,
                rng.choice(self.staff_ids),
                assignee,
                self.ts(raised),
                self.ts(returned) if returned is not None else None,
                self.ts(resolved) if resolved is not None else None,
            )
        )
        through = t["rejection_reasons"].rows
        for reason_id in rng.sample(reasons, k=min(len(reasons), rng.randint(1, k_max))):
            through.append((self.new_id(Rejection.reasons.through), rejection_id, reason_id))

    def _supplement(self, t, order_id, sup_type, age, new_date, previous_foc, actor):
        received = self.ts(age)
        t["supplements"].rows.append(
            (
                self.new_id(Supplement),
                order_id,
                sup_type,
                received,
                self.local_date(received),
                new_date if sup_type == 2 else None,
                previous_foc,
                new_date if sup_type == 2 else None,
                {1: "Customer cancelled", 2: "New due date", 3: "Changed remarks"}[sup_type],
                "",
                actor,
            )
        )

    def _csr_request(self, t, requester_id, tns, age, *, open_):
        rng = self.rng
        request_id = self.new_id(CsrRequest)
        received = self.ts(age)
        due = received + datetime.timedelta(hours=24)
        staff = rng.choice(self.staff_ids)
        if open_:
            status, answered_at, answered_by, answer = "open", None, None, {}
            overdue = due < self.now - datetime.timedelta(hours=1)
        else:
            rejected = rng.random() < 0.08
            status = "rejected" if rejected else "answered"
            answered_at = received + datetime.timedelta(hours=rng.uniform(1, 26))
            answered_by = staff
            overdue = answered_at > due
            answer = (
                {"reject": True, "findings": ["R4"]}
                if rejected
                else {"account_name": "(on file)", "tns": len(tns)}
            )
        t["csr_requests"].rows.append(
            (
                request_id,
                requester_id,
                list(tns[:50]),
                True,
                received,
                due,
                status,
                overdue,
                answered_at,
                answered_by,
                answer,
                staff if open_ and rng.random() < 0.5 else None,
                staff,
                received,
            )
        )
        if status == "rejected":
            t["csr_reject_reasons"].rows.append(
                (
                    self.new_id(CsrRequest.reject_reasons.through),
                    request_id,
                    rng.choice(self.csr_reject_reasons),
                )
            )

    def open_csr_requests(self, t, n_orders_in_chunk):
        """Open CSR requests received over the last ~30 hours (R1 clock): 0.1% of orders."""
        rng = self.rng
        k = max(2, n_orders_in_chunk // 1000)
        pool = self.requesters + self.agents
        for _ in range(k):
            tns = self.take_tns(rng.randint(1, 4))
            account_id = self._account(t, self._customer(), tns[0])
            self._inventory(t, tns, rng.choice(self.our_spids), account_id)
            self._csr_request(t, rng.choice(pool), tns, rng.uniform(0.02, 1.3), open_=True)


# --- pure helpers -------------------------------------------------------------------------

ORDER_FIELDS = (
    "id", "direction", "status", "pon", "version", "supersedes_id", "reqtype", "act", "mi",
    "requested_due_date", "foc_date", "foc_explanation", "completed_at",
    "expedite", "expedite_decision", "simple_port", "simple_port_override",
    "simple_port_override_by_id", "simple_port_override_reason",
    "tn_count", "is_project_port",
    "losing_carrier_id", "losing_spid_id", "new_carrier_id", "new_spid_id",
    "route", "route_via_id", "csr_status",
    "account_name", "account_number", "btn", "authorized_person", "service_address",
    "city", "state", "zip_code", "pin_encrypted", "pin_matched", "authorization_indicator",
    "notification_email", "remarks",
    "assignee_id", "created_by_id",
    "received_at", "effective_received_on", "submitted_at", "last_status_check_at",
    "next_status_check_on", "customer_notified_at", "auto_cancel_on",
    "port_window_ends_on", "due_date_sup_count", "sup_flag",
    "last_activity_at", "created_at", "updated_at",
)  # fmt: skip
LINE_TYPES = ["pots"] * 6 + ["voip"] * 3 + ["centrex", "isdn_bri", "pri", "wireless"]
FEATURES = ["", "", "Caller ID", "Caller ID, Voicemail", "Hunt group", "Call forwarding"]
# Age (days before now) of the last status move for an order still open in that status.
OPEN_AGE_PORT_IN = {
    "draft": (0.05, 10),
    "submitted": (0.05, 12),
    "accepted": (0.05, 10),
    "exception": (0.05, 5),
    "rejected": (0.05, 44),
    "review": (0.05, 4),
}
OPEN_AGE_PORT_OUT = {"received": (0.02, 1.5), "expedite_review": (0.02, 1.0), "foc_sent": (0.5, 8)}
NPAC_PORT_IN = {"accepted": "pending"}
PORT_IN_EMAILS = {
    "rejected": "Email sent to the customer: rejection with reasons and instructions.",
    "accepted": "Email sent to the customer: FOC confirmation.",
    "completed": "Email sent to the customer: port completed.",
    "cancelled": "Email sent to the customer: order cancelled.",
}
HISTORY_REASONS = {
    ("draft", "submitted"): "LSR sent to the losing carrier.",
    ("submitted", "accepted"): "FOC received.",
    ("submitted", "exception"): "Losing carrier returned a reject.",
    ("exception", "submitted"): "Fixed and resent.",
    ("exception", "rejected"): "Returned to the customer.",
    ("rejected", "review"): "Customer resubmitted changes.",
    ("review", "submitted"): "Resent to the losing carrier.",
    ("accepted", "completed"): "All TNs activated.",
    ("accepted", "submitted"): "SUP 2: new due date requested.",
    ("rejected", "cancelled"): "No activity for 45 days after the customer was notified (F4).",
    ("received", "foc_sent"): "FOC returned.",
    ("received", "expedite_review"): "Expedite requested.",
    ("expedite_review", "foc_sent"): "Expedite accepted.",
    ("received", "rejected"): "LSR rejected.",
    ("foc_sent", "completed"): "NPAC activation of every TN.",
    ("foc_sent", "cancelled"): "Cancelled.",
    ("received", "cancelled"): "SUP 1 received.",
}


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


def _cum(weights):
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(rng, values, cum):
    x = rng.random() * cum[-1]
    for value, c in zip(values, cum, strict=True):
        if x < c:
            return value
    return values[-1]


def _pick_index(rng, cum):
    x = rng.random() * cum[-1]
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if x < cum[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _letters(rng, k):
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(k))


def _slug(name):
    return "".join(ch for ch in name.lower() if ch.isalnum())[:20] or "customer"


@lru_cache(maxsize=4096)
def _add_business_days(day: datetime.date, n: int) -> datetime.date:
    """Weekdays only (the load data does not need holidays to be plausible)."""
    while n > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


@lru_cache(maxsize=4096)
def _previous_business_day(day: datetime.date) -> datetime.date:
    day -= datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def _port_in_path(rng, status):
    r = rng.random()
    base = ["draft", "submitted"]
    if status == "draft":
        return ["draft"]
    if status == "submitted":
        if r < 0.8:
            return base
        if r < 0.95:
            return base + ["exception", "submitted"]
        return base + ["accepted", "submitted"]
    if status == "accepted":
        return base + ["accepted"] if r < 0.9 else base + ["exception", "submitted", "accepted"]
    if status == "exception":
        return base + ["exception"]
    if status == "rejected":
        return base + ["exception", "rejected"]
    if status == "review":
        return base + ["exception", "rejected", "review"]
    if status == "completed":
        if r < 0.85:
            return base + ["accepted", "completed"]
        if r < 0.95:
            return base + ["exception", "submitted", "accepted", "completed"]
        return base + ["exception", "rejected", "review", "submitted", "accepted", "completed"]
    # cancelled
    if r < 0.25:
        return ["draft", "cancelled"]
    if r < 0.45:
        return base + ["cancelled"]
    if r < 0.60:
        return base + ["accepted", "cancelled"]
    return base + ["exception", "rejected", "cancelled"]


def _port_out_path(rng, status):
    """The statuses a port-out order passed through, and how a cancel came about."""
    r = rng.random()
    if status == "received":
        return ["received"], ""
    if status == "expedite_review":
        return ["received", "expedite_review"], ""
    if status == "foc_sent":
        return (["received", "foc_sent"] if r < 0.95 else
                ["received", "expedite_review", "foc_sent"]), ""  # fmt: skip
    if status == "rejected":
        return ["received", "rejected"], ""
    if status == "completed":
        return (["received", "foc_sent", "completed"] if r < 0.97 else
                ["received", "expedite_review", "foc_sent", "completed"]), ""  # fmt: skip
    if r < 0.5:
        return ["received", "foc_sent", "cancelled"], "sup1"
    if r < 0.85:
        return ["received", "foc_sent", "cancelled"], "r11"
    return ["received", "cancelled"], "sup1"


# --- entry points ---------------------------------------------------------------------------


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


def reset(*, log: Callable[[str], None] | None = None) -> dict[str, int]:
    """Delete the generated load data (orders with an LD PON and everything hanging off them,
    LD accounts and their numbers, CSR requests created by load users). Carriers stay.

    Set-based DELETEs in dependency order; for a million orders dropping the database
    (`dropdb porting_bench`) is faster.
    """
    log = log or (lambda msg: None)
    qn = connection.ops.quote_name
    order_t = qn(PortOrder._meta.db_table)
    orders_sel = f"SELECT id FROM {order_t} WHERE pon LIKE %s"
    User = get_user_model()
    user_ids = list(
        User.objects.filter(username__startswith=USER_PREFIX).values_list("pk", flat=True)
    )
    deleted = {}
    like = [PON_PREFIX + "%"]
    steps = [
        (Rejection.reasons.through, "rejection_id", f"SELECT id FROM {qn(Rejection._meta.db_table)} WHERE order_id IN ({orders_sel})", like),  # noqa: E501
        (StatusCheck, "order_id", orders_sel, like),
        (Comment, "order_id", orders_sel, like),
        (StatusChange, "order_id", orders_sel, like),
        (Rejection, "order_id", orders_sel, like),
        (Supplement, "order_id", orders_sel, like),
        (NpacCancelRecord, "order_id", orders_sel, like),
        (OrderNumber, "order_id", orders_sel, like),
        (AuthorizationDispute, "order_id", orders_sel, like),
    ]  # fmt: skip
    acct_t = qn(CustomerAccount._meta.db_table)
    acct_sel = f"SELECT id FROM {acct_t} WHERE account_number LIKE %s"
    tn_t = qn(TelephoneNumber._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        # The inventory made for the load: numbers on its orders (only ever taken from
        # NPA-NXX blocks nobody else used) and numbers on its accounts.
        cursor.execute(
            f"DELETE FROM {tn_t} WHERE (account_id IS NULL OR account_id IN ({acct_sel})) "
            f"AND tn IN (SELECT tn FROM {qn(OrderNumber._meta.db_table)} "
            f"WHERE order_id IN ({orders_sel}))",
            [ACCOUNT_PREFIX + "%", *like],
        )
        n_numbers = cursor.rowcount
        cursor.execute(
            f"DELETE FROM {tn_t} WHERE account_id IN ({acct_sel})", [ACCOUNT_PREFIX + "%"]
        )
        deleted[TelephoneNumber._meta.label] = n_numbers + cursor.rowcount
        for model, column, subquery, params in steps:
            table = qn(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE {qn(column)} IN ({subquery})", params)
            deleted[model._meta.label] = cursor.rowcount
        # Other rows that hang off orders (documents, PIN audits, CSRs...) go with them.
        for rel in PortOrder._meta.related_objects:
            related = rel.related_model
            if related in {m for m, *_ in steps} or rel.many_to_many:
                continue
            if related is PortOrder:
                continue
            cursor.execute(
                f"DELETE FROM {qn(related._meta.db_table)} "
                f"WHERE {qn(rel.field.column)} IN ({orders_sel})",
                like,
            )
        # Version 2 orders point at version 1 (supersedes): clear it, then delete.
        cursor.execute(
            f"UPDATE {order_t} SET supersedes_id = NULL WHERE pon LIKE %s AND "
            f"supersedes_id IS NOT NULL",
            like,
        )
        cursor.execute(f"DELETE FROM {order_t} WHERE pon LIKE %s", like)
        deleted[PortOrder._meta.label] = cursor.rowcount
        if user_ids:
            csr_t = qn(CsrRequest._meta.db_table)
            ids = ", ".join(str(int(u)) for u in user_ids)
            cursor.execute(
                f"DELETE FROM {qn(CsrRequest.reject_reasons.through._meta.db_table)} WHERE "
                f"csrrequest_id IN (SELECT id FROM {csr_t} WHERE created_by_id IN ({ids}))"
            )
            cursor.execute(
                f"DELETE FROM {qn(AuthorizationDispute._meta.db_table)} WHERE "
                f"csr_request_id IN (SELECT id FROM {csr_t} WHERE created_by_id IN ({ids}))"
            )
            cursor.execute(f"DELETE FROM {csr_t} WHERE created_by_id IN ({ids})")
            deleted[CsrRequest._meta.label] = cursor.rowcount
        cursor.execute(f"DELETE FROM {acct_t} WHERE account_number LIKE %s", [ACCOUNT_PREFIX + "%"])
        deleted[CustomerAccount._meta.label] = cursor.rowcount
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The deleted rows stay in the tables and indexes until vacuumed; a benchmark on
        # the next load would otherwise read them.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    for label, n in deleted.items():
        log(f"  deleted {n:,} {label}")
    return deleted
