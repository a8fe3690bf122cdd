"""Emails to the port-in customer: rejection, FOC confirmation, completion, cancellation.

Each is rendered from a plain-text and an HTML template under templates/emails/. Queueing one
writes an outbox row in the change's own transaction (nothing is owed for a change that
rolled back, nothing is lost when a worker dies after the commit); orders.services.outbox
sends it and records a system comment on the order once sent. Never put the PIN or the full
account number in one: the templates only get the masked account number.
"""

from django.template.loader import render_to_string

from carriers.tn import format_tn

REJECTION = "portin_rejected"
FOC = "portin_foc"
COMPLETION = "portin_completed"
CANCELLATION = "portin_cancelled"
# To the requesting carrier's LSR contacts when R11 cancels their FOC'd port-out order.
PORT_WINDOW_EXPIRED = "port_window_expired"
# To our account holder when an LSR for their numbers is received (R19), whatever its outcome.
PORT_OUT_NOTICE = "portout_lsr_notice"


def base_context(order) -> dict:
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
        "tns": [format_tn(tn) for tn in numbers],
        "tn_count": len(numbers),
    }


def render_email(kind: str, context: dict) -> tuple[str, str, str]:
    """(subject, text body, html body) for one of the kinds above."""
    subject = " ".join(render_to_string(f"emails/{kind}_subject.txt", context).split())
    text = render_to_string(f"emails/{kind}.txt", context)
    html = render_to_string(f"emails/{kind}.html", context)
    return subject, text, html


LABELS = {
    REJECTION: "rejection notice",
    FOC: "FOC confirmation",
    COMPLETION: "completion notice",
    CANCELLATION: "cancellation notice",
}


def queue_email(order, kind: str, **extra) -> None:
    """Owe the customer this email: an outbox row in the current transaction, delivered right
    after it commits (orders.services.outbox). `extra` must be plain data (no PIN)."""
    from orders.services import outbox

    outbox.enqueue(kind, order=order, context=extra)


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
