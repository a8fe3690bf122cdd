"""The partner API's order events (orders.events): each desk action records its event once,
in the action's own transaction (a rolled-back action leaves none), the jobs record theirs in
one bulk INSERT per batch, and no event carries a PIN or an account number."""

import datetime
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from carriers.models import Contact
from orders import events
from orders.lifecycle import transition
from orders.models import Document, OrderEvent, Status
from orders.services import carrier_documents, jobs, portin
from orders.services import portout as services
from tests.factories import ContactFactory
from tests.orders.jobs.conftest import at, foc_sent_port_out, rejected_port_in
from tests.orders.portout.conftest import MONDAY, make_lsr

pytestmark = pytest.mark.django_db
D = datetime.date
K = OrderEvent.Kind


def kinds(order) -> list[str]:
    return list(
        OrderEvent.objects.filter(order=order).order_by("id").values_list("kind", flat=True)
    )


def only(order, kind) -> OrderEvent:
    found = list(OrderEvent.objects.filter(order=order, kind=kind))
    assert len(found) == 1, f"{kind}: {len(found)} events"
    return found[0]


@pytest.fixture
def draft(desk, make_portin):
    return make_portin("5035550101", spid=desk.rural_spid)


@pytest.fixture
def lsr_contact(requester):
    return ContactFactory(carrier=requester, role=Contact.Role.LSR, email="lsr@willamette.example")


def receive(requester, tns, **lsr):
    lsr = make_lsr(tns, **lsr)
    return services.lsr_receive(requesting_carrier=requester, lsr=lsr, now=lsr.received_at)


# --- status changes --------------------------------------------------------------------------


def test_every_status_move_records_one_status_changed_event(draft, alice):
    assert kinds(draft) == []  # an order is born into its status: no move, no event
    portin.order_submit(order=draft, by=alice)
    event = only(draft, K.STATUS_CHANGED)
    assert event.data == {"from": "draft", "to": "submitted"}
    assert event.created_at is not None


def test_a_rolled_back_move_records_nothing(draft, alice):
    with pytest.raises(RuntimeError), transaction.atomic():
        portin.order_submit(order=draft, by=alice)
        raise RuntimeError("the action's transaction rolls back")
    assert kinds(draft) == []


def test_a_refused_move_records_nothing(draft, alice):
    with pytest.raises(Exception, match="cannot move"):
        transition(draft, Status.COMPLETED, actor=alice)
    assert kinds(draft) == []


# --- port-in -----------------------------------------------------------------------------------


def test_a_port_in_foc_records_foc_set_with_its_date(draft, alice):
    portin.order_submit(order=draft, by=alice)
    foc_date = draft.requested_due_date
    portin.foc_record(order=draft, by=alice, foc_date=foc_date, confirmed=True)
    assert only(draft, K.FOC_SET).data == {"foc_date": foc_date.isoformat()}
    assert kinds(draft) == [K.STATUS_CHANGED, K.STATUS_CHANGED, K.FOC_SET]


def test_a_rolled_back_foc_records_no_event(draft, alice):
    portin.order_submit(order=draft, by=alice)
    with pytest.raises(RuntimeError), transaction.atomic():
        portin.foc_record(order=draft, by=alice, foc_date=draft.requested_due_date, confirmed=True)
        raise RuntimeError("rolled back")
    assert kinds(draft) == [K.STATUS_CHANGED]


def test_a_losing_carrier_reject_records_rejected_with_its_codes(draft, alice):
    portin.order_submit(order=draft, by=alice)
    rejection = portin.lsp_reject_record(
        order=draft, by=alice, reason_codes=["ACCT"], text="Account ACCT-99887766 differs."
    )
    data = only(draft, K.REJECTED).data
    assert data["rejection_id"] == rejection.pk
    assert data["source"] == "losing_carrier"
    assert [c["code"] for c in data["codes"]] == ["ACCT"]
    assert set(data["codes"][0]) == {"code", "rule", "title"}
    assert "ACCT-99887766" not in json.dumps(data)  # the desk's text stays in the portal


# --- port-out ---------------------------------------------------------------------------------


def test_an_lsr_received_records_lsr_received_with_its_findings(make_account, requester):
    _, tns = make_account(2)
    order = receive(requester, tns, authorization_indicator=False)
    data = only(order, K.LSR_RECEIVED).data
    assert data["pon"] == order.pon and data["version"] == 1 and data["supplement"] is None
    assert data["tn_count"] == 2
    assert {"rule": "R4", "code": "R4"} in data["findings"]
    assert kinds(order) == [K.LSR_RECEIVED]


