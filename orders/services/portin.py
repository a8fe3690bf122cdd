"""The port-in desk's actions (seed 004, F1-F6): one function per action.

Each runs in one transaction, moves the status only through `orders.lifecycle.transition`,
raises `DomainError` for what the desk may not do (nothing is saved then) and queues the
customer's email with `transaction.on_commit` (orders.emails).
"""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from carriers.models import Carrier
from carriers.services import our_carrier, portability_check
from carriers.tn import InvalidTN, is_toll_free, normalize_tn, parse_tn_list
from orders import emails
from orders.crypto import PinDecryptionError, decrypt_pin, encrypt_pin
from orders.csr_compare import compare_csr, mismatches
from orders.lifecycle import (
    INITIAL_STATUS,
    DomainError,
    OrderChanged,
    TransitionNotAllowed,
    record_initial_status,
    touch,
    transition,
    transition_many,
)
from orders.models import (
    Direction,
    OrderNumber,
    PinRevealAudit,
    PortInCsr,
    PortOrder,
    Rejection,
    Status,
    Supplement,
)
from orders.models.order import OPEN_STATUSES_Q
from orders.services.orders import (
    comment_add,
    f4_auto_cancel_date,
    rejection_record,
    rejections_resolve,
    system_comment,
)

S = Status
CsrStatus = PortOrder.CsrStatus

# Where the desk may still change the order's data or record a CSR: before the LSR goes out,
# or while it is being fixed after a reject.
EDITABLE_STATUSES = frozenset({S.DRAFT, S.EXCEPTION, S.REVIEW})
END_USER_FIELDS = (
    "account_name",
    "account_number",
    "btn",
    "authorized_person",
    "service_address",
    "city",
    "state",
    "zip_code",
)
EDITABLE_FIELDS = (
    *END_USER_FIELDS,
    "requested_due_date",
    "notification_email",
    "remarks",
)
# A project port of 20,000 TNs (a DID block) is placed in one request (issue 8: 20,000
# TNs in under 5 s); the 2 MB CSV limit holds that many lines.
MAX_TNS_PER_REQUEST = 20_000


def _now(now):
    return now or timezone.now()


def _refresh_status_check(order: PortOrder, now) -> None:
    """F5: recompute the next status check when the order enters or leaves `submitted`.

    The jobs engineer's module may not be merged yet: only its absence is tolerated.
    """
    try:
        from orders.services.status_checks import status_check_refresh
    except ModuleNotFoundError as exc:
        if exc.name != "orders.services.status_checks":
            raise
        return
    status_check_refresh(order, now=now)


def _require_port_in(order: PortOrder) -> None:
    if order.direction != Direction.PORT_IN:
        raise DomainError("This is a port-out order: use the port-out desk's actions.")


def _lock(order: PortOrder, expected_status: str | None) -> PortOrder:
    """Lock the row for an action that does not move the status; refuse a stale page."""
    locked = PortOrder.objects.select_for_update().get(pk=order.pk)
    seen = expected_status if expected_status is not None else order.status
    if locked.status != seen:
        raise OrderChanged(
            f"This order changed while you were working on it: it is now "
            f"{locked.get_status_display()}. Reload the page and try again."
        )
    return locked


def _locked_in(order: PortOrder, expected_status, required: str, verb: str) -> PortOrder:
    """Lock the row and check it is in the one status this action starts from."""
    locked = _lock(order, expected_status)
    if locked.status != required:
        raise TransitionNotAllowed(
            f"Only a {Status(required).label} order is {verb}; this one is "
            f"{locked.get_status_display()}."
        )
    return locked


def _sync(order: PortOrder, source: PortOrder) -> None:
    for f in source._meta.concrete_fields:
        setattr(order, f.attname, getattr(source, f.attname))


def _local_today(now) -> datetime.date:
    return timezone.localdate(now)


# --- new orders -----------------------------------------------------------------------------


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


