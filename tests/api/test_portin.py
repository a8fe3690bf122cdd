"""Port-in through the API: the desk's create (split by losing SPID), submit, cancel, comment,
document upload and portability check, each answered once per Idempotency-Key."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from api.models import IdempotencyRecord, PartnerOrder
from orders.models import Comment, Direction, Document, PortOrder, Status
from tests.api.conftest import portin_body

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_create_splits_by_losing_spid_and_lists_the_refused_tns(crm_api, crm, desk):
    desk.numbers(desk.lsp_spid, "5035550101")
    desk.numbers(desk.rural_spid, "5415550102")
    response = crm_api.post("/port-ins", portin_body(["503-555-0101", "5415550102", "12"]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert sorted(o["losing_spid"] for o in body["orders"]) == ["4420", "9100"]
    assert [r["tn"] for r in body["refused"]] == ["12"]
    assert all(o["status"] == "draft" and o["direction"] == "in" for o in body["orders"])
    assert PartnerOrder.objects.filter(partner=crm).count() == 2
    # Never the PIN or the full account number.
    assert "4321" not in response.content.decode()
    assert "99887766" not in response.content.decode()
    assert body["orders"][0]["end_user"]["account_number"].endswith("7766")
    assert body["orders"][0]["pin_on_file"] is True


def test_a_repeated_idempotency_key_creates_one_order(crm_api, desk):
    desk.numbers(desk.rural_spid, "5415550102")
    body = portin_body(["5415550102"])
    first = crm_api.post("/port-ins", body, key="create-1")
    again = crm_api.post("/port-ins", body, key="create-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert PortOrder.objects.filter(direction=Direction.PORT_IN).count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(crm_api, desk):
    desk.numbers(desk.rural_spid, "5415550102", "5415550103")
    assert crm_api.post("/port-ins", portin_body(["5415550102"]), key="k").status_code == 201
    response = crm_api.post("/port-ins", portin_body(["5415550103"]), key="k")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert PortOrder.objects.count() == 1


def test_keys_are_per_partner(crm_api, other_api, desk):
    desk.numbers(desk.rural_spid, "5415550102", "5415550103")
    assert crm_api.post("/port-ins", portin_body(["5415550102"]), key="k").status_code == 201
    assert other_api.post("/port-ins", portin_body(["5415550103"]), key="k").status_code == 201
    assert PortOrder.objects.count() == 2


def test_a_post_without_an_idempotency_key_is_a_422_naming_the_header(crm_api, desk):
    response = crm_api.post("/port-ins", portin_body(["5415550102"]), key=None)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["header.Idempotency-Key"]


def test_a_body_that_does_not_validate_is_a_problem_naming_each_field(crm_api, desk):
    body = portin_body(["5415550102"], notification_email="nope")
    del body["end_user"]["account_name"]
    response = crm_api.post("/port-ins", body)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"body.end_user.account_name", "body.notification_email"}


def test_a_malformed_json_body_is_a_400_problem(client, crm_key):
    response = client.post(
        "/api/v1/port-ins",
        data="{not json",
        content_type="application/json",
        headers={"authorization": f"Bearer {crm_key}", "idempotency-key": "x"},
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_every_tn_refused_creates_nothing_and_names_each_tn(crm_api, desk):
    desk.numbers(desk.our_spid, "5035550199")
    response = crm_api.post("/port-ins", portin_body(["5035550199", "9995550100"]))
    assert response.status_code == 422
    messages = [e["message"] for e in response.json()["errors"]]
    assert any(m.startswith("5035550199: already ours") for m in messages)
    assert any("not found in the NPAC view" in m for m in messages)
    assert PortOrder.objects.count() == 0


def test_a_due_date_outside_the_working_window_is_refused(crm_api, desk):
    response = crm_api.post(
        "/port-ins", portin_body(["5415550102"], requested_due_date="2999-01-01")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.requested_due_date"


def _create(api, desk, tn="5415550102", spid=None):
    desk.numbers(spid or desk.rural_spid, tn)
    response = api.post("/port-ins", portin_body([tn]), key=f"create-{tn}")
    assert response.status_code == 201, response.content
    return response.json()["orders"][0]["id"]


def test_submit_sends_the_lsr(crm_api, desk):
    order_id = _create(crm_api, desk)
    response = crm_api.post(f"/port-ins/{order_id}/submit", key="submit-1")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    # The same key again: the first answer, nothing sent twice.
    again = crm_api.post(f"/port-ins/{order_id}/submit", key="submit-1")
    assert again.json() == response.json()
    # A new key: the lifecycle refuses a second submit (409, the order's state).
    refused = crm_api.post(f"/port-ins/{order_id}/submit", key="submit-2")
    assert refused.status_code == 409
    assert "submitted" in refused.json()["detail"].lower()


def test_submit_before_the_csr_is_refused_naming_f1(crm_api, desk):
    order_id = _create(crm_api, desk, "5035550101", desk.lsp_spid)
    response = crm_api.post(f"/port-ins/{order_id}/submit")
    assert response.status_code == 422
    assert response.json()["errors"][0]["rule"] == "F1"
    assert PortOrder.objects.get(pk=order_id).status == Status.DRAFT


def test_cancel_cancels_and_a_second_cancel_conflicts(crm_api, desk):
    order_id = _create(crm_api, desk)
    response = crm_api.post(f"/port-ins/{order_id}/cancel", {"reason": "Customer changed mind"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    again = crm_api.post(f"/port-ins/{order_id}/cancel", {"reason": "again"}, key="cancel-2")
    assert again.status_code == 409


def test_comment_is_recorded_under_the_partners_name(crm_api, crm, desk):
    order_id = _create(crm_api, desk)
    response = crm_api.post(f"/port-ins/{order_id}/comments", {"body": "Customer called."})
    assert response.status_code == 201, response.content
    comment = Comment.objects.get(pk=response.json()["id"])
    assert comment.author.first_name == crm.name
    assert comment.source == Comment.Source.STAFF
    assert not comment.author.has_usable_password()


def test_upload_stores_the_loa_and_refuses_a_file_by_its_content(crm_api, desk):
    order_id = _create(crm_api, desk)
    loa = SimpleUploadedFile("loa.pdf", PDF, content_type="application/pdf")
    response = crm_api.upload(f"/port-ins/{order_id}/documents", kind="loa", file=loa)
    assert response.status_code == 201, response.content
    assert Document.objects.get(pk=response.json()["id"]).kind == "loa"
    zipped = SimpleUploadedFile("bill.pdf", b"PK\x03\x04" + b"\x00" * 64)
    refused = crm_api.upload(
        f"/port-ins/{order_id}/documents", kind="bill", file=zipped, key="upload-2"
    )
    assert refused.status_code == 422
    assert "not an allowed document" in refused.json()["detail"]


def test_another_partners_order_is_not_found_for_every_action(crm_api, other_api, desk):
    order_id = _create(crm_api, desk)
    assert other_api.get(f"/orders/{order_id}").status_code == 404
    assert other_api.post(f"/port-ins/{order_id}/submit").status_code == 404
    assert (
        other_api.post(f"/port-ins/{order_id}/cancel", {"reason": "x"}, key="c").status_code == 404
    )
    assert (
        other_api.post(f"/port-ins/{order_id}/comments", {"body": "x"}, key="m").status_code == 404
    )
    pdf = SimpleUploadedFile("loa.pdf", PDF)
    assert (
        other_api.upload(f"/port-ins/{order_id}/documents", kind="loa", file=pdf).status_code == 404
    )
    assert PortOrder.objects.get(pk=order_id).status == Status.DRAFT
    assert not Comment.objects.filter(order_id=order_id, body="x").exists()


def test_portability_names_carrier_and_spid_or_why_not(crm_api, desk):
    desk.numbers(desk.lsp_spid, "5035550101")
    desk.numbers(desk.our_spid, "5035550199")
    response = crm_api.get("/portability", {"tn": ["(503) 555-0101", "5035550199", "x1"]})
    assert response.status_code == 200, response.content
    results = {r["tn"]: r for r in response.json()["results"]}
    assert results["5035550101"]["portable"] is True
    assert results["5035550101"]["losing_carrier"] == "Pacific Bell"
    assert results["5035550101"]["losing_spid"] == "9100"
    assert results["5035550199"]["reason"].startswith("already ours")
    assert results["x1"]["reason"].startswith("not a valid TN")


def test_the_upload_answer_is_replayed_for_the_same_file(crm_api, desk):
    order_id = _create(crm_api, desk)
    first = crm_api.upload(
        f"/port-ins/{order_id}/documents",
        kind="loa",
        file=SimpleUploadedFile("loa.pdf", PDF),
        key="u",
    )
    assert first.status_code == 201, first.content
    again = crm_api.upload(
        f"/port-ins/{order_id}/documents",
        kind="loa",
        file=SimpleUploadedFile("loa.pdf", PDF),
        key="u",
    )
    assert again.status_code == 201
    assert Document.objects.filter(order_id=order_id, kind="loa").count() == 1
