"""Services shared by both desks: comments, documents, assignment, rejections.

Writes only; every function runs in one transaction and raises `DomainError` (nothing saved)
for what the desk may not do. Status changes are not made here: see orders.lifecycle.
"""

import datetime
import os
from collections.abc import Iterable

import filetype
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from orders.lifecycle import DomainError, touch
from orders.models import (
    Comment,
    CsrRequest,
    Direction,
    Document,
    PortOrder,
    Rejection,
    RejectionReason,
    Status,
)

# What a desk may upload, by content (magic bytes), never by the file's name.
ALLOWED_DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/tiff": "TIFF image",
}
TEXT_TYPES = {"text/plain", "text/csv"}
_SNIFF_BYTES = 8192


def _now(now):
    return now or timezone.now()


def f4_auto_cancel_date(now: datetime.datetime) -> datetime.date:
    """F4: a rejected port-in order is cancelled this many days after the customer was told."""
    return timezone.localdate(now) + datetime.timedelta(
        days=settings.PORTING["REJECTED_AUTO_CANCEL_DAYS"]
    )


# --- comments ---------------------------------------------------------------------------


def system_comment(order: PortOrder, body: str, now=None, *, by=None) -> Comment:
    """An internal note written by the portal (emails sent, assignments, a CSR recorded...).

    `by`: the person whose action it records, so the timeline credits them rather than
    "System"; None for the jobs' and the outbox's own notes."""
    comment = unsaved_system_comment(order.pk, body, now, by=by)
    comment.save()
    return comment


def unsaved_system_comment(order_id: int, body: str, now=None, *, by=None) -> Comment:
    """The same note, not yet saved: the jobs and the outbox write theirs with bulk_create."""
    return Comment(
        order_id=order_id,
        author=by if by is not None and by.is_authenticated else None,
        source=Comment.Source.SYSTEM,
        visibility=Comment.Visibility.INTERNAL,
        body=body,
        created_at=_now(now),
    )


def comment_add(
    *,
    order: PortOrder,
    by,
    body: str,
    visibility: str = Comment.Visibility.INTERNAL,
    source: str = Comment.Source.STAFF,
    now=None,
) -> Comment:
    """A staff comment (internal or customer-visible) or the desk recording a customer's reply.

    A comment from the customer on a rejected port-in order restarts the F4 clock: the order
    is auto-cancelled 45 days after that activity instead of after the notification.
    """
    now = _now(now)
    body = (body or "").strip()
    if not body:
        raise DomainError("A comment needs some text.")
    if visibility not in Comment.Visibility.values:
        raise DomainError(f"Unknown comment visibility “{visibility}”.")
    if source not in (Comment.Source.STAFF, Comment.Source.CUSTOMER):
        raise DomainError("A comment comes from the staff or from the customer.")
    with transaction.atomic():
        comment = Comment.objects.create(
            order=order,
            author=by if by is not None and by.is_authenticated else None,
            source=source,
            visibility=visibility,
            body=body,
            created_at=now,
        )
        touch(order, now=now)
        if (
            source == Comment.Source.CUSTOMER
            and order.direction == Direction.PORT_IN
            and order.status == Status.REJECTED
        ):
            order.auto_cancel_on = f4_auto_cancel_date(now)
            PortOrder.objects.filter(pk=order.pk, status=Status.REJECTED).update(
                auto_cancel_on=order.auto_cancel_on
            )
    return comment


# --- documents --------------------------------------------------------------------------


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sniffed block is still text.
        if exc.start < len(head) - 4:
            return False
        text = head[: exc.start].decode("utf-8")
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t\f")
    return printable >= 0.98 * max(len(text), 1)


def sniff_document_type(head: bytes, filename: str) -> str:
    """The content type of an upload judged by its bytes; DomainError if not allowed."""
    kind = filetype.guess(head)
    if kind is not None:
        if kind.mime in ALLOWED_DOCUMENT_TYPES:
            return kind.mime
        raise DomainError(
            f"“{filename}” is not an allowed document: its content is {kind.mime} "
            f"(.{kind.extension}), whatever its name says. Upload a PDF, PNG, JPEG, TIFF or a "
            "plain text/CSV file."
        )
    if _looks_like_text(head):
        return "text/csv" if filename.lower().endswith(".csv") else "text/plain"
    raise DomainError(
        f"“{filename}” is not an allowed document: its content is not a PDF, PNG, JPEG, TIFF or "
        "plain text/CSV file, whatever its name says."
    )


def _clean_filename(name: str) -> str:
    name = os.path.basename((name or "").replace("\\", "/")).strip() or "document"
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|')
    return name[-200:]


