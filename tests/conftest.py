"""Shared personas: alice (porting staff), maria (porting manager), admin (superuser),
and bob, a logged-in account in no desk group."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from orders.roles import MANAGER_GROUP, STAFF_GROUP

PASSWORD = "correct-horse-battery"
DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def pytest_runtest_setup(item):
    """A test marked `pure` proves a rule on Facts built by hand: asking for the database
    (a django_db mark or a fixture that needs it) fails it before it runs."""
    if item.get_closest_marker("pure") is None:
        return
    wants = DB_FIXTURES & set(item.fixturenames)
    if item.get_closest_marker("django_db") or wants:
        pytest.fail(
            f"{item.nodeid} is marked pure but uses the database ({', '.join(sorted(wants))}"
            " or a django_db mark): build its Facts by hand.",
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests start from a flushed database: put the migrations' data back."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    if transactional:
        from tests.reference_data import ensure_reference_data

        request.getfixturevalue("transactional_db")
        ensure_reference_data()


def _user(username, *, group=None, superuser=False):
    User = get_user_model()
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@porting-desk.example.net",
        first_name=username.capitalize(),
        is_staff=superuser,
        is_superuser=superuser,
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def alice(db):
    return _user("alice", group=STAFF_GROUP)


@pytest.fixture
def maria(db):
    return _user("maria", group=MANAGER_GROUP)


@pytest.fixture
def admin_user(db):
    return _user("admin", superuser=True)


@pytest.fixture
def bob(db):
    return _user("bob")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def maria_client(client, maria):
    client.force_login(maria)
    return client


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client
