"""Queue fixtures: one row for (almost) every queue, named so a test reads like the desk.

The queue tests are about listing, not transitions, so orders are created directly in the
status a queue lists (the factories' `status=`), with the clocks the services would set.
"""

import datetime
import itertools
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import (
    CsrRequest,
    Direction,
    NpacCancelRecord,
    OrderNumber,
    PortOrder,
    Rejection,
    RejectionReason,
    Status,
)
from tests.factories import (
    CarrierFactory,
    CsrRequestFactory,
    CustomerAccountFactory,
    NpacCancelRecordFactory,
    OrderNumberFactory,
    OurCarrierFactory,
    PortOrderFactory,
    PortOutOrderFactory,
    RejectionFactory,
    SPIDFactory,
)

S = Status


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def queue_url(slug: str, **params) -> str:
    from urllib.parse import urlencode

    url = reverse("orders:queue", args=[slug])
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


def client_for(user):
    """A separate logged-in client (alice_client and maria_client share one Client)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def listed(client, slug: str, **params) -> list:
    """The objects a queue page lists (orders, CSR requests, rejections or NPAC records)."""
    response = client.get(queue_url(slug, **params))
    assert response.status_code == 200, response.content[:500]
    return [row.obj for row in response.context["rows"]]


def pons(client, slug: str, **params) -> set[str]:
    objects = listed(client, slug, **params)
    result = set()
    for obj in objects:
        if isinstance(obj, PortOrder):
            result.add(obj.pon)
        elif isinstance(obj, (Rejection, NpacCancelRecord)):
            result.add(obj.order.pon)
        else:
            result.add(f"CSR#{obj.pk}")
    return result


@dataclass
class World:
    ours: object
    lsp: object
    rival: object
    lsp_spid: object
    rival_spid: object
    orders: dict = field(default_factory=dict)
    csr_open: CsrRequest | None = None
    csr_answered: CsrRequest | None = None
    npac_unsent: NpacCancelRecord | None = None
    npac_sent: NpacCancelRecord | None = None
    rejections: dict = field(default_factory=dict)

    def __getitem__(self, pon):
        return self.orders[pon]


@pytest.fixture
def world(db, alice, maria):
    return build_world(alice=alice, maria=maria)


def build_world(*, alice, maria) -> World:
    """Every queue's rows, and rows that belong to no queue (closed, too far ahead...)."""
    now = timezone.now()
    ours = OurCarrierFactory()
    SPIDFactory(code="7231", carrier=ours)
    lsp = CarrierFactory(name="Pacific Bell")
    rival = CarrierFactory(name="Rival Wireless")
    lsp_spid = SPIDFactory(code="9100", carrier=lsp)
    rival_spid = SPIDFactory(code="T098", carrier=rival)
    w = World(ours=ours, lsp=lsp, rival=rival, lsp_spid=lsp_spid, rival_spid=rival_spid)

    def port_in(pon, status, **fields):
        fields.setdefault("losing_carrier", lsp)
        fields.setdefault("losing_spid", lsp_spid)
        w.orders[pon] = PortOrderFactory(pon=pon, status=status, new_carrier=ours, **fields)
        return w.orders[pon]

    def port_out(pon, status, **fields):
        fields.setdefault("new_carrier", rival)
        fields.setdefault("new_spid", rival_spid)
        w.orders[pon] = PortOutOrderFactory(pon=pon, status=status, losing_carrier=ours, **fields)
        return w.orders[pon]

    # Port-in
    port_in("IN-DRAFT", S.DRAFT, requested_due_date=days(10), account_name="Acme Bakery")
    port_in("IN-CSR-PENDING", S.DRAFT, csr_status=PortOrder.CsrStatus.PENDING)
    port_in(
        "IN-CSR-MISMATCH",
        S.EXCEPTION,
        csr_status=PortOrder.CsrStatus.MISMATCHED,
        losing_carrier=rival,
        losing_spid=rival_spid,
    )
    port_in("IN-SUBMITTED", S.SUBMITTED, next_status_check_on=days(2), assignee=alice)
    port_in("IN-CHECK-TODAY", S.SUBMITTED, next_status_check_on=days(0))
    port_in("IN-CHECK-LATE", S.SUBMITTED, next_status_check_on=days(-1))
    port_in("IN-EXCEPTION", S.EXCEPTION, assignee=alice)
    port_in(
        "IN-REJECTED",
        S.REJECTED,
        customer_notified_at=now - datetime.timedelta(days=5),
        auto_cancel_on=days(40),
    )
    port_in("IN-REVIEW", S.REVIEW)
    port_in("IN-FOC-TODAY", S.ACCEPTED, foc_date=days(0))
    port_in("IN-FOC-TOMORROW", S.ACCEPTED, foc_date=days(1), assignee=maria)
    port_in("IN-FOC-WEEK", S.ACCEPTED, foc_date=days(6))
    port_in("IN-FOC-LATER", S.ACCEPTED, foc_date=days(9))
    port_in(
        "IN-COMPLETED",
        S.COMPLETED,
        completed_at=now - datetime.timedelta(days=2),
        assignee=alice,
    )
    port_in("IN-COMPLETED-OLD", S.COMPLETED, completed_at=now - datetime.timedelta(days=10))
    port_in("IN-CANCELLED", S.CANCELLED)
    # Port-out
    port_out("OUT-LSR", S.RECEIVED, received_at=now - datetime.timedelta(hours=2))
    port_out("OUT-EXPEDITE", S.EXPEDITE_REVIEW, expedite=True, requested_due_date=days(1))
    port_out(
        "OUT-SUP-FLAG",
        S.FOC_SENT,
        foc_date=days(-1),
        port_window_ends_on=days(5),
        sup_flag=PortOrder.Decision.PENDING,
        due_date_sup_count=3,
    )
    port_out("OUT-FOC-SENT", S.FOC_SENT, foc_date=days(1), port_window_ends_on=days(7))
    port_out("OUT-REJECTED", S.REJECTED)
    # CSR requests, NPAC cancel records
    w.csr_open = CsrRequestFactory(
        requesting_carrier=rival, tns=["5035550177"], received_at=now, due_at=now + _h(20)
    )
    w.csr_answered = CsrRequestFactory(
        requesting_carrier=rival, status=CsrRequest.Status.ANSWERED, received_at=now
    )
    expired = port_out("OUT-EXPIRED", S.CANCELLED, foc_date=days(-8))
    w.npac_unsent = NpacCancelRecordFactory(order=expired, tn="5035550155")
    w.npac_sent = NpacCancelRecordFactory(order=expired, tn="5035550156", sent_at=now)
    # Rejections: open on port-in and port-out orders, one resolved
    w.rejections["in-mismatch"] = RejectionFactory(
        order=w["IN-CSR-MISMATCH"], reasons=["ZIP", "ACCT"], raised_at=now - _d(1)
    )
    w.rejections["in-exception"] = RejectionFactory(
        order=w["IN-EXCEPTION"], reasons=["BTN"], raised_at=now - _d(10), assignee=alice
    )
    w.rejections["in-rejected"] = RejectionFactory(
        order=w["IN-REJECTED"],
        reasons=["PIN"],
        raised_at=now - _d(40),
        returned_to_customer_at=now - _d(5),
    )
    w.rejections["out"] = RejectionFactory(
        order=w["OUT-REJECTED"], reasons=["R9"], source="validation", raised_at=now - _d(50)
    )
    w.rejections["resolved"] = RejectionFactory(
        order=w["IN-SUBMITTED"], reasons=["OTHER"], raised_at=now - _d(3), resolved_at=now
    )
    # A TN on one order, for the search
    OrderNumberFactory(order=w["IN-REVIEW"], tn="5035550123")
    return w


