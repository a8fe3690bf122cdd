"""How a webhook is signed, and the recipe a receiver copies to check it (README "Webhooks").

`Webhook-Signature: v1=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>`, where `timestamp`
is the `Webhook-Timestamp` header (Unix seconds) and `body` the raw request body. `verify`
below is quoted in the README as it is here, and the tests' receiver runs it.
"""

import hashlib
import hmac
import time


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The `Webhook-Signature` value for `body` sent at `timestamp`."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def verify(secret: str, headers, body: bytes, tolerance: int = 300) -> bool:
    """True when `body` (raw bytes) was signed with `secret` less than `tolerance` seconds ago.
    `headers`: the request's headers (any mapping; names as sent)."""
    try:
        timestamp = headers["Webhook-Timestamp"]
        too_old = abs(time.time() - int(timestamp)) > tolerance
    except (KeyError, TypeError, ValueError):
        return False
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    signature = headers.get("Webhook-Signature") or ""
    return not too_old and hmac.compare_digest(f"v1={mac.hexdigest()}", signature)
