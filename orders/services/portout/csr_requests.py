"""CSR requests (R1-R5): log one with its answer deadline, check it, answer with the CSR or
send a coded reject."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction

from carriers import services as carriers_services
from carriers.cpni import decrypt_value, encrypt_value
from carriers.end_user import EndUser
from carriers.models import Carrier, CustomerAccount, TelephoneNumber
from orders.lifecycle import DomainError
from orders.models import CsrRequest, Document, RejectionReason
from orders.rules import CsrRequestData, Finding, evaluate_csr_request

from ._common import _now, _user
from .csr_documents import send_csr_document
from .facts import csr_request_facts


def csr_request_receive(
    *,
    requesting_carrier: Carrier,
    tns: Sequence[str],
    authorization_indicator: bool,
    by,
    received_at: datetime.datetime | None = None,
    loa_file=None,
    now=None,
) -> CsrRequest:
    """Log a CSR request; it is due `csr_answer_hours` after receipt (R1, 24 h by default)."""
    from orders.services.orders import document_add

    now = _now(now)
    received_at = received_at or now
    tns = list(dict.fromkeys(tns))
    if not tns:
        raise DomainError("A CSR request names at least one TN.")
    if requesting_carrier.is_ours:
        raise DomainError("A CSR request comes from another carrier, not from one of ours.")
    with transaction.atomic():
        csr_request = CsrRequest.objects.create(
            requesting_carrier=requesting_carrier,
            tns=tns,
            authorization_indicator=authorization_indicator,
            received_at=received_at,
            due_at=received_at + datetime.timedelta(hours=requesting_carrier.csr_answer_hours),
            created_by=_user(by),
        )
        if loa_file is not None:
            document_add(
                csr_request=csr_request,
                kind=Document.Kind.LOA,
                uploaded_file=loa_file,
                by=by,
                now=now,
            )
    return csr_request


def csr_request_findings(csr_request: CsrRequest) -> list[Finding]:
    """R2-R5 on a CSR request, with today's inventory."""
    has_loa = csr_request.documents.filter(kind=Document.Kind.LOA).exists()
    carrier = csr_request.requesting_carrier
    facts = csr_request_facts(csr_request.tns, requesting_carrier=carrier)
    data = CsrRequestData(
        tns=tuple(csr_request.tns),
        authorization_indicator=csr_request.authorization_indicator,
        has_loa=has_loa,
    )
    return evaluate_csr_request(data, facts)


def csr_snapshot(tns: Sequence[str], *, now) -> dict:
    """The CSR as we give it to the requester: for every account the TNs are on, the account
    name and number, BTN, service address and every TN in service with its line type and
    features. Never the PIN (nor its hash)."""
    inventory = carriers_services.portability_check(list(tns))
    account_ids = list(
        dict.fromkeys(r.account.pk for r in inventory.values() if r.account is not None)
    )
    accounts = {a.pk: a for a in CustomerAccount.objects.filter(pk__in=account_ids)}
    lines: dict[int, list[dict]] = {pk: [] for pk in account_ids}
    rows = (
        TelephoneNumber.objects.filter(account_id__in=account_ids)
        .exclude(status=TelephoneNumber.Status.DISCONNECTED)
        .order_by("account_id", "tn")
    )
    for number in rows:
        lines[number.account_id].append(
            {
                "tn": number.tn,
                "line_type": number.get_line_type_display(),
                "features": number.features,
                "status": number.get_status_display(),
            }
        )
    return {
        "kind": "csr",
        "generated_at": now.isoformat(),
        "requested_tns": list(tns),
        "accounts": [
            {
                # Keyed by the account's field names (`name`, not account_name), as stored.
                **EndUser.from_account(accounts[pk]).as_account_fields(),
                # CPNI at rest (R18): the answer keeps the number encrypted, as the account
                # does; csr_answer_shown() decrypts it for the page, the print and the CSV.
                "account_number": encrypt_value(accounts[pk].account_number),
                "numbers": lines[pk],
            }
            for pk in account_ids
        ],
    }


