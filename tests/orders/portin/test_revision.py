"""Editing the order's data carries the revision the page saw: a save over a newer revision
is refused with the lifecycle's "changed while you were working on it" message, and the newer
save is kept (issue 14, section 6). The race itself, on PostgreSQL, is in
tests/concurrency/test_edit_races.py."""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from orders.lifecycle import OrderChanged, transition, transition_many
from orders.models import PortOrder, Status
from orders.services import portin

from .conftest import EDIT_FORM_TEXT_FIELDS
from .test_flow import act, messages_of

pytestmark = pytest.mark.django_db

STALE = "This order changed while you were working on it"


def page_revision(client, order, prefix="edit") -> int:
    """The revision the order page's form carries, read from the page as a browser has it."""
    page = client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    found = re.search(rf'name="{prefix}-revision" value="(\d+)"', page)
    assert found, f"the {prefix} form carries no revision"
    return int(found.group(1))


def edit_form_as_loaded(client, order) -> dict:
    """The "Fix the order" form as the browser posts it, filled with what the page showed."""
    order.refresh_from_db()
    fields = {name: getattr(order, name) or "" for name in EDIT_FORM_TEXT_FIELDS}
    fields["requested_due_date"] = order.requested_due_date.isoformat()
    fields["revision"] = page_revision(client, order)
    fields["expected_status"] = order.status
    return fields


def post_edit(client, order, fields: dict, **changes):
    data = {f"edit-{name}": value for name, value in {**fields, **changes}.items()}
    return client.post(
        reverse("orders:order_action", kwargs={"pk": order.pk, "action": "edit"}),
        data,
        follow=True,
    )


def test_the_fix_the_order_form_carries_the_revision_the_page_saw(desk, make_portin, alice_client):
    order = make_portin("5035550101")
    assert page_revision(alice_client, order) == order.revision == 1

    act(alice_client, order, "edit", city="Salem", **_unchanged(order, "city"))

    order.refresh_from_db()
    assert order.city == "Salem"
    assert order.revision == 2
    assert page_revision(alice_client, order) == 2


def _unchanged(order, *but):
    """Every field of the edit form as the order has it, except those named."""
    values = {n: getattr(order, n) or "" for n in EDIT_FORM_TEXT_FIELDS if n not in but}
    values["requested_due_date"] = order.requested_due_date.isoformat()
    return values


def test_a_second_save_over_a_newer_revision_is_refused_and_the_first_save_kept(
    desk, make_portin, alice_client, maria, client
):
    order = make_portin("5035550101")
    client.force_login(maria)
    # Both open "Fix the order" on the same page.
    alice_form = edit_form_as_loaded(alice_client, order)
    maria_form = edit_form_as_loaded(client, order)

    post_edit(client, order, maria_form, city="Salem")
    response = post_edit(alice_client, order, alice_form, authorized_person="Jordan Rivera")

    said = " ".join(messages_of(response))
    assert STALE in said and "Reload the page and try again." in said
    order.refresh_from_db()
    # Maria's save stands; alice's form (still saying Portland) did not undo it.
    assert order.city == "Salem"
    assert order.authorized_person == "Pat Smith"
    assert order.revision == 2
    assert not order.comments.filter(body__contains="changed by alice").exists()


def test_a_status_change_makes_an_open_edit_form_stale_even_when_the_status_comes_back(
    desk, make_portin, alice, alice_client
):
    order = make_portin("5035550101", spid=desk.rural_spid)
    portin.order_submit(order=order, by=alice)
    portin.lsp_reject_record(order=order, by=alice, reason_codes=["ZIP"])
    assert order.status == Status.EXCEPTION
    form = edit_form_as_loaded(alice_client, order)

    # Meanwhile the order is resent and rejected again: exception again, but not as it was.
    portin.exception_resend(order=order, by=alice, note="Fixed the ZIP.")
    portin.lsp_reject_record(order=order, by=alice, reason_codes=["ZIP"])
    assert PortOrder.objects.get(pk=order.pk).status == Status.EXCEPTION

    response = post_edit(alice_client, order, form, zip_code="97214")

    assert STALE in " ".join(messages_of(response))
    assert PortOrder.objects.get(pk=order.pk).zip_code == "97204"


def test_a_stale_simple_port_classification_is_refused(desk, make_portin, alice_client, alice):
    order = make_portin("5035550101")
    seen = page_revision(alice_client, order, prefix="simple_port")
    portin.portin_order_update(
        order=order, by=alice, changes={"city": "Salem"}, expected_revision=order.revision
    )

    response = act(
        alice_client,
        order,
        "simple-port",
        classification="not",
        reason="Centrex on the CSR",
        revision=seen,
    )

    assert STALE in " ".join(messages_of(response))
    assert PortOrder.objects.get(pk=order.pk).simple_port_override is None


def test_an_edit_form_without_its_revision_saves_nothing(desk, make_portin, alice_client):
    order = make_portin("5035550101")
    fields = edit_form_as_loaded(alice_client, order)
    del fields["revision"]

    response = post_edit(alice_client, order, fields, city="Salem")

    assert "revision" in response.content.decode()
    assert PortOrder.objects.get(pk=order.pk).city == "Portland"


def test_the_service_refuses_an_older_revision(desk, make_portin, alice):
    order = make_portin("5035550101")
    portin.portin_order_update(order=order, by=alice, changes={"city": "Salem"})
    assert order.revision == 2

    with pytest.raises(OrderChanged, match="Reload the page and try again"):
        portin.portin_order_update(
            order=order, by=alice, changes={"city": "Eugene"}, expected_revision=1
        )
    assert PortOrder.objects.get(pk=order.pk).city == "Salem"


def test_every_status_change_is_a_new_revision(desk, make_portin, alice):
    one = make_portin("5035550101")
    two = make_portin("5035550102")
    transition(one, Status.SUBMITTED, actor=alice)
    assert PortOrder.objects.get(pk=one.pk).revision == one.revision == 2

    with transaction.atomic():
        list(PortOrder.objects.select_for_update().filter(pk__in=[one.pk, two.pk]))
        transition_many([one.pk], Status.CANCELLED, direction="in", from_status=Status.SUBMITTED)
        transition_many([two.pk], Status.SUBMITTED, direction="in", from_status=Status.DRAFT)
    assert dict(
        PortOrder.objects.filter(pk__in=[one.pk, two.pk]).values_list("pk", "revision")
    ) == {
        one.pk: 3,
        two.pk: 2,
    }
