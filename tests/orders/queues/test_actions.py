"""Claim, bulk assign, bulk reassign (managers) and bulk return to customer, and who may."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from orders.models import Comment, CsrRequest, PortOrder, Rejection, Status
from orders.services.queues import queue_rows_assign
from tests.orders.queues.conftest import client_for, queue_url

pytestmark = pytest.mark.django_db


def post(client, name, slug, data, **kwargs):
    return client.post(reverse(name, args=[slug]), data, **kwargs)


def flash(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def assignee_of(obj):
    obj.refresh_from_db()
    return obj.assignee


def test_claim_assigns_the_row_to_me_and_returns_to_the_filtered_page(alice_client, world, alice):
    order = world["IN-REVIEW"]
    back = queue_url("in-review", q="IN")
    response = post(
        alice_client, "orders:queue_claim", "in-review", {"claim": order.pk, "next": back}
    )
    assert response.status_code == 302
    assert response["Location"] == back
    assert assignee_of(order) == alice
    assert Comment.objects.filter(order=order, body__contains="took the order").exists()
    assert "Claimed 1: IN-REVIEW v1." in flash(response)


def test_claim_refuses_a_row_someone_else_holds(client, world, maria, alice):
    client.force_login(maria)
    order = world["IN-EXCEPTION"]  # alice's
    response = post(client, "orders:queue_claim", "in-exceptions", {"claim": order.pk})
    assert assignee_of(order) == alice
    assert any("assigned to alice" in m for m in flash(response))


def test_claim_ignores_an_unsafe_next_url(alice_client, world):
    order = world["IN-REVIEW"]
    response = post(
        alice_client,
        "orders:queue_claim",
        "in-review",
        {"claim": order.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("orders:queue", args=["in-review"])


def test_claim_a_csr_request_and_an_npac_record(alice_client, world, alice):
    post(alice_client, "orders:queue_claim", "out-csr-requests", {"claim": world.csr_open.pk})
    assert assignee_of(world.csr_open) == alice
    post(alice_client, "orders:queue_claim", "out-npac-cancels", {"claim": world.npac_unsent.pk})
    assert assignee_of(world["OUT-EXPIRED"]) == alice


def test_bulk_assign_gives_unassigned_rows_to_a_colleague(alice_client, world, maria):
    ids = [world["IN-DRAFT"].pk, world["IN-CSR-PENDING"].pk]
    response = post(
        alice_client, "orders:queue_assign", "in-drafts", {"ids": ids, "assignee": maria.pk}
    )
    assert response.status_code == 302
    assert set(PortOrder.objects.filter(pk__in=ids).values_list("assignee", flat=True)) == {
        maria.pk
    }
    assert "Assigned 2" in flash(response)[0]


def test_bulk_assign_skips_rows_someone_else_holds(alice_client, world, maria, alice):
    held = world["IN-FOC-TOMORROW"]  # maria's
    free = world["IN-FOC-TODAY"]
    response = post(
        alice_client,
        "orders:queue_assign",
        "in-foc-week",
        {"ids": [held.pk, free.pk], "assignee": alice.pk},
    )
    assert assignee_of(held) == maria
    assert assignee_of(free) == alice
    messages = flash(response)
    assert any("Skipped 1" in m and "a manager can reassign" in m for m in messages)


def test_bulk_assign_without_rows_or_person_is_refused_with_a_message(alice_client, world, alice):
    response = post(alice_client, "orders:queue_assign", "in-drafts", {"assignee": alice.pk})
    assert "Select rows" in flash(response)[0]
    response = post(alice_client, "orders:queue_assign", "in-drafts", {"ids": [1]})
    assert "Select rows" in flash(response)[0]


def test_work_cannot_be_assigned_to_someone_outside_the_desk(alice_client, world, bob):
    order = world["IN-DRAFT"]
    post(alice_client, "orders:queue_assign", "in-drafts", {"ids": [order.pk], "assignee": bob.pk})
    assert assignee_of(order) is None


def test_bulk_reassign_is_403_for_alice(alice_client, world, alice, maria):
    order = world["IN-FOC-TOMORROW"]
    response = post(
        alice_client,
        "orders:queue_reassign",
        "in-foc-week",
        {"ids": [order.pk], "assignee": alice.pk},
    )
    assert response.status_code == 403
    assert assignee_of(order) == maria


def test_bulk_reassign_works_for_maria(maria_client, world, alice, maria):
    held = world["IN-EXCEPTION"]  # alice's
    response = post(
        maria_client,
        "orders:queue_reassign",
        "unassigned",
        {"ids": [held.pk, world["IN-REVIEW"].pk], "assignee": maria.pk},
    )
    assert response.status_code == 302
    assert assignee_of(held) == maria
    assert assignee_of(world["IN-REVIEW"]) == maria
    assert "Reassigned 2" in flash(response)[0]


def test_bulk_reassign_of_rejections_moves_the_rejection_and_its_order(
    maria_client, world, alice, maria
):
    rejection = world.rejections["in-exception"]  # alice holds the rejection and the order
    other = world.rejections["out"]
    response = post(
        maria_client,
        "orders:queue_reassign",
        "rejections",
        {"ids": [rejection.pk, other.pk], "assignee": maria.pk},
    )
    assert response.status_code == 302
    assert assignee_of(rejection) == maria
    assert assignee_of(rejection.order) == maria
    assert assignee_of(other) == maria
    assert assignee_of(other.order) == maria


def test_only_managers_see_the_reassign_and_return_buttons(world, alice, maria):
    url = queue_url("rejections")
    alice_page = client_for(alice).get(url).content.decode()
    maria_page = client_for(maria).get(url).content.decode()
    assert 'data-testid="bulk-assign"' in alice_page
    assert 'data-testid="bulk-reassign"' not in alice_page
    assert 'data-testid="bulk-return"' not in alice_page
    assert 'data-testid="bulk-reassign"' in maria_page
    assert 'data-testid="bulk-return"' in maria_page


def test_decision_links_only_for_managers(world, alice, maria):
    alice_client, maria_client = client_for(alice), client_for(maria)
    assert b'data-testid="decide"' not in alice_client.get(queue_url("out-expedites")).content
    assert b'data-testid="decide"' in maria_client.get(queue_url("out-expedites")).content
    assert b'data-testid="decide"' in maria_client.get(queue_url("out-sup-flags")).content


def test_bulk_return_to_customer_is_403_for_alice(alice_client, world):
    rejection = world.rejections["in-exception"]
    response = post(
        alice_client, "orders:queue_return_to_customer", "rejections", {"ids": [rejection.pk]}
    )
    assert response.status_code == 403
    rejection.order.refresh_from_db()
    assert rejection.order.status == Status.EXCEPTION


def test_bulk_return_to_customer_returns_port_in_exceptions_and_skips_the_rest(
    maria_client, world, django_capture_on_commit_callbacks
):
    exception = world.rejections["in-exception"]
    mismatch = world.rejections["in-mismatch"]
    out = world.rejections["out"]
    already = world.rejections["in-rejected"]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            maria_client,
            "orders:queue_return_to_customer",
            "rejections",
            {"ids": [exception.pk, mismatch.pk, out.pk, already.pk]},
        )
    assert response.status_code == 302
    for rejection in (exception, mismatch):
        rejection.order.refresh_from_db()
        assert rejection.order.status == Status.REJECTED
        assert rejection.order.auto_cancel_on is not None
        rejection.refresh_from_db()
        assert rejection.returned_to_customer_at is not None
    out.order.refresh_from_db()
    assert out.order.status == Status.REJECTED  # untouched port-out
    assert len(mail.outbox) == 2
    messages = " ".join(flash(response))
    assert "Returned to the customer 2" in messages
    assert "port-out rejection has no customer" in messages
    assert "not exception" in messages


def test_return_to_customer_only_on_the_rejection_queue(maria_client, world):
    response = post(maria_client, "orders:queue_return_to_customer", "in-exceptions", {"ids": [1]})
    assert response.status_code == 404


def test_actions_are_post_only(alice_client, world):
    for name in ("orders:queue_claim", "orders:queue_assign", "orders:queue_reassign"):
        assert alice_client.get(reverse(name, args=["in-drafts"])).status_code == 405


def test_bob_cannot_claim(client, bob, world):
    client.force_login(bob)
    response = post(client, "orders:queue_claim", "in-drafts", {"claim": world["IN-DRAFT"].pk})
    assert response.status_code == 403


def test_the_service_refuses_a_reassign_from_staff(world, alice, maria):
    from orders.lifecycle import DomainError

    with pytest.raises(DomainError):
        queue_rows_assign(
            kind="order", ids=[world["IN-EXCEPTION"].pk], assignee=alice, by=alice, reassign=True
        )


def test_assigning_a_csr_request_to_someone_else_is_skipped_without_reassign(world, alice, maria):
    CsrRequest.objects.filter(pk=world.csr_open.pk).update(assignee=maria)
    result = queue_rows_assign(
        kind="csr_request", ids=[world.csr_open.pk], assignee=alice, by=alice
    )
    assert result.done == [] and len(result.skipped) == 1
    assert assignee_of(world.csr_open) == maria


def test_a_plain_rejection_assignment_leaves_an_order_someone_else_holds(world, alice, maria):
    rejection = world.rejections["in-exception"]
    Rejection.objects.filter(pk=rejection.pk).update(assignee=None)
    queue_rows_assign(kind="rejection", ids=[rejection.pk], assignee=maria, by=maria)
    assert assignee_of(rejection) == maria
    assert assignee_of(rejection.order) == alice  # the order was alice's: not taken silently
