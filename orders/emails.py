"""Emails to the port-in customer: rejection, FOC confirmation, completion, cancellation.

Each is rendered from a plain-text and an HTML template under templates/emails/, queued with
`transaction.on_commit` (nothing is sent for a change that rolled back) and recorded as a
system comment on the order once sent. Never put the PIN or the full account number in one:
the templates only get the masked account number.
"""

import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)

REJECTION = "portin_rejected"
FOC = "portin_foc"
COMPLETION = "portin_completed"
CANCELLATION = "portin_cancelled"


def _base_context(order) -> dict:
    # Only what a customer email may show: no PIN, the account number masked.
    numbers = [n.tn for n in order.numbers.all()]
    return {
        "pon": order.pon,
        "version": order.version,
        "account_name": order.account_name,
        "masked_account_number": order.masked_account_number,
        "losing_carrier": order.losing_carrier.name,
        "requested_due_date": order.requested_due_date,
        "foc_date": order.foc_date,
        "tns": [_format_tn(tn) for tn in numbers],
        "tn_count": len(numbers),
    }


def _format_tn(tn: str) -> str:
    try:
        from carriers.tn import format_tn
    except ImportError:  # pragma: no cover - carriers.tn is always there once merged
        return f"({tn[:3]}) {tn[3:6]}-{tn[6:]}" if len(tn) == 10 else tn
    return format_tn(tn)


def render_email(kind: str, context: dict) -> tuple[str, str, str]:
    """(subject, text body, html body) for one of the kinds above."""
    subject = " ".join(render_to_string(f"emails/{kind}_subject.txt", context).split())
    text = render_to_string(f"emails/{kind}.txt", context)
    html = render_to_string(f"emails/{kind}.html", context)
    return subject, text, html


def _send_now(order_id: int, kind: str, extra: dict) -> None:
    from orders.models import PortOrder
    from orders.services.orders import system_comment

    order = (
        PortOrder.objects.select_related("losing_carrier")
        .prefetch_related("numbers")
        .get(pk=order_id)
    )
    if not order.notification_email:
        system_comment(order, f"No {_LABELS[kind]} email sent: the order has no customer email.")
        return
    context = {**_base_context(order), **extra}
    subject, text, html = render_email(kind, context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[order.notification_email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:  # the desk must see that the customer was not told
        logger.exception("Sending the %s email for order %s failed", kind, order_id)
        system_comment(
            order,
            f"Sending the {_LABELS[kind]} email to {order.notification_email} FAILED; "
            "contact the customer another way.",
        )
        return
    system_comment(
        order,
        f"Emailed the customer ({order.notification_email}) the {_LABELS[kind]}: “{subject}”.",
        now=timezone.now(),
    )


_LABELS = {
    REJECTION: "rejection notice",
    FOC: "FOC confirmation",
    COMPLETION: "completion notice",
    CANCELLATION: "cancellation notice",
}


def queue_email(order, kind: str, **extra) -> None:
    """Send after the current transaction commits. `extra` must be plain data (no PIN)."""
    order_id = order.pk
    transaction.on_commit(lambda: _send_now(order_id, kind, extra))


def queue_rejection_email(order, *, reasons, text: str = "") -> None:
    """`reasons`: RejectionReason rows; each one's title and customer instructions are sent."""
    queue_email(
        order,
        REJECTION,
        reasons=[
            {"code": r.code, "title": r.title, "instructions": r.instructions} for r in reasons
        ],
        details=text,
    )


def queue_foc_email(order) -> None:
    queue_email(order, FOC)


def queue_completion_email(order) -> None:
    queue_email(order, COMPLETION)


def queue_cancellation_email(order, *, reason: str = "") -> None:
    queue_email(order, CANCELLATION, reason=reason)
