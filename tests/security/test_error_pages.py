"""Error pages and error reports: clean pages without a traceback, and never a PIN or an
account number, whether an unexpected exception happens or the database goes away."""

import logging
import sys

import pytest
from django.core.signals import got_request_exception
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.views.debug import ExceptionReporter

from portal.logging import RedactSensitiveFilter, SensitiveDataReporterFilter, redact

from .conftest import KNOWN_ACCOUNT, KNOWN_PIN, new_order_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def crashing_create(monkeypatch):
    """The port-in service fails unexpectedly (a bug, not a DomainError)."""

    def boom(**kwargs):
        raise RuntimeError("unexpected failure in the port-in service")

    monkeypatch.setattr("orders.services.portin.portin_orders_create", boom)


@pytest.fixture
def reported(monkeypatch):
    """What Django hands to its error reporting: the request and the exception."""
    seen = {}

    def receiver(sender, request=None, **kwargs):
        seen["request"] = request
        seen["exc_info"] = sys.exc_info()

    got_request_exception.connect(receiver)
    yield seen
    got_request_exception.disconnect(receiver)


def _client_for(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_500_page_is_clean_and_shows_no_pin_or_account_number(
    world, alice, crashing_create, settings, caplog
):
    settings.DEBUG = False
    caplog.set_level(logging.DEBUG)
    client = _client_for(alice)
    response = client.post(reverse("orders:portin_new"), new_order_post())
    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong on our side" in text
    assert "Traceback" not in text and "RuntimeError" not in text
    assert KNOWN_PIN not in text and KNOWN_ACCOUNT not in text
    logged = "\n".join(
        r.getMessage() + (logging.Formatter().formatException(r.exc_info) if r.exc_info else "")
        for r in caplog.records
    )
    assert "Internal Server Error" in logged
    assert KNOWN_PIN not in logged and KNOWN_ACCOUNT not in logged


@pytest.mark.parametrize("debug", [False, True])
def test_error_report_hides_pin_and_account_number_in_post_data_and_frame_variables(
    world, alice, crashing_create, reported, settings, debug
):
    """The report Django mails to ADMINS (or shows with DEBUG) lists POST data and each frame's
    variables: the view's cleaned_data holds the PIN and the account number."""
    settings.DEBUG = debug
    client = _client_for(alice)
    client.post(reverse("orders:portin_new"), new_order_post())
    request, exc_info = reported["request"], reported["exc_info"]
    assert exc_info[0] is RuntimeError
    reporter = ExceptionReporter(request, *exc_info)
    assert isinstance(reporter.filter, SensitiveDataReporterFilter)
    for text in (reporter.get_traceback_text(), reporter.get_traceback_html()):
        assert "portin_orders_create" in text or "RuntimeError" in text
        assert KNOWN_PIN not in text
        assert KNOWN_ACCOUNT not in text
        assert "Known Customer LLC" in text  # the rest of the report is still useful


@pytest.fixture
def database_down():
    """Every query on the connection fails as when PostgreSQL has gone away."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    return refuse


def test_database_going_away_in_a_view_gives_a_clean_503(world, alice, settings, database_down):
    settings.DEBUG = False
    client = _client_for(alice)
    assert client.get(reverse("dashboard")).status_code == 200
    # The session and user load; the view's own queries (permissions, orders) fail.
    with connection.execute_wrapper(_fail_after_session_lookup(database_down)):
        response = client.get(reverse("orders:order_list"))
    assert response.status_code == 503
    text = response.content.decode()
    assert "temporarily unavailable" in text
    assert "Traceback" not in text and "OperationalError" not in text
    assert response["Retry-After"]
    # Once the database is back, the same session works: nothing was lost or overwritten.
    assert client.get(reverse("orders:order_list")).status_code == 200


def _fail_after_session_lookup(refuse):
    """Let the session and user queries through, then fail every other query."""

    def wrapper(execute, sql, params, many, context):
        if "django_session" in sql or ('"auth_user"' in sql and "auth_group" not in sql):
            return execute(sql, params, many, context)
        return refuse(execute, sql, params, many, context)

    return wrapper


def test_database_unreachable_from_the_first_query_gives_a_clean_503(
    world, alice, settings, database_down
):
    settings.DEBUG = False
    client = _client_for(alice)
    with connection.execute_wrapper(database_down):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 503
    assert b"temporarily unavailable" in response.content
    assert b"Traceback" not in response.content
    # The desk's session survives the outage: no new log-in once the database is back.
    assert client.get(reverse("dashboard")).status_code == 200


def test_database_going_away_during_a_post_shows_no_posted_pin(
    world, alice, settings, database_down
):
    settings.DEBUG = False
    client = _client_for(alice)
    client.get(reverse("dashboard"))
    with connection.execute_wrapper(_fail_after_session_lookup(database_down)):
        response = client.post(reverse("orders:portin_new"), new_order_post())
    assert response.status_code == 503
    assert KNOWN_PIN.encode() not in response.content
    assert KNOWN_ACCOUNT.encode() not in response.content


def test_404_and_403_pages_use_the_portal_templates(world, alice, settings):
    settings.DEBUG = False
    client = _client_for(alice)
    missing = client.get("/orders/999999/")
    assert missing.status_code == 404
    assert b"Not found" in missing.content and b"Back to the dashboard" in missing.content
    denied = client.post(reverse("orders:pin_reveal", args=[1]))
    assert denied.status_code == 403
    assert b"You may not do this" in denied.content


def test_log_filter_redacts_labelled_pins_and_account_numbers():
    assert redact("pin=8675 ok") == "pin=[redacted] ok"
    assert redact("{'pin': '8675', 'x': 1}") == "{'pin': '[redacted]', 'x': 1}"
    assert redact("PIN 8675 given") == "PIN [redacted] given"
    assert redact("account_number=ACCT-55501234;") == "account_number=[redacted];"
    assert redact("account number: ACCT-55501234") == "account number: [redacted]"
    # Words after a label are left alone: "PIN mismatch" is not a secret.
    assert redact("R16 PIN mismatch on order 12") == "R16 PIN mismatch on order 12"

    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "LSR %s pin=%s", ("A", "8675"), None
    )
    assert RedactSensitiveFilter().filter(record)
    assert record.getMessage() == "LSR A pin=[redacted]"


def test_production_logging_redacts_and_keeps_sql_parameters_out():
    import portal.settings as production

    logging_config = production.LOGGING
    assert "redact" in logging_config["handlers"]["console"]["filters"]
    # SQL statements carry account numbers as parameters: never logged in production.
    assert logging_config["loggers"]["django.db.backends"]["level"] == "WARNING"
    assert production.DEFAULT_EXCEPTION_REPORTER_FILTER.endswith("SensitiveDataReporterFilter")
