"""Test settings: the project's settings with test-only switches.

django-q2 reads `sync` once at import, so it must be set here, not by pytest's settings fixture.
"""

import os

os.environ.setdefault("Q_SYNC", "true")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + live_server

from portal.settings import *  # noqa: F403
from portal.settings import Q_CLUSTER, STORAGES

Q_CLUSTER["sync"] = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
LOGGING = {"version": 1, "disable_existing_loggers": False}
STATIC_ROOT = tempfile.mkdtemp(prefix="portal-test-static-")
# Tests assert counts right after changing rows: no dashboard cache.
DASHBOARD_CACHE_SECONDS = 0
