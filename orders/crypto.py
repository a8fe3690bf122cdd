"""Port-in PINs encrypted at rest (Fernet: AES-128-CBC + HMAC-SHA256, from `cryptography`).

The key comes from `settings.PIN_ENCRYPTION_KEY`: one Fernet key, or several separated by commas
to rotate keys (the first encrypts, every one decrypts). A PIN is only ever decrypted for the
"reveal PIN" action, which writes a PinRevealAudit row; pages show `mask_pin()`.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PIN_MASK = "••••"


class PinDecryptionError(Exception):
    """The stored token cannot be decrypted with any configured key (key lost or rotated)."""


@lru_cache(maxsize=4)
def _fernet_for(key_setting: str) -> MultiFernet:
    keys = [k.strip() for k in key_setting.split(",") if k.strip()]
    if not keys:
        raise ImproperlyConfigured("PIN_ENCRYPTION_KEY is empty.")
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "PIN_ENCRYPTION_KEY must be one or more url-safe base64-encoded 32-byte Fernet keys, "
            "separated by commas."
        ) from exc


def _fernet() -> MultiFernet:
    return _fernet_for(settings.PIN_ENCRYPTION_KEY)


def encrypt_pin(raw: str) -> str:
    """The token to store for `raw`; an empty PIN is stored as the empty string."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    return _fernet().encrypt(raw.encode()).decode("ascii")


def decrypt_pin(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise PinDecryptionError(
            "The stored PIN cannot be decrypted with the configured PIN_ENCRYPTION_KEY."
        ) from exc


def mask_pin(token: str) -> str:
    """What a page shows for a stored PIN: a fixed mask that does not even leak its length."""
    return PIN_MASK if token else ""
