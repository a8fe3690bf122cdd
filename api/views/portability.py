"""The new-order check for a list of TNs, as the desk's new port-in page makes it."""

from __future__ import annotations

from ninja import Query, Router, Schema
from pydantic import Field

from api.auth import PORT_IN_WRITE, require_scope
from api.schemas import PortabilityAnswer, Tn
from api.views.common import problems
from orders.services import portin

router = Router(tags=["port-in"])

MAX_TNS_PER_CHECK = 500


class PortabilityQuery(Schema):
    tn: list[Tn] = Field(
        min_length=1,
        max_length=MAX_TNS_PER_CHECK,
        description="Repeat the parameter for each TN (any punctuation).",
    )


@router.get(
    "/portability",
    response={200: PortabilityAnswer, **problems()},
    summary="Can these TNs be ported in? Losing carrier, SPID, or why not",
    operation_id="portability_check",
)
def portability_check(request, query: Query[PortabilityQuery]):
    # The port-in write scope: the answer names the open order a TN is already on, which
    # only our own systems (the ones that create port-ins) may read.
    require_scope(request, PORT_IN_WRITE)
    results = []
    for verdict in portin.portin_portability(query.tn):
        check = verdict.check
        results.append(
            {
                "tn": verdict.tn,
                "portable": verdict.portable,
                "reason": verdict.reason,
                "losing_carrier": (
                    (check.carrier or check.spid.carrier).name
                    if check is not None and check.spid is not None
                    else None
                ),
                "losing_spid": check.spid.code if check is not None and check.spid else None,
                "toll_free": bool(check.is_toll_free) if check is not None else False,
            }
        )
    return {"results": results}
