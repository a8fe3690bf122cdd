"""The new port-in order form, the LSR form and their TN paste boxes and CSV uploads, fed junk
through the test client: never a server error (the client re-raises any exception), never a
partial write, and a refused submission always says which field, line or TN is wrong."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carriers.end_user import END_USER_FIELDS
from carriers.models import TelephoneNumber
from carriers.tn import parse_tn_list
from orders.models import OrderNumber, PortOrder, StatusChange
from tests.security.conftest import lsr_post, new_order_post

from .strategies import csv_bytes, junk, tn_lines

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

PORTIN_FIELDS = [
    *END_USER_FIELDS,
    "requested_due_date",
    "notification_email",
    "pin",
    "remarks",
    "tns",
    "authorization",
]
LSR_FIELDS = [
    "requesting_carrier",
    "new_spid",
    "pon",
    "version",
    "reqtype",
    "act",
    "mi",
    "requested_due_date",
    "expedite",
    "tns",
    "disconnect_tns",
    "remarks",
    *END_USER_FIELDS,
    "authorization_indicator",
    "pin",
    "received_at",
]


def _counts():
    return (PortOrder.objects.count(), OrderNumber.objects.count(), StatusChange.objects.count())


def _assert_orders_whole():
    """Every order has its history and its numbers (a port-out LSR logged without TNs is kept
    to be rejected under R16, with that finding): nothing was half-written."""
    assert not PortOrder.objects.filter(history__isnull=True).exists()
    assert not PortOrder.objects.filter(direction="in", numbers__isnull=True).exists()
    for order in PortOrder.objects.filter(direction="out", numbers__isnull=True):
        assert "R16" in (order.rule_evaluation or {}).get("reject_codes", []), order


def _refusal_text(response) -> str:
    """What the page tells the desk when it refused: form errors and messages."""
    parts = [str(m) for m in response.context.get("messages", [])] if response.context else []
    form = response.context.get("form") if response.context else None
    if form is not None and form.errors:
        for name, errors in form.errors.items():
            label = form.fields[name].label or name if name in form.fields else ""
            parts.append(f"{name} {label}: {' '.join(errors)}")
    return "\n".join(parts)


mutations = st.dictionaries(st.sampled_from(PORTIN_FIELDS), junk, min_size=1, max_size=4)


@FUZZ
@given(changes=mutations, drop=st.lists(st.sampled_from(PORTIN_FIELDS), max_size=2))
def test_new_port_in_form_never_errors_and_never_half_writes(world, alice_client, changes, drop):
    data = new_order_post(**changes)
    for name in drop:
        data.pop(name, None)
    before = _counts()
    response = alice_client.post(reverse("orders:portin_new"), data, follow=True)
    assert response.status_code == 200
    _assert_orders_whole()
    created = PortOrder.objects.count() - before[0]
    if created == 0:
        assert _counts() == before, "a refused order left rows behind"
        text = _refusal_text(response) + response.content.decode()
        assert _refusal_text(response) or "refused" in text.lower(), "refused without a reason"


@FUZZ
@given(text=tn_lines)
def test_tn_paste_box_names_every_bad_line(world, alice_client, text):
    before = _counts()
    response = alice_client.post(
        reverse("orders:portin_new"), new_order_post(tns=text), follow=True
    )
    assert response.status_code == 200
    _assert_orders_whole()
    tns, errors = parse_tn_list(text)
    lines = text.splitlines()
    for error in errors:
        assert 1 <= error.line <= len(lines) + 1, error
        assert error.message
    if errors and any(e.message and "more than once" not in e.message for e in errors):
        refusal = _refusal_text(response)
        if PortOrder.objects.count() == before[0]:
            assert "Line" in refusal or "TN" in refusal, refusal


@FUZZ
@given(content=csv_bytes, name=st.sampled_from(["tns.csv", "tns.txt", "x.pdf", "../../a.csv"]))
def test_port_in_tn_csv_upload_never_errors_and_names_the_problem(
    world, alice_client, content, name
):
    before = _counts()
    data = new_order_post(tns="")
    data["tn_file"] = SimpleUploadedFile(name, content, content_type="text/csv")
    response = alice_client.post(reverse("orders:portin_new"), data, follow=True)
    assert response.status_code == 200
    _assert_orders_whole()
    if PortOrder.objects.count() == before[0]:
        assert _counts() == before
        assert _refusal_text(response) or b"refused" in response.content.lower()


lsr_mutations = st.dictionaries(st.sampled_from(LSR_FIELDS), junk, min_size=1, max_size=4)


@FUZZ
@given(changes=lsr_mutations, pon=st.integers(1, 10**6))
def test_lsr_form_never_errors_and_never_half_writes(world, alice_client, changes, pon):
    data = lsr_post(world, pon=f"PON-FUZZ-{pon}")
    data.update(changes)
    before = _counts()
    response = alice_client.post(reverse("orders:portout_lsr_new"), data)
    assert response.status_code in (200, 302)
    _assert_orders_whole()
    if response.status_code == 302:
        assert PortOrder.objects.count() == before[0] + 1
    else:
        assert _counts() == before, "a refused LSR left rows behind"
        assert _refusal_text(response), "refused without a reason"


@FUZZ
@given(content=csv_bytes, which=st.sampled_from(["tns_csv", "disconnect_csv"]))
def test_lsr_tn_csv_upload_never_errors_and_names_the_problem(world, alice_client, content, which):
    data = lsr_post(world, pon="PON-FUZZ-CSV")
    if which == "tns_csv":
        data["tns"] = ""
    data[which] = SimpleUploadedFile("tns.csv", content, content_type="text/csv")
    before = _counts()
    response = alice_client.post(reverse("orders:portout_lsr_new"), data)
    assert response.status_code in (200, 302)
    _assert_orders_whole()
    if response.status_code == 200:
        assert _counts() == before
        assert _refusal_text(response)
    else:
        # Accepted: the LSR's numbers are exactly the TNs it listed, once each.
        order = PortOrder.objects.latest("pk")
        tns = list(order.numbers.values_list("tn", flat=True))
        assert len(tns) == len(set(tns))
        PortOrder.objects.filter(pk=order.pk).delete()  # free the PON for the next example


def test_duplicate_tns_are_refused_once_each_with_their_reason(world, alice_client):
    text = "503-555-7001\n(503) 555-7001\n5035557002\n5035557002"
    response = alice_client.post(
        reverse("orders:portin_new"), new_order_post(tns=text), follow=True
    )
    assert response.status_code == 200
    order = PortOrder.objects.get()
    assert sorted(order.numbers.values_list("tn", flat=True)) == ["5035557001", "5035557002"]
    refused = response.context["refused"]
    assert [r["reason"] for r in refused] == ["listed more than once"] * 2
    assert TelephoneNumber.objects.count() >= 2
