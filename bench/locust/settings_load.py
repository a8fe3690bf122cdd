"""Production settings for the load run, except what plain HTTP on loopback needs.

DEBUG is off, static files come from whitenoise's manifest, the CSP, axes and session expiry
are on, exactly as in production; only the cookies' Secure flag and the HTTPS redirect are off,
because locust talks plain HTTP to 127.0.0.1 (a Secure cookie would never be sent back).
"""

from portal.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