def portin_orders_create(
    *,
    tns: Sequence[str],
    created_by,
    account_name: str,
    account_number: str = "",
    btn: str = "",
    authorized_person: str = "",
    service_address: str = "",
    city: str = "",
    state: str = "",
    zip_code: str = "",
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
    if not (account_name or "").strip():
        raise DomainError("Enter the end user's account name.")

    wanted: list[str] = []
    seen: set[str] = set()
    for raw in tns:
        try:
            tn = normalize_tn(raw)
        except InvalidTN as exc:
            result.refused.append(RefusedTN(str(raw), f"not a valid TN: {exc}"))
            continue
        if tn in seen:
            result.refused.append(RefusedTN(tn, "listed more than once"))
            continue
        seen.add(tn)
        wanted.append(tn)

    checks = portability_check(wanted) if wanted else {}
    on_open_order = _open_orders_by_tn(wanted) if wanted else {}
    groups: dict[tuple[int, bool], list] = defaultdict(list)
    for tn in wanted:
        check = checks.get(tn)
        if check is None or not check.known or check.spid is None:
            result.refused.append(RefusedTN(tn, "not found in the NPAC view"))
        elif check.is_ours:
            result.refused.append(
                RefusedTN(tn, f"already ours (served by our SPID {check.spid.code})")
            )
        elif tn in on_open_order:
            other = on_open_order[tn]
            result.refused.append(
                RefusedTN(
                    tn,
                    f"already on open {other.get_direction_display().lower()} order "
                    f"{other.pon} v{other.version} ({other.get_status_display()})",
                )
            )
        else:
            groups[(check.spid.pk, bool(check.is_toll_free or is_toll_free(tn)))].append(check)

    if not groups:
        return result

    ours = our_carrier()
    our_spids = list(ours.spids.order_by("code"))
    project_tns = settings.PORTING["PROJECT_PORT_TNS"]
    pin_token = encrypt_pin(pin)
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
                account_name=account_name.strip(),
                account_number=(account_number or "").strip(),
                btn=btn or "",
                authorized_person=(authorized_person or "").strip(),
                service_address=(service_address or "").strip(),
                city=(city or "").strip(),
                state=(state or "").strip().upper(),
                zip_code=(zip_code or "").strip(),
                pin_encrypted=pin_token,
                authorization_indicator=authorization_indicator,
                notification_email=(notification_email or "").strip(),
                remarks=(remarks or "").strip(),
                created_by=created_by if created_by and created_by.is_authenticated else None,
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
                actor=created_by,
                reason=(
                    f"New port-in order: {len(group)} TN(s) from {carrier.name} "
                    f"(SPID {spid.code}), routed {route_text}."
                ),
                now=now,
            )
            result.orders.append(order)
    return result


# --- order data and the CSR (F1) ---------------------------------------------------------


def _csr_comparison(order: PortOrder, csr: PortInCsr, order_tns: Iterable[str] | None = None):
    order_values = {name: getattr(order, name) for name in END_USER_FIELDS}
    csr_values = {name: getattr(csr, name) for name in END_USER_FIELDS}
    csr_tns = None
    if (csr.tns or "").strip():
        csr_tns, _errors = parse_tn_list(csr.tns)
    if order_tns is None:
        order_tns = list(order.numbers.values_list("tn", flat=True))
    return compare_csr(order_values, csr_values, order_tns=order_tns, csr_tns=csr_tns)


def csr_comparison(order: PortOrder, *, order_tns: Iterable[str] | None = None):
    """The field-by-field comparison for the order page, or None when there is no CSR.

    Pass `order_tns` when the page already loaded the numbers (no extra query).
    """
    try:
        csr = order.csr
    except PortInCsr.DoesNotExist:
        return None
    return _csr_comparison(order, csr, order_tns)


def _recompare(order: PortOrder, csr: PortInCsr) -> None:
    found = mismatches(_csr_comparison(order, csr))
    previous_fields = {m["field"] for m in csr.mismatches}
    csr.mismatches = found
    if not found:
        status = CsrStatus.MATCHED
        csr.override_reason, csr.override_by = "", None
    elif csr.override_reason and {m["field"] for m in found} <= previous_fields:
        status = CsrStatus.OVERRIDDEN  # the override still covers every mismatch
    else:
        status = CsrStatus.MISMATCHED
        csr.override_reason, csr.override_by = "", None
    csr.save(update_fields=["mismatches", "override_reason", "override_by"])
    PortOrder.objects.filter(pk=order.pk).update(csr_status=status)
    order.csr_status = status


