"""The fuzz tests reuse the hardening world (carriers, NPAC view, a customer account)."""

from tests.security.conftest import world  # noqa: F401 - a fixture, imported to register it
