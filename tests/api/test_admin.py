"""Keys in the admin: the full key shown once, in the message after saving; afterwards only
its prefix; revoked from the list at once."""

import pytest

from api.models import ApiKey
from api.services.keys import api_key_authenticate

pytestmark = pytest.mark.django_db


def test_a_key_made_in_the_admin_is_shown_once_then_only_its_prefix(admin_client_, crm):
    response = admin_client_.post(
        "/admin/api/apikey/add/",
        {"partner": crm.pk, "name": "CRM production", "can_read": "on", "can_write_port_in": "on"},
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    raw = next(word for m in shown for word in m.split() if word.startswith("pd_"))
    key = ApiKey.objects.get()
    assert api_key_authenticate(raw) == key
    assert key.can_write_port_in and not key.can_submit_port_out
    page = admin_client_.get(f"/admin/api/apikey/{key.pk}/change/").content.decode()
    assert raw not in page
    assert f"pd_{key.prefix}_" in page
    listing = admin_client_.get("/admin/api/apikey/").content.decode()
    assert raw not in listing


def test_a_scope_the_partner_cannot_hold_is_refused_in_the_admin(admin_client_, crm):
    response = admin_client_.post(
        "/admin/api/apikey/add/",
        {"partner": crm.pk, "name": "x", "can_submit_port_out": "on"},
    )
    assert response.status_code == 200
    assert "Only a trading-partner carrier" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_revoking_from_the_admin_refuses_the_key_at_once(admin_client_, crm_api, crm):
    key = ApiKey.objects.get(partner=crm)
    assert crm_api.get("/orders").status_code == 200
    admin_client_.post(
        "/admin/api/apikey/",
        {"action": "revoke_keys", "_selected_action": [key.pk]},
    )
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert crm_api.get("/orders").status_code == 401