def portin_csr_record(
    *,
    order: PortOrder,
    user,
    account_name: str = "",
    account_number: str = "",
    btn: str = "",
    authorized_person: str = "",
    service_address: str = "",
    city: str = "",
    state: str = "",
    zip_code: str = "",
    tns: str = "",
    expected_status: str | None = None,
    now=None,
) -> PortInCsr:
    """Record the CSR the losing carrier returned and compare it with the order (F1)."""
    now = _now(now)
    _require_port_in(order)
    if order.csr_status == CsrStatus.NOT_REQUIRED:
        raise DomainError(
            "This order needs no CSR: it is toll-free or its losing carrier does not support CSRs."
        )
    with transaction.atomic():
        locked = _lock(order, expected_status)
        if locked.status not in EDITABLE_STATUSES:
            raise DomainError(
                f"A CSR is recorded before the LSR is sent (or while fixing a reject), "
                f"not on a {locked.get_status_display()} order."
            )
        values = {
            "account_name": account_name,
            "account_number": account_number,
            "btn": btn,
            "authorized_person": authorized_person,
            "service_address": service_address,
            "city": city,
            "state": (state or "").upper(),
            "zip_code": zip_code,
            "tns": tns,
        }
        values = {k: (v or "").strip() for k, v in values.items()}
        csr, _created = PortInCsr.objects.update_or_create(
            order=locked,
            defaults={
                **values,
                "recorded_by": user,
                "recorded_at": now,
                "mismatches": [],
                "override_reason": "",
                "override_by": None,
            },
        )
        _recompare(locked, csr)
        touch(locked, now=now)
        _sync(order, locked)
        found = csr.mismatches
        system_comment(
            order,
            "CSR recorded: "
            + (
                "it matches the order."
                if not found
                else "mismatches on " + ", ".join(m["label"] for m in found) + "."
            ),
            now=now,
        )
    return csr


def portin_csr_override(
    *, order: PortOrder, user, reason: str, expected_status: str | None = None, now=None
) -> PortInCsr:
    """Accept the CSR mismatches as they are, with a reason (F1)."""
    now = _now(now)
    _require_port_in(order)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for overriding the CSR mismatch.")
    with transaction.atomic():
        locked = _lock(order, expected_status)
        if locked.csr_status != CsrStatus.MISMATCHED:
            raise DomainError(
                f"There is no CSR mismatch to override (CSR: {locked.get_csr_status_display()})."
            )
        csr = locked.csr
        csr.override_reason = reason[:300]
        csr.override_by = user
        csr.save(update_fields=["override_reason", "override_by"])
        PortOrder.objects.filter(pk=order.pk).update(csr_status=CsrStatus.OVERRIDDEN)
        locked.csr_status = CsrStatus.OVERRIDDEN
        touch(locked, now=now)
        _sync(order, locked)
        labels = ", ".join(m["label"] for m in csr.mismatches)
        system_comment(order, f"CSR mismatch ({labels}) overridden: {reason}", now=now)
    return csr


