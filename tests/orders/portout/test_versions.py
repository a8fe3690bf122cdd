"""A new VER of a PON is a new port-out order superseding the one before: its page shows
what changed from that version, field by field, the account number by the orders' keyed
hashes (never in a snapshot) and masked."""

import pytest
from django.urls import reverse

from carriers.tn import format_tn
from orders.services import portout as services

from .conftest import at, make_lsr

pytestmark = pytest.mark.django_db


def receive(requester, lsr):
    return services.lsr_receive(requesting_carrier=requester, lsr=lsr, now=lsr.received_at)


def page_of(client, order):
    return client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()


def test_a_superseding_version_shows_what_changed_from_the_one_before(
    make_account, requester, alice, alice_client
):
    _, tns = make_account(2)
    v1 = receive(requester, make_lsr(tns[:1], authorization_indicator=False, remarks="first"))
    services.lsr_decide(order=v1, decision="reject", by=alice)
    v2 = receive(
        requester,
        make_lsr(
            tns,
            version=2,
            remarks="second",
            account_number="OTHER-12345678",
            received_at=at(2026, 11, 17, 9),
        ),
    )

    page = page_of(alice_client, v2)
    assert 'data-testid="order-version">VER 2<' in page
    changed = page.split('data-testid="version-2"')[1].split("</li>")[0]
    assert "Supersedes VER 1" in changed
    assert "Authorization indicator" in changed
    assert "Remarks" in changed and "first" in changed and "second" in changed
    assert "Account number" in changed and "5678" in changed
    assert "OTHER-12345678" not in page
    assert f"+{format_tn(tns[1])}" in changed  # the TN added
    # The earlier version links to its own order; its page lists the later one too.
    earlier = page.split('data-testid="version-1"')[1].split("</li>")[0]
    assert f'href="{reverse("orders:order_detail", args=[v1.pk])}"' in earlier
    assert "Rejected" in earlier  # each version's own status
    assert 'data-testid="version-2"' in page_of(alice_client, v1)


def test_a_single_version_shows_no_versions_card(make_account, requester, alice_client):
    _, tns = make_account(1)
    order = receive(requester, make_lsr(tns))
    assert 'data-testid="versions"' not in page_of(alice_client, order)
