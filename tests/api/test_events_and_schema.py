"""The events feed (a cursor on the event id), the OpenAPI 3.1 schema (every status an
operation can answer is declared; problems as application/problem+json) and the docs page
(the wheel's own Swagger UI files, nothing from the internet)."""

import re

import pytest

from tests.api.conftest import portin_body

pytestmark = pytest.mark.django_db


def test_the_events_feed_follows_the_partners_orders_by_cursor(crm_api, other_api, desk):
    desk.numbers(desk.rural_spid, "5415550102", "5415550103")
    order_id = crm_api.post("/port-ins", portin_body(["5415550102"])).json()["orders"][0]["id"]
    other_api.post("/port-ins", portin_body(["5415550103"]))
    start = crm_api.get("/events").json()
    assert crm_api.post(f"/port-ins/{order_id}/submit", key="s").status_code == 200
    page = crm_api.get("/events", {"after": start["next_after"] or 0}).json()
    kinds = [(e["order_id"], e["kind"]) for e in page["events"]]
    assert (order_id, "status_changed") in kinds
    assert {e["order_id"] for e in page["events"]} == {order_id}
    status = next(e for e in page["events"] if e["kind"] == "status_changed")
    assert status["data"]["to"] == "submitted"
    # Read to the end: the same cursor comes back and nothing is repeated.
    end = crm_api.get("/events", {"after": page["next_after"]}).json()
    assert end == {"events": [], "next_after": page["next_after"]}


def test_the_feed_and_the_portability_check_refuse_bad_queries(crm_api, wireless_api):
    assert crm_api.get("/events", {"limit": 0}).status_code == 422
    assert crm_api.get("/events", {"after": -1}).status_code == 422
    missing = crm_api.get("/portability")
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "query.tn"
    # The check names the open orders a TN is on: only for the keys that create port-ins.
    assert wireless_api.get("/portability", {"tn": "5035550101"}).status_code == 403


def _schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_openapi_3_1_and_declares_every_problem(client):
    schema = _schema(client)
    assert schema["openapi"].startswith("3.1")
    operations = [
        (path, method, op)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
    assert len(operations) == 11
    for path, method, op in operations:
        declared = set(op["responses"])
        assert {"401", "403", "422", "429"} <= declared, (path, method)
        if "{order_id}" in path:
            assert "404" in declared, (path, method)
        if method == "post":
            assert "400" in declared, (path, method)
            names = {p["name"] for p in op.get("parameters", []) if p["in"] == "header"}
            assert "Idempotency-Key" in names, (path, method)
        for status, response in op["responses"].items():
            media = set(response.get("content", {}))
            expected = "application/problem+json" if int(status) >= 400 else "application/json"
            assert media == {expected}, (path, method, status)


def test_the_docs_page_loads_only_the_portals_own_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/ninja/") for s in sources), sources
    assert "https://" not in html and "http://" not in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