def portin_order_update(
    *,
    order: PortOrder,
    user,
    changes: dict,
    pin: str = "",
    expected_status: str | None = None,
    now=None,
) -> list[str]:
    """Fix the order's end-user data (draft, exception or review); a new PIN replaces the old.

    Re-runs the CSR comparison. Returns the labels of the fields that changed; the timeline
    records which fields changed, never their values (account number, PIN).
    """
    now = _now(now)
    _require_port_in(order)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        locked = _lock(order, expected_status)
        if locked.status not in EDITABLE_STATUSES:
            raise DomainError(
                f"The order's data can be changed in draft, exception or review, "
                f"not when it is {locked.get_status_display()}."
            )
        due = changes.get("requested_due_date", locked.requested_due_date)
        if (
            "requested_due_date" in changes
            and due != locked.requested_due_date
            and due is not None
            and due < _local_today(now)
        ):
            raise DomainError("The requested due date is in the past.")
        changed = []
        for name, value in changes.items():
            if isinstance(value, str):
                value = value.strip()
                if name == "state":
                    value = value.upper()
            if getattr(locked, name) != value:
                setattr(locked, name, value)
                changed.append(name)
        if pin:
            locked.pin_encrypted = encrypt_pin(pin)
            changed.append("pin_encrypted")
        if not changed:
            return []
        locked.save(update_fields=[*changed, "updated_at"])
        try:
            csr = locked.csr
        except PortInCsr.DoesNotExist:
            csr = None
        if csr is not None:
            _recompare(locked, csr)
        touch(locked, now=now)
        _sync(order, locked)
        labels = [
            "PIN" if name == "pin_encrypted" else PortOrder._meta.get_field(name).verbose_name
            for name in changed
        ]
        system_comment(
            order,
            f"Order details changed by {user.get_username()}: {', '.join(labels)}.",
            now=now,
        )
    return labels


def simple_port_override(
    *, order: PortOrder, user, simple: bool | None, reason: str = "", now=None
) -> PortOrder:
    """R17: staff decide the simple-port classification (None: back to the derived one)."""
    now = _now(now)
    reason = (reason or "").strip()
    if simple is not None and not reason:
        raise DomainError("Give the reason for overriding the simple-port classification.")
    with transaction.atomic():
        PortOrder.objects.filter(pk=order.pk).update(
            simple_port_override=simple,
            simple_port_override_by=user if simple is not None else None,
            simple_port_override_reason=reason[:300] if simple is not None else "",
        )
        order.simple_port_override = simple
        order.simple_port_override_by = user if simple is not None else None
        order.simple_port_override_reason = reason[:300] if simple is not None else ""
        touch(order, now=now)
        if simple is None:
            body = "Simple-port override removed: the derived classification applies."
        else:
            body = (
                f"Simple-port classification overridden to "
                f"{'simple' if simple else 'not simple'}: {reason}"
            )
        system_comment(order, body, now=now)
    return order


def pin_reveal(*, order: PortOrder, user, now=None) -> str:
    """The decrypted PIN, for a user allowed to see it; every reveal is audited."""
    if not user.has_perm("orders.reveal_pin"):
        raise PermissionDenied("Revealing a PIN needs the reveal-PIN permission.")
    if not order.pin_encrypted:
        raise DomainError("This order has no PIN.")
    try:
        pin = decrypt_pin(order.pin_encrypted)
    except PinDecryptionError as exc:
        raise DomainError(str(exc)) from exc
    PinRevealAudit.objects.create(order=order, user=user, revealed_at=_now(now))
    return pin


# --- moves ------------------------------------------------------------------------------


def _require_csr_ready(order: PortOrder) -> None:
    if order.csr_status == CsrStatus.PENDING:
        raise DomainError(
            f"{order.losing_carrier.name} supports CSRs: record the CSR it returned before "
            "sending the LSR, so the order can be checked against it (F1)."
        )
    if order.csr_status == CsrStatus.MISMATCHED:
        fields = ", ".join(m["label"] for m in order.csr.mismatches) or "some fields"
        raise DomainError(
            f"The order does not match the CSR ({fields}): fix the order or override the "
            "mismatch with a reason before sending the LSR (F1)."
        )


def _require_lsr_complete(order: PortOrder, now) -> None:
    missing = [
        PortOrder._meta.get_field(name).verbose_name
        for name in ("account_name", "authorized_person")
        if not getattr(order, name)
    ]
    if order.route != PortOrder.Route.SOMOS:
        missing += [
            PortOrder._meta.get_field(name).verbose_name
            for name in ("btn", "service_address", "zip_code")
            if not getattr(order, name)
        ]
    if order.requested_due_date is None:
        missing.append("requested due date")
    if missing:
        raise DomainError(f"The LSR cannot be sent without: {', '.join(missing)}.")
    if order.requested_due_date < _local_today(now):
        raise DomainError("The requested due date has passed: set a new one before sending.")
    if not order.authorization_indicator:
        raise DomainError("The end user's authorization (LOA) is not indicated on the order.")
    if not order.numbers.filter(disposition=OrderNumber.Disposition.PORT).exists():
        raise DomainError("The order has no TNs to port.")


