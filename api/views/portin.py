"""Port-in orders from our own systems: create (one draft per losing SPID, as the desk's
new-order page), submit, cancel, comment, upload a document. Each POST is idempotent
(api.services.idempotency) and calls the desk's service."""

from __future__ import annotations

import hashlib
from typing import Literal

from django.utils import timezone
from ninja import File, Form, Router
from ninja.files import UploadedFile

from api.auth import PORT_IN_WRITE, require_scope
from api.models import PartnerOrder
from api.presenters import order_detail
from api.problems import ApiProblem
from api.schemas import (
    CancelIn,
    CommentIn,
    CommentOut,
    DocumentOut,
    OrderDetail,
    PortInCreated,
    PortInCreateIn,
)
from api.services.idempotency import idempotent, request_fingerprint
from api.services.keys import partner_user
from api.views.common import IdempotencyKey, answer, problems, reloaded, visible_order
from carriers.end_user import EndUser
from carriers.inputs import window_problem
from orders.models import Comment
from orders.services import orders as order_services
from orders.services import portin

router = Router(tags=["port-in"])


@router.post(
    "/port-ins",
    response={201: PortInCreated, **problems(400)},
    summary="Create port-in orders from the end user's data and a TN list",
    description=(
        "One draft order per losing SPID, as the desk's new-order page makes them. TNs that "
        "cannot be ported are listed in `refused` with the reason; when every TN is refused "
        "nothing is created (422)."
    ),
    operation_id="portins_create",
)
def portins_create(request, payload: PortInCreateIn, idempotency_key: IdempotencyKey):
    partner = require_scope(request, PORT_IN_WRITE)
    problem = window_problem(payload.requested_due_date, today=timezone.localdate())
    if problem:
        raise ApiProblem(
            422,
            f"requested_due_date: {problem}",
            errors=[{"field": "body.requested_due_date", "message": problem}],
        )

    def create():
        result = portin.portin_orders_create(
            tns=payload.tns,
            by=partner_user(partner),
            end_user=EndUser.from_values(payload.end_user.model_dump()),
            requested_due_date=payload.requested_due_date,
            notification_email=payload.notification_email,
            pin=payload.pin,
            remarks=payload.remarks,
            authorization_indicator=payload.authorization_indicator,
        )
        if not result.orders:
            raise ApiProblem(
                422,
                "No order was created: every TN was refused.",
                slug="every-tn-refused",
                errors=[
                    {"field": "body.tns", "message": f"{refused.tn}: {refused.reason}"}
                    for refused in result.refused
                ],
            )
        PartnerOrder.objects.bulk_create(
            [PartnerOrder(partner=partner, order=order) for order in result.orders]
        )
        body = PortInCreated.model_validate(
            {
                "orders": [order_detail(order) for order in result.orders],
                "refused": [{"tn": r.tn, "reason": r.reason} for r in result.refused],
            }
        )
        return 201, body.model_dump(mode="json")

    return answer(
        *idempotent(
            partner=partner,
            key=idempotency_key,
            fingerprint=request_fingerprint("portins_create", payload.model_dump(mode="json")),
            action=create,
        )
    )


def _order_action(request, order_id, idempotency_key, operation, payload, run):
    """Find the partner's order, run the desk's service on it once per key, answer the
    order as it is afterwards."""
    partner = require_scope(request, PORT_IN_WRITE)

    def act():
        order = visible_order(partner, order_id)
        result = run(order, partner_user(partner))
        return 200, result

    return answer(
        *idempotent(
            partner=partner,
            key=idempotency_key,
            fingerprint=request_fingerprint(operation, {"order": order_id, **payload}),
            action=act,
        )
    )


def _order_answer(order):
    return OrderDetail.model_validate(order_detail(reloaded(order))).model_dump(mode="json")


@router.post(
    "/port-ins/{order_id}/submit",
    response={200: OrderDetail, **problems(400, 404, 409)},
    summary="Send the LSR to the losing carrier (draft -> submitted)",
    operation_id="portins_submit",
)
def portins_submit(request, order_id: int, idempotency_key: IdempotencyKey):
    def run(order, by):
        portin.order_submit(order=order, by=by, expected_status=order.status)
        return _order_answer(order)

    return _order_action(request, order_id, idempotency_key, "portins_submit", {}, run)


@router.post(
    "/port-ins/{order_id}/cancel",
    response={200: OrderDetail, **problems(400, 404, 409)},
    summary="Cancel the order (a SUP 1 to the losing carrier once the LSR was sent)",
    operation_id="portins_cancel",
)
def portins_cancel(request, order_id: int, payload: CancelIn, idempotency_key: IdempotencyKey):
    def run(order, by):
        portin.order_cancel(order=order, by=by, reason=payload.reason, expected_status=order.status)
        return _order_answer(order)

    return _order_action(
        request, order_id, idempotency_key, "portins_cancel", payload.model_dump(), run
    )


@router.post(
    "/port-ins/{order_id}/comments",
    response={201: CommentOut, **problems(400, 404, 409)},
    summary="Add a comment to the order (for the desk)",
    description=(
        "`from_customer`: the comment relays the customer's own words; on a rejected order "
        "that is customer activity and restarts the 45-day auto-cancel clock (F4), as when "
        "the desk records a customer's reply."
    ),
    operation_id="portins_comment",
)
def portins_comment(request, order_id: int, payload: CommentIn, idempotency_key: IdempotencyKey):
    partner = require_scope(request, PORT_IN_WRITE)

    def act():
        order = visible_order(partner, order_id)
        comment = order_services.comment_add(
            order=order,
            by=partner_user(partner),
            body=payload.body,
            visibility=Comment.Visibility.INTERNAL,
            source=Comment.Source.CUSTOMER if payload.from_customer else Comment.Source.STAFF,
        )
        return 201, CommentOut.model_validate(
            {
                "id": comment.pk,
                "order_id": order.pk,
                "body": comment.body,
                "created_at": comment.created_at,
            }
        ).model_dump(mode="json")

    return answer(
        *idempotent(
            partner=partner,
            key=idempotency_key,
            fingerprint=request_fingerprint(
                "portins_comment", {"order": order_id, **payload.model_dump()}
            ),
            action=act,
        )
    )


@router.post(
    "/port-ins/{order_id}/documents",
    response={201: DocumentOut, **problems(400, 404, 409)},
    summary="Upload the LOA or a bill copy (PDF, PNG, JPEG, TIFF; checked by content)",
    operation_id="portins_document",
)
def portins_document(
    request,
    order_id: int,
    idempotency_key: IdempotencyKey,
    kind: Form[Literal["loa", "bill"]],
    file: File[UploadedFile],
):
    partner = require_scope(request, PORT_IN_WRITE)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)

    def act():
        order = visible_order(partner, order_id)
        document = order_services.document_add(
            order=order, kind=kind, uploaded_file=file, by=partner_user(partner)
        )
        return 201, DocumentOut.model_validate(
            {
                "id": document.pk,
                "order_id": order.pk,
                "kind": document.kind,
                "name": document.original_name,
                "content_type": document.content_type,
                "size": document.size,
                "uploaded_at": document.uploaded_at,
            }
        ).model_dump(mode="json")

    return answer(
        *idempotent(
            partner=partner,
            key=idempotency_key,
            fingerprint=request_fingerprint(
                "portins_document",
                {"order": order_id, "kind": kind, "name": file.name, "sha256": digest.hexdigest()},
            ),
            action=act,
        )
    )
