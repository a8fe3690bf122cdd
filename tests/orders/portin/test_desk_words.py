"""Words and numbers a clerk trusts (issue 16), on the port-in desk's pages: rules by name with
the id in a tooltip, a CSR mismatch as a warning, the timeline crediting the person who acted,
times in the portal's zone, typed values kept after an error (the PIN said to be re-typed),
and the CSR form remembering the account number already recorded."""

import datetime
import re

import pytest
from django.contrib import messages
from django.urls import reverse

from orders.lifecycle import transition
from orders.models import PortInCsr, Status

from .test_flow import act, edit, messages_of, record_matching_csr

pytestmark = pytest.mark.django_db


def page(client, order) -> str:
    return client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()


def record_mismatching_csr(client, order):
    return act(
        client,
        order,
        "csr",
        account_name="ABC Co",
        account_number="ACCT-99887766",
        service_address="102 Main St Ste 4",
        zip_code="97204",
    )


# --- plain names, the rule id in a tooltip -----------------------------------------------------


def test_it_names_the_csr_check_on_the_queue_page_with_the_rule_id_in_a_title(alice_client):
    html = alice_client.get(reverse("orders:queue", args=["in-csr"])).content.decode()

    assert '<span class="rule-name" title="Rule F1">CSR check</span>' in html
    assert "(F1)" not in html


def test_it_names_the_csr_check_on_the_order_page_and_in_a_refusal(make_portin, alice_client):
    order = make_portin("5035550101")  # CSR pending: sending the LSR is refused

    html = page(alice_client, order)
    response = act(alice_client, order, "submit")

    assert 'title="Rule F1">CSR check</span>' in html
    assert "F1:" not in html and "CSR (F1)" not in html
    said = response.content.decode()
    assert 'title="Rule F1">CSR check</span>' in said  # the service's DomainError, as a message
    assert not re.search(r"\(F1\)", said)


def test_the_dashboard_names_the_jobs_auto_cancel_and_status_check(alice_client):
    html = alice_client.get(reverse("dashboard")).content.decode()

    assert 'title="Rule F4">Auto-cancel after 45 days</span>' in html
    assert 'title="Rule F5">Status check</span>' in html
    assert "(F4)" not in html and "(F5)" not in html


def test_a_history_row_stored_with_a_rule_id_reads_by_name(make_portin, alice, alice_client):
    order = make_portin("5035550101")
    transition(order, Status.CANCELLED, actor=None, reason="F4: no activity for 45 days.")

    html = page(alice_client, order)

    assert 'title="Rule F4">Auto-cancel after 45 days</span>: no activity for 45 days.' in html


# --- a CSR mismatch is a warning -------------------------------------------------------------


def test_a_csr_mismatch_is_a_warning_not_a_success(make_portin, alice_client):
    order = make_portin("5035550101")

    response = record_mismatching_csr(alice_client, order)

    levels = [(m.level, str(m)) for m in response.context["messages"]]
    assert [level for level, _ in levels] == [messages.WARNING]
    assert "does not match the order on" in levels[0][1]
    html = response.content.decode()
    assert 'class="alert alert-warning' in html and 'data-verdict="mismatched"' in html
    assert "alert-success" not in html


def test_a_matching_csr_is_still_a_success(make_portin, alice_client):
    order = make_portin("5035550101", "5035550102", "5035550109")

    response = record_matching_csr(alice_client, order)

    assert [m.level for m in response.context["messages"]] == [messages.SUCCESS]
    assert 'data-verdict="matched"' in response.content.decode()


# --- the timeline credits the person who acted -----------------------------------------------


def _timeline_who(client, order, starts_with: str) -> list[str]:
    response = client.get(reverse("orders:order_detail", args=[order.pk]))
    return [e.who for e in response.context["timeline"] if e.body.startswith(starts_with)]


def test_the_timeline_names_alice_for_the_csr_she_recorded_and_the_edit_she_made(
    make_portin, alice_client
):
    order = make_portin("5035550101")

    record_mismatching_csr(alice_client, order)
    edit(alice_client, order, city="Beaverton")

    assert _timeline_who(alice_client, order, "CSR recorded") == ["alice"]
    assert _timeline_who(alice_client, order, "Order details changed") == ["alice"]
    html = page(alice_client, order)
    assert "· System" not in html


# --- times in the portal's zone --------------------------------------------------------------


def test_the_order_header_shows_times_in_the_portal_zone(make_portin, alice_client, settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    order = make_portin("5035550101")
    # 2026-12-04 23:24 UTC is 15:24 in Los Angeles.
    utc = datetime.datetime(2026, 12, 4, 23, 24, tzinfo=datetime.UTC)
    type(order).objects.filter(pk=order.pk).update(last_activity_at=utc)

    html = page(alice_client, order)

    assert "2026-12-04 15:24" in html
    assert "2026-12-04 23:24" not in html


# --- typed values survive a failed form; the PIN is said to be re-typed ----------------------


def test_a_failed_edit_keeps_the_typed_values_and_asks_to_retype_the_pin(make_portin, alice_client):
    order = make_portin("5035550101")

    response = edit(
        alice_client,
        order,
        city="Typed City",
        account_number="NEW-ACCT-4455",
        notification_email="not an email",
        pin="9876",
    )

    html = response.content.decode()
    assert response.status_code == 200 and "Enter a valid email address" in html
    assert 'value="Typed City"' in html
    assert 'value="NEW-ACCT-4455"' in html  # typed by this user just now: shown back
    assert "9876" not in html  # a PIN never is...
    assert 'data-retype="edit-pin"' in html  # ...and the page says so under the field
    assert "Re-type it: a PIN is not kept after an error, for safety." in html


def test_an_edit_the_service_refuses_keeps_the_typed_values(make_portin, alice_client):
    order = make_portin("5035550101")
    yesterday = datetime.date.today() - datetime.timedelta(days=1)

    response = edit(
        alice_client, order, city="Typed City", requested_due_date=yesterday.isoformat()
    )

    html = response.content.decode()
    assert "The requested due date is in the past." in " ".join(messages_of(response))
    assert 'value="Typed City"' in html
    order.refresh_from_db()
    assert order.city != "Typed City"


def test_a_fresh_form_does_not_ask_to_retype_anything(make_portin, alice_client):
    order = make_portin("5035550101")

    assert "data-retype" not in page(alice_client, order)


def test_the_new_order_form_keeps_what_was_typed_and_asks_for_the_pin_again(alice_client, desk):
    response = alice_client.post(
        reverse("orders:portin_new"),
        {"account_name": "Typed Name", "city": "Typed City", "pin": "2468", "tns": "nonsense"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Typed Name"' in html and 'value="Typed City"' in html
    assert "2468" not in html and 'data-retype="pin"' in html


# --- the CSR form remembers the account number already recorded ------------------------------


def test_the_csr_form_remembers_the_recorded_account_number_without_showing_it(
    make_portin, alice_client
):
    order = make_portin("5035550101")
    record_mismatching_csr(alice_client, order)

    html = page(alice_client, order)
    assert "Recorded: " in html and "7766. Empty: keep it." in html
    assert "ACCT-99887766" not in html

    # Recorded again with the account number left empty: the one on file is kept.
    act(alice_client, order, "csr", account_name="ABC Company Inc.", zip_code="97204")
    assert PortInCsr.objects.get(order=order).account_number == "ACCT-99887766"
