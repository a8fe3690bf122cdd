"""New port-in orders (F6): the TNs the desk listed become one draft order per losing SPID;
each TN that cannot be ported is refused with its reason.
"""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from carriers.end_user import EndUser
from carriers.models import Carrier
from carriers.services import PortabilityResult, our_carrier, portability_check
from carriers.tn import InvalidTN, is_toll_free, normalize_tn
from orders.crypto import encrypt_pin
from orders.lifecycle import INITIAL_STATUS, DomainError, record_initial_status
from orders.models import Direction, OrderNumber, PortOrder
from orders.models.statuses import OPEN_STATUSES_Q
from orders.services.claims import claims_write
from orders.services.portin._common import CsrStatus, _local_today, _now

# A project port of 20,000 TNs (a DID block) is placed in one request (issue 8: 20,000
# TNs in under 5 s); the 2 MB CSV limit holds that many lines.
MAX_TNS_PER_REQUEST = 20_000


@dataclass(frozen=True)
class RefusedTN:
    tn: str
    reason: str


@dataclass
class PortInCreateResult:
    orders: list[PortOrder] = field(default_factory=list)
    refused: list[RefusedTN] = field(default_factory=list)


def _our_spid_for(our_spids, losing_spid):
    """Our SPID in the losing SPID's NPAC region when we have one there, else our first."""
    if not our_spids:
        return None
    if losing_spid is not None and losing_spid.region:
        for spid in our_spids:
            if spid.region == losing_spid.region:
                return spid
    return our_spids[0]


def _derive_simple_port(results, carrier: Carrier) -> bool:
    """R17 as far as the port-in desk can tell from the NPAC view: a single line, no complex
    switch translations, no unbundled elements, no reseller. Staff can override it."""
    if len(results) != 1:
        return False
    result = results[0]
    number = result.number
    if number is not None and number.has_complex_translations:
        return False
    if result.account is not None and result.account.uses_unbundled_elements:
        return False
    return not (carrier.kind == Carrier.Kind.RESELLER or result.is_resold)


def _open_orders_by_tn(tns: Sequence[str]) -> dict[str, PortOrder]:
    # The TNs' order lines first (the tn index), then only their orders: "order IN (open
    # orders)" had PostgreSQL hash every open order for a 20,000-TN project port (0.75 s).
    lines = list(
        OrderNumber.objects.filter(tn__any_of=tns)
        .exclude(disposition=OrderNumber.Disposition.REMAIN)
        .values_list("tn", "order_id")
    )
    if not lines:
        return {}
    open_orders = PortOrder.objects.filter(OPEN_STATUSES_Q).in_bulk(
        {order_id for _tn, order_id in lines}
    )
    return {tn: open_orders[order_id] for tn, order_id in lines if order_id in open_orders}


@dataclass(frozen=True)
class TnPortability:
    """Whether one listed TN can be ported in, and why not (`reason`, empty when it can)."""

    tn: str
    reason: str = ""
    check: PortabilityResult | None = None

    @property
    def portable(self) -> bool:
        return not self.reason


def portin_portability(tns: Sequence[str]) -> list[TnPortability]:
    """The new-order check for each listed TN: not a valid TN, listed twice, not in the NPAC
    view, already ours, already on an open order, or portable (with its losing carrier and
    SPID in `check`). The invalid and repeated TNs come first, then the others in the order
    given. Read only; `portin_orders_create` and the partner API's portability check both
    answer from it."""
    verdicts: list[TnPortability] = []
    wanted: list[str] = []
    seen: set[str] = set()
    for raw in tns:
        try:
            tn = normalize_tn(raw)
        except InvalidTN as exc:
            verdicts.append(TnPortability(str(raw), f"not a valid TN: {exc}"))
            continue
        if tn in seen:
            verdicts.append(TnPortability(tn, "listed more than once"))
            continue
        seen.add(tn)
        wanted.append(tn)

    checks = portability_check(wanted) if wanted else {}
    on_open_order = _open_orders_by_tn(wanted) if wanted else {}
    for tn in wanted:
        check = checks.get(tn)
        if check is None or not check.known or check.spid is None:
            verdicts.append(TnPortability(tn, "not found in the NPAC view", check))
        elif check.is_ours:
            verdicts.append(
                TnPortability(tn, f"already ours (served by our SPID {check.spid.code})", check)
            )
        elif tn in on_open_order:
            other = on_open_order[tn]
            verdicts.append(
                TnPortability(
                    tn,
                    f"already on open {other.get_direction_display().lower()} order "
                    f"{other.pon} v{other.version} ({other.get_status_display()})",
                    check,
                )
            )
        else:
            verdicts.append(TnPortability(tn, "", check))
    return verdicts


