"""A newcomer's first minutes: development mail kept readable in files, and the portal's
icon on the admin's pages too (the browser's /favicon.ico request was a 404)."""

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

import portal.settings as portal_settings

pytestmark = pytest.mark.django_db


def test_without_a_mail_server_emails_go_to_files_under_the_data_dir(monkeypatch):
    if portal_settings.MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
        pytest.skip("EMAIL_HOST is set in this environment")
    mailer = portal_settings.MAILERS["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert mailer["OPTIONS"]["file_path"] == str(portal_settings.DATA_DIR / "sent-mail")


@pytest.mark.parametrize("url", [reverse("admin:login"), reverse("admin:index")])
def test_admin_pages_carry_the_portals_favicon(admin_client_, url):
    html = admin_client_.get(url, follow=True).content.decode()
    assert f'<link rel="icon" href="{static("portal/favicon.svg")}"' in html


def test_an_admin_change_list_carries_it_too(admin_client_):
    html = admin_client_.get(reverse("admin:orders_portorder_changelist")).content.decode()
    assert html.count('rel="icon"') == 1
    assert settings.STATIC_URL in html


def test_the_banner_names_the_url_every_demo_login_and_where_the_mail_went(settings):
    from io import StringIO

    from django.core.management import call_command

    from portal.management.commands.seed_demo import DEMO_USERS

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": "/tmp/portal-sent-mail"},
        }
    }
    out = StringIO()
    call_command("ready_banner", "--no-wait", "--port", "8765", stdout=out)

    text = out.getvalue()
    assert "http://127.0.0.1:8765/" in text
    for username, password, *_ in DEMO_USERS:
        assert f"{username} / {password}" in text
    assert "http://127.0.0.1:8765/admin/orders/outboundemail/" in text
    assert "/tmp/portal-sent-mail/" in text
