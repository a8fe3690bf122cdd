"""R18 through the services: the FOC waits while a validation-field finding stands, until a
SUP 3 fixes the field or a manager overrides it with a reason; the reject names the field and
never our stored value."""

import json

import pytest
from django.core.exceptions import PermissionDenied

from orders.lifecycle import DomainError
from orders.models import Comment, FindingOverride, Rejection, Status
from orders.services import portout as services

from .conftest import MONDAY, make_lsr

pytestmark = pytest.mark.django_db
PIN = "918273"


@pytest.fixture
def account_of_two(make_account):
    """Two lines with a PIN: porting both is not a simple port, so the name counts too."""
    return make_account(2, pin=PIN, name="Rose City Bakery LLC", zip_code="97204")


def receive(requester, lsr, **kw):
    return services.lsr_receive(requesting_carrier=requester, lsr=lsr, now=MONDAY, **kw)


def fraudulent(requester, account_of_two):
    _, tns = account_of_two
    lsr = make_lsr(tns, account_number="ACCT-31337", account_name="Mallory Ports")
    return receive(requester, lsr, pin="000000")


def r18(order):
    return [
        (f["field_or_tn"], f["code"])
        for f in order.rule_evaluation["findings"]
        if f["rule"] == "R18"
    ]


def test_an_lsr_matching_our_record_gets_its_foc(account_of_two, requester, alice):
    _, tns = account_of_two
    order = receive(requester, make_lsr(tns), pin=PIN)
    assert r18(order) == []
    services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
    assert order.status == Status.FOC_SENT


def test_the_fraudulent_lsr_has_every_r18_finding_and_no_foc(account_of_two, requester, alice):
    order = fraudulent(requester, account_of_two)
    # Findings are listed by rule, then field (as the page shows them).
    assert r18(order) == [
        ("PIN", "R18-PIN"),
        ("account number", "R18-ACCT"),
        ("end-user name", ""),
    ]
    with pytest.raises(DomainError, match="fails R18-PIN, R18-ACCT, R18 end-user name"):
        services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
    order.refresh_from_db()
    assert order.status == Status.RECEIVED


def test_a_name_mismatch_alone_still_stops_the_foc(account_of_two, requester, alice):
    _, tns = account_of_two
    order = receive(requester, make_lsr(tns, account_name="Rose City Bakers"), pin=PIN)
    assert order.rule_evaluation["reject_codes"] == []
    with pytest.raises(DomainError, match="R18 end-user name"):
        services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)


def test_a_manager_override_with_a_reason_lets_the_foc_go_and_is_in_the_history(
    account_of_two, requester, alice, maria
):
    order = fraudulent(requester, account_of_two)
    for field in ("account number", "PIN", "end-user name"):
        services.finding_override(
            order=order, field=field, reason=f"Customer confirmed by phone ({field}).", by=maria
        )
    services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
    assert order.status == Status.FOC_SENT
    override = FindingOverride.objects.get(order=order, field="PIN")
    assert override.by == maria and override.at and override.reason.startswith("Customer")
    note = Comment.objects.get(order=order, body__contains="R18 PIN finding overridden")
    assert note.author == maria
    assert note.body == "R18 PIN finding overridden by maria: Customer confirmed by phone (PIN)."


def test_only_a_manager_overrides_and_only_with_a_reason(account_of_two, requester, alice, maria):
    order = fraudulent(requester, account_of_two)
    with pytest.raises(PermissionDenied):
        services.finding_override(order=order, field="PIN", reason="Trust me.", by=alice)
    with pytest.raises(DomainError, match="reason is required"):
        services.finding_override(order=order, field="PIN", reason="  ", by=maria)
    with pytest.raises(DomainError, match="No R18 finding on the ZIP"):
        services.finding_override(order=order, field="ZIP", reason="Why not.", by=maria)
    assert not FindingOverride.objects.exists()


def test_one_override_leaves_the_other_findings_standing(account_of_two, requester, alice, maria):
    order = fraudulent(requester, account_of_two)
    services.finding_override(order=order, field="PIN", reason="PIN reset today.", by=maria)
    with pytest.raises(DomainError, match="R18-ACCT, R18 end-user name"):
        services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)


def test_a_sup3_fixing_the_fields_lets_the_foc_go(account_of_two, requester, alice):
    account, tns = account_of_two
    order = fraudulent(requester, account_of_two)
    sup = services.sup_receive(
        order=order,
        sup_type=3,
        by=alice,
        changes={
            "account_number": account.account_number.lower(),
            "account_name": "rose city bakery, llc",
            "pin": PIN,
        },
    )
    order.refresh_from_db()
    assert r18(order) == [] and order.pin_matched is True
    assert (
        sup.explanation
        == "SUP 3: changed PIN, account_name, account_number; rules re-run, all pass."
    )
    assert PIN not in sup.explanation
    services.lsr_decide(order=order, decision="foc", by=alice, now=MONDAY)
    assert order.status == Status.FOC_SENT


def test_a_sup3_resending_an_overridden_field_voids_the_override(
    account_of_two, requester, alice, maria
):
    order = fraudulent(requester, account_of_two)
    services.finding_override(order=order, field="end-user name", reason="d/b/a.", by=maria)
    services.sup_receive(
        order=order, sup_type=3, by=alice, changes={"account_name": "Somebody Else"}
    )
    assert FindingOverride.objects.get(order=order).voided_at is not None
    assert "R18 end-user name" in services.blockers_label(services.open_blockers(order))


def test_the_reject_names_the_fields_never_our_stored_values(account_of_two, requester, alice):
    account, tns = account_of_two
    lsr = make_lsr(tns, account_number="ACCT-31337", account_name="Mallory", zip_code="10001")
    order = receive(requester, lsr, pin="000000")
    services.lsr_decide(order=order, decision="reject", by=alice, now=MONDAY)
    assert order.status == Status.REJECTED
    rejection = Rejection.objects.get(order=order)
    assert {r.code for r in rejection.reasons.all()} == {"R18-ACCT", "R18-ZIP", "R18-PIN"}
    assert "account number" in rejection.text and "ZIP" in rejection.text
    order.refresh_from_db()
    stored = json.dumps([rejection.text, order.rule_evaluation, list(rejection.reasons.values())])
    for secret in (account.account_number, account.zip_code, PIN, "000000"):
        assert secret not in stored


def test_an_overridden_field_is_not_on_a_later_reject(account_of_two, requester, alice, maria):
    order = fraudulent(requester, account_of_two)
    services.finding_override(order=order, field="account number", reason="Renumbered.", by=maria)
    services.lsr_decide(order=order, decision="reject", by=alice, now=MONDAY)
    codes = set(Rejection.objects.get(order=order).reasons.values_list("code", flat=True))
    assert codes == {"R18-PIN"}


def test_the_catalogue_has_one_port_out_code_per_field(db):
    from orders.forms.portout_actions import portout_reasons

    codes = {r.code: r for r in portout_reasons().filter(rule="R18")}
    assert set(codes) == {"R18-ACCT", "R18-ZIP", "R18-PIN"}
    assert all(r.instructions for r in codes.values())