def document_add(
    *,
    order: PortOrder | None = None,
    csr_request: CsrRequest | None = None,
    kind: str,
    uploaded_file,
    by,
    now=None,
) -> Document:
    """Store an uploaded document after checking its size and its content (magic bytes).

    The stored file gets a random path (see Document.file's upload_to); the original name is
    kept only for display and the download's Content-Disposition.
    """
    now = _now(now)
    if (order is None) == (csr_request is None):
        raise DomainError("A document belongs to exactly one order or CSR request.")
    if kind not in Document.Kind.values:
        raise DomainError(f"Unknown document kind “{kind}”.")
    if uploaded_file is None:
        raise DomainError("Choose a file to upload.")
    name = _clean_filename(getattr(uploaded_file, "name", ""))
    size = uploaded_file.size
    limit = settings.DOCUMENT_MAX_BYTES
    if size > limit:
        raise DomainError(
            f"“{name}” is {size / 1024 / 1024:.1f} MB; documents are limited to "
            f"{limit / 1024 / 1024:.1f} MB."
        )
    if size == 0:
        raise DomainError(f"“{name}” is empty.")
    uploaded_file.seek(0)
    head = uploaded_file.read(_SNIFF_BYTES)
    uploaded_file.seek(0)
    content_type = sniff_document_type(head, name)
    with transaction.atomic():
        document = Document(
            order=order,
            csr_request=csr_request,
            kind=kind,
            original_name=name,
            content_type=content_type,
            size=size,
            uploaded_by=by if by is not None and by.is_authenticated else None,
            uploaded_at=now,
        )
        document.file.save(name, uploaded_file, save=False)
        try:
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
        if order is not None:
            touch(order, now=now)
    return document


# --- assignment ---------------------------------------------------------------------------


# Only a manager takes work from another person or clears their assignment.
REASSIGN_PERM = "orders.bulk_reassign"


def may_reassign(user) -> bool:
    return user is not None and user.is_active and user.has_perm(REASSIGN_PERM)


def may_take(current_id, *, assignee, by, reassign: bool = True) -> bool:
    """The one rule for changing who holds a row (an order, a CSR request, a rejection), on
    the order page and in the queues' bulk actions alike.

    Anyone on the desk may give away a row nobody holds or that they hold themselves (or that
    is already the assignee's). Taking it from another person, or clearing another person's
    assignment, is a manager's call, and in bulk only when the manager chose "reassign" (a
    plain bulk assign leaves other people's rows alone).
    """
    if current_id is None:
        return True
    if by is not None and current_id == by.pk:
        return True
    if assignee is not None and current_id == assignee.pk:
        return True
    return reassign and may_reassign(by)


def order_assign(*, order: PortOrder, assignee, by, reassign: bool = True, now=None) -> PortOrder:
    """Give the order to `assignee` (None: unassign); recorded on the timeline.

    Refused (DomainError) when the order is someone else's and `by` may not take it from
    them (`may_take`)."""
    now = _now(now)
    if assignee is not None and not assignee.is_active:
        raise DomainError(f"{assignee.get_username()} is not an active user.")
    with transaction.atomic():
        locked = PortOrder.objects.select_for_update().get(pk=order.pk)
        if locked.assignee_id == (assignee.pk if assignee else None):
            return order
        if not may_take(locked.assignee_id, assignee=assignee, by=by, reassign=reassign):
            raise DomainError(
                f"{locked.pon} v{locked.version} is assigned to "
                f"{locked.assignee.get_username()}: only a manager can take it from them or "
                "clear its assignee."
            )
        PortOrder.objects.filter(pk=order.pk).update(assignee=assignee)
        order.assignee = assignee
        who = by.get_username() if by is not None and by.is_authenticated else "system"
        if assignee is None:
            body = f"Unassigned by {who}."
        elif by is not None and assignee.pk == by.pk:
            body = f"{who} took the order."
        else:
            body = f"Assigned to {assignee.get_username()} by {who}."
        system_comment(order, body, now=now, by=by)
        touch(order, now=now)
    return order


# --- rejections ---------------------------------------------------------------------------


def _reasons_for(order: PortOrder, reasons: Iterable) -> list[RejectionReason]:
    codes = [r.code if isinstance(r, RejectionReason) else str(r) for r in reasons]
    codes = list(dict.fromkeys(c for c in codes if c))
    if not codes:
        raise DomainError("Choose at least one rejection reason.")
    found = {
        r.code: r
        for r in RejectionReason.objects.filter(
            code__in=codes,
            is_active=True,
            applies_to__in=[order.direction, RejectionReason.AppliesTo.BOTH],
        )
    }
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise DomainError(
            f"Unknown rejection reason for a {order.get_direction_display()} order: "
            f"{', '.join(unknown)}."
        )
    return [found[c] for c in codes]


def rejection_record(
    *,
    order: PortOrder,
    reasons: Iterable,
    source: str,
    text: str = "",
    by=None,
    returned_to_customer: bool = False,
    now=None,
) -> Rejection:
    """One rejection with one or more coded reasons (codes or RejectionReason rows).

    Does not change the order's status: the caller's service does that with the lifecycle.
    """
    now = _now(now)
    if source not in Rejection.Source.values:
        raise DomainError(f"Unknown rejection source “{source}”.")
    found = _reasons_for(order, reasons)
    with transaction.atomic():
        rejection = Rejection.objects.create(
            order=order,
            text=(text or "").strip(),
            source=source,
            raised_by=by if by is not None and by.is_authenticated else None,
            raised_at=now,
            returned_to_customer_at=now if returned_to_customer else None,
        )
        rejection.reasons.set(found)
        touch(order, now=now)
    return rejection


def rejections_resolve(*, order: PortOrder, now=None) -> int:
    """Mark the order's open rejections resolved (the order was fixed and resent, or closed)."""
    return Rejection.objects.filter(order=order, resolved_at__isnull=True).update(
        resolved_at=_now(now)
    )
