"""What every operation shares: the problem statuses it declares, the Idempotency-Key header,
finding one of the partner's orders, and turning a stored answer into a response."""

from __future__ import annotations

from typing import Annotated

from ninja import Header, Status

from api.models import Partner
from api.presenters import ORDER_RELATED
from api.problems import ApiProblem, Problem, problem_response
from orders.models import PortOrder

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        description=(
            "Your unique id for this request (e.g. a UUID). A repeat with the same key gets "
            "the first answer and changes nothing; the same key with another body is refused."
        ),
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
    ),
]


def problems(*statuses: int) -> dict:
    """The problem answers an operation declares, beside the ones every operation can give
    (401 no or bad key, 403 missing scope, 422 a request that does not validate, 429 rate
    limited)."""
    return dict.fromkeys(sorted({401, 403, 422, 429, *statuses}), Problem)


def visible_order(partner: Partner, order_id: int) -> PortOrder:
    """One of the partner's orders; 404 for any other, whether or not it exists (never 403:
    that would tell the caller another partner's order id is real)."""
    # No ordering: the model's default (-created_at) would add a sort to a primary-key read.
    found = list(
        partner.visible_orders().select_related(*ORDER_RELATED).filter(pk=order_id).order_by()[:1]
    )
    order = found[0] if found else None
    if order is None:
        raise ApiProblem(
            404,
            f"No order {order_id} among this partner's orders.",
            slug="order-not-found",
            errors=[{"field": "path.order_id", "message": "not one of this partner's orders"}],
        )
    return order


def reloaded(order: PortOrder) -> PortOrder:
    """The order as committed after a service changed it (statuses, FOC, clocks)."""
    return PortOrder.objects.select_related(*ORDER_RELATED).get(pk=order.pk)


def answer(status: int, body: dict):
    """A stored or fresh answer: problems keep their media type."""
    if status >= 400:
        return problem_response(status, body)
    return Status(status, body)
