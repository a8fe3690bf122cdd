"""portal.backends.PortalModelBackend: the same permissions as Django's ModelBackend, in one
query instead of two (every page checks permissions)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from portal.backends import PortalModelBackend

pytestmark = pytest.mark.django_db


def _fresh(user):
    # A new instance: the permission caches live on the user object.
    return get_user_model().objects.get(pk=user.pk)


def test_group_and_own_permissions_are_read_in_one_query(maria, django_assert_num_queries):
    maria.user_permissions.add(Permission.objects.get(codename="view_carrier"))
    user = _fresh(maria)
    with django_assert_num_queries(1):
        perms = PortalModelBackend().get_all_permissions(user)
        assert user.has_perm("orders.decide_expedite")  # from the managers' group
        assert user.has_perm("carriers.view_carrier")  # her own
    assert perms == ModelBackend().get_all_permissions(_fresh(maria))


@pytest.mark.parametrize("persona", ["alice", "maria", "admin_user", "bob"])
def test_every_persona_gets_the_same_set_as_django_gives(persona, request):
    user = request.getfixturevalue(persona)
    ours = PortalModelBackend().get_all_permissions(_fresh(user))
    assert ours == ModelBackend().get_all_permissions(_fresh(user))
    if persona == "bob":
        assert ours == set()
    else:
        assert ours


def test_an_inactive_user_has_no_permissions(maria):
    maria.is_active = False
    maria.save(update_fields=["is_active"])
    assert PortalModelBackend().get_all_permissions(_fresh(maria)) == set()
    assert not _fresh(maria).has_perm("orders.decide_expedite")


def test_a_page_checks_permissions_with_one_query(alice_client, django_assert_max_num_queries):
    # Session, user, permissions: the 404 page renders the navbar from the permissions. (The
    # first request after logging in also refreshes the session; not this one.)
    alice_client.get("/no-such-page/")
    with django_assert_max_num_queries(3):
        response = alice_client.get("/no-such-page/")
    assert response.status_code == 404
