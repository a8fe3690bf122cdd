"""The signed-in session slides: it lasts SESSION_COOKIE_AGE after the last use, but is written
at most every SESSION_REFRESH_SECONDS, not on every page the desk loads."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.middleware import REFRESHED_KEY

pytestmark = pytest.mark.django_db


def _session_writes(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [
        q["sql"]
        for q in ctx.captured_queries
        if "django_session" in q["sql"]
        and (q["sql"].startswith("UPDATE") or q["sql"].startswith("INSERT"))
    ]


def test_pages_within_the_refresh_window_do_not_write_the_session(alice_client):
    url = reverse("orders:order_list")
    alice_client.get(url)  # the first page marks the session
    assert _session_writes(alice_client, url) == []
    assert _session_writes(alice_client, url) == []


def test_the_session_is_extended_once_the_refresh_window_has_passed(alice_client, settings):
    url = reverse("orders:order_list")
    alice_client.get(url)
    session = alice_client.session
    session[REFRESHED_KEY] -= settings.SESSION_REFRESH_SECONDS + 1
    session.save()
    before = Session.objects.get(session_key=session.session_key).expire_date

    assert len(_session_writes(alice_client, url)) == 1
    after = Session.objects.get(session_key=session.session_key).expire_date
    assert after > before
    assert _session_writes(alice_client, url) == []


def test_the_login_page_gives_an_anonymous_visitor_no_session(client):
    assert client.get(reverse("login")).status_code == 200
    assert not Session.objects.exists()
