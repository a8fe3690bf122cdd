"""PINs and account numbers never leave the portal where they must not (issue 9).

A known PIN (KNOWN_PIN) and account number (KNOWN_ACCOUNT) go through a full port-in flow and
a port-out LSR; every output is then searched for them: log records, emails (text and HTML),
CSV exports, the admin's list views, error pages, and the database columns that hold them.
"""

import csv
import io
import logging

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from carriers.models import CustomerAccount
from orders.crypto import decrypt_pin
from orders.models import LsrVersion, PinRevealAudit, PortOrder
from orders.services import portout as portout_services
from tests.factories import CustomerAccountFactory, NpacCancelRecordFactory

from .conftest import (
    KNOWN_ACCOUNT,
    KNOWN_PIN,
    PORTIN_TNS,
    PORTOUT_TNS,
    act,
    create_portin_order,
    lsr_post,
    new_order_post,
    walk_portin_flow,
)

pytestmark = pytest.mark.django_db


def _assert_absent(text: str, *secrets: str, where: str):
    for secret in secrets:
        assert secret not in text, f"{secret!r} found in {where}"


def _log_text(caplog) -> str:
    lines = []
    for record in caplog.records:
        lines.append(record.getMessage())
        if record.exc_info:
            lines.append(logging.Formatter().formatException(record.exc_info))
        lines.append(repr(getattr(record, "args", "")))
    return "\n".join(lines)


def _emails_text() -> str:
    parts = []
    for message in mail.outbox:
        parts += [message.subject, message.body]
        parts += [content for content, _mime in getattr(message, "alternatives", [])]
    return "\n".join(parts)


# --- the port-in flow: logs and emails ---------------------------------------------------------


