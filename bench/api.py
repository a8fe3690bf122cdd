"""The `api` section of bench/run.py (issue 18): the partner API's GET one order and a list
page, over HTTP through gunicorn as the Procfile starts it (a new connection per request, the
key in `Authorization`), with each figure's query count taken in-process.

Two partners are made for the run and removed afterwards (committed, since gunicorn is
another process): one of our systems with 2,000 port-in orders linked to it (as if it had
created them through the API), and a trading partner for the requesting carrier with the
most port-outs, and one for the carrier with the fewest (its list walks the sparsest
index range). Nothing else in the measured database is changed; the rate-limit counters
they leave in the cache table expire within minutes.

Targets (issue 18): GET one order p95 <= 30 ms, a list page p95 <= 50 ms.
"""

from __future__ import annotations

import http.client
import json
import random
import time

TARGET_ONE_MS = 30
TARGET_PAGE_MS = 50
LINKED_ORDERS = 2000


def _get(port: int, path: str, key: str) -> tuple[int, float, bytes]:
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {key}", "Host": "127.0.0.1"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, time.perf_counter() - t0, body


def _setup():
    from django.db import connection
    from django.db.models import Count

    from api.models import Partner, PartnerOrder
    from api.services.keys import api_key_create
    from carriers.models import Carrier
    from orders.models import Direction, PortOrder

    rng = random.Random(18)
    crm = Partner.objects.create(name="bench-api our system", kind=Partner.Kind.OUR_SYSTEM)
    bounds = PortOrder.objects.filter(direction=Direction.PORT_IN).order_by("id")
    first = bounds.values_list("id", flat=True)[0]
    last = bounds.reverse().values_list("id", flat=True)[0]
    # Ids spread over the whole table (about half of them are port-ins).
    step = max(1, (last - first) // (LINKED_ORDERS * 2))
    ids = list(
        PortOrder.objects.filter(
            direction=Direction.PORT_IN, id__any_of=list(range(first, last + 1, step))
        )
        .order_by("id")
        .values_list("id", flat=True)[:LINKED_ORDERS]
    )
    PartnerOrder.objects.bulk_create([PartnerOrder(partner=crm, order_id=pk) for pk in ids])
    # As autovacuum would after such an insert: without statistics the planner takes the
    # 2,000 links for none and walks the order table's primary key instead of the links.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE api_partnerorder")
    _k, crm_key = api_key_create(partner=crm, name="bench", can_write_port_in=True)

    per_carrier = list(
        PortOrder.objects.filter(direction=Direction.PORT_OUT)
        .values("new_carrier")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    partners = {"our_system": (crm, crm_key, ids)}
    for label, row in (
        ("trading_partner_most", per_carrier[0]),
        ("trading_partner_fewest", per_carrier[-1]),
    ):
        carrier = Carrier.objects.get(pk=row["new_carrier"])
        partner = Partner.objects.create(
            name=f"bench-api {label}", kind=Partner.Kind.TRADING_PARTNER, carrier=carrier
        )
        _k, key = api_key_create(partner=partner, name="bench", can_submit_port_out=True)
        sample = list(
            PortOrder.objects.filter(direction=Direction.PORT_OUT, new_carrier=carrier)
            .order_by("-id")
            .values_list("id", flat=True)[:5000]
        )
        partners[label] = (partner, key, rng.sample(sample, min(len(sample), 500)))
    return partners, per_carrier


def _teardown(partners):
    from django.contrib.auth import get_user_model
    from django.db import connection

    from api.models import ApiKey, IdempotencyRecord, Partner, PartnerOrder

    ids = [partner.pk for partner, _key, _orders in partners.values()]
    PartnerOrder.objects.filter(partner_id__in=ids).delete()
    IdempotencyRecord.objects.filter(partner_id__in=ids).delete()
    ApiKey.objects.filter(partner_id__in=ids).delete()
    Partner.objects.filter(pk__in=ids).delete()
    get_user_model().objects.filter(username__in=[f"api-partner-{pk}" for pk in ids]).delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM portal_cache WHERE cache_key LIKE %s", [":1:api:rate:%"])


def _query_counts(cases, count_queries) -> dict:
    """Each case's first path in-process (Django's test client), after one warm-up request
    (the key's last use and the minute's rate-limit counter are then written)."""
    from django.test import Client

    client = Client()
    counts = {}
    for what, (key, paths, _target) in cases.items():
        headers = {"authorization": f"Bearer {key}"}
        client.get(paths[0], headers=headers)
        with count_queries() as box:
            response = client.get(paths[0], headers=headers)
        counts[what] = {"queries": box["n"], "in_process_status": response.status_code}
    return counts


def bench_api(*, database_url, summarize, count_queries, repeat=200) -> dict:
    from bench.links import Gunicorn, ensure_static, gunicorn_env

    partners, per_carrier = _setup()
    try:
        cases = {}
        for label, (_partner, key, order_ids) in partners.items():
            rng = random.Random(label)
            ones = [f"/api/v1/orders/{rng.choice(order_ids)}" for _ in range(repeat)]
            cases[f"{label}: GET one order"] = (key, ones, TARGET_ONE_MS)
            cases[f"{label}: list, first page (50)"] = (
                key,
                ["/api/v1/orders?limit=50"],
                TARGET_PAGE_MS,
            )
            status = "completed" if label == "our_system" else "foc_sent"
            cases[f"{label}: list, status={status}"] = (
                key,
                [f"/api/v1/orders?limit=50&status={status}"],
                TARGET_PAGE_MS,
            )
        counts = _query_counts(cases, count_queries)
        env = gunicorn_env(database_url)
        env["API_RATE_LIMIT_PER_MINUTE"] = "1000000"  # counted as usual, never refused
        ensure_static(env)
        out = {"linked_orders_our_system": len(partners["our_system"][2])}
        out["trading_partner_port_outs"] = {
            "most": per_carrier[0]["n"],
            "fewest": per_carrier[-1]["n"],
        }
        with Gunicorn(env) as server:
            for what, (key, paths, target) in cases.items():
                samples, cold, statuses = [], None, set()
                # A page deeper than the first: follow next_cursor from the first page.
                for index in range(repeat):
                    path = paths[index % len(paths)]
                    status, seconds, body = _get(server.port, path, key)
                    statuses.add(status)
                    if cold is None:
                        cold = seconds * 1000
                        if "list, first page" in what:
                            cursor = json.loads(body).get("next_cursor")
                            if cursor:
                                paths = [path, f"{path}&cursor={cursor}"]
                        continue
                    samples.append(seconds)
                stats = summarize(samples)
                out[what] = stats | {
                    "cold_first_ms": round(cold, 1),
                    "target_ms": target,
                    "within_target": stats["p95_ms"] <= target,
                    "statuses": sorted(statuses),
                    **counts.get(what, {}),
                }
        return out
    finally:
        _teardown(partners)
