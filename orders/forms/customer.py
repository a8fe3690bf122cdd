"""Issue 19's forms: the desk's (send the customer a link, revoke one: order actions) and the
customer's (sign the LOA, correct what a reject names, cancel a draft), which are shown on
the customer's pages without the desk's panel.

The customer's correction form has exactly the fields the open reject's reasons name
(`customer_status.correctable_fields`); the account number is a plain input left empty (the
page never shows the number we hold), the PIN a `SecretInput`.
"""

from django import forms

from carriers.inputs import COMMENT_MAX, REASON_MAX
from carriers.models import STATE_VALIDATOR, ZIP_VALIDATOR
from orders.forms.fields import normalize_btn
from orders.forms.order_actions import ActionForm
from orders.forms.widgets import SecretInput
from orders.models import CustomerLink, PortOrder


class LoaLinkForm(ActionForm):
    action = "loa-link"
    submit_label = "Email the LOA link"


class StatusLinkForm(ActionForm):
    action = "status-link"
    submit_label = "Email a status link"


class _LinkChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_purpose_display()}, sent {obj.created_at:%Y-%m-%d} to {obj.email}"


class CustomerLinkRevokeForm(ActionForm):
    action = "customer-link-revoke"
    submit_label = "Revoke the link"
    submit_class = "btn-outline-danger"
    link = _LinkChoice(label="Link", queryset=CustomerLink.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["link"].queryset = CustomerLink.objects.filter(
            order=self.order, revoked_at__isnull=True, used_at__isnull=True
        ).order_by("-created_at")


# --- the customer's forms -------------------------------------------------------------------


class LoaSignForm(forms.Form):
    signer_name = forms.CharField(label="Your full name", max_length=120)
    signer_title = forms.CharField(label="Your title", max_length=120)
    consent = forms.BooleanField(
        label="I have read this letter of authorization and I agree to it.",
        error_messages={"required": "Tick the box to agree to the authorization."},
    )
    document_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


# The customer's words for the order's fields.
CUSTOMER_LABELS = {
    "account_number": "Account number (as on your current carrier's bill)",
    "account_name": "Business or account name (as on the bill)",
    "authorized_person": "Authorized person (name on the account)",
    "btn": "Billing telephone number (BTN)",
    "service_address": "Service address",
    "city": "City",
    "state": "State",
    "zip_code": "ZIP code",
    "pin": "Port-out PIN or passcode from your current carrier",
}


# The carrier directory's checks on a state and a ZIP (an account of ours is held to them).
_VALIDATORS = {"state": [STATE_VALIDATOR], "zip_code": [ZIP_VALIDATOR]}


class CorrectionsForm(forms.Form):
    """The fields the reject names, shown with the order's values except the account number
    (never shown) and the PIN (never shown); a bill copy and a note."""

    bill = forms.FileField(label="A copy of your bill (PDF or picture)", required=False)
    note = forms.CharField(
        label="A note for the porting desk",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, order: PortOrder, fields: list[str], **kwargs):
        self.order = order
        self.named = list(fields)
        initial = {
            n: getattr(order, n) or "" for n in self.named if n not in ("account_number", "pin")
        }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for name in self.named:
            if name == "pin":
                field = forms.CharField(
                    label=CUSTOMER_LABELS[name], max_length=20, widget=SecretInput, required=False
                )
            else:
                model_field = PortOrder._meta.get_field(name)
                field = forms.CharField(
                    label=CUSTOMER_LABELS.get(name, model_field.verbose_name),
                    max_length=20 if name == "btn" else model_field.max_length,
                    required=name != "account_number",
                    validators=_VALIDATORS.get(name, []),
                    help_text="Leave empty to keep the one on the order."
                    if name == "account_number"
                    else "",
                )
            self.fields[name] = field
        self.order_fields([*self.named, "bill", "note"])

    def clean(self):
        cleaned = super().clean()
        if "btn" in self.named and cleaned.get("btn"):
            try:
                cleaned["btn"] = normalize_btn(cleaned["btn"])
            except forms.ValidationError as exc:
                self.add_error("btn", exc)
        if cleaned.get("state"):
            cleaned["state"] = cleaned["state"].upper()
        return cleaned

    def changes(self) -> dict:
        found = {}
        for name in self.named:
            value = (self.cleaned_data.get(name) or "").strip()
            if name == "pin" or (name == "account_number" and not value):
                continue
            found[name] = value
        return found


class CancelDraftForm(forms.Form):
    reason = forms.CharField(
        label="Why (optional)",
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label="Yes, cancel my port order.",
        error_messages={"required": "Tick the box to confirm the cancel."},
    )