def csr_answer_shown(answer: dict | None) -> dict:
    """A stored answer as the requesting carrier is given it: account numbers decrypted."""
    answer = dict(answer or {})
    if answer.get("kind") == "csr":
        answer["accounts"] = [
            {**account, "account_number": decrypt_value(account.get("account_number"))}
            for account in answer.get("accounts", [])
        ]
    return answer


CSR_ANSWER_FIELDS = ["answer", "status", "answered_at", "answered_by", "is_overdue"]


def _refresh(caller: CsrRequest, saved: CsrRequest) -> CsrRequest:
    """Keep the caller's instance in step with the row saved under the lock."""
    for field in CSR_ANSWER_FIELDS:
        setattr(caller, field, getattr(saved, field))
    return caller


def _lock_open(csr_request: CsrRequest) -> tuple[CsrRequest, list[Finding]]:
    """The request re-read under the row lock, refused unless still open, and its failing
    rules (R2-R5) with today's inventory."""
    csr_request = CsrRequest.objects.select_for_update().get(pk=csr_request.pk)
    if csr_request.status != CsrRequest.Status.OPEN:
        raise DomainError(
            f"This CSR request is already {csr_request.get_status_display().lower()}; its "
            "answer is kept as it was given."
        )
    return csr_request, [f for f in csr_request_findings(csr_request) if f.is_reject]


def _csr_close(csr_request: CsrRequest, *, status: str, answer: dict, by, now) -> None:
    """Store the answer or reject given; R1's clock stops here, so overdue is judged now."""
    csr_request.answer = answer
    csr_request.status = status
    csr_request.answered_at = now
    csr_request.answered_by = _user(by)
    csr_request.is_overdue = now > csr_request.due_at
    csr_request.save(update_fields=CSR_ANSWER_FIELDS)


def _send_document(csr_request: CsrRequest, *, by, now) -> None:
    shown = csr_answer_shown(csr_request.answer)
    send_csr_document(csr_request, shown=shown, by=by, now=now)


def csr_request_answer(*, csr_request: CsrRequest, by, now=None) -> CsrRequest:
    """Answer with the CSR built from the inventory; refused while a rule (R2-R5) fails."""
    now = _now(now)
    caller = csr_request
    with transaction.atomic():
        csr_request, rejects = _lock_open(csr_request)
        if rejects:
            codes = ", ".join(dict.fromkeys(f.code for f in rejects))
            raise DomainError(f"This CSR request fails {codes}: send a coded reject instead.")
        _csr_close(
            csr_request,
            status=CsrRequest.Status.ANSWERED,
            answer=csr_snapshot(csr_request.tns, now=now),
            by=by,
            now=now,
        )
        _send_document(csr_request, by=by, now=now)
    return _refresh(caller, csr_request)


def csr_request_reject(
    *,
    csr_request: CsrRequest,
    by,
    reason_codes: Sequence[str] = (),
    text: str = "",
    now=None,
) -> CsrRequest:
    """A coded reject listing every failing rule (plus any reasons the desk adds)."""
    now = _now(now)
    caller = csr_request
    with transaction.atomic():
        csr_request, rejects = _lock_open(csr_request)
        codes = list(dict.fromkeys((*(f.code for f in rejects), *reason_codes)))
        if not codes:
            raise DomainError("Every rule passes: choose a reason from the catalogue to reject.")
        reasons = {
            r.code: r
            for r in RejectionReason.objects.filter(
                code__in=codes,
                is_active=True,
                applies_to__in=[RejectionReason.AppliesTo.PORT_OUT, RejectionReason.AppliesTo.BOTH],
            )
        }
        unknown = [c for c in codes if c not in reasons]
        if unknown:
            raise DomainError(f"Unknown rejection reason: {', '.join(unknown)}.")
        answer = {
            "kind": "reject",
            "generated_at": now.isoformat(),
            "requested_tns": list(csr_request.tns),
            "findings": [f.as_dict() for f in rejects],
            "reasons": [
                {"code": c, "title": reasons[c].title, "instructions": reasons[c].instructions}
                for c in codes
            ],
            "text": text.strip(),
        }
        _csr_close(csr_request, status=CsrRequest.Status.REJECTED, answer=answer, by=by, now=now)
        csr_request.reject_reasons.set(reasons[c] for c in codes)
        _send_document(csr_request, by=by, now=now)
    return _refresh(caller, csr_request)
