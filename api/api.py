"""The partner API, version 1: /api/v1/ (OpenAPI 3.1 at /api/v1/openapi.json, docs at
/api/v1/docs, Swagger UI from the ninja wheel's own static files: nothing from the internet).
"""

from __future__ import annotations

from ninja import NinjaAPI, Swagger

from api import problems
from api.auth import PartnerKeyAuth
from api.views import events, orders, portability, portin, portout

DESCRIPTION = """
For trading partners and our own systems. Authenticate with `Authorization: Bearer <key>`
(keys are issued in the portal's admin). Every POST takes an `Idempotency-Key` header.
Errors are RFC 9457 problem details (`application/problem+json`). Requests are rate
limited per key (429 with `Retry-After`).
"""


class PartnerApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """ninja declares every answer as application/json; ours for 4xx are problem details
        (RFC 9457), so the schema says so and contract tests check the media type."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path in schema["paths"].values():
            for operation in path.values():
                for status, declared in operation.get("responses", {}).items():
                    content = declared.get("content") or {}
                    if int(status) >= 400 and "application/json" in content:
                        declared["content"] = {
                            problems.PROBLEM_CONTENT_TYPE: content["application/json"]
                        }
        return schema


api = PartnerApi(
    title="Porting desk partner API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=PartnerKeyAuth(),
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
api.add_router("", portability.router)
api.add_router("", orders.router)
api.add_router("", portin.router)
api.add_router("", portout.router)
api.add_router("", events.router)
