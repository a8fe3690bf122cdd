"""Bad input on the port-in pages gets a clear error naming the field, never a 500, and
nothing half-saved (issue 14, section 5): far dates, the CSR's TN list, free-text caps."""

import pytest
from django.urls import reverse

from carriers.inputs import COMMENT_MAX
from orders.models import Comment, PortInCsr, PortOrder, Status

from .conftest import END_USER, due_in
from .test_flow import act, record_matching_csr, status_of

pytestmark = pytest.mark.django_db

FAR_DATES = ["9999-12-31", "2101-01-04", "1999-12-31"]


def _field_errors(response, form_key=None):
    form = response.context["form"] if form_key is None else form_key(response)
    return form, " ".join(e for errs in form.errors.values() for e in errs)


@pytest.mark.parametrize("value", FAR_DATES)
def test_a_far_requested_due_date_on_the_new_order_form_is_a_form_error(desk, alice_client, value):
    desk.numbers(desk.lsp_spid, "5035550101")
    data = {**END_USER, "requested_due_date": value, "authorization": "on", "tns": "5035550101"}
    response = alice_client.post(reverse("orders:portin_new"), data)
    assert response.status_code == 200
    form, errors = _field_errors(response)
    assert "requested_due_date" in form.errors
    assert "Requested due date" in errors and value[:4] in errors
    assert END_USER["account_name"] in response.content.decode()  # the input is kept
    assert not PortOrder.objects.exists()


def _bound_form(response, slug):
    groups = response.context["action_forms"]
    for entries in groups.values():
        for entry in entries:
            if entry["action"].slug == slug:
                return entry["form"]
    raise AssertionError(f"no {slug} form on the page")


def _submitted(make_portin, client):
    order = make_portin("5035550101")
    record_matching_csr(client, order)
    act(client, order, "submit")
    assert status_of(order) == Status.SUBMITTED
    return order


@pytest.mark.parametrize("value", FAR_DATES)
def test_a_far_foc_date_is_a_form_error(desk, make_portin, alice_client, value):
    order = _submitted(make_portin, alice_client)
    response = act(alice_client, order, "foc", foc_date=value)
    assert response.status_code == 200
    form = _bound_form(response, "foc")
    assert "FOC date" in " ".join(form.errors["foc_date"]) and value[:4] in str(form.errors)
    assert form["foc_date"].value() == value  # shown again as typed
    assert status_of(order) == Status.SUBMITTED


@pytest.mark.parametrize("value", ["9999-12-31", "2101-01-04"])
def test_a_far_sup2_date_is_a_form_error(desk, make_portin, alice_client, value):
    order = _submitted(make_portin, alice_client)
    response = act(alice_client, order, "sup", sup_type="2", requested_due_date=value)
    assert response.status_code == 200
    form = _bound_form(response, "sup")
    assert "New requested due date (SUP 2)" in " ".join(form.errors["requested_due_date"])
    assert not order.supplements.exists()


@pytest.mark.parametrize("value", ["9999-12-31", "1999-12-31"])
def test_a_far_due_date_on_the_edit_form_is_a_form_error(desk, make_portin, alice_client, value):
    order = make_portin("5035550101")
    before = order.requested_due_date
    data = {
        name: getattr(order, name) or ""
        for name in ("account_name", "authorized_person", "city", "state", "zip_code")
    }
    response = act(alice_client, order, "edit", **data, requested_due_date=value)
    assert response.status_code == 200
    form = _bound_form(response, "edit")
    assert "Requested due date" in " ".join(form.errors["requested_due_date"])
    order.refresh_from_db()
    assert order.requested_due_date == before


# --- the CSR's TN list --------------------------------------------------------------------------


def test_the_csr_form_keeps_space_separated_tns(desk, make_portin, alice_client):
    order = make_portin("5035550101", "5035550102")
    record_matching_csr(alice_client, order)  # sets the CSR with both TNs, one per line
    response = act(
        alice_client,
        order,
        "csr",
        account_name="abc company, inc.",
        account_number="ACCT 99887766",
        btn="(503) 555-0100",
        authorized_person="Pat Smith",
        service_address="100 Main St Suite 4",
        city="Portland",
        state="OR",
        zip_code="97204",
        tns="5035550101 5035550102",
    )
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.csr.tns.split() == ["5035550101", "5035550102"]
    # Both TNs are compared: nothing is "missing from the CSR".
    assert not [m for m in order.csr.mismatches if m["field"] == "tns"]


def test_a_bad_token_on_the_csr_form_is_named(desk, make_portin, alice_client):
    order = make_portin("5035550101")
    response = act(alice_client, order, "csr", account_name="ABC", tns="5035550101 503-555-O102")
    form = _bound_form(response, "csr")
    assert "503-555-O102" in " ".join(form.errors["tns"])
    assert not PortInCsr.objects.filter(order=order).exists()


# --- free-text caps -----------------------------------------------------------------------------


def test_a_comment_longer_than_the_cap_is_refused_naming_the_cap(desk, make_portin, alice_client):
    order = make_portin("5035550101")
    before = Comment.objects.filter(order=order).count()
    response = act(
        alice_client,
        order,
        "comment",
        body="x" * (COMMENT_MAX + 1),
        visibility="internal",
        source="staff",
    )
    form = _bound_form(response, "comment")
    assert str(COMMENT_MAX) in " ".join(form.errors["body"])
    assert Comment.objects.filter(order=order).count() == before


def test_new_order_remarks_longer_than_the_cap_are_refused(desk, alice_client):
    desk.numbers(desk.lsp_spid, "5035550101")
    data = {
        **END_USER,
        "remarks": "r" * 5000,
        "requested_due_date": due_in().isoformat(),
        "authorization": "on",
        "tns": "5035550101",
    }
    response = alice_client.post(reverse("orders:portin_new"), data)
    assert response.status_code == 200
    assert "at most" in " ".join(response.context["form"].errors["remarks"])
    assert not PortOrder.objects.exists()
