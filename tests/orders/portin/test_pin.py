"""Port-in PINs: encrypted at rest, masked on the page, revealed only with the permission and
every reveal audited."""

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse

from orders.crypto import decrypt_pin, encrypt_pin, mask_pin
from orders.models import PinRevealAudit, PortOrder

pytestmark = pytest.mark.django_db

PIN = "7319"


def test_the_pin_is_encrypted_in_the_database(make_portin, desk):
    order = make_portin("5035550101", pin=PIN)

    stored = PortOrder.objects.values_list("pin_encrypted", flat=True).get(pk=order.pk)

    assert stored and stored != PIN and PIN not in stored
    assert decrypt_pin(stored) == PIN
    assert encrypt_pin(PIN) != stored  # random IV: the same PIN never looks the same twice


def test_mask_never_reveals_length_or_digits():
    assert mask_pin(encrypt_pin("12")) == mask_pin(encrypt_pin("12345678")) == "••••"
    assert mask_pin("") == ""
    assert encrypt_pin("") == "" and decrypt_pin("") == ""


def test_keys_can_be_rotated(settings):
    old_key = settings.PIN_ENCRYPTION_KEY
    token = encrypt_pin(PIN)
    settings.PIN_ENCRYPTION_KEY = f"{Fernet.generate_key().decode()},{old_key}"

    assert decrypt_pin(token) == PIN  # old tokens still read
    assert decrypt_pin(encrypt_pin(PIN)) == PIN


def test_the_order_page_shows_the_pin_masked(make_portin, desk, alice_client):
    order = make_portin("5035550101", pin=PIN)

    html = alice_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()

    assert PIN not in html
    assert "••••" in html
    assert "ACCT-99887766" not in html and "7766" in html  # masked account number
    assert reverse("orders:pin_reveal", args=[order.pk]) not in html  # alice may not reveal


def test_a_manager_reveals_the_pin_and_the_reveal_is_audited(
    make_portin, desk, maria, maria_client
):
    order = make_portin("5035550101", pin=PIN)
    page = maria_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    assert reverse("orders:pin_reveal", args=[order.pk]) in page

    response = maria_client.post(reverse("orders:pin_reveal", args=[order.pk]))

    assert response.status_code == 200
    assert PIN in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    audit = PinRevealAudit.objects.get()
    assert (audit.order_id, audit.user) == (order.pk, maria)


def test_staff_without_the_permission_get_403_and_no_audit_row(make_portin, desk, alice_client):
    order = make_portin("5035550101", pin=PIN)

    response = alice_client.post(reverse("orders:pin_reveal", args=[order.pk]))

    assert response.status_code == 403
    assert PIN not in response.content.decode()
    assert not PinRevealAudit.objects.exists()


def test_reveal_is_post_only(make_portin, desk, maria_client):
    order = make_portin("5035550101", pin=PIN)
    assert maria_client.get(reverse("orders:pin_reveal", args=[order.pk])).status_code == 405
    assert not PinRevealAudit.objects.exists()