def test_full_port_in_flow_logs_and_emails_carry_neither_pin_nor_account_number(
    world, alice_client, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        order = walk_portin_flow(alice_client)

    subjects = [m.subject for m in mail.outbox]
    assert len(mail.outbox) >= 3, subjects  # rejection, FOC, completion
    _assert_absent(_emails_text(), KNOWN_PIN, KNOWN_ACCOUNT, where="the customer's emails")
    _assert_absent(_log_text(caplog), KNOWN_PIN, KNOWN_ACCOUNT, where="the log records")
    # The pages the desk saw on the way never showed them either.
    page = alice_client.get(reverse("orders:order_detail", args=[order.pk]))
    _assert_absent(page.content.decode(), KNOWN_PIN, KNOWN_ACCOUNT, where="the order page")
    assert order.masked_account_number[-4:].encode() in page.content


def test_cancellation_email_carries_neither_pin_nor_account_number(
    world, alice_client, django_capture_on_commit_callbacks
):
    from .conftest import act

    with django_capture_on_commit_callbacks(execute=True):
        order = create_portin_order(alice_client)
        act(alice_client, order, "cancel", reason="The customer decided to stay.")
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert len(mail.outbox) == 1
    _assert_absent(_emails_text(), KNOWN_PIN, KNOWN_ACCOUNT, where="the cancellation email")


def test_port_out_lsr_keeps_no_pin_and_logs_neither(world, alice_client, caplog):
    caplog.set_level(logging.DEBUG)
    response = alice_client.post(reverse("orders:portout_lsr_new"), lsr_post(world))
    assert response.status_code == 302, response.content[:3000]
    order = PortOrder.objects.get(direction="out", pon="PON-HARD-1")
    assert order.pin_matched is True
    assert order.pin_encrypted == ""
    stored = repr(order.lsr_snapshot) + repr(order.rule_evaluation)
    assert KNOWN_PIN not in stored
    page = alice_client.get(reverse("orders:order_detail", args=[order.pk]))
    _assert_absent(page.content.decode(), KNOWN_PIN, KNOWN_ACCOUNT, where="the port-out page")
    _assert_absent(_log_text(caplog), KNOWN_PIN, KNOWN_ACCOUNT, where="the log records")


# --- at rest ----------------------------------------------------------------------------------


def _database_text() -> str:
    """Every row of every table as the database holds it: read raw, so nothing decrypts."""
    quote = connection.ops.quote_name
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            rows.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(rows)


def _everywhere_the_number_is_kept(world, alice, alice_client):
    """Our account, a port-in order with its losing carrier's CSR, a port-out LSR and the
    CSR answer we gave a carrier: every place an account number is written."""
    order = create_portin_order(alice_client)
    csr = {
        "account_name": "Known Customer LLC",
        "account_number": KNOWN_ACCOUNT,
        "btn": PORTIN_TNS[0],
        "authorized_person": "Pat Smith",
        "service_address": "100 Main St Suite 4",
        "city": "Portland",
        "state": "OR",
        "zip_code": "97204",
        "tns": "\n".join(PORTIN_TNS),
    }
    assert act(alice_client, order, "csr", **csr).status_code == 302
    # Sent: the LSR's version is kept as sent (LsrVersion), the account number masked.
    assert act(alice_client, order, "submit").status_code == 302
    assert LsrVersion.objects.filter(order=order).exists()
    assert alice_client.post(reverse("orders:portout_lsr_new"), lsr_post(world)).status_code == 302
    csr_request = portout_services.csr_request_receive(
        requesting_carrier=world.requester,
        tns=list(PORTOUT_TNS),
        authorization_indicator=True,
        by=alice,
    )
    portout_services.csr_request_answer(csr_request=csr_request, by=alice)
    return order, csr_request


def test_no_table_holds_an_account_number_in_plaintext(world, alice, alice_client):
    order, csr_request = _everywhere_the_number_is_kept(world, alice, alice_client)
    assert PortOrder.objects.count() == 2 and order.csr.account_number == KNOWN_ACCOUNT
    stored = _database_text()
    _assert_absent(stored, KNOWN_ACCOUNT, KNOWN_ACCOUNT.split("-")[1], where="the database")
    # ...and every holder still reads it back where the desk needs it.
    assert {o.account_number for o in PortOrder.objects.all()} == {KNOWN_ACCOUNT}
    assert CustomerAccount.objects.get(pk=world.account.pk).account_number == KNOWN_ACCOUNT
    page = alice_client.get(reverse("orders:portout_csr_detail", args=[csr_request.pk]))
    assert KNOWN_ACCOUNT.encode() in page.content  # the CSR answer given to the carrier
    printed = alice_client.get(reverse("orders:portout_csr_print", args=[csr_request.pk]))
    assert KNOWN_ACCOUNT.encode() in printed.content


def test_order_and_csr_lists_never_show_an_account_number(world, alice, alice_client):
    _everywhere_the_number_is_kept(world, alice, alice_client)
    for url in (
        reverse("orders:order_list"),
        reverse("orders:order_list") + "?q=Known",
        reverse("orders:portout_csr_list"),
    ):
        response = alice_client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "Known Customer" in text or "csr" in url, url
        _assert_absent(text, KNOWN_ACCOUNT, KNOWN_ACCOUNT.split("-")[1], where=url)


def test_port_out_pins_are_salted_hashes(world):
    other = CustomerAccountFactory(pin=KNOWN_PIN)
    account = CustomerAccount.objects.get(pk=world.account.pk)
    other.refresh_from_db()
    for row in (account, other):
        assert KNOWN_PIN not in row.pin_hash
        hasher = identify_hasher(row.pin_hash)
        assert row.pin_hash.startswith(hasher.algorithm + "$")
        assert row.check_pin(KNOWN_PIN)
        assert not row.check_pin("0000")
    assert account.pin_hash != other.pin_hash, "same PIN, same hash: the hash is not salted"


def create_portin_order_with_pin_again(client) -> PortOrder:
    """A second order with the same PIN, on another TN of the losing carrier."""
    from carriers.models import SPID, TelephoneNumber

    TelephoneNumber.objects.create(tn="5035557009", spid=SPID.objects.get(code="9100"))
    response = client.post(
        reverse("orders:portin_new"),
        new_order_post(tns="5035557009", account_name="Other Co"),
        follow=True,
    )
    assert response.status_code == 200
    return PortOrder.objects.filter(direction="in").latest("pk")


def test_port_in_pin_is_encrypted_at_rest_and_revealed_only_with_an_audit_row(
    world, alice_client, maria, client
):
    order = create_portin_order(alice_client)
    assert order.pin_encrypted
    assert KNOWN_PIN not in order.pin_encrypted
    assert decrypt_pin(order.pin_encrypted) == KNOWN_PIN
    # Two orders with the same PIN: different tokens (Fernet uses a random IV per token).
    other = create_portin_order_with_pin_again(alice_client)
    assert other.pin_encrypted != order.pin_encrypted
    assert decrypt_pin(other.pin_encrypted) == KNOWN_PIN

    # Staff see the mask only and may not reveal.
    page = alice_client.get(reverse("orders:order_detail", args=[order.pk]))
    assert KNOWN_PIN.encode() not in page.content
    denied = alice_client.post(reverse("orders:pin_reveal", args=[order.pk]))
    assert denied.status_code == 403
    assert not PinRevealAudit.objects.exists()

    # A GET never reveals it (the action is an explicit POST).
    client.force_login(maria)
    assert client.get(reverse("orders:pin_reveal", args=[order.pk])).status_code == 405
    assert not PinRevealAudit.objects.exists()

    revealed = client.post(reverse("orders:pin_reveal", args=[order.pk]))
    assert revealed.status_code == 200
    assert KNOWN_PIN.encode() in revealed.content
    assert "no-store" in revealed["Cache-Control"]
    audit = PinRevealAudit.objects.get()
    assert (audit.order_id, audit.user_id) == (order.pk, maria.pk)
    assert audit.revealed_at is not None


# --- CSV exports -----------------------------------------------------------------------------


def _csv_text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_queue_exports_carry_neither_pin_nor_account_number(world, alice_client):
    create_portin_order(alice_client)
    alice_client.post(reverse("orders:portout_lsr_new"), lsr_post(world))
    from orders.queues.registry import QUEUES

    exported = 0
    for queue in QUEUES:
        response = alice_client.get(reverse("orders:queue_export", args=[queue.slug]))
        if response.status_code == 403:
            continue
        assert response.status_code == 200, queue.slug
        text = _csv_text(response)
        _assert_absent(text, KNOWN_PIN, KNOWN_ACCOUNT, where=f"the {queue.slug} export")
        exported += text.count("\n") - 1
    assert exported >= 2, "the exports listed none of the orders"


def test_order_numbers_export_carries_neither_pin_nor_account_number(world, alice_client):
    create_portin_order(alice_client)
    alice_client.post(reverse("orders:portout_lsr_new"), lsr_post(world))
    for order in PortOrder.objects.all():
        response = alice_client.get(reverse("orders:order_numbers_csv", args=[order.pk]))
        assert response.status_code == 200
        text = _csv_text(response)
        assert order.numbers.first().tn in text
        _assert_absent(text, KNOWN_PIN, KNOWN_ACCOUNT, where=f"the numbers of {order.pon}")


def test_owed_emails_in_the_outbox_hold_neither_pin_nor_account_number(world, alice_client):
    from orders.models import OutboundEmail

    create_portin_order(alice_client)
    order = PortOrder.objects.get(direction="in")
    alice_client.post(
        reverse("orders:order_action", args=[order.pk, "cancel"]),
        {"cancel-reason": "Customer asked", "cancel-expected_status": order.status},
    )
    assert OutboundEmail.objects.filter(order=order, kind="portin_cancelled").exists()
    for row in OutboundEmail.objects.all():
        _assert_absent(
            f"{row.recipients} {row.context}", KNOWN_PIN, KNOWN_ACCOUNT, where="an owed email"
        )


def test_npac_cancel_export_carries_neither_pin_nor_account_number(world, alice_client):
    alice_client.post(reverse("orders:portout_lsr_new"), lsr_post(world))
    order = PortOrder.objects.get(direction="out")
    NpacCancelRecordFactory(order=order, tn=PORTOUT_TNS[0])
    response = alice_client.get(reverse("orders:portout_npac_cancels_csv"))
    assert response.status_code == 200
    text = _csv_text(response)
    assert PORTOUT_TNS[0] in text
    _assert_absent(text, KNOWN_PIN, KNOWN_ACCOUNT, where="the NPAC cancel export")


def test_csr_answer_csv_has_the_account_number_for_the_carrier_but_never_the_pin(
    world, alice, alice_client
):
    csr_request = portout_services.csr_request_receive(
        requesting_carrier=world.requester,
        tns=list(PORTOUT_TNS),
        authorization_indicator=True,
        by=alice,
    )
    portout_services.csr_request_answer(csr_request=csr_request, by=alice)
    response = alice_client.get(reverse("orders:portout_csr_csv", args=[csr_request.pk]))
    assert response.status_code == 200
    text = _csv_text(response)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["account_number"] for row in rows} == {KNOWN_ACCOUNT}
    assert KNOWN_PIN not in text
    assert world.account.pin_hash not in text
    csr_request.refresh_from_db()
    assert KNOWN_PIN not in repr(csr_request.answer)
    assert "pin" not in repr(csr_request.answer).lower()


# --- the admin's list views ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/orders/portorder/",
        "/admin/carriers/customeraccount/",
        "/admin/carriers/telephonenumber/",
    ],
)
def test_admin_list_views_show_neither_pin_nor_account_number(world, alice_client, admin_user, url):
    create_portin_order(alice_client)
    alice_client.post(reverse("orders:portout_lsr_new"), lsr_post(world))
    admin = Client()
    admin.force_login(admin_user)
    response = admin.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    _assert_absent(text, KNOWN_PIN, KNOWN_ACCOUNT, where=url)
    _assert_absent(text, world.account.pin_hash, where=url)
    assert "1234" in text or url.endswith("portorder/"), "the masked number is shown"


def test_admin_change_pages_never_show_pin_or_its_hash(world, alice_client, admin_user):
    order = create_portin_order(alice_client)
    admin = Client()
    admin.force_login(admin_user)
    for url in (
        f"/admin/orders/portorder/{order.pk}/change/",
        f"/admin/carriers/customeraccount/{world.account.pk}/change/",
    ):
        response = admin.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        _assert_absent(text, KNOWN_PIN, world.account.pin_hash, order.pin_encrypted, where=url)
