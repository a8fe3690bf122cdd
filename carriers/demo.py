"""Demo reference data for `seed_demo`: fictional but realistic carriers of every kind, their
SPIDs and contacts, one trading-partner interval override, closed days, and a number inventory
of about 3,000 TNs across our customers' accounts and other carriers.

Everything is fictional (companies, people, addresses; `.example` email domains) and generated
deterministically from one `random.Random(SEED)`, so every run builds the same rows. `seed()`
is idempotent and quick: rows are looked up first and only the missing ones are created, with
bulk inserts for the inventory; a second run creates nothing.

PINs: only a few showcase accounts get one (see SHOWCASE_PINS). Each hash costs about half a
second with the production hasher, so hashing hundreds of accounts would make `seed_demo` slow;
an account that already has a PIN is never re-hashed.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from .cpni import account_number_digest
from .models import (
    SPID,
    Carrier,
    Contact,
    CustomerAccount,
    IntervalGuideline,
    NonBusinessDay,
    TelephoneNumber,
)
from .protection import account_lock_set

SEED = 20261123
OUR_NAME = "Cascade Telecom"

K = Carrier.Kind
R = Carrier.Route
Role = Contact.Role
Status = TelephoneNumber.Status
Line = TelephoneNumber.LineType

# name, kind, is_ours, supports_csr, route, peer, time zone, cut-off, SPIDs (code, region),
# email domain, NPA-NXX blocks its numbers come from, how many numbers of its own
CARRIERS = [
    (
        OUR_NAME,
        K.CLEC,
        True,
        True,
        R.DIRECT,
        None,
        "America/Los_Angeles",
        "15:00",
        [("7231", "west_coast"), ("7232", "west_coast")],
        "cascadetelecom",
        [],
        0,
    ),
    (
        "Columbia Bell",
        K.ILEC,
        False,
        True,
        R.DIRECT,
        None,
        "America/Los_Angeles",
        "15:00",
        [("9102", "west_coast"), ("9103", "west_coast")],
        "columbiabell",
        ["503222", "503228"],
        260,
    ),
    (
        "Willamette Fiber",
        K.CLEC,
        False,
        True,
        R.DIRECT,
        None,
        "America/Los_Angeles",
        "16:00",
        [("4417", "west_coast")],
        "willamettefiber",
        ["503380"],
        120,
    ),
    (
        "Inland Interconnect",
        K.CLEC,
        False,
        True,
        R.DIRECT,
        None,
        "America/Los_Angeles",
        "15:00",
        [("5208", "west_coast")],
        "inlandinterconnect",
        ["509343"],
        90,
    ),
    (
        "Klamath Valley Telephone Cooperative",
        K.ILEC,
        False,
        True,
        R.LOCAL_PEER,
        "Inland Interconnect",
        "America/Los_Angeles",
        "14:00",
        [("3K41", "west_coast")],
        "klamathvalley",
        ["541882"],
        80,
    ),
    (
        "Pinnacle Wireless",
        K.WIRELESS,
        False,
        True,
        R.DIRECT,
        None,
        "America/Chicago",
        "15:00",
        [("6664", "midwest"), ("6665", "western")],
        "pinnaclewireless",
        ["503901", "971770"],
        220,
    ),
    (
        "Sound Mobile",
        K.WIRELESS,
        False,
        True,
        R.DIRECT,
        None,
        "America/Los_Angeles",
        "15:00",
        [("6W12", "west_coast")],
        "soundmobile",
        ["206330"],
        110,
    ),
    (
        "Bridgeport Voice",
        K.VOIP,
        False,
        False,
        R.DIRECT,
        None,
        "America/New_York",
        "15:00",
        [("V517", "northeast")],
        "bridgeportvoice",
        ["503489"],
        100,
    ),
    (
        "Riverbend Cable",
        K.CABLE,
        False,
        True,
        R.DIRECT,
        None,
        "America/Denver",
        "15:00",
        [("8Q21", "western")],
        "riverbendcable",
        ["541306"],
        110,
    ),
    (
        "Skyline Tower Communications",
        K.SHARED_TENANT,
        False,
        True,
        R.DIRECT,
        None,
        "America/Los_Angeles",
        "15:00",
        [("3S77", "west_coast")],
        "skylinetower",
        ["503943"],
        40,
    ),
    (
        "ValueLine Resale",
        K.RESELLER,
        False,
        True,
        R.DIRECT,
        None,
        "America/Chicago",
        "15:00",
        [("R455", "midwest")],
        "valueline",
        [],
        0,
    ),
    (
        "Beacon Toll-Free Services",
        K.RESPORG,
        False,
        False,
        R.SOMOS,
        None,
        "America/New_York",
        "15:00",
        [("T098", "northeast")],
        "beacontollfree",
        [],
        0,
    ),
    (
        "Porting Partners LLC",
        K.THIRD_PARTY,
        False,
        False,
        R.DIRECT,
        None,
        "America/Chicago",
        "15:00",
        [],
        "portingpartners",
        [],
        0,
    ),
    (
        "Summit Telecom Consulting",
        K.THIRD_PARTY,
        False,
        False,
        R.DIRECT,
        None,
        "America/Denver",
        "15:00",
        [],
        "summitconsulting",
        [],
        0,
    ),
]

# role -> (name, phone, hours, notes) per carrier; every carrier gets CSR/LSR at least.
FIRST = [
    "Avery",
    "Blake",
    "Casey",
    "Dana",
    "Emerson",
    "Finley",
    "Harper",
    "Jordan",
    "Kendall",
    "Logan",
    "Morgan",
    "Parker",
    "Quinn",
    "Reese",
    "Riley",
    "Rowan",
    "Sawyer",
    "Taylor",
]
LAST = [
    "Alvarez",
    "Bennett",
    "Chen",
    "Delgado",
    "Eriksen",
    "Fontaine",
    "Garcia",
    "Hughes",
    "Ibarra",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Patel",
    "Quintero",
    "Rasmussen",
    "Sato",
    "Thompson",
    "Underwood",
    "Vasquez",
    "Whitfield",
    "Young",
]
BUSINESS_PREFIX = [
    "Alder",
    "Basalt",
    "Bridgetown",
    "Cedar Mill",
    "Douglas Fir",
    "Elmwood",
    "Fernhill",
    "Granite Peak",
    "Harborview",
    "Hawthorne",
    "Juniper",
    "Kestrel",
    "Lone Pine",
    "Maplewood",
    "Marquam",
    "Oak Grove",
    "Pearl Street",
    "Quarry Hill",
    "Rose City",
    "Sellwood",
    "Timberline",
    "Tualatin",
    "Umpqua",
    "Vista Ridge",
    "Willow Creek",
    "Yamhill",
]
BUSINESS_SUFFIX = [
    "Bakery",
    "Dental Group",
    "Law Office",
    "Hardware",
    "Auto Repair",
    "Veterinary Clinic",
    "Family Practice",
    "Coffee Roasters",
    "Realty",
    "Insurance Agency",
    "Print Shop",
    "Florist",
    "Brewing Co.",
    "Accounting LLC",
    "Chiropractic",
    "Property Management",
    "Cycle Works",
]
STREETS = [
    "NE Alberta St",
    "SE Belmont St",
    "SE Hawthorne Blvd",
    "NW 23rd Ave",
    "SW Broadway",
    "N Mississippi Ave",
    "SE Division St",
    "NE Sandy Blvd",
    "SW Macadam Ave",
    "NW Front Ave",
    "Main St",
    "Commercial St NE",
    "E Mill Plain Blvd",
    "SW Canyon Rd",
    "NE Broadway",
]
# NPA -> (city, state, ZIP codes)
CITIES = {
    "503": [
        ("Portland", "OR", ["97204", "97209", "97214", "97202", "97232"]),
        ("Beaverton", "OR", ["97005", "97006"]),
        ("Salem", "OR", ["97301", "97302"]),
    ],
    "971": [("Portland", "OR", ["97201", "97211", "97217"]), ("Hillsboro", "OR", ["97124"])],
    "360": [("Vancouver", "WA", ["98660", "98661", "98683"])],
}
FEATURES = ["caller ID", "call waiting", "voicemail", "call forwarding", "three-way calling"]
# Our NPA-NXX blocks.
OUR_BLOCKS = ["503241", "503246", "971203", "360253"]
RANDOM_ACCOUNTS = 640
SHOWCASE_PINS = {"CT-1000001": "4821", "CT-1000002": "7305", "CT-1000004": "1966"}


@dataclass
class _Account:
    number: str
    name: str
    authorized_person: str
    service_address: str
    city: str
    state: str
    zip_code: str
    lines: list[dict] = field(default_factory=list)
    uses_unbundled_elements: bool = False

    @property
    def btn(self):
        return self.lines[0]["tn"]


class _Numbers:
    """Hands out unique, fictional TNs from NPA-NXX blocks, deterministically."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def take(self, block: str) -> str:
        while True:
            tn = f"{block}{self.rng.randrange(100, 10000):04d}"
            if tn not in self.used:
                self.used.add(tn)
                return tn

    def run(self, block: str, count: int) -> list[str]:
        """`count` consecutive free TNs (a multi-line account's hunt group)."""
        while True:
            start = self.rng.randrange(100, 10000 - count)
            tns = [f"{block}{n:04d}" for n in range(start, start + count)]
            if not self.used.intersection(tns):
                self.used.update(tns)
                return tns


