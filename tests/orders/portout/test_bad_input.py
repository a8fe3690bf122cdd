"""Bad input on the port-out pages gets a clear error naming the field, never a 500, and
nothing half-saved (issue 14, section 5): far dates, TN lists, free-text caps."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from carriers.inputs import COMMENT_MAX, REMARKS_MAX
from carriers.tn import format_tn
from orders.lifecycle import DomainError
from orders.models import CsrRequest, PortOrder, Supplement
from orders.services import portout as services

from .conftest import MONDAY, make_lsr
from .test_pages import lsr_post, received_order

pytestmark = pytest.mark.django_db

FAR_DATES = ["9999-12-31", "2101-01-04", "1999-12-31"]


def _far_date_is_refused_on_the_form(response, field_label, value):
    assert response.status_code == 200
    form = response.context["form"]
    errors = " ".join(e for errs in form.errors.values() for e in errs)
    assert field_label in errors and value[:4] in errors
    return form


@pytest.mark.parametrize("value", FAR_DATES)
def test_a_far_requested_due_date_on_the_lsr_form_is_a_form_error(
    alice_client, make_account, requester, value
):
    _, tns = make_account(1)
    data = lsr_post(requester, tns, requested_due_date=value, remarks="keep me")
    response = alice_client.post(reverse("orders:portout_lsr_new"), data)
    form = _far_date_is_refused_on_the_form(response, "Requested due date (DDD)", value)
    assert "requested_due_date" in form.errors
    # The desk's input is shown again, not lost.
    assert 'value="PON-PAGE-1"' in response.content.decode()
    assert "keep me" in response.content.decode()
    assert not PortOrder.objects.exists()


@pytest.mark.parametrize("value", ["9999-12-31T10:00", "2101-01-04T10:00", "1999-01-01T10:00"])
def test_a_far_received_time_on_the_lsr_form_is_a_form_error(
    alice_client, make_account, requester, value
):
    _, tns = make_account(1)
    data = lsr_post(requester, tns, received_at=value)
    response = alice_client.post(reverse("orders:portout_lsr_new"), data)
    form = _far_date_is_refused_on_the_form(response, "Received", value)
    assert "received_at" in form.errors
    assert not PortOrder.objects.exists()


@pytest.mark.parametrize("value", ["9999-12-31T10:00", "2101-01-04T10:00"])
def test_a_far_received_time_on_the_csr_request_form_is_a_form_error(
    alice_client, make_account, requester, value
):
    _, tns = make_account(1)
    response = alice_client.post(
        reverse("orders:portout_csr_new"),
        {
            "requesting_carrier": requester.pk,
            "tns": format_tn(tns[0]),
            "authorization_indicator": "on",
            "received_at": value,
        },
    )
    _far_date_is_refused_on_the_form(response, "Received", value)
    assert format_tn(tns[0]) in response.content.decode()
    assert not CsrRequest.objects.exists()


@pytest.mark.parametrize(
    ("field", "label", "value"),
    [
        ("requested_due_date", "New requested due date (SUP 2)", "9999-12-31"),
        ("requested_due_date", "New requested due date (SUP 2)", "2101-01-04"),
        ("received_at", "Received", "2101-01-04T10:00"),
    ],
)
def test_a_far_date_on_the_sup_form_is_a_form_error(
    alice_client, make_account, requester, field, label, value
):
    _, tns = make_account(1)
    order = received_order(requester, tns)
    services.lsr_decide(order=order, decision="foc", by=None, now=MONDAY)
    data = {"sup_type": "2", "requested_due_date": "2026-11-30", field: value}
    response = alice_client.post(reverse("orders:portout_sup_new", args=[order.pk]), data)
    _far_date_is_refused_on_the_form(response, label, value)
    assert not Supplement.objects.exists()


def test_the_lsr_service_refuses_a_far_date_naming_the_field(make_account, requester):
    _, tns = make_account(1)
    lsr = make_lsr(tns, requested_due_date=datetime.date(9999, 12, 31))
    with pytest.raises(DomainError, match="requested due date: 9999-12-31"):
        services.lsr_receive(requesting_carrier=requester, lsr=lsr, now=MONDAY)
    assert not PortOrder.objects.exists()


def test_the_sup_service_refuses_a_far_date_naming_the_field(make_account, requester):
    _, tns = make_account(1)
    order = received_order(requester, tns)
    with pytest.raises(DomainError, match="new requested due date: 2101"):
        services.sup_receive(
            order=order,
            sup_type=2,
            by=None,
            requested_due_date=datetime.date(2101, 1, 4),
            now=MONDAY,
        )


def test_a_far_npac_event_time_is_refused_with_a_message(alice_client, make_account, requester):
    _, tns = make_account(1)
    order = received_order(requester, tns)
    services.lsr_decide(order=order, decision="foc", by=None, now=MONDAY)
    response = alice_client.post(
        reverse("orders:portout_npac_event", args=[order.pk]),
        {"kind": "create", "tns": "", "occurred_at": "9999-12-31T10:00"},
        follow=True,
    )
    assert response.status_code == 200
    text = " ".join(str(m) for m in response.context["messages"])
    assert "When: 9999-12-31 is more than a year ahead" in text and "When: When" not in text
    assert not order.npac_events.exists()


# --- TN lists -----------------------------------------------------------------------------------


def test_the_csr_request_form_keeps_space_separated_tns(alice_client, make_account, requester):
    _, tns = make_account(3)
    response = alice_client.post(
        reverse("orders:portout_csr_new"),
        {
            "requesting_carrier": requester.pk,
            "tns": f"{tns[0]} {tns[1]}  {format_tn(tns[2])}",
            "authorization_indicator": "on",
        },
    )
    assert response.status_code == 302
    assert sorted(CsrRequest.objects.get().tns) == sorted(tns)


def test_a_bad_token_in_a_tn_list_is_named(alice_client, make_account, requester):
    _, tns = make_account(1)
    response = alice_client.post(
        reverse("orders:portout_csr_new"),
        {
            "requesting_carrier": requester.pk,
            "tns": f"{tns[0]} 503-555-01O1",
            "authorization_indicator": "on",
        },
    )
    assert response.status_code == 200
    assert "503-555-01O1" in " ".join(response.context["form"].errors["tns"])
    assert not CsrRequest.objects.exists()


def test_the_lsr_form_reads_tns_separated_by_spaces_and_dashes(
    alice_client, make_account, requester
):
    _, tns = make_account(2)
    data = lsr_post(requester, tns, tns=f"{tns[0]}-{tns[1]}")
    alice_client.post(reverse("orders:portout_lsr_new"), data)
    order = PortOrder.objects.get()
    assert sorted(order.numbers.values_list("tn", flat=True)) == sorted(tns)


def test_the_sup3_form_names_a_bad_token(alice_client, make_account, requester):
    _, tns = make_account(1)
    order = received_order(requester, tns)
    response = alice_client.post(
        reverse("orders:portout_sup_new", args=[order.pk]),
        {"sup_type": "3", "tns": f"{tns[0]} ext.12"},
    )
    assert response.status_code == 200
    assert "ext.12" in " ".join(response.context["form"].errors["tns"])


# --- free-text caps -----------------------------------------------------------------------------


def test_lsr_remarks_longer_than_the_cap_are_refused_naming_the_cap(
    alice_client, make_account, requester
):
    _, tns = make_account(1)
    data = lsr_post(requester, tns, remarks="x" * (REMARKS_MAX + 1))
    response = alice_client.post(reverse("orders:portout_lsr_new"), data)
    assert response.status_code == 200
    assert str(REMARKS_MAX) in " ".join(response.context["form"].errors["remarks"])
    assert not PortOrder.objects.exists()


def test_a_sup_flag_comment_longer_than_the_cap_is_refused(maria_client, make_account, requester):
    _, tns = make_account(1)
    order = received_order(requester, tns)
    PortOrder.objects.filter(pk=order.pk).update(sup_flag=PortOrder.Decision.PENDING)
    response = maria_client.post(
        reverse("orders:portout_sup_flag", args=[order.pk]),
        {"action": "contact", "comment": "x" * (COMMENT_MAX + 1), "expected_status": "received"},
        follow=True,
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert str(COMMENT_MAX) in text
    order.refresh_from_db()
    assert order.sup_flag == PortOrder.Decision.PENDING


def test_dates_inside_the_window_are_accepted(alice_client, make_account, requester):
    _, tns = make_account(1)
    soon = timezone.localdate() + datetime.timedelta(days=20)
    data = lsr_post(requester, tns, requested_due_date=soon.isoformat(), received_at="")
    response = alice_client.post(reverse("orders:portout_lsr_new"), data)
    assert response.status_code == 302 and PortOrder.objects.exists()
