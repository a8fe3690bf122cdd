"""The per-key rate limit, counted in the shared cache (`caches["default"]`: every web worker
sees the same count). A fixed one-minute window: simple, one counter per key and minute.

With Redis `incr` is atomic; with the database cache (the embedded default) it is a read
and a write, so two workers racing may each count one request once: the limit is a guard
against runaway clients, not an exact quota.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import caches

WINDOW_SECONDS = 60


def rate_limit_hit(key_id: int, *, now: float | None = None) -> int | None:
    """Count one request for the key; the seconds to wait (Retry-After) when it is over the
    limit, else None. `API_RATE_LIMIT_PER_MINUTE` = 0 turns the limit off."""
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    if limit <= 0:
        return None
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    cache = caches["default"]
    cache_key = f"api:rate:{key_id}:{window}"
    # Most requests find this minute's counter: incr first (with the database cache, a
    # read and a write); the window's first request makes it (another worker may have made
    # it in between: then count on it).
    try:
        count = cache.incr(cache_key)
    except ValueError:
        made = cache.add(cache_key, 1, timeout=WINDOW_SECONDS + 5)
        count = 1 if made else cache.incr(cache_key)
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