def seed(stdout=None) -> None:
    """Create the demo carriers and inventory; a second run changes nothing."""
    rng = random.Random(SEED)
    carriers, created_carriers = _seed_carriers()
    _seed_calendar_and_intervals(carriers)
    spids = {spid.code: spid for spid in SPID.objects.filter(carrier__in=carriers.values())}
    accounts, numbers = _build_inventory(rng, spids)
    new_accounts, new_numbers = _save_inventory(accounts, numbers, spids)
    _seed_protection()
    if stdout is not None:
        stdout.write(
            f"Carriers: {created_carriers} created, {len(carriers) - created_carriers} already "
            f"there; accounts: {new_accounts} created; numbers: {new_numbers} created."
        )


def _seed_carriers() -> tuple[dict[str, Carrier], int]:
    carriers: dict[str, Carrier] = {}
    created_count = 0
    names = iter(range(10_000))
    for (
        name,
        kind,
        ours,
        csr,
        route,
        peer,
        tz,
        cutoff,
        spid_codes,
        domain,
        _blocks,
        _count,
    ) in CARRIERS:
        hour, minute = map(int, cutoff.split(":"))
        carrier, created = Carrier.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "is_ours": ours,
                "supports_csr": csr,
                # A peer route is set once the peer exists (below): the row must stay valid.
                "port_in_route": R.DIRECT if route == R.LOCAL_PEER else route,
                "time_zone": tz,
                "lsr_cutoff": datetime.time(hour, minute),
                "notes": "Demo data (fictional).",
            },
        )
        created_count += created
        carriers[name] = carrier
        if created and route == R.LOCAL_PEER:
            carrier.porting_peer = carriers[peer]
            carrier.port_in_route = route
            carrier.save(update_fields=["porting_peer", "port_in_route"])
        for code, region in spid_codes:
            SPID.objects.get_or_create(code=code, defaults={"carrier": carrier, "region": region})
        if created:
            _contacts(carrier, kind, domain, names)
    return carriers, created_count


