"""A clean "service unavailable" page when the database goes away, never a traceback.

`DatabaseUnavailableMiddleware` sits after AuthenticationMiddleware and before
LoginRequiredMiddleware (see `portal.settings.MIDDLEWARE`):

- `process_view` loads the session's user first, inside a guard: when the database cannot
  be reached that is the first query of every request, and it answers 503 here instead of
  failing inside LoginRequiredMiddleware;
- `process_exception` turns a `django.db.OperationalError` / `InterfaceError` raised by a view
  (the database went away in the middle of the request) into the same 503 page.

The page (`templates/503.html`) is rendered without a request context, so it runs no
context processor and touches no database; the session is not saved on a 5xx response
(SessionMiddleware skips it), and the response says `Retry-After`. The error is logged on
`portal.db` with the path only: no POST data, no SQL parameters.
"""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("portal.db")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable_response(request) -> HttpResponse:
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None:
            return None
        try:
            user.is_authenticated  # noqa: B018 - forces the lazy session + user lookup
        except DATABASE_ERRORS as exc:
            return self._unavailable(request, exc)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request, exc) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and not hasattr(session, "_session_cache"):
            # The session could not be loaded. SessionMiddleware would try again on the way
            # out (to read its expiry) and fail outside any handler: give it an empty one.
            # It never saves a session on a 5xx response, so nothing is overwritten.
            session._session_cache = {}
        logger.error(
            "Database unavailable while serving %s %s (%s)",
            request.method,
            request.path,
            type(exc).__name__,
        )
        return database_unavailable_response(request)


class SlidingSessionMiddleware:
    """Keep a signed-in session alive for SESSION_COOKIE_AGE after the last request, writing it
    at most once every SESSION_REFRESH_SECONDS.

    SESSION_SAVE_EVERY_REQUEST would give the same idle timeout, but at the price of a
    session UPDATE (three statements with its transaction) on every page, the busiest of
    which are the queues the desk reloads all day. The timeout is then exact to within
    SESSION_REFRESH_SECONDS. Placed after SessionMiddleware, so its mark is saved by it.
    Anonymous visitors get no session from this (the login page stays session-free).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is None or user is None or not user.is_authenticated:
            return response
        if response.status_code >= 500:
            return response  # SessionMiddleware does not save on a 5xx either
        now = int(time.time())
        refreshed = session.get(REFRESHED_KEY, 0)
        if now - refreshed >= settings.SESSION_REFRESH_SECONDS:
            session[REFRESHED_KEY] = now  # marks it modified: saved with a new expiry
        return response


REFRESHED_KEY = "_session_refreshed_at"
