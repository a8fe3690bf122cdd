"""Who is calling: `Authorization: Bearer <key>` (api.services.keys), the key's scopes, and
the rate limit, counted per key before anything else runs."""

from __future__ import annotations

from ninja.security import HttpBearer

from api.models import ApiKey, Partner
from api.problems import ApiProblem
from api.services.keys import api_key_authenticate
from api.services.ratelimit import rate_limit_hit

READ = "can_read"
PORT_IN_WRITE = "can_write_port_in"
PORT_OUT_SUBMIT = "can_submit_port_out"
SCOPE_NAMES = {READ: "read", PORT_IN_WRITE: "port-in write", PORT_OUT_SUBMIT: "port-out submit"}


class PartnerKeyAuth(HttpBearer):
    def authenticate(self, request, token: str) -> ApiKey | None:
        key = api_key_authenticate(token)
        if key is None:
            return None  # ninja answers 401 (api.problems)
        wait = rate_limit_hit(key.pk)
        if wait is not None:
            raise ApiProblem(
                429,
                f"This key made more requests this minute than its limit; retry in {wait} s.",
                slug="rate-limited",
                headers={"Retry-After": str(wait)},
            )
        return key


def require_scope(request, scope: str) -> Partner:
    """The calling partner, when its key has `scope`; 403 naming the scope otherwise."""
    key: ApiKey = request.auth
    if not getattr(key, scope):
        name = SCOPE_NAMES[scope]
        raise ApiProblem(
            403,
            f"This key does not have the “{name}” scope.",
            slug="scope-missing",
            errors=[{"field": "Authorization", "message": f"scope “{name}” missing"}],
        )
    return key.partner