def order_submit(
    *, order: PortOrder, user, expected_status: str | None = None, now=None
) -> PortOrder:
    """Send the LSR to the losing carrier (directly, via the peer, or Somos): draft -> submitted.

    Refused while the CSR is pending or mismatched (F1) and when the LSR lacks a field.
    """
    now = _now(now)
    _require_port_in(order)
    with transaction.atomic():
        locked = _locked_in(order, expected_status, S.DRAFT, "submitted")
        _require_csr_ready(locked)
        _require_lsr_complete(locked, now)
        transition(
            order,
            S.SUBMITTED,
            actor=user,
            reason=f"LSR sent to {locked.losing_carrier.name} ({locked.get_route_display()}).",
            now=now,
            expected_status=S.DRAFT,
            changes={"submitted_at": now},
        )
        _refresh_status_check(order, now)
    return order


def foc_record(
    *,
    order: PortOrder,
    user,
    foc_date: datetime.date,
    expected_status: str | None = None,
    now=None,
) -> PortOrder:
    """The losing carrier accepted the LSR with a firm order commitment date (F2)."""
    now = _now(now)
    _require_port_in(order)
    if foc_date is None:
        raise DomainError("Enter the FOC date the losing carrier gave.")
    if foc_date < _local_today(now):
        raise DomainError("The FOC date is in the past.")
    with transaction.atomic():
        transition(
            order,
            S.ACCEPTED,
            actor=user,
            reason=f"FOC {foc_date:%Y-%m-%d} from {order.losing_carrier.name}.",
            now=now,
            expected_status=expected_status,
            changes={"foc_date": foc_date},
        )
        _refresh_status_check(order, now)
        emails.queue_foc_email(order)
    return order


def lsp_reject_record(
    *,
    order: PortOrder,
    user,
    reason_codes: Iterable[str],
    text: str = "",
    expected_status: str | None = None,
    now=None,
) -> Rejection:
    """The losing carrier rejected the LSR: the order goes to exception, the desk fixes it (F2).

    A reject of an accepted order voids its FOC date.
    """
    now = _now(now)
    _require_port_in(order)
    reason_codes = list(reason_codes or [])
    with transaction.atomic():
        transition(
            order,
            S.EXCEPTION,
            actor=user,
            reason=f"Rejected by {order.losing_carrier.name}: {', '.join(reason_codes)}"
            + (f". {text.strip()}" if (text or "").strip() else ""),
            now=now,
            expected_status=expected_status,
            changes={"foc_date": None},
        )
        rejection = rejection_record(
            order=order,
            reasons=reason_codes,
            source=Rejection.Source.LOSING_CARRIER,
            text=text,
            raised_by=user,
            now=now,
        )
        _refresh_status_check(order, now)
    return rejection


def exception_resend(
    *, order: PortOrder, user, note: str = "", expected_status: str | None = None, now=None
) -> PortOrder:
    """The desk fixed the reject itself and sent the LSR again: exception -> submitted (F2)."""
    return _resend(
        order=order,
        user=user,
        from_status=S.EXCEPTION,
        reason=(note or "").strip() or "Fixed by the desk and resent to the losing carrier.",
        action="resent after a fix",
        expected_status=expected_status,
        now=now,
    )


def _resend(*, order, user, from_status, reason, action, expected_status, now) -> PortOrder:
    """Back to submitted with the LSR sent again (F2, F3): the open rejections are resolved
    and the status-check clock starts over."""
    now = _now(now)
    _require_port_in(order)
    with transaction.atomic():
        locked = _locked_in(order, expected_status, from_status, action)
        _require_csr_ready(locked)
        transition(
            order,
            S.SUBMITTED,
            actor=user,
            reason=reason,
            now=now,
            expected_status=from_status,
            changes={"submitted_at": now},
        )
        rejections_resolve(order=order, now=now)
        _refresh_status_check(order, now)
    return order


