"""Fields and parsers more than one of the order forms use."""

from django import forms

from carriers.tn import InvalidTN, normalize_tn
from orders.models import RejectionReason


def normalize_btn(value: str) -> str:
    """The BTN as 10 digits, or "" when none was given; a bad one is named."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return normalize_tn(value)
    except InvalidTN as exc:
        raise forms.ValidationError(f"“{value}” is not a valid BTN: {exc}") from exc


def reason_queryset(direction):
    """The active reject reasons of one desk (and those of both desks)."""
    return RejectionReason.objects.filter(
        is_active=True, applies_to__in=[direction, RejectionReason.AppliesTo.BOTH]
    ).order_by("code")


class ReasonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code}: {obj.title}"
