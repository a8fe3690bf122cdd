"""The demo number inventory as plain data, deterministically from one random.Random: our
customers' accounts with their lines (showcase accounts first, then about 640 random ones) and
other carriers' numbers, the port-in candidates."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from carriers.models import TelephoneNumber

from .directory import CARRIERS
from .names import BUSINESS_PREFIX, BUSINESS_SUFFIX, CITIES, FEATURES, FIRST, LAST, STREETS

Status = TelephoneNumber.Status
Line = TelephoneNumber.LineType

# Our NPA-NXX blocks.
OUR_BLOCKS = ["503241", "503246", "971203", "360253"]
RANDOM_ACCOUNTS = 640


@dataclass
class DemoAccount:
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


def build_inventory(rng: random.Random, spids) -> tuple[list[DemoAccount], list[dict]]:
    """The whole demo inventory as plain data: accounts with their lines, and other carriers'
    numbers (no account)."""
    pool = _Numbers(rng)
    accounts: list[DemoAccount] = []

    def account(number, name, person, npa, lines, **extra):
        street, city, state, zip_code = _address(rng, npa)
        acct = DemoAccount(number, name, person, street, city, state, zip_code, lines, **extra)
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