def test_an_foc_sent_records_foc_set_lsr_decided_and_the_document_sent(
    make_account, requester, lsr_contact, alice
):
    _, tns = make_account(1)
    order = receive(requester, tns, requested_due_date=D(2026, 11, 16))
    services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
    order.refresh_from_db()
    assert only(order, K.FOC_SET).data == {"foc_date": order.foc_date.isoformat()}
    assert only(order, K.LSR_DECIDED).data == {
        "decision": "foc",
        "foc_date": order.foc_date.isoformat(),
    }
    document = order.documents.get(kind=Document.Kind.FOC_NOTICE)
    assert only(order, K.DOCUMENT_SENT).data == {
        "document_id": document.pk,
        "document_kind": "foc_notice",
        "resent": False,
        "resend_of": None,
    }
    assert only(order, K.STATUS_CHANGED).data == {"from": "received", "to": "foc_sent"}


def test_a_rolled_back_decision_records_no_event(make_account, requester, lsr_contact, alice):
    _, tns = make_account(1)
    order = receive(requester, tns, requested_due_date=D(2026, 11, 16))
    with pytest.raises(RuntimeError), transaction.atomic():
        services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
        raise RuntimeError("rolled back")
    assert kinds(order) == [K.LSR_RECEIVED]


def test_a_port_out_reject_records_rejected_with_codes_and_rule_ids(make_account, requester, alice):
    _, tns = make_account(1)
    order = receive(requester, tns, authorization_indicator=False)
    services.lsr_decide(order=order, decision="reject", by=alice, now=MONDAY)
    rejected = only(order, K.REJECTED).data
    assert {"code": "R4", "rule": "R4", "title": "End-user authorization not indicated"} in (
        rejected["codes"]
    )
    decided = only(order, K.LSR_DECIDED).data
    assert decided == {"decision": "reject", "rejection_id": rejected["rejection_id"]}
    assert only(order, K.STATUS_CHANGED).data == {"from": "received", "to": "rejected"}


def test_an_lsr_rejected_at_intake_is_received_rejected_and_decided(make_account, requester):
    _, tns = make_account(1)
    order = receive(requester, tns, pon="")  # R16: no PON, rejected at once
    assert kinds(order) == [K.LSR_RECEIVED, K.STATUS_CHANGED, K.REJECTED, K.LSR_DECIDED]
    assert "R16" in [c["code"] for c in only(order, K.REJECTED).data["codes"]]


def test_a_sup_records_lsr_received_and_a_new_foc_records_foc_set(make_account, requester, alice):
    _, tns = make_account(2)
    lsr_at = at(2026, 11, 9, 10)
    order = receive(requester, tns, received_at=lsr_at, requested_due_date=D(2026, 11, 19))
    services.lsr_decide(order=order, decision="foc", by=alice, now=lsr_at)
    before = OrderEvent.objects.filter(order=order).count()
    sup_at = at(2026, 11, 16, 10)
    sup = services.sup_receive(
        order=order,
        sup_type=2,
        by=alice,
        received_at=sup_at,
        requested_due_date=D(2026, 11, 23),
        now=sup_at,
    )
    new = list(OrderEvent.objects.filter(order=order).order_by("id")[before:])
    assert [e.kind for e in new] == [K.LSR_RECEIVED, K.FOC_SET]
    assert new[0].data == {
        "pon": order.pon,
        "version": 1,
        "supplement": 2,
        "supplement_id": sup.pk,
        "requested_due_date": "2026-11-23",
    }
    assert new[1].data == {
        "foc_date": "2026-11-23",
        "previous_foc_date": "2026-11-19",
        "supplement_id": sup.pk,
    }


def test_an_npac_cancel_records_npac_cancel_recorded(make_account, requester, alice):
    _, tns = make_account(2)
    order = receive(requester, tns, requested_due_date=D(2026, 11, 16))
    services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
    services.npac_event_record(order=order, kind="cancel", by=alice, now=MONDAY)
    data = only(order, K.NPAC_CANCEL_RECORDED).data
    assert data["source"] == "npac" and data["tns"] == sorted(tns)


def test_a_document_resent_records_document_sent_again(make_account, requester, lsr_contact, alice):
    _, tns = make_account(1)
    order = receive(requester, tns, requested_due_date=D(2026, 11, 16))
    services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
    first = order.documents.get(kind=Document.Kind.FOC_NOTICE)
    copy = carrier_documents.document_resend(document=first, by=alice)
    sent = OrderEvent.objects.filter(order=order, kind=K.DOCUMENT_SENT).order_by("id")
    assert [e.data["document_id"] for e in sent] == [first.pk, copy.pk]
    assert sent.last().data["resent"] is True and sent.last().data["resend_of"] == first.pk