def _contacts(carrier: Carrier, kind: str, domain: str, names) -> None:
    """Contacts of several roles for a carrier created in this run."""
    roles = {
        K.RESPORG: [Role.TOLL_FREE, Role.LSR, Role.ESCALATION],
        K.THIRD_PARTY: [Role.CSR, Role.LSR, Role.ESCALATION],
    }.get(kind, [Role.CSR, Role.LSR, Role.CARE, Role.ESCALATION, Role.NPAC_SOA])
    hours = {
        Role.CSR: "Mon-Fri 8:00-17:00 local",
        Role.LSR: "Mon-Fri 8:00-17:00 local (cut-off applies)",
        Role.CARE: "Mon-Fri 7:00-18:00 local",
        Role.ESCALATION: "Business hours; urgent after-hours by phone",
        Role.NPAC_SOA: "24x7",
        Role.TOLL_FREE: "Mon-Fri 7:00-19:00 ET",
    }
    rows = []
    for index, role in enumerate(roles):
        n = next(names)
        rows.append(
            Contact(
                carrier=carrier,
                role=role,
                name=f"{FIRST[n % len(FIRST)]} {LAST[(n * 7) % len(LAST)]}",
                email=f"{role.replace('_', '-')}@{domain}.example",
                phone=f"800-555-01{(n % 90) + 10:02d}",
                fax=f"800-555-02{(n % 90) + 10:02d}" if role in (Role.CSR, Role.LSR) else "",
                hours=hours[role],
                notes="Send LSRs as OBF forms by email." if role == Role.LSR else "",
            )
        )
        if role == Role.CSR and index == 0 and kind == K.ILEC:
            rows.append(
                Contact(
                    carrier=carrier,
                    role=Role.CSR,
                    name="Resale CSR desk",
                    email=f"resale-csr@{domain}.example",
                    phone=f"800-555-03{(n % 90) + 10:02d}",
                    hours="Mon-Fri 8:00-16:30 local",
                    notes="CSR requests for numbers on our SPIDs resold by other carriers (R3).",
                )
            )
    Contact.objects.bulk_create(rows)


