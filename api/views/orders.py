"""Reading orders: one order, and a page of them (filters, keyset paging on id, newest first;
never a COUNT)."""

from __future__ import annotations

from typing import Literal

from ninja import Query, Router, Schema
from pydantic import AwareDatetime, Field

from api.auth import READ, require_scope
from api.presenters import SUMMARY_FIELDS, order_detail, order_summary
from api.schemas import OrderDetail, OrderPage
from api.views.common import problems, visible_order
from orders.models import Status

router = Router(tags=["orders"])

StatusValue = Literal[tuple(Status.values)]  # type: ignore[valid-type]


class OrderFilters(Schema):
    direction: Literal["in", "out"] | None = Field(None, description="in: port-in, out: port-out")
    status: StatusValue | None = None
    pon: str | None = Field(None, min_length=1, max_length=32)
    updated_since: AwareDatetime | None = Field(
        None, description="Only orders changed at or after this time (ISO 8601 with offset)."
    )
    cursor: int | None = Field(
        None, ge=1, le=2**63 - 1, description="`next_cursor` of the previous page."
    )
    limit: int = Field(50, ge=1, le=200)


@router.get(
    "/orders",
    response={200: OrderPage, **problems()},
    summary="List this partner's orders",
    operation_id="orders_list",
)
def orders_list(request, filters: Query[OrderFilters]):
    partner = require_scope(request, READ)
    branches = []
    for queryset in partner.visible_order_branches():
        if filters.direction:
            queryset = queryset.filter(direction=filters.direction)
        if filters.status:
            queryset = queryset.filter(status=filters.status)
        if filters.pon:
            queryset = queryset.filter(pon=filters.pon)
        if filters.updated_since:
            queryset = queryset.filter(updated_at__gte=filters.updated_since)
        if filters.cursor:
            queryset = queryset.filter(pk__lt=filters.cursor)
        # One more row than the page: whether there is a next page, without counting.
        branches.append(
            queryset.select_related("losing_carrier", "new_carrier")
            .only(*SUMMARY_FIELDS)
            .order_by("-pk")[: filters.limit + 1]
        )
    rows = {}
    for queryset in branches:
        for order in queryset:
            rows[order.pk] = order
    page = sorted(rows.values(), key=lambda order: order.pk, reverse=True)
    more = len(page) > filters.limit
    page = page[: filters.limit]
    return {
        "items": [order_summary(order) for order in page],
        "next_cursor": page[-1].pk if more else None,
    }


@router.get(
    "/orders/{order_id}",
    response={200: OrderDetail, **problems(404)},
    summary="One order: its status, numbers, findings, FOC or rejections",
    operation_id="orders_get",
)
def orders_get(request, order_id: int):
    partner = require_scope(request, READ)
    return order_detail(visible_order(partner, order_id))
