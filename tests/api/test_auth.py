"""Keys: Bearer only, revoked and unknown keys 401, scopes 403, last use written at most once a
minute, the rate limit 429 with Retry-After."""

import datetime

import pytest
from django.utils import timezone

from api.models import ApiKey
from api.services.keys import api_key_authenticate, api_key_create, api_key_revoke
from orders.lifecycle import DomainError
from tests.api.conftest import ApiClient, portin_body

pytestmark = pytest.mark.django_db


def test_a_request_without_a_key_is_a_401_problem(client):
    response = ApiClient(client, "").get("/orders")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    problem = response.json()
    assert problem["status"] == 401
    assert problem["errors"][0]["field"] == "Authorization"


def test_a_revoked_key_gets_401(client, crm):
    key, raw = api_key_create(partner=crm, name="to revoke")
    api = ApiClient(client, raw)
    assert api.get("/orders").status_code == 200
    assert api_key_revoke(key=key) is True
    response = api.get("/orders")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_an_unknown_or_altered_key_gets_401(client, crm_key):
    assert ApiClient(client, crm_key[:-1] + "x").get("/orders").status_code == 401
    assert ApiClient(client, "pd_0000000000_" + "a" * 43).get("/orders").status_code == 401
    assert ApiClient(client, "not-a-key").get("/orders").status_code == 401


def test_an_inactive_partners_key_gets_401(client, crm, crm_key):
    crm.active = False
    crm.save()
    assert ApiClient(client, crm_key).get("/orders").status_code == 401


def test_only_the_hash_and_prefix_are_stored(crm):
    key, raw = api_key_create(partner=crm, name="stored")
    stored = ApiKey.objects.values().get(pk=key.pk)
    assert raw not in str(stored)
    assert raw.startswith(f"pd_{key.prefix}_")


def test_a_key_without_the_scope_is_refused_with_403(wireless_api, desk):
    response = wireless_api.post("/port-ins", portin_body(["5035550101"]))
    assert response.status_code == 403
    assert "port-in write" in response.json()["detail"]


def test_a_scope_the_partners_kind_cannot_hold_is_refused(crm, wireless):
    with pytest.raises(DomainError, match="trading-partner"):
        api_key_create(partner=crm, name="x", can_submit_port_out=True)
    with pytest.raises(DomainError, match="our own systems"):
        api_key_create(partner=wireless, name="x", can_write_port_in=True)


def test_last_used_is_written_at_most_once_a_minute(crm):
    key, raw = api_key_create(partner=crm, name="clock")
    now = timezone.now()
    api_key_authenticate(raw, now=now)
    key.refresh_from_db()
    assert key.last_used_at == now
    api_key_authenticate(raw, now=now + datetime.timedelta(seconds=30))
    key.refresh_from_db()
    assert key.last_used_at == now
    later = now + datetime.timedelta(seconds=61)
    api_key_authenticate(raw, now=later)
    key.refresh_from_db()
    assert key.last_used_at == later


def test_the_rate_limit_answers_429_with_retry_after(crm_api, other_api, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    statuses = [crm_api.get("/orders").status_code for _ in range(4)]
    if statuses[-1] != 429:
        # The minute turned between two requests: a fresh window; go over it again.
        statuses = [crm_api.get("/orders").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    response = crm_api.get("/orders")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 1 <= int(response["Retry-After"]) <= 60
    # Per key: another partner's key is not slowed down.
    assert other_api.get("/orders").status_code == 200
