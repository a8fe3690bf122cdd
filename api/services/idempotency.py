"""Idempotent POSTs: the first answer to an `Idempotency-Key` (per partner) is stored in the
transaction that made the change; a repeat with the same request gets that answer back and
changes nothing; the same key with a different request is refused (422).

Refusals (the desk's `DomainError`, the API's own problems raised by the action) are
answers too: they are stored, so a retry of a refused request is refused the same way.
Two identical requests racing: the second one's record insert waits for the first's
commit and then fails on the unique (partner, key), its own change rolls back with it and
it answers the first one's record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction

from api.models import IdempotencyRecord, Partner
from api.problems import ApiProblem, domain_problem_body, problem_body
from orders.lifecycle import DomainError


def request_fingerprint(operation: str, payload) -> str:
    """SHA-256 of the operation and its parsed request (JSON with sorted keys): the same
    request sent twice hashes the same whatever its whitespace, key order or multipart
    boundary."""
    canonical = json.dumps(
        {"operation": operation, "request": payload}, sort_keys=True, default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(record: IdempotencyRecord, fingerprint: str) -> tuple[int, dict]:
    if record.request_hash != fingerprint:
        raise ApiProblem(
            422,
            "This Idempotency-Key was already used with a different request: use a new key "
            "for a new request.",
            slug="idempotency-key-reused",
            errors=[{"field": "Idempotency-Key", "message": "already used for another request"}],
        )
    return record.status, record.body


def idempotent(
    *, partner: Partner, key: str, fingerprint: str, action: Callable[[], tuple[int, dict]]
) -> tuple[int, dict]:
    """Run `action` (returning status and a JSON-ready body) once per (partner, key)."""
    try:
        with transaction.atomic():
            record = (
                IdempotencyRecord.objects.select_for_update()
                .filter(partner=partner, key=key)
                .first()
            )
            if record is not None:
                return _replay(record, fingerprint)
            try:
                with transaction.atomic():
                    status, body = action()
            except DomainError as exc:
                status, body = domain_problem_body(exc)
            except ApiProblem as exc:
                status = exc.status
                body = problem_body(exc.status, exc.detail, slug=exc.slug, errors=exc.errors)
            IdempotencyRecord.objects.create(
                partner=partner, key=key, request_hash=fingerprint, status=status, body=body
            )
            return status, body
    except IntegrityError:
        record = IdempotencyRecord.objects.filter(partner=partner, key=key).first()
        if record is None:
            raise
        return _replay(record, fingerprint)
