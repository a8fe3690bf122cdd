"""Reference data (load users, carriers with SPIDs and contacts, rejection reasons), the
number blocks TNs are taken from, and the customer accounts and inventory rows."""

from __future__ import annotations

import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, models

from carriers.cpni import account_number_digest, encrypt_value
from carriers.models import (
    SPID,
    Carrier,
    Contact,
    CustomerAccount,
    IntervalGuideline,
    TelephoneNumber,
)
from orders.loaddata.names import (
    ADJECTIVES,
    CITIES,
    FEATURES,
    FIRST,
    LAST,
    LINE_TYPES,
    LOAD_CARRIERS,
    NOUNS,
    NPAS,
    OUR_CARRIER_NAME,
    STREETS,
    SUFFIXES,
    TOLL_FREE_NPAS,
)
from orders.loaddata.plan import ACCOUNT_PREFIX, USER_PREFIX, LoadDataError, _cum
from orders.loaddata.tables import id_models
from orders.models import RejectionReason


class ReferenceMixin:
    """Part of `Generator`: the rows every order draws on."""

    # --- reference data (ORM: a few hundred rows) -------------------------------------
    def setup_reference(self):
        t0 = time.perf_counter()
        # Its own stream: whether the carriers already exist must not change the orders.
        rng = random.Random(f"reference-{self.seed}")
        User = get_user_model()
        staff_group = Group.objects.filter(name="Porting staff").first()
        manager_group = Group.objects.filter(name="Porting managers").first()
        self.staff_ids = [
            _load_user(
                User,
                f"{USER_PREFIX}staff-{i:02d}",
                {"first_name": FIRST[i % len(FIRST)], "last_name": LAST[i % len(LAST)]},
                staff_group,
            )
            for i in range(1, 31)
        ]
        self.manager_ids = [
            _load_user(
                User,
                f"{USER_PREFIX}manager-{i}",
                {
                    "first_name": FIRST[-i],
                    "last_name": LAST[-i],
                    "email": f"{USER_PREFIX}manager-{i}@porting-desk.example.net",
                },
                manager_group,
            )
            for i in range(1, 5)
        ]

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
        for model in id_models():
            self.next_id[model] = (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        self.stats.seconds["reference"] = time.perf_counter() - t0

    # --- customers and their numbers ------------------------------------------------------
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

    def _customer(self):
        rng = self.rng
        city, state, zip3 = rng.choice(CITIES)
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(SUFFIXES)}"
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        address = f"{rng.randint(10, 9999)} {rng.choice(STREETS)}"
        if rng.random() < 0.3:
            address += f" Suite {rng.randint(1, 900)}"
        return name, person, address, city, state, f"{zip3}{rng.randint(0, 99):02d}"

    @staticmethod
    def _cpni(number: str) -> tuple[str, str | None]:
        """An account number as its two columns (R18): the Fernet token and the keyed hash.
        The rows are written raw (COPY), so the fields' own encryption never runs."""
        return encrypt_value(number), account_number_digest(number) or None

    def _account(self, t, customer, btn):
        rng = self.rng
        account_id = self.new_id(CustomerAccount)
        name, person, address, city, state, zip_code = customer
        t["accounts"].rows.append(
            (
                account_id,
                *self._cpni(f"{ACCOUNT_PREFIX}{account_id:010d}"),
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


def _load_user(User, username, defaults, group):
    """A load user: created once, without a usable password, and reused by the next run."""
    user, created = User.objects.get_or_create(username=username, defaults=defaults)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        if group:
            user.groups.add(group)
    return user.pk
