"""Supplements (R10, R12), NPAC subscription events and NPAC cancel records."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from orders.lifecycle import DomainError
from orders.models import Comment, NpacCancelRecord, NpacEvent, OrderNumber, PortOrder, Status
from orders.services import portout as services
from tests.factories import NpacCancelRecordFactory

from .conftest import at, make_lsr

pytestmark = pytest.mark.django_db
D = datetime.date
LSR_AT = at(2026, 11, 9, 10)  # Monday; Wed 11/11 is Veterans Day


@pytest.fixture
def focd(make_account, requester, alice):
    """A two-line port-only LSR FOC'd for Thu 11/19 (requested; interval ends Mon 11/16)."""
    _, tns = make_account(2)
    lsr = make_lsr(tns, received_at=LSR_AT, requested_due_date=D(2026, 11, 19))
    order = services.lsr_receive(requesting_carrier=requester, lsr=lsr, now=LSR_AT)
    services.lsr_decide(order=order, decision="foc", by=alice, now=LSR_AT)
    assert order.foc_date == D(2026, 11, 19)
    return order


def sup2(order, received_at, requested, by):
    return services.sup_receive(
        order=order,
        sup_type=2,
        by=by,
        received_at=received_at,
        requested_due_date=requested,
        now=received_at,
    )


# --- R10 -----------------------------------------------------------------------------------------


def test_sup2_three_business_days_before_the_foc_keeps_the_requested_date(focd, alice):
    sup = sup2(focd, at(2026, 11, 16, 10), D(2026, 11, 23), alice)
    focd.refresh_from_db()
    assert sup.previous_foc_date == D(2026, 11, 19)
    assert sup.new_foc_date == focd.foc_date == D(2026, 11, 23)
    assert focd.requested_due_date == D(2026, 11, 23)
    assert focd.port_window_ends_on == D(2026, 11, 30)  # Tue, Wed, (Thanksgiving), Fri, Mon
    assert focd.status == Status.FOC_SENT and focd.due_date_sup_count == 1
    assert "requested Mon 11/23 kept" in focd.foc_explanation


def test_sup2_one_business_day_before_the_foc_counts_the_interval_from_the_sup(focd, alice):
    sup = sup2(focd, at(2026, 11, 18, 10), D(2026, 11, 20), alice)
    focd.refresh_from_db()
    assert sup.new_foc_date == focd.foc_date == D(2026, 11, 24)
    assert "less than 2 business days before FOC Thu 11/19" in sup.explanation


def test_sup2_in_time_inside_the_interval_keeps_its_date(focd, alice):
    # Mon 11/16 is 3 business days before the FOC Thu 11/19: the SUP keeps Wed 11/18 although
    # the interval from the SUP ends Fri 11/20 (R10: only a late SUP gets the interval).
    sup = sup2(focd, at(2026, 11, 16, 10), D(2026, 11, 18), alice)
    focd.refresh_from_db()
    assert sup.new_foc_date == focd.foc_date == D(2026, 11, 18)
    assert "requested Wed 11/18 kept" in sup.explanation


def test_sup2_late_with_the_same_date_gets_the_interval(focd, alice):
    sup = sup2(focd, at(2026, 11, 18, 10), D(2026, 11, 18), alice)
    assert sup.new_foc_date == D(2026, 11, 24)
    assert "interval counted from the SUP" in sup.explanation


def test_sup2_with_a_past_date_is_refused(focd, alice):
    with pytest.raises(DomainError, match="in the past"):
        sup2(focd, at(2026, 11, 16, 10), D(2026, 11, 13), alice)
    focd.refresh_from_db()
    assert focd.foc_date == D(2026, 11, 19) and focd.due_date_sup_count == 0


def test_sup2_more_than_30_days_out_is_refused(focd, alice):
    with pytest.raises(DomainError, match="R9"):
        sup2(focd, at(2026, 11, 16, 10), D(2026, 12, 17), alice)


def test_sup2_before_the_foc_reruns_the_proposal(make_account, requester, alice):
    _, tns = make_account(2)
    order = services.lsr_receive(requesting_carrier=requester, lsr=make_lsr(tns), now=LSR_AT)
    sup2(order, at(2026, 11, 17, 10), D(2026, 11, 27), alice)
    order.refresh_from_db()
    assert order.status == Status.RECEIVED
    assert order.rule_evaluation["foc"]["date"] == "2026-11-27"
    assert order.foc_date is None


# --- R12 -----------------------------------------------------------------------------------------


def three_sups(order, by):
    sup2(order, at(2026, 11, 16, 10), D(2026, 11, 23), by)
    sup2(order, at(2026, 11, 17, 10), D(2026, 11, 24), by)
    order.refresh_from_db()
    assert order.sup_flag == PortOrder.Decision.NONE
    sup = sup2(order, at(2026, 11, 18, 10), D(2026, 11, 25), by)
    order.refresh_from_db()
    return sup


def test_the_third_due_date_sup_flags_the_order_for_a_manager(focd, alice):
    sup = three_sups(focd, alice)
    assert focd.due_date_sup_count == 3
    assert focd.sup_flag == PortOrder.Decision.PENDING
    assert "flagged for a manager (R12)" in sup.explanation
    assert focd.foc_date == D(2026, 11, 25)  # the SUP itself is still processed


def test_the_threshold_is_the_requesting_carriers(focd, requester, alice):
    requester.sup_threshold = 2
    requester.save()
    sup2(focd, at(2026, 11, 16, 10), D(2026, 11, 23), alice)
    sup2(focd, at(2026, 11, 17, 10), D(2026, 11, 24), alice)
    focd.refresh_from_db()
    assert focd.sup_flag == PortOrder.Decision.PENDING


