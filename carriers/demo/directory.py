"""The demo carriers of every kind with their SPIDs and contacts, one trading-partner interval
override and the closed days."""

from __future__ import annotations

import datetime

from carriers.models import SPID, Carrier, Contact, IntervalGuideline, NonBusinessDay

from .names import FIRST, LAST

OUR_NAME = "Cascade Telecom"

K = Carrier.Kind
R = Carrier.Route
Role = Contact.Role

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


def seed_carriers() -> tuple[dict[str, Carrier], int]:
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


def seed_calendar_and_intervals(carriers: dict[str, Carrier]) -> None:
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
