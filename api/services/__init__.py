"""The partner API's own services: keys (create, revoke, authenticate), the partner's portal
account its actions are recorded under, idempotent answers and the rate limit."""
