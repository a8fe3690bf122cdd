import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_renders(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Porting desk" in response.content
    assert b'name="username"' in response.content


def test_wrong_password_shows_an_error(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_anonymous_user_is_sent_to_login_from_the_dashboard(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_alice_logs_in_and_sees_the_dashboard(client, alice):
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert b"<h1" in response.content and b"Dashboard" in response.content
    assert response.context["user"] == alice


def test_maria_is_a_manager_and_alice_is_not(maria, alice):
    assert maria.groups.filter(name="Porting managers").exists()
    assert maria.has_perm("orders.decide_expedite")
    assert not alice.has_perm("orders.decide_expedite")
    assert alice.has_perm("orders.change_portorder")


def test_logout_ends_the_session(alice_client):
    response = alice_client.post(reverse("logout"))
    assert response.status_code == 302
    assert alice_client.get(reverse("dashboard")).status_code == 302


def test_admin_link_only_for_superusers(client, alice, admin_user):
    client.force_login(alice)
    assert b"/admin/" not in client.get(reverse("dashboard")).content
    client.force_login(admin_user)
    assert b"/admin/" in client.get(reverse("dashboard")).content


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client, alice):
    for _ in range(5):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed log-ins" in response.content
    assert "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_failure_count(client, alice):
    for _ in range(4):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    client.post(reverse("logout"))
    for _ in range(4):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302


def test_passwords_are_validated_with_djangos_validators(alice):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("password", alice)