def test_manager_contacts_the_carrier_clears_the_flag(focd, alice, maria):
    three_sups(focd, alice)
    services.sup_flag_decide(order=focd, action="contact", comment="Called Pat.", by=maria)
    focd.refresh_from_db()
    assert focd.sup_flag == PortOrder.Decision.NONE and focd.status == Status.FOC_SENT
    assert Comment.objects.filter(order=focd, body__contains="Called Pat.").exists()


def test_manager_rejects_asking_for_a_new_lsr(focd, alice, maria):
    three_sups(focd, alice)
    services.sup_flag_decide(order=focd, action="reject", comment="No firm date.", by=maria)
    focd.refresh_from_db()
    assert focd.status == Status.REJECTED
    assert [r.code for r in focd.rejections.get().reasons.all()] == ["R12"]


def test_staff_cannot_decide_the_sup_flag(focd, alice):
    three_sups(focd, alice)
    with pytest.raises(PermissionDenied):
        services.sup_flag_decide(order=focd, action="contact", comment="x", by=alice)


# --- SUP 1 and SUP 3 -----------------------------------------------------------------------------


def test_sup1_cancels_the_lsr(focd, alice):
    services.sup_receive(order=focd, sup_type=1, by=alice)
    focd.refresh_from_db()
    assert focd.status == Status.CANCELLED
    with pytest.raises(DomainError, match="new LSR"):
        services.sup_receive(order=focd, sup_type=2, by=alice, requested_due_date=D(2026, 12, 1))


def test_sup3_records_the_change_and_reruns_the_rules(make_account, requester, alice):
    _, tns = make_account(3)
    order = services.lsr_receive(
        requesting_carrier=requester, lsr=make_lsr(tns[:1], received_at=LSR_AT), now=LSR_AT
    )
    assert order.rule_evaluation["reject_codes"] == ["R13"]
    sup = services.sup_receive(
        order=order,
        sup_type=3,
        by=alice,
        changes={"mi": "A", "disconnect_tns": [tns[2]]},
        remarks="Partial port, keep the fax line.",
    )
    order.refresh_from_db()
    assert order.mi == "A" and order.rule_evaluation["reject_codes"] == []
    assert sup.explanation == "SUP 3: changed disconnect_tns, mi; rules re-run, all pass."
    dispositions = dict(order.numbers.values_list("tn", "disposition"))
    assert dispositions == {tns[0]: "port", tns[1]: "remain", tns[2]: "disconnect"}
    assert "keep the fax line" in order.remarks


# --- NPAC events ---------------------------------------------------------------------------------


def test_npac_activation_of_every_tn_completes_the_order(focd, alice):
    tns = list(focd.numbers.values_list("tn", flat=True))
    services.npac_event_record(order=focd, kind="create", by=alice)
    assert set(focd.numbers.values_list("npac_status", flat=True)) == {"pending"}
    services.npac_event_record(order=focd, kind="concur", by=alice)
    when = at(2026, 11, 19, 9)
    services.npac_event_record(order=focd, kind="activate", tns=[tns[0]], by=alice, now=when)
    focd.refresh_from_db()
    assert focd.status == Status.FOC_SENT
    services.npac_event_record(order=focd, kind="activate", tns=[tns[1]], by=alice, now=when)
    focd.refresh_from_db()
    assert focd.status == Status.COMPLETED and focd.completed_at == when
    assert focd.numbers.filter(npac_status="active", activated_at=when).count() == 2
    assert NpacEvent.objects.filter(order=focd).count() == 6


def test_npac_activation_needs_the_foc(make_account, requester, alice):
    _, tns = make_account(1)
    order = services.lsr_receive(requesting_carrier=requester, lsr=make_lsr(tns), now=LSR_AT)
    with pytest.raises(DomainError, match="FOC"):
        services.npac_event_record(order=order, kind="activate", by=alice)


def test_npac_concurrence_needs_a_pending_subscription(focd, alice):
    with pytest.raises(DomainError, match="No pending subscription"):
        services.npac_event_record(order=focd, kind="concur", by=alice)


def test_npac_event_for_a_tn_not_on_the_order_is_refused(focd, alice):
    with pytest.raises(DomainError, match="Not TNs to port"):
        services.npac_event_record(order=focd, kind="create", tns=["5035559999"], by=alice)


def test_npac_conflict_and_cancel_set_the_subscription_state(focd, alice):
    services.npac_event_record(order=focd, kind="conflict", by=alice)
    assert set(focd.numbers.values_list("npac_status", flat=True)) == {"conflict"}
    services.npac_event_record(order=focd, kind="cancel", by=alice)
    assert set(focd.numbers.values_list("npac_status", flat=True)) == {"cancelled"}


# --- NPAC cancel records (R11) -------------------------------------------------------------------


def test_cancel_records_are_marked_sent_then_confirmed(focd, alice):
    numbers = list(focd.numbers.all())
    records = [
        NpacCancelRecordFactory(order=focd, tn=n.tn, created_at=at(2026, 11, 26, 1))
        for n in numbers
    ]
    ids = [r.pk for r in records]
    assert services.npac_cancel_mark_confirmed(record_ids=ids) == 0  # not sent yet
    assert services.npac_cancel_mark_sent(record_ids=ids) == 2
    assert services.npac_cancel_mark_sent(record_ids=ids) == 0  # idempotent
    assert services.npac_cancel_mark_confirmed(record_ids=ids[:1]) == 1
    states = sorted(r.state for r in NpacCancelRecord.objects.all())
    assert states == ["confirmed", "sent"]
    assert OrderNumber.objects.get(order=focd, tn=records[0].tn).npac_status == "cancelled"