def order_return_to_customer(
    *,
    order: PortOrder,
    user,
    reason_codes: Iterable[str] = (),
    message: str = "",
    expected_status: str | None = None,
    now=None,
) -> Rejection:
    """The desk cannot fix it: the customer must act. -> rejected; the customer is emailed
    each reason's title and instructions, and the F4 clock starts (customer_notified_at,
    auto_cancel_on).

    Without reason codes, the open rejection's reasons are returned; with codes that differ
    from them, a new rejection (our validation) records what the customer must fix.
    """
    now = _now(now)
    _require_port_in(order)
    reason_codes = [c for c in (reason_codes or []) if c]
    if not order.notification_email:
        raise DomainError(
            "The order has no customer notification email: add one before returning it, so the "
            "customer learns what to fix."
        )
    with transaction.atomic():
        transition(
            order,
            S.REJECTED,
            actor=user,
            reason="Returned to the customer"
            + (f": {message.strip()}" if (message or "").strip() else "."),
            now=now,
            expected_status=expected_status,
            changes={"customer_notified_at": now, "auto_cancel_on": f4_auto_cancel_date(now)},
        )
        open_rejections = list(
            Rejection.objects.filter(order=order, resolved_at__isnull=True).prefetch_related(
                "reasons"
            )
        )
        open_codes = {r.code for rej in open_rejections for r in rej.reasons.all()}
        if reason_codes and set(reason_codes) != open_codes:
            rejection = rejection_record(
                order=order,
                reasons=reason_codes,
                source=Rejection.Source.VALIDATION,
                text=message,
                raised_by=user,
                returned_to_customer=True,
                now=now,
            )
            returned = [rejection]
        elif open_rejections:
            rejection = open_rejections[0]
            returned = open_rejections
        else:
            raise DomainError("Choose the reasons the customer must act on.")
        Rejection.objects.filter(pk__in=[r.pk for r in open_rejections]).update(
            returned_to_customer_at=now
        )
        reasons = list(
            {r.code: r for rej in returned for r in rej.reasons.order_by("code")}.values()
        )
        emails.queue_rejection_email(order, reasons=reasons, text=message)
    return rejection


def customer_resubmission_record(
    *, order: PortOrder, user, note: str, expected_status: str | None = None, now=None
) -> PortOrder:
    """The customer sent corrections: rejected -> review, where the desk checks them (F3).

    The customer's answer is kept as a comment from the customer. The F4 clock stops: the
    order is no longer rejected (returning it again starts a new one).
    """
    now = _now(now)
    _require_port_in(order)
    note = (note or "").strip()
    if not note:
        raise DomainError("Describe what the customer changed or sent.")
    with transaction.atomic():
        transition(
            order,
            S.REVIEW,
            actor=user,
            reason="The customer resubmitted the order.",
            now=now,
            expected_status=expected_status,
            changes={"auto_cancel_on": None},
        )
        comment_add(
            order=order,
            author=user,
            body=note,
            visibility="internal",
            source="customer",
            now=now,
        )
    return order


def review_resend(
    *, order: PortOrder, user, note: str = "", expected_status: str | None = None, now=None
) -> PortOrder:
    """The desk reviewed the customer's changes and sent the LSR again: review -> submitted."""
    return _resend(
        order=order,
        user=user,
        from_status=S.REVIEW,
        reason=(note or "").strip() or "Customer's changes reviewed; LSR resent.",
        action="resent after review",
        expected_status=expected_status,
        now=now,
    )


