"""The API's operations, one module per area; thin: scope, parse, call the desk's service,
answer. `api.api` mounts them."""