def test_a_document_kept_but_not_emailed_is_not_sent(make_account, requester, alice):
    _, tns = make_account(1)
    order = receive(requester, tns, requested_due_date=D(2026, 11, 16))
    services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)  # no LSR contact
    assert K.DOCUMENT_SENT not in kinds(order)


# --- the jobs: one INSERT per batch ------------------------------------------------------------


def _event_inserts(ctx) -> int:
    return sum('INSERT INTO "orders_orderevent"' in q["sql"] for q in ctx.captured_queries)


def test_r11_records_each_orders_events_in_one_insert_per_kind(
    our_carrier, requesting_carrier, django_capture_on_commit_callbacks
):
    orders = [
        foc_sent_port_out(
            foc_at=at(2026, 11, 20, 14),
            foc_date=D(2026, 11, 25),
            tns=(f"50355501{n}1", f"50355501{n}2"),
            losing_carrier=our_carrier,
            new_carrier=requesting_carrier,
        )
        for n in range(3)
    ]
    before = OrderEvent.objects.count()
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks():
        assert jobs.port_windows_expire(now=at(2026, 12, 3, 5))["cancelled"] == 3
    # One bulk INSERT of the status changes, one of the NPAC cancel records' events.
    assert _event_inserts(ctx) == 2
    assert OrderEvent.objects.count() == before + 6
    for order in orders:
        assert only(order, K.NPAC_CANCEL_RECORDED).data == {
            "source": "port_window_expired",
            "tns": sorted(order.numbers.values_list("tn", flat=True)),
        }
        moves = OrderEvent.objects.filter(order=order, kind=K.STATUS_CHANGED).order_by("id")
        assert moves.last().data == {"from": "foc_sent", "to": "cancelled"}


def test_f4_records_its_status_changes_in_one_insert(our_carrier):
    notified = at(2026, 9, 1)
    orders = [rejected_port_in(notified_at=notified) for _ in range(4)]
    with CaptureQueriesContext(connection) as ctx:
        assert jobs.rejected_orders_auto_cancel(now=at(2026, 10, 20, 5))["cancelled"] == 4
    assert _event_inserts(ctx) == 1
    for order in orders:
        last = OrderEvent.objects.filter(order=order).order_by("id").last()
        assert (last.kind, last.data) == (K.STATUS_CHANGED, {"from": "rejected", "to": "cancelled"})


def test_transition_many_writes_no_event_when_its_batch_rolls_back(our_carrier):
    order = rejected_port_in(notified_at=at(2026, 9, 1))
    before = kinds(order)
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.rejected_orders_auto_cancel(now=at(2026, 10, 20, 5))
        raise RuntimeError("rolled back")
    assert kinds(order) == before


# --- never a PIN or an account number ---------------------------------------------------------


def test_no_event_carries_the_pin_or_the_account_number(draft, alice):
    portin.order_submit(order=draft, by=alice)
    portin.lsp_reject_record(order=draft, by=alice, reason_codes=["ACCT"], text="PIN 4321 wrong")
    dumped = json.dumps(list(OrderEvent.objects.values("kind", "data")))
    assert "4321" not in dumped and "99887766" not in dumped


@pytest.mark.parametrize("key", ["pin", "PIN", "account_number", "passcode"])
def test_an_event_refuses_a_pin_or_account_number_key(draft, key):
    with pytest.raises(ValueError, match="never goes in an event"):
        events.record(draft, K.STATUS_CHANGED, nested={key: "4321"})
    assert kinds(draft) == []


def test_an_expedite_waits_without_an_foc_and_its_decision_sets_the_foc(
    make_account, requester, alice, maria
):
    _, tns = make_account(2)
    order = receive(
        requester, tns, requested_due_date=MONDAY.date() + datetime.timedelta(days=1), expedite=True
    )
    services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
    assert order.status == Status.EXPEDITE_REVIEW
    assert kinds(order) == [K.LSR_RECEIVED, K.STATUS_CHANGED]  # nothing decided yet
    services.expedite_decide(order=order, accept=True, by=maria, now=MONDAY)
    order.refresh_from_db()
    foc = {"foc_date": order.foc_date.isoformat(), "expedite": "accepted"}
    assert only(order, K.FOC_SET).data == foc
    assert only(order, K.LSR_DECIDED).data == {"decision": "foc", **foc}
