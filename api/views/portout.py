"""Port-out LSRs and their SUPs from a trading partner: logged and evaluated by the desk's
intake (`orders.services.portout`), answered with the rules' findings; the order then
carries the FOC or the reject once the desk decides (GET /orders/{id}, the events feed)."""

from __future__ import annotations

from django.utils import timezone
from ninja import Router

from api.auth import PORT_OUT_SUBMIT, require_scope
from api.models import PartnerOrder
from api.presenters import order_detail
from api.problems import ApiProblem
from api.schemas import LsrIn, OrderDetail, SupIn, SupOut
from api.services.idempotency import idempotent, request_fingerprint
from api.services.keys import partner_user
from api.views.common import IdempotencyKey, answer, problems, reloaded, visible_order
from carriers.end_user import EndUser
from carriers.models import SPID
from carriers.tn import InvalidTN, normalize_tn
from orders.forms.portout_lsr import MAX_TNS_PER_LSR
from orders.rules import LsrData
from orders.services import portout

router = Router(tags=["port-out"])


def _tns(values, field: str) -> list[str]:
    """10-digit TNs, each listed once; 422 naming each bad one (as the desk's LSR form)."""
    tns, errors = [], []
    for index, raw in enumerate(values or ()):
        try:
            tns.append(normalize_tn(raw))
        except InvalidTN as exc:
            errors.append({"field": f"body.{field}.{index}", "message": f"{raw}: {exc}"})
    if errors:
        raise ApiProblem(422, f"{field}: {len(errors)} TN(s) are not valid.", errors=errors)
    return list(dict.fromkeys(tns))


def _btn(raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        return normalize_tn(raw)
    except InvalidTN as exc:
        raise ApiProblem(
            422, f"btn: {exc}", errors=[{"field": "body.btn", "message": str(exc)}]
        ) from None


def _require_carrier(partner):
    if partner.carrier_id is None:
        raise ApiProblem(403, "Only a trading-partner carrier submits port-out LSRs.")
    return partner.carrier


@router.post(
    "/port-outs",
    response={201: OrderDetail, **problems(400, 409)},
    summary="Submit an LSR (a port-out request to us)",
    description=(
        "Logged and evaluated at once: the answer carries the rules' findings (rule ids and "
        "reject codes) and the proposed FOC date. An LSR missing an OBF field is logged and "
        "rejected (R16). The desk then sends the FOC or the reject: follow the order."
    ),
    operation_id="portouts_submit",
)
def portouts_submit(request, payload: LsrIn, idempotency_key: IdempotencyKey):
    partner = require_scope(request, PORT_OUT_SUBMIT)
    carrier = _require_carrier(partner)
    tns = _tns(payload.tns, "tns")
    disconnect = _tns(payload.disconnect_tns, "disconnect_tns")
    if len(tns) + len(disconnect) > MAX_TNS_PER_LSR:
        raise ApiProblem(
            422,
            f"{len(tns) + len(disconnect)} TNs on one LSR; at most {MAX_TNS_PER_LSR}: split it.",
            errors=[{"field": "body.tns", "message": f"more than {MAX_TNS_PER_LSR} TNs"}],
        )
    new_spid = None
    if payload.new_spid:
        new_spid = SPID.objects.filter(carrier=carrier, code=payload.new_spid.upper()).first()
        if new_spid is None:
            raise ApiProblem(
                422,
                f"SPID {payload.new_spid} is not one of {carrier}'s SPIDs.",
                errors=[{"field": "body.new_spid", "message": "not one of your SPIDs"}],
            )
    lsr = LsrData(
        pon=payload.pon.strip(),
        version=payload.version,
        reqtype=payload.reqtype.strip().upper(),
        act=payload.act.strip().upper(),
        mi=payload.mi.strip().upper(),
        requested_due_date=payload.requested_due_date,
        expedite=payload.expedite,
        tns=tuple(tns),
        disconnect_tns=tuple(disconnect),
        remarks=payload.remarks,
        end_user=EndUser.from_values(
            {**payload.model_dump(), "btn": _btn(payload.btn), "state": payload.state.upper()}
        ),
        authorization_indicator=payload.authorization_indicator,
        received_at=timezone.now(),
    )

    def receive():
        order = portout.lsr_receive(
            requesting_carrier=carrier,
            lsr=lsr,
            pin=payload.pin,
            new_spid=new_spid,
            by=partner_user(partner),
        )
        PartnerOrder.objects.create(partner=partner, order=order)
        body = OrderDetail.model_validate(order_detail(reloaded(order)))
        return 201, body.model_dump(mode="json")

    # The receipt time is the server's: it is not part of what makes two requests the same.
    request_data = payload.model_dump(mode="json")
    return answer(
        *idempotent(
            partner=partner,
            key=idempotency_key,
            fingerprint=request_fingerprint("portouts_submit", request_data),
            action=receive,
        )
    )


@router.post(
    "/port-outs/{order_id}/sups",
    response={201: SupOut, **problems(400, 404, 409)},
    summary="Send a SUP: 1 cancel, 2 new due date, 3 other change",
    operation_id="portouts_sup",
)
def portouts_sup(request, order_id: int, payload: SupIn, idempotency_key: IdempotencyKey):
    partner = require_scope(request, PORT_OUT_SUBMIT)
    _require_carrier(partner)
    changes: dict = {}
    if payload.sup_type == 3:
        for name in ("mi", "act"):
            if payload_value := getattr(payload, name).strip():
                changes[name] = payload_value.upper()
        if payload.authorization_indicator is not None:
            changes["authorization_indicator"] = payload.authorization_indicator
        for name in ("account_number", "zip_code", "account_name", "pin"):
            if payload_value := getattr(payload, name).strip():
                changes[name] = payload_value
        if payload.tns is not None:
            changes["tns"] = _tns(payload.tns, "tns")
        if payload.disconnect_tns is not None:
            changes["disconnect_tns"] = _tns(payload.disconnect_tns, "disconnect_tns")

    def receive():
        order = visible_order(partner, order_id)
        sup = portout.sup_receive(
            order=order,
            sup_type=payload.sup_type,
            by=partner_user(partner),
            requested_due_date=payload.requested_due_date,
            remarks=payload.remarks,
            changes=changes,
        )
        body = SupOut.model_validate(
            {
                "id": sup.pk,
                "sup_type": sup.sup_type,
                "received_at": sup.received_at,
                "requested_due_date": sup.requested_due_date,
                "new_foc_date": sup.new_foc_date,
                "explanation": sup.explanation,
                "order": order_detail(reloaded(order)),
            }
        )
        return 201, body.model_dump(mode="json")

    return answer(
        *idempotent(
            partner=partner,
            key=idempotency_key,
            fingerprint=request_fingerprint(
                "portouts_sup", {"order": order_id, **payload.model_dump(mode="json")}
            ),
            action=receive,
        )
    )