def portin_sup_record(
    *,
    order: PortOrder,
    user,
    sup_type: int,
    requested_due_date: datetime.date | None = None,
    remarks: str = "",
    expected_status: str | None = None,
    now=None,
) -> Supplement:
    """A supplement we send to the losing carrier on a submitted or accepted order.

    SUP 2 (new due date): on an accepted order it asks for a new FOC, so the order goes back to
    submitted and the old FOC date is voided; on a submitted order it changes the requested
    date. SUP 3 (other change): recorded, no status change. SUP 1 is `order_cancel`.
    """
    now = _now(now)
    _require_port_in(order)
    remarks = (remarks or "").strip()
    if sup_type == Supplement.Type.CANCEL:
        raise DomainError("A SUP 1 cancels the order: use the cancel action.")
    if sup_type not in (Supplement.Type.NEW_DUE_DATE, Supplement.Type.OTHER):
        raise DomainError(f"Unknown supplement type {sup_type}.")
    with transaction.atomic():
        locked = _lock(order, expected_status)
        if locked.status not in (S.SUBMITTED, S.ACCEPTED):
            raise DomainError(
                f"A supplement changes an LSR already sent: not possible on a "
                f"{locked.get_status_display()} order."
            )
        if sup_type == Supplement.Type.NEW_DUE_DATE:
            if requested_due_date is None:
                raise DomainError("A SUP 2 needs the new requested due date.")
            if requested_due_date < _local_today(now):
                raise DomainError("The new requested due date is in the past.")
        elif not remarks:
            raise DomainError("Describe the change the SUP 3 makes.")
        sup = Supplement.objects.create(
            order=locked,
            sup_type=sup_type,
            received_at=now,
            effective_received_on=_local_today(now),
            requested_due_date=requested_due_date if sup_type == 2 else None,
            previous_foc_date=locked.foc_date,
            explanation=remarks[:300],
            remarks=remarks,
            created_by=user,
        )
        if sup_type == Supplement.Type.NEW_DUE_DATE:
            count = locked.due_date_sup_count + 1
            if locked.status == S.ACCEPTED:
                transition(
                    order,
                    S.SUBMITTED,
                    actor=user,
                    reason=(
                        f"SUP 2: new due date {requested_due_date:%Y-%m-%d} asked; "
                        f"FOC {locked.foc_date:%Y-%m-%d} voided, waiting for a new FOC."
                    ),
                    now=now,
                    expected_status=S.ACCEPTED,
                    changes={
                        "requested_due_date": requested_due_date,
                        "foc_date": None,
                        "submitted_at": now,
                        "due_date_sup_count": count,
                    },
                )
            else:
                PortOrder.objects.filter(pk=order.pk).update(
                    requested_due_date=requested_due_date, due_date_sup_count=count
                )
                locked.requested_due_date = requested_due_date
                locked.due_date_sup_count = count
                touch(locked, now=now)
                _sync(order, locked)
            _refresh_status_check(order, now)
        else:
            touch(locked, now=now)
            _sync(order, locked)
    return sup


def numbers_activate(
    *,
    order: PortOrder,
    user,
    tns: Iterable[str] | None = None,
    expected_status: str | None = None,
    now=None,
) -> int:
    """Mark TNs activated in NPAC (all the order's TNs when `tns` is None).

    When every TN to port is active the order is complete (completion email). Returns how
    many TNs were newly activated.
    """
    now = _now(now)
    _require_port_in(order)
    with transaction.atomic():
        locked = _lock(order, expected_status)
        if locked.status != S.ACCEPTED:
            raise DomainError(
                f"TNs are activated on an accepted (FOC'd) order, not a "
                f"{locked.get_status_display()} one."
            )
        numbers = OrderNumber.objects.filter(order=locked, disposition=OrderNumber.Disposition.PORT)
        if tns is not None:
            wanted = set(tns)
            if not wanted:
                raise DomainError("Choose the TNs that were activated.")
            unknown = wanted - set(numbers.filter(tn__in=wanted).values_list("tn", flat=True))
            if unknown:
                raise DomainError(f"Not on this order: {', '.join(sorted(unknown))}.")
            numbers = numbers.filter(tn__in=wanted)
        count = numbers.filter(activated_at__isnull=True).update(
            activated_at=now, npac_status=OrderNumber.NpacStatus.ACTIVE
        )
        touch(locked, now=now)
        _sync(order, locked)
        remaining = OrderNumber.objects.filter(
            order=locked, disposition=OrderNumber.Disposition.PORT, activated_at__isnull=True
        ).exists()
        if count:
            system_comment(order, f"{count} TN(s) activated in NPAC.", now=now)
        if not remaining:
            _complete(order, user=user, now=now)
    return count


