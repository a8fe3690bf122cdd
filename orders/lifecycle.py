"""The one place a port order's status changes.

The transition tables are data, one per desk, readable at a glance. `transition()` checks the
move against them, locks the order row, writes the history row, records the partner API's
`status_changed` event (orders.events) and stamps last_activity_at, all in one transaction;
side effects (email) are queued with transaction.on_commit by the callers' services so that
nothing is sent for a move that rolled back.
"""

from collections.abc import Callable, Collection, Mapping

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from . import events
from .models import Direction, OpenTnClaim, PortOrder, Status, StatusChange
from .models.order import CLOSED_STATUSES

S = Status

# Port-in (seed 004, F2/F3): draft -> submitted -> accepted -> completed; a losing-carrier
# reject goes to exception (the desk fixes it) and only then, if it cannot, to rejected
# (customer acts) -> review (desk checks the resubmission) -> submitted again.
PORT_IN_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.CANCELLED}),
    S.SUBMITTED: frozenset({S.ACCEPTED, S.EXCEPTION, S.CANCELLED}),
    S.EXCEPTION: frozenset({S.SUBMITTED, S.REJECTED, S.CANCELLED}),
    S.REJECTED: frozenset({S.REVIEW, S.CANCELLED}),
    S.REVIEW: frozenset({S.SUBMITTED, S.REJECTED, S.CANCELLED}),
    # A SUP 2 on an accepted order asks the losing carrier for a new FOC: back to submitted.
    S.ACCEPTED: frozenset({S.COMPLETED, S.SUBMITTED, S.EXCEPTION, S.CANCELLED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}

# Port-out (seed 000): an LSR is received and decided (FOC or reject); an expedite waits for
# a manager; a FOC'd order completes on NPAC activation or is cancelled (SUP 1, R11).
# A rejected LSR is final: the carrier sends a new version.
PORT_OUT_TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.FOC_SENT, S.EXPEDITE_REVIEW, S.REJECTED, S.CANCELLED}),
    S.EXPEDITE_REVIEW: frozenset({S.FOC_SENT, S.REJECTED, S.CANCELLED}),
    S.FOC_SENT: frozenset({S.COMPLETED, S.REJECTED, S.CANCELLED}),
    S.REJECTED: frozenset(),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}

TRANSITIONS = {Direction.PORT_IN: PORT_IN_TRANSITIONS, Direction.PORT_OUT: PORT_OUT_TRANSITIONS}
INITIAL_STATUS = {Direction.PORT_IN: S.DRAFT, Direction.PORT_OUT: S.RECEIVED}


class DomainError(Exception):
    """An action the desk asked for that the rules refuse; the page shows the message."""


class TransitionNotAllowed(DomainError):
    pass


class OrderChanged(DomainError):
    """Someone else moved the order after the page was loaded."""


def check_unchanged(current: PortOrder, expected_status: str | None) -> None:
    """Refuse to act for a stale page: the order is no longer in the status the page showed.

    `current` is the row as read now (under the caller's lock, where the caller holds one, so
    nothing can move it between this check and the caller's write). An empty or None
    `expected_status`: the caller saw no page (a job, an import) and nothing is compared.
    """
    if expected_status and current.status != expected_status:
        raise OrderChanged(
            f"This order changed while you were working on it: it is now "
            f"{current.get_status_display()}. Reload the page and try again."
        )


def check_revision(locked: PortOrder, expected_revision: int | None) -> None:
    """Refuse a save of the order's data from a page that saw an older revision.

    `locked` is the row the caller read under its lock, so no other save can land between
    this check and the caller's UPDATE; the caller bumps `revision` in that UPDATE
    (`revision_bump`). None: the caller has no page (a job, an import) and nothing to compare.
    """
    if expected_revision is not None and locked.revision != expected_revision:
        raise OrderChanged(
            "This order changed while you were working on it: someone saved it after you "
            "opened the page. Reload the page and try again."
        )


def revision_bump(locked: PortOrder) -> str:
    """Make the coming save of the locked row a new revision, so every edit form opened
    before it is stale. Returns the field to add to the save's update_fields."""
    locked.revision = locked.revision + 1
    return "revision"


def closes_order(direction: str, status: str) -> bool:
    """Whether moving to `status` closes an order of that desk (OPEN_STATUSES_Q, is_open):
    completed, cancelled, and for port-out rejected (the carrier sends a new version)."""
    return status in CLOSED_STATUSES or (direction == Direction.PORT_OUT and status == S.REJECTED)


def _release_claims(order_ids) -> None:
    # F7: a closed order's TNs are free for the desk's next order, in the same transaction
    # as the move, so no moment exists where the TN is claimed by a closed order.
    OpenTnClaim.objects.filter(order_id__in=order_ids).delete()


def allowed_moves(order: PortOrder) -> frozenset[str]:
    return TRANSITIONS[order.direction].get(order.status, frozenset())


def can_move(order: PortOrder, to: str) -> bool:
    return to in allowed_moves(order)


