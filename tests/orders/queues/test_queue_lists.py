"""Each queue lists its rows and no others; the registry is the one source for pages and cards."""

import pytest
from django.urls import reverse

from orders.queues.registry import QUEUES, QUEUES_BY_SLUG
from tests.orders.queues.conftest import listed, pons, queue_url

pytestmark = pytest.mark.django_db

EXPECTED = {
    "in-drafts": {"IN-DRAFT", "IN-CSR-PENDING"},
    "in-csr": {"IN-CSR-PENDING", "IN-CSR-MISMATCH"},
    "in-submitted": {"IN-SUBMITTED", "IN-CHECK-TODAY", "IN-CHECK-LATE"},
    "in-status-checks": {"IN-CHECK-TODAY", "IN-CHECK-LATE"},
    "in-exceptions": {"IN-CSR-MISMATCH", "IN-EXCEPTION"},
    "in-rejected": {"IN-REJECTED"},
    "in-review": {"IN-REVIEW"},
    "in-foc-week": {"IN-FOC-TODAY", "IN-FOC-TOMORROW", "IN-FOC-WEEK"},
    "in-completed": {"IN-COMPLETED"},
    "out-lsrs": {"OUT-LSR"},
    "out-expedites": {"OUT-EXPEDITE"},
    "out-sup-flags": {"OUT-SUP-FLAG"},
    "out-foc-sent": {"OUT-SUP-FLAG", "OUT-FOC-SENT"},
    "out-npac-cancels": {"OUT-EXPIRED"},
    "mine": {"IN-SUBMITTED", "IN-EXCEPTION"},
    "unassigned": {
        "IN-DRAFT",
        "IN-CSR-PENDING",
        "IN-CSR-MISMATCH",
        "IN-CHECK-TODAY",
        "IN-CHECK-LATE",
        "IN-REJECTED",
        "IN-REVIEW",
        "IN-FOC-TODAY",
        "IN-FOC-WEEK",
        "IN-FOC-LATER",
        "OUT-LSR",
        "OUT-EXPEDITE",
        "OUT-SUP-FLAG",
        "OUT-FOC-SENT",
    },
    "rejections": {"IN-CSR-MISMATCH", "IN-EXCEPTION", "IN-REJECTED", "OUT-REJECTED"},
}


def test_every_queue_in_the_registry_is_covered_here():
    # out-risk (managers only) has its own tests: test_portout_risk.py.
    assert set(EXPECTED) | {"out-csr-requests", "out-risk"} == set(QUEUES_BY_SLUG)
    assert len(QUEUES) == len(QUEUES_BY_SLUG)


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_each_queue_lists_exactly_its_rows(alice_client, world, slug):
    assert pons(alice_client, slug) == EXPECTED[slug]


def test_csr_request_queue_lists_open_requests_not_answered_ones(alice_client, world):
    assert listed(alice_client, "out-csr-requests") == [world.csr_open]


def test_npac_queue_lists_only_unsent_records(alice_client, world):
    assert listed(alice_client, "out-npac-cancels") == [world.npac_unsent]


def test_rejection_review_shows_open_rejections_with_age_bucket_reasons_and_carrier(
    maria_client, world
):
    response = maria_client.get(queue_url("rejections"))
    rows = {row.obj.order.pon: row for row in response.context["rows"]}
    assert world.rejections["resolved"].pk not in {row.pk for row in rows.values()}
    texts = {pon: [cell.text for cell in row.cells] for pon, row in rows.items()}
    assert "ACCT, ZIP" in texts["IN-CSR-MISMATCH"]
    assert "1 d (0-2)" in texts["IN-CSR-MISMATCH"]
    assert "10 d (8-30)" in texts["IN-EXCEPTION"]
    assert "40 d (31-45)" in texts["IN-REJECTED"]
    assert "50 d (45+)" in texts["OUT-REJECTED"]
    # the carrier on the other side: who rejected our port-in, whom we rejected
    assert "Rival Wireless" in texts["IN-CSR-MISMATCH"]
    assert "Pacific Bell" in texts["IN-EXCEPTION"]
    assert "Rival Wireless" in texts["OUT-REJECTED"]
    assert "Alice" in texts["IN-EXCEPTION"]