def _complete(order: PortOrder, *, user, now) -> None:
    transition(
        order,
        S.COMPLETED,
        actor=user,
        reason="Every TN activated: port complete.",
        now=now,
        expected_status=S.ACCEPTED,
        changes={"completed_at": now},
    )
    emails.queue_completion_email(order)


def order_complete(
    *, order: PortOrder, user, expected_status: str | None = None, now=None
) -> PortOrder:
    """The port is done: activate the TNs not yet marked and complete the order."""
    now = _now(now)
    _require_port_in(order)
    with transaction.atomic():
        locked = _lock(order, expected_status)
        if locked.status != S.ACCEPTED:
            raise DomainError(
                f"Only an accepted (FOC'd) order completes; this one is "
                f"{locked.get_status_display()}."
            )
        OrderNumber.objects.filter(
            order=locked, disposition=OrderNumber.Disposition.PORT, activated_at__isnull=True
        ).update(activated_at=now, npac_status=OrderNumber.NpacStatus.ACTIVE)
        _sync(order, locked)
        _complete(order, user=user, now=now)
    return order


def order_cancel(
    *,
    order: PortOrder,
    user=None,
    reason: str,
    actor_label: str = "",
    notify_customer: bool = True,
    expected_status: str | None = None,
    now=None,
) -> PortOrder:
    """Cancel a port-in order from any open state. Once the LSR was sent, the cancel goes to
    the losing carrier as a SUP 1. The customer is emailed (F4's auto-cancel included)."""
    now = _now(now)
    _require_port_in(order)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for cancelling the order.")
    with transaction.atomic():
        was = expected_status if expected_status is not None else order.status
        transition(
            order,
            S.CANCELLED,
            actor=user,
            actor_label=actor_label,
            reason=reason,
            now=now,
            expected_status=expected_status,
        )
        if was != S.DRAFT:
            Supplement.objects.create(
                order=order,
                sup_type=Supplement.Type.CANCEL,
                received_at=now,
                effective_received_on=_local_today(now),
                previous_foc_date=order.foc_date,
                explanation=reason[:300],
                remarks=reason,
                created_by=user if user is not None and user.is_authenticated else None,
            )
        rejections_resolve(order=order, now=now)
        if was == S.SUBMITTED:
            _refresh_status_check(order, now)
        if notify_customer:
            emails.queue_cancellation_email(order, reason=reason)
    return order


def rejected_orders_cancel_many(
    rows: list[dict], *, reasons: dict[int, str], actor_label: str, now=None
) -> list[int]:
    """`order_cancel` for many rejected port-in orders at once (F4's job), set-based.

    `rows` are locked by the caller (select_for_update in its transaction), each a dict with
    `pk` and `foc_date`. The same effects as `order_cancel` on a rejected order: one status
    move each with its history row, a SUP 1 to the losing carrier (the LSR was sent), open
    rejections resolved. The customer's email is the caller's (it words it for the job).
    """
    now = _now(now)
    ids = transition_many(
        [row["pk"] for row in rows],
        S.CANCELLED,
        direction=Direction.PORT_IN,
        from_status=S.REJECTED,
        actor_label=actor_label,
        reasons=reasons,
        now=now,
    )
    today = _local_today(now)
    Supplement.objects.bulk_create(
        Supplement(
            order_id=row["pk"],
            sup_type=Supplement.Type.CANCEL,
            received_at=now,
            effective_received_on=today,
            previous_foc_date=row["foc_date"],
            explanation=reasons[row["pk"]][:300],
            remarks=reasons[row["pk"]],
            created_by=None,
        )
        for row in rows
    )
    Rejection.objects.filter(order_id__in=ids, resolved_at__isnull=True).update(resolved_at=now)
    return ids
