"""CPNI at rest: account numbers (and the validation fields an LSR is matched on, R18).

- Values are compared as `carriers.normalize.normalize_field` gives them (case and
  punctuation ignored).
- `account_number_digest(value)`: HMAC-SHA256 of the normalized number with
  `settings.CPNI_HASH_KEY`: stored beside the encrypted number, so an account is found or an
  LSR matched without decrypting anything, and a leaked table does not give the numbers away
  by a dictionary of short digit strings without the key.
- `encrypt_value` / `decrypt_value`: Fernet with `settings.PIN_ENCRYPTION_KEY` (the PINs' key
  and its rotation list).
- `mask_account_number(value)`: what pages, lists and exports show (last four only).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from carriers.normalize import normalize_field


class CpniDecryptionError(Exception):
    """A stored token cannot be decrypted with any configured key (key lost or rotated)."""


def account_number_digest(value: str | None) -> str:
    """The keyed hash an account number is matched by ("" for an empty number)."""
    normalized = normalize_field(value)
    if not normalized:
        return ""
    key = settings.CPNI_HASH_KEY.encode()
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()


def digests_match(stored_digest: str, offered: str | None) -> bool:
    """Whether an offered account number matches a stored digest (constant time)."""
    offered_digest = account_number_digest(offered)
    return bool(stored_digest) and hmac.compare_digest(stored_digest, offered_digest)


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


def encrypt_value(raw: str | None) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    return _fernet_for(settings.PIN_ENCRYPTION_KEY).encrypt(raw.encode()).decode("ascii")


def decrypt_value(token: str | None) -> str:
    if not token:
        return ""
    try:
        return _fernet_for(settings.PIN_ENCRYPTION_KEY).decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise CpniDecryptionError(
            "A stored account number cannot be decrypted with the configured PIN_ENCRYPTION_KEY."
        ) from exc


def mask_account_number(value: str | None) -> str:
    value = value or ""
    return "•" * max(len(value) - 4, 0) + value[-4:]
