"""The port-out desk's action forms on the order page: the decision (FOC or reject), the
manager's expedite, SUP-threshold and R18 override decisions, SUP intake, NPAC events; and
the NPAC cancel records' marking. Their bases are in `order_actions`."""

from django import forms

from carriers.inputs import (
    COMMENT_MAX,
    REASON_MAX,
    REMARKS_MAX,
    WindowDateField,
    WindowDateTimeField,
)
from orders.forms.order_actions import OrderForm, StatusCheckedForm
from orders.forms.portout_lsr import parse_tns
from orders.forms.widgets import DateInput, DateTimeLocalInput, SecretInput
from orders.models import NpacEvent, RejectionReason, Supplement
from orders.rules.validation_fields import OVERRIDABLE_FIELDS


def portout_reasons():
    return RejectionReason.objects.filter(
        is_active=True,
        applies_to__in=[RejectionReason.AppliesTo.PORT_OUT, RejectionReason.AppliesTo.BOTH],
    )


class RejectReasonsForm(forms.Form):
    """What a port-out reject carries beyond the failing rules (an LSR's or a CSR request's)."""

    reason_codes = forms.ModelMultipleChoiceField(
        queryset=RejectionReason.objects.none(),
        required=False,
        to_field_name="code",
        label="Other reasons",
        help_text="Failing rules are listed automatically.",
    )
    text = forms.CharField(
        label="Details", required=False, max_length=REASON_MAX, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_codes"].queryset = portout_reasons()


def _send_to_field():
    # Issue 17: only used when the requester has no LSR contact in the carrier admin; the
    # address is used for this one notice, not stored as a contact.
    return forms.EmailField(
        label="Email the notice to",
        required=False,
        help_text="The requester has no LSR contact: this address gets this notice only.",
    )


class DecideForm(RejectReasonsForm, StatusCheckedForm):
    decision = forms.ChoiceField(choices=[("foc", "Send FOC"), ("reject", "Send reject")])
    send_to = _send_to_field()


class FindingOverrideForm(StatusCheckedForm):
    """R18: a manager overrides one validation-field finding, saying why."""

    field = forms.ChoiceField(choices=[(f, f) for f in OVERRIDABLE_FIELDS])
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the LSR may go ahead despite this mismatch (goes in the history).",
    )


class ExpediteForm(StatusCheckedForm):
    accept = forms.ChoiceField(choices=[("yes", "Accept"), ("no", "Refuse")])
    send_to = _send_to_field()


class SupForm(OrderForm):
    sup_type = forms.TypedChoiceField(label="SUP", choices=Supplement.Type.choices, coerce=int)
    received_at = WindowDateTimeField(
        label="Received", required=False, widget=DateTimeLocalInput(), help_text="Empty: now."
    )
    requested_due_date = WindowDateField(
        label="New requested due date (SUP 2)", required=False, widget=DateInput()
    )
    remarks = forms.CharField(
        required=False, max_length=REMARKS_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    # SUP 3: other changes (empty: unchanged)
    mi = forms.CharField(label="MI (SUP 3)", max_length=1, required=False)
    act = forms.CharField(label="ACT (SUP 3)", max_length=1, required=False)
    authorization_indicator = forms.ChoiceField(
        label="Authorization indicator (SUP 3)",
        choices=[("", "Unchanged"), ("Y", "Y"), ("N", "N")],
        required=False,
    )
    tns = forms.CharField(
        label="TNs to port (SUP 3, replaces the list)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    disconnect_tns = forms.CharField(
        label="TNs to disconnect (SUP 3, replaces the list)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # R18 validation fields a SUP 3 corrects (empty: unchanged).
    account_number = forms.CharField(label="Account number (SUP 3)", max_length=30, required=False)
    zip_code = forms.CharField(label="ZIP (SUP 3)", max_length=10, required=False)
    account_name = forms.CharField(label="End-user name (SUP 3)", max_length=160, required=False)
    pin = forms.CharField(
        label="PIN/passcode (SUP 3)",
        required=False,
        max_length=40,
        widget=SecretInput(),
        help_text="Checked against the account, then discarded: only match/no match is kept.",
    )

    def clean(self):
        data = super().clean()
        sup_type = data.get("sup_type")
        if sup_type == Supplement.Type.NEW_DUE_DATE and not data.get("requested_due_date"):
            self.add_error("requested_due_date", "A SUP 2 carries the new requested due date.")
        changes = {}
        if sup_type == Supplement.Type.OTHER:
            for name in ("mi", "act"):
                if data.get(name):
                    changes[name] = data[name].strip().upper()
            if data.get("authorization_indicator"):
                changes["authorization_indicator"] = data["authorization_indicator"] == "Y"
            for name in ("account_number", "zip_code", "account_name", "pin"):
                if (data.get(name) or "").strip():
                    changes[name] = data[name].strip()
            for name, label in (("tns", "TNs to port"), ("disconnect_tns", "TNs to disconnect")):
                if (data.get(name) or "").strip():
                    try:
                        changes[name] = parse_tns(data[name], field_label=label)
                    except forms.ValidationError as exc:
                        self.add_error(name, exc)
        data["changes"] = changes
        return data


class SupFlagForm(StatusCheckedForm):
    action = forms.ChoiceField(
        choices=[("contact", "Contact the carrier"), ("reject", "Reject: new LSR needed")]
    )
    comment = forms.CharField(max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class NpacEventForm(OrderForm):
    kind = forms.ChoiceField(label="NPAC event", choices=NpacEvent.Kind.choices)
    tns = forms.CharField(
        label="TNs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Empty: every TN to port.",
    )
    occurred_at = WindowDateTimeField(
        label="When", required=False, widget=DateTimeLocalInput(), help_text="Empty: now."
    )
    notes = forms.CharField(max_length=200, required=False)

    def clean_tns(self):
        text = self.cleaned_data.get("tns", "")
        return parse_tns(text, field_label="TNs") if text.strip() else []


class NpacCancelMarkForm(forms.Form):
    action = forms.ChoiceField(choices=[("sent", "Mark sent"), ("confirmed", "Mark confirmed")])
    records = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args, record_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["records"].choices = [(pk, str(pk)) for pk in record_ids]
