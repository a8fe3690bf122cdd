"""Every URL but login sends an anonymous visitor to the login page."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# The customer's pages (issue 19) open with a link, without a login: a made-up token gets
# their own "not valid" page (tests/orders/portin/test_customer_links.py), never this login.
CUSTOMER_PAGES = {
    "customer_page",
    "customer_loa_pdf",
    "customer_sign",
    "customer_correct",
    "customer_cancel",
}
PUBLIC = {"login", *CUSTOMER_PAGES}
# The partner API authenticates by key, not by session: an anonymous call gets a 401 problem
# (its schema and docs are public), checked in tests/security/test_access_matrix.py.
API_PREFIX = "api/v1/"


def _all_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def _sample_path(route):
    import re

    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    route = re.sub(r"<int:\w+>|<\w+>|\(\?P<\w+>[^)]*\)", "1", route)
    route = re.sub(r"<path:\w+>", "x", route)
    route = re.sub(r"<slug:\w+>|<str:\w+>|<uuid:\w+>", "x", route)
    return "/" + route


def test_every_url_but_login_redirects_anonymous_users_to_login(client):
    checked = 0
    for route, name in _all_patterns():
        if name in PUBLIC or route.startswith(("admin/", API_PREFIX)):
            continue
        path = _sample_path(route)
        response = client.get(path)
        assert response.status_code == 302, f"{path} ({name}) answered {response.status_code}"
        assert "/accounts/login/" in response["Location"], path
        checked += 1
    assert checked > 1


def test_admin_sends_anonymous_users_to_its_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
