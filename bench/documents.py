"""The `documents` section of bench/run.py (issue 17): generating and queueing one carrier
document (build, PDF, stored file, outbox row) for a port-out order of 50 and of 2,000 TNs.

Everything happens inside run.py's rolled-back transaction (the TNs, the contact, the
Document and outbox rows) and the PDFs go to in-memory storage, so nothing is left behind in
the measured database or on disk. Delivery (SMTP) is the outbox's later cost, not measured.
"""

from __future__ import annotations

import time

TARGETS_MS = {50: 100, 2000: 2000}


def bench_documents(*, rolled_back, summarize, count_queries, now, repeat=5) -> dict:
    from django.conf import settings
    from django.test import override_settings

    from carriers.models import Contact
    from orders.models import Direction, OrderNumber, PortOrder
    from orders.services.carrier_documents import addressee
    from orders.services.portout.notices import send_foc_notice

    order = PortOrder.objects.filter(direction=Direction.PORT_OUT).order_by("id").first()
    if order is None:
        return {"skipped": "no port-out order in this database"}
    memory = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    out = {"order_id": order.pk, "kind": "foc_notice"}
    with override_settings(STORAGES=memory):
        for size, target_ms in TARGETS_MS.items():
            samples, queries = [], []
            with rolled_back():
                order.numbers.all().delete()
                OrderNumber.objects.bulk_create(
                    OrderNumber(order=order, tn=f"5039{n:06d}") for n in range(size)
                )
                Contact.objects.create(
                    carrier=addressee(order),
                    role=Contact.Role.LSR,
                    name="Bench LSR desk",
                    email="lsr@bench.example",
                )
                for _ in range(repeat):
                    with count_queries() as box:
                        t0 = time.perf_counter()
                        document = send_foc_notice(order, by=None, now=now)
                        samples.append(time.perf_counter() - t0)
                    queries.append(box["n"])
                pdf_bytes = document.size
            stats = summarize(samples)
            out[f"{size}_tns"] = stats | {
                "target_ms": target_ms,
                "within_target": stats["p95_ms"] <= target_ms,
                "queries": max(queries),
                "pdf_bytes": pdf_bytes,
            }
    return out
