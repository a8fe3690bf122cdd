"""The outbox as a person reads it (the admin's Sent mail page): who an email is for, its
subject and its text, rendered exactly as the outbox renders it for delivery
(`orders.emails.compose` and `render_email`), so what the page shows is what was sent.

Rendering only; nothing here writes. The templates never see a PIN or a full account
number (orders.emails), so neither does this page.
"""

from dataclasses import dataclass

from orders import emails
from orders.models import OutboundEmail


@dataclass(frozen=True)
class Preview:
    to: list[str]
    subject: str
    text: str = ""  # the plain-text body (only with `body=True`)


# What the list shows per row: composing a port-in customer's email reads the order's
# numbers, an R11 notice its cancel records (prefetch these with the rows).
ROW_RELATIONS = ("order__losing_carrier", "order__new_carrier")
ROW_PREFETCH = ("order__numbers", "order__npac_cancels")


def preview(row: OutboundEmail, *, body: bool = False) -> Preview:
    """Who gets `row`'s email and its subject; with `body`, its text as well (the list shows
    only the subject: no reason to render three templates for each of a hundred rows)."""
    composed = emails.compose(row, row.order)
    if not body:
        return Preview(composed.to, emails.render_subject(row.kind, composed.context))
    subject, text, _html = emails.render_email(row.kind, composed.context)
    return Preview(composed.to, subject, text)


def state(row: OutboundEmail) -> str:
    if row.sent_at:
        return "sent"
    if row.gave_up_at:
        return f"given up after {row.attempts} attempts"
    if row.attempts:
        return f"waiting (attempt {row.attempts} failed)"
    return "waiting"
