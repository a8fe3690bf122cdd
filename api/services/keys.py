"""API keys: made and revoked in the admin, checked on every request.

A key reads `pd_<prefix>_<secret>`: the prefix (10 characters, stored, unique) finds the row
in one indexed query; the SHA-256 of the whole key is compared in constant time. The key
itself is never stored and is shown once, when it is made.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from api.models import ApiKey, Partner
from orders.lifecycle import DomainError

KEY_PREFIX = "pd_"
# How stale `last_used_at` may get: it is written at most this often per key, not on every
# request (a write per request would cost a row lock and a WAL record for a timestamp).
LAST_USED_EVERY = datetime.timedelta(seconds=60)


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _split(raw: str) -> str | None:
    """The prefix of a well-formed key, else None."""
    if not raw.startswith(KEY_PREFIX):
        return None
    prefix, sep, secret = raw[len(KEY_PREFIX) :].partition("_")
    if not sep or len(prefix) != 10 or len(secret) < 32:
        return None
    return prefix


def api_key_create(
    *,
    partner: Partner,
    name: str,
    can_read: bool = True,
    can_write_port_in: bool = False,
    can_submit_port_out: bool = False,
    by=None,
) -> tuple[ApiKey, str]:
    """Make a key for `partner`; returns the row and the key (shown once, never stored)."""
    key = ApiKey(
        partner=partner,
        name=(name or "").strip() or "API key",
        can_read=can_read,
        can_write_port_in=can_write_port_in,
        can_submit_port_out=can_submit_port_out,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    problems = key.scope_problems()
    if problems:
        raise DomainError(" ".join(problems.values()))
    # 10 hex characters: a prefix already taken is possible, if rare: draw another (the
    # unique constraint still guards a race).
    for _attempt in range(5):
        key.prefix = secrets.token_hex(5)
        raw = f"{KEY_PREFIX}{key.prefix}_{secrets.token_urlsafe(32)}"
        key.key_hash = key_hash(raw)
        if not ApiKey.objects.filter(prefix=key.prefix).exists():
            break
    key.save()
    return key, raw


def api_key_revoke(*, key: ApiKey, now=None) -> bool:
    """Revoke a key at once (the next request with it gets 401). False if it already was."""
    now = now or timezone.now()
    changed = ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=now)
    if changed:
        key.revoked_at = now
    return bool(changed)


def api_key_authenticate(raw: str, *, now=None) -> ApiKey | None:
    """The active key `raw` is, with its partner loaded (one query); None when it is
    malformed, unknown, revoked or its partner is inactive."""
    prefix = _split(raw or "")
    if prefix is None:
        return None
    key = (
        ApiKey.objects.select_related("partner")
        .filter(prefix=prefix, revoked_at__isnull=True, partner__active=True)
        .first()
    )
    if key is None or not hmac.compare_digest(key.key_hash, key_hash(raw)):
        return None
    now = now or timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def partner_user(partner: Partner):
    """The partner's portal account, made the first time it acts: the desk's services record
    who acted (history rows, comments, documents), and the order page shows this name. It
    has no usable password and no permission, so nobody signs in with it."""
    User = get_user_model()
    username = f"api-partner-{partner.pk}"
    user = User.objects.filter(username=username).first()
    if user is None:
        with transaction.atomic():
            user, _created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": partner.name[:150], "last_name": "(partner API)"},
            )
            if _created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
    return user