def transition(
    order: PortOrder,
    to: str,
    *,
    actor=None,
    actor_label: str = "",
    reason: str = "",
    now=None,
    expected_status: str | None = None,
    changes: dict | None = None,
    apply: Callable[[PortOrder], None] | None = None,
) -> PortOrder:
    """Move `order` to status `to` and return the locked, updated order.

    - `expected_status`: the status the caller saw (the page's hidden field or the job's
      selection). If the row has moved since, raise OrderChanged instead of acting twice.
    - `changes`: other fields set in the same UPDATE (FOC date, clocks...).
    - `apply`: a callback run on the locked row before saving, for changes that depend on it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = PortOrder.objects.select_for_update().get(pk=order.pk)
        check_unchanged(locked, expected_status or order.status)
        if to not in TRANSITIONS[locked.direction].get(locked.status, frozenset()):
            raise TransitionNotAllowed(
                f"A {locked.get_direction_display()} order cannot move from "
                f"{locked.get_status_display()} to {Status(to).label}."
            )
        from_status = locked.status
        locked.status = to
        update_fields = {"status", "last_activity_at", "updated_at"}
        for field, value in (changes or {}).items():
            setattr(locked, field, value)
            update_fields.add(field)
        if apply is not None:
            before = {f.attname: getattr(locked, f.attname) for f in locked._meta.concrete_fields}
            apply(locked)
            update_fields |= {
                name for name, value in before.items() if getattr(locked, name) != value
            }
        # A status change makes every edit form opened before it stale.
        update_fields.add(revision_bump(locked))
        # last_activity_at never goes backwards, even with an injected "now" from the past.
        locked.last_activity_at = max(locked.last_activity_at, now)
        locked.save(update_fields=sorted(update_fields))
        if closes_order(locked.direction, to):
            _release_claims([locked.pk])
        StatusChange.objects.create(
            order=locked,
            from_status=from_status,
            to_status=to,
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_label=actor_label,
            reason=reason,
            created_at=now,
        )
        # The partner API's event, in the move's transaction (orders.events).
        events.record(locked, events.Kind.STATUS_CHANGED, **{"from": from_status, "to": to})
    # Keep the caller's instance in step so it can go on using it.
    for f in locked._meta.concrete_fields:
        setattr(order, f.attname, getattr(locked, f.attname))
    return order


def transition_many(
    ids: Collection[int],
    to: str,
    *,
    direction: str,
    from_status: str,
    actor=None,
    actor_label: str = "",
    reasons: Mapping[int, str] | str = "",
    now=None,
    changes: dict | None = None,
) -> list[int]:
    """Move many orders of one desk from one status to another: the jobs' batch form of
    `transition()`, with the same table check, history and last_activity_at.

    The caller has already locked the rows (`select_for_update(skip_locked=True)` in the same
    transaction, with its due condition) and passes their ids. One UPDATE guarded by
    `status = from_status` moves them and one INSERT writes their history rows; if the UPDATE
    does not move exactly the rows asked for (one was moved meanwhile, which the lock should
    have prevented), OrderChanged is raised and the caller's transaction rolls back, so history
    is never written for a row that did not move. `reasons` is one text for all or one per id.
    """
    if to not in TRANSITIONS[direction].get(from_status, frozenset()):
        raise TransitionNotAllowed(
            f"A {Direction(direction).label} order cannot move from "
            f"{Status(from_status).label} to {Status(to).label}."
        )
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "transition_many() must run inside the transaction that locked the rows."
        )
    ids = sorted(set(ids))
    if not ids:
        return []
    now = now or timezone.now()
    moved = PortOrder.objects.filter(pk__in=ids, direction=direction, status=from_status).update(
        status=to,
        updated_at=timezone.now(),
        revision=F("revision") + 1,
        # Never backwards, even with an injected "now" from the past (as transition()).
        last_activity_at=Case(
            When(last_activity_at__lt=now, then=Value(now)), default=F("last_activity_at")
        ),
        **(changes or {}),
    )
    if moved != len(ids):
        raise OrderChanged(
            f"{len(ids) - moved} of {len(ids)} orders changed while they were being moved."
        )
    if closes_order(direction, to):
        _release_claims(ids)
    actor = actor if actor is not None and actor.is_authenticated else None
    StatusChange.objects.bulk_create(
        StatusChange(
            order_id=pk,
            from_status=from_status,
            to_status=to,
            actor=actor,
            actor_label=actor_label,
            reason=reasons if isinstance(reasons, str) else reasons.get(pk, ""),
            created_at=now,
        )
        for pk in ids
    )
    # One bulk INSERT of the partner API's events, as for the history rows.
    events.record_many(
        events.Kind.STATUS_CHANGED, ((pk, {"from": from_status, "to": to}) for pk in ids)
    )
    return ids


def record_initial_status(order: PortOrder, *, actor=None, actor_label="", reason="", now=None):
    """History row for a new order's first status (orders are born, not moved, into it)."""
    StatusChange.objects.create(
        order=order,
        from_status="",
        to_status=order.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label,
        reason=reason,
        created_at=now or timezone.now(),
    )


def touch(order: PortOrder, *, now=None) -> None:
    """Record activity without a status change (comment, document, SUP)."""
    now = now or timezone.now()
    PortOrder.objects.filter(pk=order.pk, last_activity_at__lt=now).update(last_activity_at=now)
    if order.last_activity_at < now:
        order.last_activity_at = now