def test_rejected_queue_shows_days_left_before_auto_cancel(alice_client, world):
    response = alice_client.get(queue_url("in-rejected"))
    (row,) = response.context["rows"]
    labels = [h["label"] for h in response.context["headers"]]
    assert row.cells[labels.index("Days left")].text == "40"


def test_foc_sent_queue_shows_business_days_left_in_the_port_window(alice_client, world):
    from carriers.services import calendar_for
    from tests.orders.queues.conftest import days

    response = alice_client.get(queue_url("out-foc-sent", sort="window"))
    labels = [h["label"] for h in response.context["headers"]]
    column = labels.index("Business days left")
    cells = {row.obj.pon: row.cells[column].text for row in response.context["rows"]}
    calendar = calendar_for(world.ours)
    assert cells["OUT-FOC-SENT"] == str(calendar.business_days_between(days(0), days(7)))
    assert cells["OUT-SUP-FLAG"] == str(calendar.business_days_between(days(0), days(5)))


def test_overdue_rows_are_marked_and_the_overdue_switch_lists_only_them(alice_client, world):
    response = alice_client.get(queue_url("in-status-checks"))
    overdue = {row.obj.pon for row in response.context["rows"] if row.overdue}
    assert overdue == {"IN-CHECK-LATE"}
    assert pons(alice_client, "in-status-checks", overdue=1) == {"IN-CHECK-LATE"}
    assert b'data-testid="overdue-toggle"' in response.content
    completed = alice_client.get(queue_url("in-completed"))  # no overdue predicate: no switch
    assert b'data-testid="overdue-toggle"' not in completed.content


def test_unknown_queue_is_404(alice_client):
    assert alice_client.get("/queues/no-such-queue/").status_code == 404


def test_bob_without_a_desk_role_cannot_open_queues(client, bob, world):
    client.force_login(bob)
    assert client.get(queue_url("in-drafts")).status_code == 403
    assert client.get(reverse("orders:queue_index")).status_code == 403


def test_queue_index_links_every_queue_with_its_count(alice_client, world):
    response = alice_client.get(reverse("orders:queue_index"))
    assert response.status_code == 200
    for slug, queue in QUEUES_BY_SLUG.items():
        link = reverse("orders:queue", args=[slug]).encode()
        # Only the queues staff may see (the port-out risk queue is the managers').
        assert (link in response.content) == (queue.view_perm != "orders.review_port_out_risk")


def test_navbar_has_a_queues_menu_and_keeps_carriers(alice_client, world):
    content = alice_client.get(reverse("orders:queue_index")).content.decode()
    assert 'data-testid="nav-queues"' in content
    assert reverse("carriers:list") in content
    assert reverse("orders:queue", args=["rejections"]) in content


def test_rows_link_to_the_order_page(alice_client, world):
    response = alice_client.get(queue_url("in-review"))
    (row,) = response.context["rows"]
    assert row.href == reverse("orders:order_detail", args=[world["IN-REVIEW"].pk])


def test_npac_queue_links_the_port_out_npac_cancel_page(alice_client, world):
    response = alice_client.get(queue_url("out-npac-cancels"))
    assert response.context["npac_cancel_list_url"] == reverse("orders:portout_npac_cancels")
    assert reverse("orders:portout_npac_cancels").encode() in response.content


def test_csr_request_rows_link_to_the_request(alice_client, world):
    response = alice_client.get(queue_url("out-csr-requests"))
    (row,) = response.context["rows"]
    assert row.href == reverse("orders:portout_csr_detail", args=[world.csr_open.pk])
