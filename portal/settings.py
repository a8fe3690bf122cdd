"""Settings for the porting desk portal.

Everything that differs between deployments comes from the environment (django-environ).
With no environment at all the portal runs embedded: a SQLite file under ./data, the
django-q2 ORM broker and console email, so `make run` needs no server.
"""

import base64
import datetime
import hashlib
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is a convenience for developers; the environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG=false the portal refuses to start without a "
            "SECRET_KEY in the environment (generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    # Development only: a fixed key so sessions survive restarts of `make run`.
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_filters",
    "django_q",
    "axes",
    # django-ninja's app: the partner API's docs page then uses the Swagger UI files the
    # wheel ships (static), not its CDN template.
    "ninja",
    "portal",
    "carriers",
    "orders",
    "api",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.SlidingSessionMiddleware",
    # A clean 503 page (no traceback) when the database cannot be reached (issue 9).
    "portal.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "portal.context_processors.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / "data")))
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'portal.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the web process and the django-q2 worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Server-side parameters, and psycopg prepares a statement after its 5th run on a
    # connection: PostgreSQL then parses the queue and order queries once. Turn it off
    # behind a pooler in transaction mode that cannot keep prepared statements.
    # Each run is still planned for its own values (plan_cache_mode): after five runs
    # PostgreSQL may otherwise keep one generic plan for every value, and the queues' data
    # is skewed (a SPID or a status holds a third of the orders, another a handful): a
    # filtered queue page went from 28 ms to 1.2-1.5 s on its 11th request on a connection
    # (issue 21, at a million orders).
    if env.bool("DB_PREPARED_STATEMENTS", default=True):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options.update({"server_side_binding": True, "prepare_threshold": 5})
        options["options"] = " ".join(
            filter(None, [options.get("options", ""), "-c plan_cache_mode=force_custom_plan"])
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The queues' covering indexes (INCLUDE columns, orders.models.order_indexes.QUEUE_FILTER_COLUMNS)
# are for PostgreSQL at a national size; the embedded SQLite builds them without those
# columns, which is all a demo needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# One cache shared by every web worker (a per-process cache makes each worker recompute what
# another just did): by default the database's (its table is created by `migrate`, see
# orders/migrations/0023), or Redis with CACHE_URL=rediscache://...
CACHES = {
    "default": env.cache("CACHE_URL", default="dbcache://portal_cache"),
    # Rendered fragments and choice lists every page reads (the queue filter panel, the
    # assign form's people): per process, because a database cache would add a query to every
    # page for what costs one query to rebuild, and a worker a minute behind is harmless.
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"},
}
# How stale the queue filters' choice lists may be. (The dashboard's counts and charts are a
# summary the job dashboard-summary-refresh keeps every minute, not a cache.)
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=60)
# How old the reports' live figures for today may be (reports.rollup.live_figures; the
# rollup job refreshes them every minute). 0: counted on every request.
REPORTS_TODAY_SECONDS = env.int("REPORTS_TODAY_SECONDS", default=60)

# --- Auth -----------------------------------------------------------------------------
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portal.backends.PortalModelBackend",
]
# Login throttling: 5 failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
# A desk session ends after a working day of inactivity, not at browser close only.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
# An idle timeout of SESSION_COOKIE_AGE that slides with use, refreshed at most every 5
# minutes by portal.middleware.SlidingSessionMiddleware (not SESSION_SAVE_EVERY_REQUEST: a
# session write on every page).
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=300)

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en-us"
# The portal's own zone: schedules, "today" for queues and dates shown to staff.
TIME_ZONE = env.str("TIME_ZONE", default="America/Los_Angeles")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "documents")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)

# Port-in PINs are encrypted at rest (orders.crypto, Fernet). One key, or several separated by
# commas to rotate: the first encrypts, all decrypt. Generate one with
# `python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`.
PIN_ENCRYPTION_KEY = env.str("PIN_ENCRYPTION_KEY", default="")
if not PIN_ENCRYPTION_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "PIN_ENCRYPTION_KEY is not set. With DEBUG=false the portal refuses to start without "
            "the key that encrypts port-in PINs at rest."
        )
    # Development only: a key derived from SECRET_KEY, so PINs survive restarts of `make run`.
    PIN_ENCRYPTION_KEY = base64.urlsafe_b64encode(
        hashlib.sha256(b"pin-encryption:" + SECRET_KEY.encode()).digest()
    ).decode()

# Account numbers are CPNI (R18): encrypted at rest with PIN_ENCRYPTION_KEY and matched by a
# keyed hash (HMAC-SHA256) with this key, so equal numbers can be found without decrypting.
CPNI_HASH_KEY = env.str("CPNI_HASH_KEY", default="")
if not CPNI_HASH_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "CPNI_HASH_KEY is not set. With DEBUG=false the portal refuses to start without the "
            "key that hashes account numbers for matching."
        )
    # Development only, as PIN_ENCRYPTION_KEY: stable across restarts of `make run`.
    CPNI_HASH_KEY = hashlib.sha256(b"cpni-hash:" + SECRET_KEY.encode()).hexdigest()

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ------------------------------------------------------------------------------
# Django 6.1 configures email through MAILERS; django-environ 0.14 still writes the old
# EMAIL_* names, and mixing both is an ImproperlyConfigured error, so build it by hand.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
if EMAIL_HOST:
    _mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": EMAIL_HOST,
            "port": env.int("EMAIL_PORT", default=587),
            "username": env.str("EMAIL_HOST_USER", default="") or None,
            "password": env.str("EMAIL_HOST_PASSWORD", default="") or None,
            "use_tls": env.bool("EMAIL_USE_TLS", default=True),
            "timeout": env.int("EMAIL_TIMEOUT", default=20),
        },
    }
