"""What each email the portal sends says: its kind, its context at send time, its templates.

Rendering only. Owing an email is the outbox's job (`orders.services.outbox.queue`): the
change writes an outbox row in its own transaction, and the outbox's delivery calls
`compose` and `render_email` here for each row it sends. Every kind goes that way: the
port-in customer's notices, the R11 notice to the requesting carrier, the R19 notice to our
account holder and the managers' digest.

Each kind is rendered from a subject, a plain-text and an HTML template under
templates/emails/. Never put the PIN or the full account number in one: the templates only
get the masked account number, and an outbox row's context holds plain data only.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from carriers.tn import format_tn

REJECTION = "portin_rejected"
FOC = "portin_foc"
COMPLETION = "portin_completed"
CANCELLATION = "portin_cancelled"
# Issue 19: a link for the customer (sign the LOA, see the order's status), and a comment the
# desk made customer-visible.
CUSTOMER_LINK = "portin_customer_link"
CUSTOMER_COMMENT = "portin_comment"
# To the requesting carrier's LSR contacts when R11 cancels their FOC'd port-out order.
PORT_WINDOW_EXPIRED = "port_window_expired"
# To our account holder when an LSR for their numbers is received (R19), whatever its outcome.
PORT_OUT_NOTICE = "portout_lsr_notice"
# To each manager, once per business day (orders.services.digest); about no order.
MANAGER_DIGEST = "manager_digest"
# A carrier document (orders.documents) to the other carrier's contact, its PDF attached.
CARRIER_DOCUMENT = "carrier_document"

# The port-in customer's notices, by the name the order's comments give them.
LABELS = {
    REJECTION: "rejection notice",
    FOC: "FOC confirmation",
    COMPLETION: "completion notice",
    CANCELLATION: "cancellation notice",
    CUSTOMER_LINK: "customer link",
    CUSTOMER_COMMENT: "comment",
}

# The order relation a kind's context lists, prefetched once per delivery batch (one query
# for all the batch's emails of those kinds, not one per email).
LISTS = dict.fromkeys(LABELS, "numbers") | {PORT_WINDOW_EXPIRED: "npac_cancels"}


@dataclass
class Composed:
    """One email ready to render: who gets it and what its templates read."""

    to: list[str]
    context: dict
    label: str = ""  # the notice's name in the order's comments ("" = no comment)
    customer: bool = False
    attachments: list = field(default_factory=list)  # (filename, bytes, content type)


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


def _customer_email(row, order) -> Composed:
    to = list(row.recipients) or ([order.notification_email] if order.notification_email else [])
    return Composed(
        to=to,
        context={**base_context(order), **row.context},
        label=LABELS[row.kind],
        customer=True,
    )


def _port_window_notice(row, order) -> Composed:
    # The TNs are the cancel records R11 made for this order: the notice lists exactly what
    # NPAC is asked to cancel.
    tns = sorted({record.tn for record in order.npac_cancels.all()})  # prefetched per batch
    return Composed(
        to=list(row.recipients),
        context={
            "pon": order.pon,
            "version": order.version,
            "requesting_carrier": order.new_carrier.name,
            "our_carrier": order.losing_carrier.name,
            "foc_date": order.foc_date,
            "window_business_days": order.losing_carrier.port_window_business_days,
            "port_window_ends_on": order.port_window_ends_on,
            "tns": [format_tn(tn) for tn in tns],
            "tn_count": len(tns),
        },
    )


def _holder_notice(row, order) -> Composed:
    # R19: everything was fixed at intake (plain data, no account number, no PIN).
    return Composed(
        to=list(row.recipients),
        context=dict(row.context),
        label="port-out request notice",
        customer=True,
    )


def _manager_digest(row, order) -> Composed:
    # The counts were taken when the digest was queued; the row stores its dates as ISO text.
    today = datetime.date.fromisoformat(row.context["today"])
    since = datetime.date.fromisoformat(row.context["since"])
    return Composed(
        to=list(row.recipients),
        context={
            **row.context,
            "today": today,
            "since": since,
            "since_is_yesterday": since == today - datetime.timedelta(days=1),
        },
    )


def _carrier_document(row, order) -> Composed:
    # The body was rendered with the PDF (one Content, orders.documents); the PDF is read
    # from storage at send time, so a retried row attaches the same file.
    attachments = []
    for document in row.documents.all():
        with document.file.open("rb") as handle:
            attachments.append((document.original_name, handle.read(), document.content_type))
    return Composed(
        to=list(row.recipients),
        context=dict(row.context),
        label="carrier document",
        attachments=attachments,
    )


COMPOSERS: dict[str, Callable] = {
    REJECTION: _customer_email,
    FOC: _customer_email,
    COMPLETION: _customer_email,
    CANCELLATION: _customer_email,
    CUSTOMER_LINK: _customer_email,
    CUSTOMER_COMMENT: _customer_email,
    PORT_WINDOW_EXPIRED: _port_window_notice,
    PORT_OUT_NOTICE: _holder_notice,
    MANAGER_DIGEST: _manager_digest,
    CARRIER_DOCUMENT: _carrier_document,
}


def compose(row, order) -> Composed:
    """The email an outbox row stands for (`order`: the row's order, None for the digest)."""
    return COMPOSERS[row.kind](row, order)


def render_subject(kind: str, context: dict) -> str:
    return " ".join(render_to_string(f"emails/{kind}_subject.txt", context).split())


def render_email(kind: str, context: dict) -> tuple[str, str, str]:
    """(subject, text body, html body) for one of the kinds above."""
    subject = render_subject(kind, context)
    text = render_to_string(f"emails/{kind}.txt", context)
    html = render_to_string(f"emails/{kind}.html", context)
    return subject, text, html
