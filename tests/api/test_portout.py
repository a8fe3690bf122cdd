"""Port-out through the API: a trading partner's LSR is logged and evaluated by the desk's
intake, answered with the findings (rule ids, codes); SUPs go through the desk's service."""

import pytest

from api.models import PartnerOrder
from orders.models import PortOrder, Status, Supplement
from orders.services import portout
from tests.api.conftest import due_in
from tests.factories import PortOutOrderFactory, business_day_in
from tests.orders.portout.conftest import account_fields

pytestmark = pytest.mark.django_db


def lsr_body(tns, **overrides) -> dict:
    body = {
        "pon": "WW-1001",
        "version": 1,
        "reqtype": "C",
        "act": "V",
        "requested_due_date": business_day_in(12).isoformat(),
        "tns": list(tns),
        "btn": tns[0],
        "authorization_indicator": True,
        **account_fields(tns),
    }
    body.update(overrides)
    return body


def test_an_lsr_is_logged_and_answered_with_its_evaluation(wireless_api, wireless, make_account):
    account, tns = make_account(2, pin="8642")
    response = wireless_api.post("/port-outs", lsr_body(tns, pin="8642"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["direction"] == "out" and body["status"] == "received"
    assert body["pon"] == "WW-1001"
    assert {n["tn"] for n in body["numbers"]} == set(tns)
    evaluation = body["evaluation"]
    assert evaluation["findings"], "the rules' findings come back"
    assert all({"rule", "code", "message", "field_or_tn"} <= set(f) for f in evaluation["findings"])
    assert body["pin_matched"] is True
    assert "8642" not in response.content.decode()
    assert account.account_number not in response.content.decode()
    assert PartnerOrder.objects.filter(partner=wireless, order_id=body["id"]).exists()


def test_an_lsr_missing_its_pon_is_logged_and_rejected_by_r16(wireless_api, make_account):
    _account, tns = make_account(1)
    response = wireless_api.post("/port-outs", lsr_body(tns, pon=""))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "rejected"
    assert "R16" in {f["rule"] for f in body["evaluation"]["findings"]}
    assert body["rejections"] and body["rejections"][0]["reasons"]


def test_a_bad_tn_is_a_422_naming_its_position(wireless_api, make_account):
    _account, tns = make_account(1)
    response = wireless_api.post("/port-outs", lsr_body([tns[0], "555"]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.tns.1"
    assert PortOrder.objects.count() == 0


def test_the_same_pon_and_ver_again_with_a_new_key_is_refused(wireless_api, make_account):
    _account, tns = make_account(1)
    assert wireless_api.post("/port-outs", lsr_body(tns), key="a").status_code == 201
    again = wireless_api.post("/port-outs", lsr_body(tns), key="b")
    assert again.status_code == 422
    assert "already logged" in again.json()["detail"]


def test_once_decided_the_order_carries_the_foc(wireless_api, make_account, alice):
    _account, tns = make_account(1)
    order_id = wireless_api.post("/port-outs", lsr_body(tns)).json()["id"]
    order = PortOrder.objects.get(pk=order_id)
    if order.status == Status.RECEIVED and not order.rule_evaluation.get("reject_codes"):
        portout.lsr_decide(order=order, by=alice, decision="foc")
    body = wireless_api.get(f"/orders/{order_id}").json()
    assert body["status"] == "foc_sent"
    assert body["foc_date"] is not None


def test_a_sup_2_changes_the_due_date(wireless_api, make_account):
    _account, tns = make_account(1)
    order_id = wireless_api.post("/port-outs", lsr_body(tns)).json()["id"]
    new_date = business_day_in(15).isoformat()
    response = wireless_api.post(
        f"/port-outs/{order_id}/sups", {"sup_type": 2, "requested_due_date": new_date}, key="sup"
    )
    assert response.status_code == 201, response.content
    assert response.json()["order"]["requested_due_date"] == new_date
    assert Supplement.objects.filter(order_id=order_id).count() == 1


def test_a_sup_1_cancels_and_a_sup_on_a_closed_lsr_is_refused(wireless_api, make_account):
    _account, tns = make_account(1)
    order_id = wireless_api.post("/port-outs", lsr_body(tns)).json()["id"]
    cancel = wireless_api.post(f"/port-outs/{order_id}/sups", {"sup_type": 1}, key="s1")
    assert cancel.status_code == 201
    assert cancel.json()["order"]["status"] == "cancelled"
    again = wireless_api.post(f"/port-outs/{order_id}/sups", {"sup_type": 1}, key="s2")
    assert again.status_code == 422
    assert "open LSR" in again.json()["detail"]


def test_a_sup_on_another_carriers_lsr_is_not_found(wireless_api):
    theirs = PortOutOrderFactory()
    response = wireless_api.post(
        f"/port-outs/{theirs.pk}/sups", {"sup_type": 2, "requested_due_date": due_in(12)}
    )
    assert response.status_code == 404
    assert not Supplement.objects.exists()


def test_our_own_systems_do_not_submit_lsrs(crm_api, make_account):
    _account, tns = make_account(1)
    response = crm_api.post("/port-outs", lsr_body(tns))
    assert response.status_code == 403
    assert PortOrder.objects.count() == 0
