"""Template filters for the order pages: TNs formatted, status badges."""

from django import template

register = template.Library()

STATUS_BADGES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "accepted": "text-bg-info",
    "exception": "text-bg-warning",
    "rejected": "text-bg-danger",
    "review": "text-bg-warning",
    "received": "text-bg-primary",
    "expedite_review": "text-bg-warning",
    "foc_sent": "text-bg-info",
    "completed": "text-bg-success",
    "cancelled": "text-bg-dark",
}


@register.filter
def tn(value):
    """A stored 10-digit TN as (503) 555-0100; anything else unchanged."""
    value = "" if value is None else str(value)
    if not (len(value) == 10 and value.isdigit()):
        return value
    try:
        from carriers.tn import format_tn
    except ImportError:  # pragma: no cover - carriers.tn ships with the portal
        return f"({value[:3]}) {value[3:6]}-{value[6:]}"
    return format_tn(value)


@register.filter
def status_badge(status):
    """The Bootstrap badge class for an order status."""
    return STATUS_BADGES.get(str(status), "text-bg-secondary")