def _seed_calendar_and_intervals(carriers: dict[str, Carrier]) -> None:
    IntervalGuideline.objects.get_or_create(
        carrier=carriers["Columbia Bell"],
        kind=IntervalGuideline.Kind.OTHER,
        min_tns=1,
        defaults={
            "max_tns": 49,
            "business_days": 3,
            "note": "Inter-company agreement with Columbia Bell (demo).",
        },
    )
    for day, description in [
        (datetime.date(2026, 12, 24), "Company closed: Christmas Eve"),
        (datetime.date(2026, 12, 31), "Company closed: New Year's Eve"),
    ]:
        NonBusinessDay.objects.get_or_create(
            date=day, carrier=None, defaults={"description": description}
        )
    NonBusinessDay.objects.get_or_create(
        date=datetime.date(2026, 11, 27),
        carrier=carriers["Klamath Valley Telephone Cooperative"],
        defaults={"description": "Cooperative closed: day after Thanksgiving"},
    )


def _address(rng: random.Random, npa: str) -> tuple[str, str, str, str]:
    city, state, zips = rng.choice(CITIES.get(npa, CITIES["503"]))
    street = f"{rng.randrange(100, 9900)} {rng.choice(STREETS)}"
    if rng.random() < 0.3:
        street += f" Suite {rng.randrange(100, 500)}"
    return street, city, state, rng.choice(zips)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _line(tn: str, spid: str, **extra) -> dict:
    return {
        "tn": tn,
        "spid": spid,
        "status": Status.WORKING,
        "line_type": Line.POTS,
        "features": "",
        **extra,
    }


