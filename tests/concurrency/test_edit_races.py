"""Two people saving "Fix the order" at the same moment, both from a page that showed the
same revision: exactly one save wins, the other is told the order changed, and the order holds
the winner's data, never a mix and never the loser's (issue 14, section 6).

Each trial releases the two saves together (a barrier, one database session each) on a fresh
order; many trials give the interleavings a chance."""

import pytest
from django.test import Client
from django.urls import reverse

from orders.lifecycle import OrderChanged
from orders.models import Comment, PortOrder, Status
from orders.roles import STAFF_GROUP
from orders.services import portin
from tests.conftest import _user
from tests.factories import PortOrderFactory

from .conftest import needs_postgres, run_together

pytestmark = [*needs_postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TRIALS = 8

ALICE_SAVES = {"city": "Salem", "authorized_person": "Jordan Rivera"}
CAROL_SAVES = {"city": "Eugene", "service_address": "3520 SE Hawthorne Blvd"}
ON_THE_PAGE = sorted(ALICE_SAVES.keys() | CAROL_SAVES.keys())


@pytest.fixture
def carol(db):
    return _user("carol", group=STAFF_GROUP)


def _save(user, pk, seen_revision, changes):
    def run():
        order = PortOrder.objects.get(pk=pk)
        # What the page posts: every field as it showed them, with this person's changes.
        shown = {name: getattr(order, name) for name in ON_THE_PAGE}
        return portin.portin_order_update(
            order=order,
            by=user,
            changes={**shown, **changes},
            expected_status=Status.DRAFT,
            expected_revision=seen_revision,
        )

    return run


def test_two_saves_of_the_same_revision_one_wins_with_its_data(alice, carol):
    winners = set()
    for _ in range(TRIALS):
        order = PortOrderFactory()
        seen = order.revision
        before = {name: getattr(order, name) for name in ON_THE_PAGE}
        outcomes = run_together(
            _save(alice, order.pk, seen, ALICE_SAVES), _save(carol, order.pk, seen, CAROL_SAVES)
        )
        errors = [value for kind, value in outcomes if kind == "error"]
        assert len(errors) == 1, outcomes
        assert isinstance(errors[0], OrderChanged), errors
        assert "changed while you were working on it" in str(errors[0])
        assert "Reload the page and try again." in str(errors[0])

        order.refresh_from_db()
        assert order.revision == seen + 1
        winner, saved = ("alice", ALICE_SAVES) if outcomes[0][0] == "ok" else ("carol", CAROL_SAVES)
        winners.add(winner)
        for name, value in saved.items():
            assert getattr(order, name) == value, (winner, name)
        loser_only = (CAROL_SAVES if winner == "alice" else ALICE_SAVES).keys() - saved.keys()
        for name in loser_only:
            assert getattr(order, name) == before[name], name
        notes = Comment.objects.filter(order=order, body__startswith="Order details changed")
        assert [note.body.split(" by ")[1].split(":")[0] for note in notes] == [winner]


def test_two_people_posting_fix_the_order_from_the_same_page_one_is_told_to_reload(alice, carol):
    for _ in range(TRIALS):
        order = PortOrderFactory()
        url = reverse("orders:order_action", args=[order.pk, "edit"])
        page = {
            "edit-expected_status": Status.DRAFT,
            "edit-revision": order.revision,
            "edit-account_name": order.account_name,
            "edit-btn": order.btn,
            "edit-authorized_person": order.authorized_person,
            "edit-service_address": order.service_address,
            "edit-city": order.city,
            "edit-state": order.state,
            "edit-zip_code": order.zip_code,
            "edit-requested_due_date": order.requested_due_date.isoformat(),
            "edit-notification_email": order.notification_email,
            "edit-remarks": "",
        }
        clients = []
        for user in (alice, carol):
            client = Client()
            client.force_login(user)
            clients.append(client)
        posts = [
            {**page, "edit-city": "Salem"},
            {**page, "edit-city": "Eugene"},
        ]
        outcomes = run_together(
            *(
                lambda c=c, data=data, url=url: c.post(url, data)
                for c, data in zip(clients, posts, strict=True)
            )
        )
        assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
        said = [
            [
                str(m)
                for m in c.get(reverse("orders:order_detail", args=[order.pk])).context["messages"]
            ]
            for c in clients
        ]
        saved = [any(m.startswith("Saved:") for m in messages) for messages in said]
        told = [any("Reload the page" in m for m in messages) for messages in said]
        assert sorted(saved) == [False, True] and told == [not s for s in saved], said
        order.refresh_from_db()
        assert order.city == ("Salem" if saved[0] else "Eugene")
        assert order.revision == 2
