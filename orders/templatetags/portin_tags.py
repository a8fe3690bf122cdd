"""Template filters for the order pages: TNs formatted, status badges."""

from django import template

from carriers.templatetags.carrier_tags import tn as carrier_tn

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


# One TN format everywhere: the carriers app owns it.
register.filter("tn", carrier_tn)


@register.filter
def status_badge(status):
    """The Bootstrap badge class for an order status."""
    return STATUS_BADGES.get(str(status), "text-bg-secondary")