def _build_inventory(rng: random.Random, spids) -> tuple[list[_Account], list[dict]]:
    """The whole demo inventory as plain data: accounts with their lines, and other carriers'
    numbers (no account)."""
    pool = _Numbers(rng)
    accounts: list[_Account] = []

    def account(number, name, person, npa, lines, **extra):
        street, city, state, zip_code = _address(rng, npa)
        acct = _Account(number, name, person, street, city, state, zip_code, lines, **extra)
        accounts.append(acct)
        return acct

    # Showcase accounts first (fixed account numbers, mentioned in the docs and tests).
    account(
        "CT-1000001",
        "Pat Smith",
        "Pat Smith",
        "503",
        [_line(pool.take("503241"), "7231", features="caller ID, voicemail")],
    )
    account(
        "CT-1000002",
        "ABC Company Inc.",
        "Pat Smith",
        "503",
        [_line(tn, "7231", features="hunt group") for tn in pool.run("503246", 8)],
    )
    resold = pool.take("503222")
    account(
        "CT-1000003",
        "Harbor Street Bakery",
        "Jordan Okafor",
        "503",
        [_line(resold, "9102", features="caller ID")],
    )  # resold: Columbia Bell's SPID (R3)
    account(
        "CT-1000004",
        "Lloyd District Medical Group",
        "Dana Nakamura",
        "971",
        [
            _line(tn, "7232", line_type=Line.CENTREX, has_centrex=True)
            for tn in pool.run("971203", 24)
        ],
    )
    account(
        "CT-1000005",
        "Sellwood Legal Services",
        "Reese Moreau",
        "503",
        [_line(tn, "7231", line_type=Line.ISDN_BRI, has_isdn=True) for tn in pool.run("503241", 2)],
    )
    account(
        "CT-1000006",
        "Rose City Reservations",
        "Harper Lindqvist",
        "503",
        [_line(pool.take("503246"), "7231")]
        + [
            _line(tn, "7231", line_type=Line.TOLL_FREE, is_toll_free=True)
            for tn in (pool.take("888661"), pool.take("877661"))
        ],
    )
    account(
        "CT-1000007",
        "Pearl Street Lofts",
        "Quinn Eriksen",
        "971",
        [_line(tn, "7232") for tn in pool.run("971203", 3)],
        uses_unbundled_elements=True,
    )
    account(
        "CT-1000008",
        "Timberline Cycle Works",
        "Avery Chen",
        "360",
        [_line(pool.take("360253"), "7231", status=Status.DISCONNECTED)],
    )

    for index in range(RANDOM_ACCOUNTS):
        block = rng.choice(OUR_BLOCKS)
        spid = "7232" if block.startswith("971") else "7231"
        roll = rng.random()
        if roll < 0.70:
            count = 1
            name = _person(rng)
            person = name
        else:
            count = rng.randint(2, 8) if roll < 0.95 else rng.randint(12, 40)
            name = f"{rng.choice(BUSINESS_PREFIX)} {rng.choice(BUSINESS_SUFFIX)}"
            person = _person(rng)
        centrex = count >= 12 and rng.random() < 0.5
        isdn = not centrex and count > 1 and rng.random() < 0.08
        tns = pool.run(block, count) if count > 1 else [pool.take(block)]
        lines = []
        for tn in tns:
            status = rng.choices(
                [Status.WORKING, Status.DISCONNECTED, Status.RESERVED], [94, 4, 2]
            )[0]
            features = ", ".join(sorted(rng.sample(FEATURES, rng.randint(0, 3))))
            extra = {}
            if centrex:
                extra = {"line_type": Line.CENTREX, "has_centrex": True}
            elif isdn:
                extra = {"line_type": Line.ISDN_BRI, "has_isdn": True}
            elif rng.random() < 0.1:
                extra = {"line_type": Line.VOIP}
            if rng.random() < 0.02:
                extra["has_remote_call_forwarding"] = True
            if rng.random() < 0.03:
                extra["multiple_services_on_loop"] = True
            if rng.random() < 0.01:
                extra["has_ain"] = True
            lines.append(_line(tn, spid, status=status, features=features, **extra))
        account(
            f"CT-{1000100 + index}",
            name,
            person,
            block[:3],
            lines,
            uses_unbundled_elements=count > 1 and rng.random() < 0.03,
        )

    # Other carriers' numbers: port-in candidates (no account of ours).
    others: list[dict] = []
    for (
        _name,
        _kind,
        _ours,
        _csr,
        _route,
        _peer,
        _tz,
        _cutoff,
        spid_codes,
        _domain,
        blocks,
        count,
    ) in CARRIERS:
        for n in range(count):
            block = blocks[n % len(blocks)]
            code = spid_codes[n % len(spid_codes)][0]
            status = Status.DISCONNECTED if rng.random() < 0.03 else Status.WORKING
            others.append(_line(pool.take(block), code, status=status))
    for index in range(6):
        tn = pool.take(rng.choice(["800555", "866555", "877555", "888555"]))
        others.append(
            _line(
                tn,
                "T098",
                line_type=Line.TOLL_FREE,
                is_toll_free=True,
                status=Status.WORKING if index else Status.RESERVED,
            )
        )
    return accounts, others


