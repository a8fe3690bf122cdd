"""The LSR's VER as the industry counts it: the first send is VER 1, each resubmission after
a reject and each SUP carries VER+1; each version is kept as sent (never the PIN, the
account number only masked and hashed) and the order page shows what changed."""

import json

import pytest
from django.urls import reverse

from carriers.cpni import account_number_digest
from orders.lifecycle import DomainError
from orders.models import LsrVersion, PortOrder
from orders.services import portin
from tests.factories import business_day_in

from .conftest import END_USER, due_in
from .test_flow import act, edit, messages_of

pytestmark = pytest.mark.django_db

NEW_ACCOUNT = "ACCT-55443322"


def versions(order):
    return list(
        LsrVersion.objects.filter(order=order)
        .order_by("version")
        .values_list("version", "reason", "sup_type")
    )


@pytest.fixture
def submitted(make_portin, desk, alice):
    """A port-in order sent to a carrier without CSRs (no F1 step), PIN 4321."""
    order = make_portin("5035550101", "5035550102", spid=desk.rural_spid)
    portin.order_submit(order=order, by=alice)
    return order


def test_the_first_send_is_ver_1_and_is_kept_as_sent(submitted, alice):
    submitted.refresh_from_db()
    assert submitted.version == 1
    (v1,) = LsrVersion.objects.filter(order=submitted)
    assert (v1.version, v1.reason, v1.by, v1.why) == (1, "submitted", alice, "Submitted")
    fields = v1.fields
    assert fields["pon"] == submitted.pon and fields["version"] == 1
    assert fields["tns"] == ["5035550101", "5035550102"]
    assert fields["service_address"] == END_USER["service_address"]
    assert fields["authorization_indicator"] is True
    assert fields["account_number_masked"] == submitted.masked_account_number
    assert fields["account_number_digest"] == account_number_digest(END_USER["account_number"])


def test_the_version_json_holds_neither_the_pin_nor_the_account_number(submitted):
    stored = json.dumps(LsrVersion.objects.get(order=submitted).fields)
    assert END_USER["pin"] not in stored
    assert "pin" not in LsrVersion.objects.get(order=submitted).fields
    assert END_USER["account_number"] not in stored
    assert END_USER["account_number"].split("-")[1] not in stored


def test_a_resend_after_the_desk_fixed_a_reject_is_ver_2(submitted, alice):
    portin.lsp_reject_record(order=submitted, by=alice, reason_codes=["ADDR"])
    portin.portin_order_update(
        order=submitted, by=alice, changes={"service_address": "200 Oak Ave"}
    )
    portin.exception_resend(order=submitted, by=alice, note="Address fixed.")

    submitted.refresh_from_db()
    assert submitted.version == 2
    assert versions(submitted) == [(1, "submitted", None), (2, "resent_fix", None)]
    v2 = LsrVersion.objects.get(order=submitted, version=2)
    assert v2.fields["version"] == 2 and v2.fields["service_address"] == "200 Oak Ave"
    assert v2.note == "Address fixed."


def test_a_resend_after_the_customers_changes_is_the_next_ver(submitted, alice):
    portin.lsp_reject_record(order=submitted, by=alice, reason_codes=["ADDR"])
    portin.order_return_to_customer(order=submitted, by=alice, message="Send a bill.")
    portin.customer_resubmission_record(order=submitted, by=alice, note="New bill attached.")
    portin.review_resend(order=submitted, by=alice)

    submitted.refresh_from_db()
    assert submitted.version == 2
    assert versions(submitted)[-1] == (2, "resent_review", None)


def test_each_sup_carries_the_next_ver(submitted, alice):
    portin.foc_record(order=submitted, by=alice, foc_date=business_day_in(12))
    portin.portin_sup_record(order=submitted, by=alice, sup_type=2, requested_due_date=due_in(20))
    portin.portin_sup_record(order=submitted, by=alice, sup_type=2, requested_due_date=due_in(25))
    portin.portin_sup_record(order=submitted, by=alice, sup_type=3, remarks="Add a contact")

    submitted.refresh_from_db()
    assert submitted.version == 4
    assert versions(submitted) == [
        (1, "submitted", None),
        (2, "sup", 2),
        (3, "sup", 2),
        (4, "sup", 3),
    ]
    v3 = LsrVersion.objects.get(order=submitted, version=3)
    assert v3.fields["requested_due_date"] == due_in(25).isoformat()
    assert v3.why == "SUP 2: new due date"
    assert LsrVersion.objects.get(order=submitted, version=4).note == "Add a contact"


def test_the_ver_moves_on_the_one_order_row_within_the_pon_constraint(submitted, alice):
    portin.lsp_reject_record(order=submitted, by=alice, reason_codes=["ADDR"])
    portin.exception_resend(order=submitted, by=alice)
    assert PortOrder.objects.filter(pon=submitted.pon).count() == 1
    assert PortOrder.objects.get(pon=submitted.pon).version == 2


def test_a_refused_send_keeps_its_ver_and_writes_no_version(submitted, alice):
    with pytest.raises(DomainError, match="SUP 3"):
        portin.portin_sup_record(order=submitted, by=alice, sup_type=3, remarks="")
    submitted.refresh_from_db()
    assert submitted.version == 1
    assert versions(submitted) == [(1, "submitted", None)]


# --- the order page -----------------------------------------------------------------------


def test_the_page_shows_the_ver_and_what_changed_after_a_resubmission(
    desk, make_portin, alice_client
):
    # A carrier without CSRs: a new account number is not held against a recorded CSR (F1).
    order = make_portin("5035550101", spid=desk.rural_spid)
    act(alice_client, order, "submit")
    act(alice_client, order, "lsp-reject", reasons=["ADDR"], text="Account no match")
    edit(alice_client, order, service_address="100 Main Street Suite 4", account_number=NEW_ACCOUNT)
    response = act(alice_client, order, "exception-resend", note="Customer gave the right one.")

    assert messages_of(response) and "resent" in " ".join(messages_of(response)).lower()
    page = response.content.decode()
    assert 'data-testid="order-version">VER 2<' in page
    assert 'data-testid="versions"' in page
    assert "Resubmitted after a reject" in page
    changed = page.split('data-testid="version-2"')[1].split("</li>")[0]
    assert "Service address" in changed and "100 Main Street Suite 4" in changed
    assert "Account number" in changed
    # Masked on both sides: the last four only, never the number.
    assert "3322" in changed and NEW_ACCOUNT not in page
    assert END_USER["account_number"] not in page


def test_a_draft_shows_no_versions_card(make_portin, alice_client):
    order = make_portin("5035550101")
    page = alice_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    assert 'data-testid="versions"' not in page
    assert 'data-testid="order-version">VER 1<' in page


def test_a_cancel_after_the_lsr_was_sent_is_a_sup_1_and_the_next_ver(submitted, alice):
    portin.order_cancel(order=submitted, by=alice, reason="Customer stays with the carrier.")

    submitted.refresh_from_db()
    assert submitted.version == 2
    assert versions(submitted) == [(1, "submitted", None), (2, "sup", 1)]
    sup1 = LsrVersion.objects.get(order=submitted, version=2)
    assert sup1.by == alice and sup1.note == "Customer stays with the carrier."


def test_cancelling_a_draft_sends_nothing_and_keeps_ver_1(make_portin, alice):
    draft = make_portin("5035550103")

    portin.order_cancel(order=draft, by=alice, reason="Entered twice.")

    draft.refresh_from_db()
    assert draft.version == 1 and versions(draft) == []
