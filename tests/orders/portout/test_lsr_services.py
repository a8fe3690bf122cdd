"""LSR intake and decision (orders.services.portout): versions, FOC, rejects, expedites,
partial ports and the PIN."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied

from orders.lifecycle import DomainError
from orders.models import OrderNumber, PortOrder, Rejection, Status
from orders.services import portout as services

from .conftest import MONDAY, at, fresh_tn, make_lsr

pytestmark = pytest.mark.django_db
D = datetime.date


def receive(requester, lsr, **kw):
    kw.setdefault("now", lsr.received_at)
    return services.lsr_receive(requesting_carrier=requester, lsr=lsr, **kw)


def groups(order):
    found = {d: [] for d in OrderNumber.Disposition.values}
    for number in order.numbers.order_by("tn"):
        found[number.disposition].append(number.tn)
    return found


def test_lsr_receive_creates_the_port_out_order_with_findings(make_account, requester, ours, alice):
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns), by=alice)
    assert order.is_port_out and order.status == Status.RECEIVED
    assert order.losing_carrier == ours and order.new_carrier == requester
    assert order.tn_count == 1 and order.simple_port
    assert order.losing_spid.code == "7231"
    assert order.effective_received_on == MONDAY.date()
    assert groups(order)["port"] == tns
    assert order.rule_evaluation["reject_codes"] == []
    assert order.rule_evaluation["foc"]["date"] == "2026-11-30"  # the requested date
    assert order.history.get().to_status == Status.RECEIVED


def test_lsr_decide_sends_the_foc_with_its_explanation_and_port_window(
    make_account, requester, alice
):
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns, requested_due_date=D(2026, 11, 16)))
    services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
    order.refresh_from_db()
    assert order.status == Status.FOC_SENT
    assert order.foc_date == D(2026, 11, 17)
    assert order.foc_explanation == (
        "received Mon 11/16 10:00 -> Mon 11/16; simple port 1 business day -> Tue 11/17; "
        "requested Mon 11/16 -> FOC Tue 11/17"
    )
    # R11: FOC + our carrier's 4 business days: Wed, Thu, Fri, Mon.
    assert order.port_window_ends_on == D(2026, 11, 23)


def test_foc_is_refused_while_a_rule_fails(make_account, requester, alice):
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns, authorization_indicator=False))
    with pytest.raises(DomainError, match="fails R4"):
        services.lsr_decide(order=order, decision="foc", by=alice)
    order.refresh_from_db()
    assert order.status == Status.RECEIVED


def test_reject_lists_every_failing_rule(make_account, requester, alice):
    _, tns = make_account(2, statuses={1: "disconnected"})
    lsr = make_lsr([*tns, fresh_tn()], reqtype="BB", act="A", account_name="")
    order = receive(requester, lsr)  # R16 (account name): rejected at once, with every rule
    order.refresh_from_db()
    assert order.status == Status.REJECTED
    rejection = order.rejections.get()
    assert rejection.source == Rejection.Source.VALIDATION
    assert sorted(r.code for r in rejection.reasons.all()) == ["R14", "R15", "R16", "R2"]
    assert "R16 account name" in rejection.text
    assert rejection.returned_to_customer_at is not None


def test_reject_with_every_rule_passing_needs_a_reason(make_account, requester, alice):
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns))
    with pytest.raises(DomainError, match="choose a reason"):
        services.lsr_decide(order=order, decision="reject", by=alice)
    services.lsr_decide(
        order=order, decision="reject", by=alice, reason_codes=["OTHER"], text="Duplicate."
    )
    assert order.status == Status.REJECTED


def test_same_pon_and_ver_from_the_same_carrier_is_refused(make_account, requester):
    _, tns = make_account(1)
    receive(requester, make_lsr(tns))
    with pytest.raises(DomainError, match="already logged"):
        receive(requester, make_lsr(tns))


def test_same_pon_from_another_carrier_is_another_request(make_account, requester, agent):
    _, tns = make_account(2)  # one TN each: a TN is on one open LSR at a time (F7)
    receive(requester, make_lsr(tns[:1]))
    assert receive(agent, make_lsr(tns[1:])).pk


def test_version_2_after_a_reject_is_a_new_order_superseding_the_first(
    make_account, requester, alice
):
    _, tns = make_account(1)
    v1 = receive(requester, make_lsr(tns, authorization_indicator=False))
    services.lsr_decide(order=v1, decision="reject", by=alice)
    v2 = receive(requester, make_lsr(tns, version=2, received_at=at(2026, 11, 17, 9)))
    assert v2.supersedes == v1 and v2.version == 2
    assert v2.rule_evaluation["reject_codes"] == []
    v1.refresh_from_db()
    assert v1.status == Status.REJECTED  # a rejected LSR stays rejected
    services.lsr_decide(order=v2, decision="foc", by=alice, now=at(2026, 11, 17, 9))
    assert v2.status == Status.FOC_SENT


def test_a_higher_version_cancels_an_open_earlier_version(make_account, requester):
    _, tns = make_account(1)
    v1 = receive(requester, make_lsr(tns))
    receive(requester, make_lsr(tns, version=3))
    v1.refresh_from_db()
    assert v1.status == Status.CANCELLED
    with pytest.raises(DomainError, match="older"):
        receive(requester, make_lsr(tns, version=2))


def test_missing_ver_is_r16_and_takes_the_next_free_number(make_account, requester):
    _, tns = make_account(1)
    receive(requester, make_lsr(tns))
    order = receive(requester, make_lsr(tns, version=None))
    assert order.version == 2 and order.supersedes is None
    assert "R16" in order.rule_evaluation["reject_codes"]


def test_an_lsr_missing_required_fields_is_logged_and_rejected_at_once_naming_them(
    make_account, requester
):
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns, pon="", version=None, account_name=""))
    order.refresh_from_db()
    assert order.status == Status.REJECTED and order.pon == "(no PON)"
    rejection = order.rejections.get()
    assert "R16" in {r.code for r in rejection.reasons.all()}
    for field in ("PON", "VER", "account name"):
        assert f"R16 {field}:" in rejection.text
    # The LSR as received keeps its empty PON: the finding, not the placeholder, is the fact.
    assert order.lsr_snapshot["pon"] == ""
    assert {"PON", "VER", "account name"} <= {
        f["field_or_tn"] for f in order.rule_evaluation["findings"] if f["rule"] == "R16"
    }
    assert order.history.order_by("pk").last().to_status == Status.REJECTED


def test_two_lsrs_without_a_pon_are_two_orders(make_account, requester):
    _, tns = make_account(1)
    first = receive(requester, make_lsr(tns, pon=""))
    second = receive(requester, make_lsr(tns, pon=""))
    assert (first.version, second.version) == (1, 2)
    assert second.supersedes is None


# --- expedite (R8) -------------------------------------------------------------------------------


def expedite_order(make_account, requester, alice):
    _, tns = make_account(2)  # port only: 4 business days -> Fri 11/20
    order = receive(requester, make_lsr(tns, requested_due_date=D(2026, 11, 17), expedite=True))
    services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
    assert order.status == Status.EXPEDITE_REVIEW
    assert order.expedite_decision == PortOrder.Decision.PENDING
    return order


def test_expedite_accepted_sends_the_foc_at_the_requested_date(
    make_account, requester, alice, maria
):
    order = expedite_order(make_account, requester, alice)
    services.expedite_decide(order=order, accept=True, by=maria)
    order.refresh_from_db()
    assert order.status == Status.FOC_SENT
    assert order.foc_date == D(2026, 11, 17)
    assert order.expedite_decision == PortOrder.Decision.ACCEPTED
    assert order.foc_explanation.endswith("expedite accepted -> FOC Tue 11/17")


def test_expedite_refused_sends_the_foc_at_the_interval(make_account, requester, alice, maria):
    order = expedite_order(make_account, requester, alice)
    services.expedite_decide(order=order, accept=False, by=maria)
    order.refresh_from_db()
    assert order.foc_date == D(2026, 11, 20)
    assert order.expedite_decision == PortOrder.Decision.REFUSED


def test_only_a_manager_decides_an_expedite(make_account, requester, alice):
    order = expedite_order(make_account, requester, alice)
    with pytest.raises(PermissionDenied):
        services.expedite_decide(order=order, accept=True, by=alice)


# --- partial ports (R13) -------------------------------------------------------------------------


def test_partial_port_without_mi_a_is_rejected(make_account, requester, alice):
    _, tns = make_account(3)
    order = receive(requester, make_lsr(tns[:1]))
    assert order.rule_evaluation["reject_codes"] == ["R13"]
    services.lsr_decide(order=order, decision="reject", by=alice)
    assert [r.code for r in order.rejections.get().reasons.all()] == ["R13"]


def test_partial_port_with_mi_a_is_accepted_with_three_tn_groups(make_account, requester, alice):
    _, tns = make_account(5)
    lsr = make_lsr(tns[:2], mi="A", disconnect_tns=[tns[2]], remarks=f"Disconnect {tns[3]}")
    order = receive(requester, lsr)
    assert groups(order) == {"port": tns[:2], "disconnect": tns[2:4], "remain": tns[4:]}
    assert order.tn_count == 2
    services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
    assert order.status == Status.FOC_SENT


# --- PIN -----------------------------------------------------------------------------------------


def test_pin_is_checked_and_only_the_match_is_kept(make_account, requester):
    _, tns = make_account(3, pin="918273")  # one TN per LSR: one open LSR per TN (F7)
    good = receive(requester, make_lsr(tns[:1], mi="A"), pin="918273")
    bad = receive(requester, make_lsr(tns[1:2], mi="A", pon="PON-2"), pin="000000")
    none = receive(requester, make_lsr(tns[2:], mi="A", pon="PON-3"))
    assert (good.pin_matched, bad.pin_matched, none.pin_matched) == (True, False, None)
    stored = PortOrder.objects.filter(pk=good.pk).values().get()
    assert "918273" not in json.dumps(stored, default=str)


# --- disputes (R6) -------------------------------------------------------------------------------


def test_open_dispute_holds_the_foc_until_resolved(make_account, requester, alice):
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns))
    dispute = services.dispute_open(order=order, description="End user denies", by=alice)
    services.dispute_request_evidence(dispute=dispute, by=alice, notes="LOA please")
    with pytest.raises(DomainError, match="dispute"):
        services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
    services.dispute_record_evidence(dispute=dispute, by=alice, notes="Signed LOA received")
    services.dispute_resolve(dispute=dispute, resolution="upheld", by=alice)
    dispute.refresh_from_db()
    assert dispute.evidence_requested_at and dispute.evidence_received_at and dispute.resolved_at
    assert "Signed LOA received" in dispute.evidence_notes
    services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
    assert order.status == Status.FOC_SENT


def test_an_order_made_without_intake_is_judged_on_its_own_fields(make_account, requester, ours):
    from tests.factories import OrderNumberFactory, PortOutOrderFactory

    account, tns = make_account(1)
    order = PortOutOrderFactory(
        new_carrier=requester,
        losing_carrier=ours,
        received_at=MONDAY,
        account_name="",
        account_number=account.account_number,
        zip_code=account.zip_code,
    )
    OrderNumberFactory(order=order, tn=tns[0])
    findings = services.lsr_rerun(order=order)
    assert {f.code for f in findings if f.is_reject} == {"R16"}
    assert [f.field_or_tn for f in findings if f.rule == "R16"] == ["account name"]


def test_a_staff_simple_port_override_drives_the_foc_but_not_the_classification(
    make_account, requester, alice
):
    _, tns = make_account(2)  # two lines: port only, 4 business days
    order = receive(requester, make_lsr(tns, requested_due_date=D(2026, 11, 16)))
    PortOrder.objects.filter(pk=order.pk).update(simple_port_override=True)
    order.refresh_from_db()
    services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
    order.refresh_from_db()
    assert order.foc_date == D(2026, 11, 17)  # the simple-port interval, 1 business day
    assert order.simple_port is False
