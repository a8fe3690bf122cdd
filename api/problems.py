"""RFC 9457 problem details: every error the API answers is `application/problem+json` with
`type`, `title`, `status`, `detail` and `errors` (each naming the field or the rule id).

`ApiProblem` is raised by the API's own checks (auth, scopes, idempotency, rate limit);
`install(api)` turns it, ninja's validation errors, a malformed body and the desk's
`DomainError` into problem answers. `PROBLEM_STATUSES` is what each operation declares
beside its success answer (schemathesis checks that every answered status is declared).
"""

from __future__ import annotations

import json
import re

from django.http import Http404, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from orders.lifecycle import DomainError, OrderChanged, TransitionNotAllowed

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:porting-desk:api:problem:"
TITLES = {
    400: "Malformed request",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict with the order's state",
    422: "Request refused",
    429: "Too many requests",
}


class ProblemItem(Schema):
    """One thing wrong: the field (`body.tns.0`, `Idempotency-Key`) or the rule id (R16, F1)
    it concerns, and what is wrong with it."""

    field: str | None = None
    rule: str | None = None
    code: str | None = None
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemItem] = []


class ApiProblem(Exception):
    def __init__(
        self,
        status: int,
        detail: str,
        *,
        slug: str = "",
        errors: list[dict] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.slug = slug or TITLES.get(status, "error").lower().replace(" ", "-")
        self.errors = errors or []
        self.headers = headers or {}


def problem_body(status: int, detail: str, *, slug: str = "", errors=None) -> dict:
    slug = slug or TITLES.get(status, "error").lower().replace(" ", "-")
    return {
        "type": TYPE_PREFIX + slug,
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "errors": [
            {k: item.get(k) for k in ("field", "rule", "code") if item.get(k)}
            | {"message": item["message"]}
            for item in errors or []
        ],
    }


def problem_response(status: int, body: dict, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def problem(exc: ApiProblem) -> HttpResponse:
    body = problem_body(exc.status, exc.detail, slug=exc.slug, errors=exc.errors)
    return problem_response(exc.status, body, exc.headers)


# A rule id at the start of a desk message ("R9: the SUP's due date ...") or in brackets
# ("... (F1)."): the problem's `errors` names it.
_RULE_ID = re.compile(r"\b([RF]\d{1,2})\b")


def domain_problem_body(exc: DomainError) -> tuple[int, dict]:
    """The desk's refusal as a problem: 409 when the order's state forbids it (a move the
    lifecycle does not allow, or the order changed meanwhile), 422 otherwise."""
    status = 409 if isinstance(exc, TransitionNotAllowed | OrderChanged) else 422
    message = str(exc)
    rules = list(dict.fromkeys(_RULE_ID.findall(message)))
    errors = [{"rule": rule, "message": message} for rule in rules] or [{"message": message}]
    slug = "order-state" if status == 409 else "refused"
    return status, problem_body(status, message, slug=slug, errors=errors)


def _validation_errors(exc: ValidationError) -> list[dict]:
    items = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ninja puts the parameter's source first (body, query, header, path, form, file);
        # the wrapper name of a body schema ("payload") says nothing to the caller.
        if len(loc) > 1 and loc[0] == "body" and loc[1] == "payload":
            loc = ["body", *loc[2:]]
        items.append({"field": ".".join(loc) or None, "message": error.get("msg", "invalid")})
    return items


def install(api) -> None:
    @api.exception_handler(ApiProblem)
    def _api_problem(request, exc: ApiProblem):
        return problem(exc)

    @api.exception_handler(ValidationError)
    def _validation(request, exc: ValidationError):
        errors = _validation_errors(exc)
        fields = ", ".join(e["field"] for e in errors if e.get("field"))
        detail = f"The request does not validate: {fields or 'see errors'}."
        return problem_response(422, problem_body(422, detail, slug="validation", errors=errors))

    @api.exception_handler(DomainError)
    def _domain(request, exc: DomainError):
        status, body = domain_problem_body(exc)
        return problem_response(status, body)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return problem_response(
            401,
            problem_body(
                401,
                "Send a valid, unrevoked API key as `Authorization: Bearer <key>`.",
                slug="unauthenticated",
                errors=[{"field": "Authorization", "message": "missing, unknown or revoked key"}],
            ),
            {"WWW-Authenticate": 'Bearer realm="porting-api"'},
        )

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return problem_response(404, problem_body(404, "No such resource.", slug="not-found"))

    @api.exception_handler(MultiPartParserError)
    def _bad_multipart(request, exc):
        return problem_response(
            400, problem_body(400, f"The multipart body cannot be read: {exc}", slug="malformed")
        )

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        # ninja's own: 400 for a body that is not JSON / not a form, 405, ...
        detail = str(exc) or TITLES.get(exc.status_code, "Error")
        return problem_response(exc.status_code, problem_body(exc.status_code, detail))