def portin_orders_create(
    *,
    tns: Sequence[str],
    by,
    end_user: EndUser,
    requested_due_date: datetime.date | None = None,
    notification_email: str = "",
    pin: str = "",
    remarks: str = "",
    authorization_indicator: bool = True,
    now=None,
) -> PortInCreateResult:
    """Create draft port-in orders for `tns`: one per losing SPID (F6).

    The NPAC view (carriers.services.portability_check) decides each TN's losing carrier and
    SPID. Toll-free TNs go to Somos-routed orders; others to the carrier directly or through
    its local porting peer. A TN is refused, with its reason, when it is not a valid TN,
    listed twice, not in the NPAC view, already ours, or already on an open order. The
    others are ordered; the result lists both.
    """
    now = _now(now)
    result = PortInCreateResult()
    if not tns:
        raise DomainError("List at least one TN to port.")
    if len(tns) > MAX_TNS_PER_REQUEST:
        raise DomainError(
            f"{len(tns)} TNs in one request; split it into requests of at most "
            f"{MAX_TNS_PER_REQUEST}."
        )
    if requested_due_date is not None and requested_due_date < _local_today(now):
        raise DomainError("The requested due date is in the past.")
    end_user = end_user.cleaned()
    if not end_user.account_name:
        raise DomainError("Enter the end user's account name.")

    groups: dict[tuple[int, bool], list] = defaultdict(list)
    for verdict in portin_portability(tns):
        if verdict.reason:
            result.refused.append(RefusedTN(verdict.tn, verdict.reason))
        else:
            check = verdict.check
            groups[(check.spid.pk, bool(check.is_toll_free or is_toll_free(check.tn)))].append(
                check
            )

    if not groups:
        return result

    ours = our_carrier()
    our_spids = list(ours.spids.order_by("code"))
    project_tns = settings.PORTING["PROJECT_PORT_TNS"]
    pin_token = encrypt_pin(pin)
    claims = []
    with transaction.atomic():
        for (_spid_pk, toll_free), group in groups.items():
            spid = group[0].spid
            carrier = group[0].carrier or spid.carrier
            if toll_free:
                route, route_via = PortOrder.Route.SOMOS, None
            elif carrier.port_in_route == Carrier.Route.LOCAL_PEER and carrier.porting_peer_id:
                route, route_via = PortOrder.Route.LOCAL_PEER, carrier.porting_peer
            else:
                route, route_via = PortOrder.Route.DIRECT, None
            csr_status = (
                CsrStatus.PENDING
                if carrier.supports_csr and not toll_free
                else CsrStatus.NOT_REQUIRED
            )
            order = PortOrder.objects.create(
                direction=Direction.PORT_IN,
                status=INITIAL_STATUS[Direction.PORT_IN],
                pon=f"TMP-{uuid.uuid4().hex[:24]}",
                reqtype="C",
                act="V",
                requested_due_date=requested_due_date,
                simple_port=_derive_simple_port(group, carrier),
                tn_count=len(group),
                is_project_port=len(group) >= project_tns,
                losing_carrier=carrier,
                losing_spid=spid,
                new_carrier=ours,
                new_spid=_our_spid_for(our_spids, spid),
                route=route,
                route_via=route_via,
                csr_status=csr_status,
                **end_user.as_fields(),
                pin_encrypted=pin_token,
                authorization_indicator=authorization_indicator,
                notification_email=(notification_email or "").strip(),
                remarks=(remarks or "").strip(),
                created_by=by if by and by.is_authenticated else None,
                last_activity_at=now,
            )
            # The PON is ours to choose: unique per requesting carrier, readable on the phone.
            order.pon = f"PI{_local_today(now):%y%m%d}{order.pk:05d}"
            PortOrder.objects.filter(pk=order.pk).update(pon=order.pon)
            OrderNumber.objects.bulk_create(
                [
                    OrderNumber(order=order, tn=check.tn, disposition=OrderNumber.Disposition.PORT)
                    for check in sorted(group, key=lambda c: c.tn)
                ]
            )
            route_text = order.get_route_display()
            if route_via is not None:
                route_text += f" via {route_via.name}"
            record_initial_status(
                order,
                actor=by,
                reason=(
                    f"New port-in order: {len(group)} TN(s) from {carrier.name} "
                    f"(SPID {spid.code}), routed {route_text}."
                ),
                now=now,
            )
            result.orders.append(order)
            claims.extend((order, check.tn) for check in group)
        # F7: the database's word on "already on an open order" (the check above ran outside
        # this transaction): a concurrent identical request fails here, and all its orders
        # roll back with it.
        claims_write(claims)
    return result