else:
    # No mail server (development, `make run`): each email is written to a file under
    # EMAIL_FILE_PATH (one file per delivery pass) instead of ~1,000 raw emails printed over
    # the console; the admin's Sent mail page (orders.admin) shows them rendered.
    _mailer = {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {
            "file_path": env.str("EMAIL_FILE_PATH", default=str(DATA_DIR / "sent-mail")),
        },
    }
del EMAIL_HOST
MAILERS = {"default": _mailer}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="porting-desk@example.net")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- django-q2 --------------------------------------------------------------------------
# timeout < retry, both above the longest job, and a bounded number of attempts: a slow
# job must never be started a second time while the first is still running.
Q_CLUSTER = {
    "name": env.str("Q_CLUSTER_NAME", default="porting-desk"),
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": env.int("Q_TIMEOUT", default=600),
    "retry": env.int("Q_RETRY", default=720),
    "max_attempts": 2,
    "catch_up": False,
    "save_limit": 500,
    "time_zone": TIME_ZONE,
    "orm": "default",
    "sync": env.bool("Q_SYNC", default=False),
}
if env.str("Q_REDIS_URL", default=""):
    Q_CLUSTER.pop("orm")
    Q_CLUSTER["redis"] = env.str("Q_REDIS_URL")

# --- Porting clocks (seed defaults; carriers may override per trading partner) -----------
PORTING = {
    "SUP_THRESHOLD": env.int("PORTING_SUP_THRESHOLD", default=3),  # R12
    "REJECTED_AUTO_CANCEL_DAYS": env.int("PORTING_REJECTED_AUTO_CANCEL_DAYS", default=45),  # F4
    "STATUS_CHECK_BUSINESS_DAYS": env.int("PORTING_STATUS_CHECK_BUSINESS_DAYS", default=3),  # F5
    "PROJECT_PORT_TNS": env.int("PORTING_PROJECT_PORT_TNS", default=50),
    "PROJECT_STATUS_CHECK_DAYS": env.int("PORTING_PROJECT_STATUS_CHECK_DAYS", default=7),  # F5
    "AUTO_CANCEL_WARNING_DAYS": 7,
    # R19: the port-out risk queue lists a requester's LSRs of a day once they name this many
    # different accounts of ours, and LSRs on accounts whose contact or address changed
    # within this many days; the LSR notice tells the holder to call this number when our
    # carrier has no CARE contact with a phone.
    "RISK_REQUESTER_ACCOUNTS_PER_DAY": env.int(
        "PORTING_RISK_REQUESTER_ACCOUNTS_PER_DAY", default=5
    ),
    "RISK_DETAILS_CHANGED_DAYS": env.int("PORTING_RISK_DETAILS_CHANGED_DAYS", default=30),
    "CUSTOMER_CARE_PHONE": env.str("PORTING_CUSTOMER_CARE_PHONE", default=""),
    # Issue 19: the customer's links (LOA signing, order status) expire after this many days;
    # each address may open at most this many customer pages a minute (the shared cache
    # counts); the emails' links start with the portal's public address.
    "CUSTOMER_LINK_DAYS": env.int("PORTING_CUSTOMER_LINK_DAYS", default=14),
    "CUSTOMER_LINK_RATE_PER_MINUTE": env.int("PORTING_CUSTOMER_LINK_RATE_PER_MINUTE", default=30),
    "PUBLIC_URL": env.str("PORTING_PUBLIC_URL", default="http://127.0.0.1:8000"),
}

# --- Partner API (api/, issue 18) -------------------------------------------------------
# Requests per minute per API key, counted in the shared cache (0: no limit).
API_RATE_LIMIT_PER_MINUTE = env.int("API_RATE_LIMIT_PER_MINUTE", default=120)
# Webhooks (api/webhooks/): a delivery that fails is retried after BACKOFF_SECONDS, doubled
# each time up to BACKOFF_CAP_SECONDS, and given up after MAX_ATTEMPTS. A receiver on a
# private or loopback address is refused unless ALLOW_PRIVATE_ADDRESSES (on by default only
# with DEBUG: tests and `make run`), so a subscription cannot aim the worker at our network.
WEBHOOKS = {
    "TIMEOUT_SECONDS": env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0),
    "MAX_ATTEMPTS": env.int("WEBHOOK_MAX_ATTEMPTS", default=10),
    "BACKOFF_SECONDS": env.int("WEBHOOK_BACKOFF_SECONDS", default=60),
    "BACKOFF_CAP_SECONDS": env.int("WEBHOOK_BACKOFF_CAP_SECONDS", default=6 * 3600),
    "ALLOW_PRIVATE_ADDRESSES": env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=DEBUG),
    # Events younger than this are looked at again by the next fan-out run: an event's id is
    # taken at its INSERT, so a long transaction can commit a lower id after a higher one.
    "FAN_OUT_SETTLE_SECONDS": env.int("WEBHOOK_FAN_OUT_SETTLE_SECONDS", default=300),
}

# --- Security ---------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Error reports (DEBUG page, mail to ADMINS) hide PINs, passwords and account numbers, and the
# console log redacts them (portal/logging.py, issue 9).
DEFAULT_EXCEPTION_REPORTER_FILTER = "portal.logging.SensitiveDataReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact": {"()": "portal.logging.RedactSensitiveFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Its start-up line, once per process and command (the lockouts log on "axes").
        "axes.apps": {"level": "WARNING"},
        # django-q2 logs every task it runs (the outbox pass: every minute); `make run`
        # sets WARNING so the worker stays quiet under the URL it prints.
        "django-q": {"level": env.str("Q_LOG_LEVEL", default="INFO")},
    },
}