# R19: most holders gave us an email for port-out notices; a few did not (the desk's list of
# accounts without one), and one showcase customer has locked its numbers against port-out.
NO_CONTACT_EMAIL = frozenset({"CT-1000007", "CT-1000008"})
SHOWCASE_LOCK = ("CT-1000005", "Customer called and asked for a port-out lock (verified by PIN).")


def _contact_email(acct) -> str:
    if acct.number in NO_CONTACT_EMAIL:
        return ""
    return f"billing+{acct.number.lower()}@example.com"


def _seed_protection(by=None) -> None:
    """The showcase lock, once (a second run finds it locked and changes nothing)."""
    number, reason = SHOWCASE_LOCK
    digest = account_number_digest(number)
    account = CustomerAccount.objects.filter(account_number_digest=digest).first()
    if account is not None and not account.port_out_locked:
        account_lock_set(account=account, locked=True, by=by, reason=reason)


def _save_inventory(accounts: list[_Account], others: list[dict], spids) -> tuple[int, int]:
    # Found by their numbers' keyed hashes: the numbers themselves are Fernet tokens.
    digests = {acct.number: account_number_digest(acct.number) for acct in accounts}
    by_digest = CustomerAccount.objects.filter(account_number_digest__in=list(digests.values()))
    existing_accounts = dict(by_digest.values_list("account_number_digest", "pk"))
    new_accounts = []
    for acct in accounts:
        if digests[acct.number] in existing_accounts:
            continue
        row = CustomerAccount(
            account_number=acct.number,
            btn=acct.btn,
            name=acct.name,
            authorized_person=acct.authorized_person,
            service_address=acct.service_address,
            city=acct.city,
            state=acct.state,
            zip_code=acct.zip_code,
            uses_unbundled_elements=acct.uses_unbundled_elements,
            contact_email=_contact_email(acct),
        )
        pin = SHOWCASE_PINS.get(acct.number)
        if pin:
            row.set_pin(pin)  # hashed once, when the account is created
        new_accounts.append(row)
    CustomerAccount.objects.bulk_create(new_accounts, batch_size=500)
    if new_accounts:
        existing_accounts = dict(by_digest.values_list("account_number_digest", "pk"))

    lines = [
        (line, existing_accounts[digests[acct.number]]) for acct in accounts for line in acct.lines
    ]
    lines += [(line, None) for line in others]
    existing_tns = set(
        TelephoneNumber.objects.filter(tn__in=[line["tn"] for line, _ in lines]).values_list(
            "tn", flat=True
        )
    )
    new_numbers = [
        TelephoneNumber(
            tn=line["tn"],
            spid=spids[line["spid"]],
            account_id=account_id,
            status=line["status"],
            line_type=line["line_type"],
            is_toll_free=line.get("is_toll_free", False),
            features=line["features"],
            has_centrex=line.get("has_centrex", False),
            has_isdn=line.get("has_isdn", False),
            has_ain=line.get("has_ain", False),
            has_remote_call_forwarding=line.get("has_remote_call_forwarding", False),
            multiple_services_on_loop=line.get("multiple_services_on_loop", False),
        )
        for line, account_id in lines
        if line["tn"] not in existing_tns
    ]
    TelephoneNumber.objects.bulk_create(new_numbers, batch_size=1000)
    return len(new_accounts), len(new_numbers)