def _h(n):
    return datetime.timedelta(hours=n)


def _d(n):
    return datetime.timedelta(days=n)


# --- volume: the same shapes at any size, for the query-count tests ---------------------------

_pon_numbers = itertools.count(1)


def populate(n: int, *, users) -> None:
    """About `n` orders spread over every listed status (at least one each), carriers and
    assignees, with a TN each; `n` open rejections with two reasons each, `n` open CSR
    requests and `n` unsent NPAC cancels. With n=500 every order queue fills its first page
    and more (56 rows), so an N+1 would show as 50 queries against 1."""
    now = timezone.now()
    ours = OurCarrierFactory()
    carriers = [CarrierFactory(name=f"Volume Carrier {i}") for i in range(4)]
    spids = [SPIDFactory(code=f"V{i:03d}", carrier=c) for i, c in enumerate(carriers)]
    shapes = [
        (Direction.PORT_IN, S.DRAFT, {"csr_status": PortOrder.CsrStatus.PENDING}),
        (Direction.PORT_IN, S.SUBMITTED, {"next_status_check_on": days(-1)}),
        (Direction.PORT_IN, S.EXCEPTION, {}),
        (Direction.PORT_IN, S.REJECTED, {"auto_cancel_on": days(3)}),
        (Direction.PORT_IN, S.REVIEW, {}),
        (Direction.PORT_IN, S.ACCEPTED, {"foc_date": days(1)}),
        (Direction.PORT_IN, S.COMPLETED, {"completed_at": now - _d(1)}),
        # R19: every received LSR has an R18 mismatch and every expedite is on a locked
        # account, so the port-out risk queue fills two pages with both kinds of reason.
        (Direction.PORT_OUT, S.RECEIVED, {"received_at": now - _d(2), "validation_mismatch": True}),
        (
            Direction.PORT_OUT,
            S.EXPEDITE_REVIEW,
            {"expedite": True, "customer_account": CustomerAccountFactory(port_out_locked=True)},
        ),
        (
            Direction.PORT_OUT,
            S.FOC_SENT,
            {
                "foc_date": days(0),
                "port_window_ends_on": days(4),
                "sup_flag": PortOrder.Decision.PENDING,
            },
        ),
    ]
    orders = []
    per_shape = -(-n // (len(shapes) - 1))  # 56 per status for n=500: two pages each
    for direction, status, extra in shapes:
        for i in range(per_shape):
            carrier, spid = carriers[i % 4], spids[i % 4]
            k = next(_pon_numbers)
            fields = {
                "direction": direction,
                "status": status,
                "pon": f"VOL{k:07d}",
                "losing_carrier": carrier if direction == Direction.PORT_IN else ours,
                "losing_spid": spid if direction == Direction.PORT_IN else None,
                "new_carrier": ours if direction == Direction.PORT_IN else carrier,
                "new_spid": None if direction == Direction.PORT_IN else spid,
                "assignee": users[k % len(users)] if k % 3 else None,
                "requested_due_date": days(i % 20 - 5),
                "tn_count": 1,
                "account_name": f"Volume customer {k}",
                **extra,
            }
            orders.append(PortOrder(**fields))
    orders = PortOrder.objects.bulk_create(orders)
    OrderNumber.objects.bulk_create(
        [OrderNumber(order=o, tn=f"97155{o.pk % 100000:05d}") for o in orders]
    )
    port_in_exceptions = [o for o in orders if o.status == S.EXCEPTION]
    port_outs = [o for o in orders if o.direction == Direction.PORT_OUT]
    rejections = Rejection.objects.bulk_create(
        [
            Rejection(
                order=o,
                source=Rejection.Source.LOSING_CARRIER,
                raised_at=now - _d(i % 60),
                assignee=users[i % len(users)] if i % 2 else None,
            )
            for i, o in enumerate(
                itertools.islice(itertools.cycle(port_in_exceptions + port_outs), n)
            )
        ]
    )
    reasons = list(RejectionReason.objects.filter(code__in=["ZIP", "ACCT", "R9", "OTHER"]))
    Through = Rejection.reasons.through
    Through.objects.bulk_create(
        [
            Through(rejection_id=r.pk, rejectionreason_id=reasons[(i + j) % len(reasons)].pk)
            for i, r in enumerate(rejections)
            for j in range(2)
        ]
    )
    CsrRequest.objects.bulk_create(
        [
            CsrRequest(
                requesting_carrier=carriers[i % 4],
                tns=[f"50355{i:05d}"],
                received_at=now,
                due_at=now + _h(i % 30 - 5),
                assignee=users[i % len(users)] if i % 2 else None,
            )
            for i in range(n)
        ]
    )
    NpacCancelRecord.objects.bulk_create(
        [
            NpacCancelRecord(
                order=port_outs[i % len(port_outs)],
                tn=f"50366{i:05d}",
                reason="R11",
                created_at=now - _h(i % 48),
            )
            for i in range(n)
        ]
    )
