"""The port-out desk's CSR request forms (R1-R5) and authorization dispute forms (R6)."""

from django import forms

from carriers.inputs import NOTE_MAX, REASON_MAX, WindowDateTimeField
from carriers.models import Carrier
from orders.forms.portout_actions import RejectReasonsForm
from orders.forms.portout_lsr import MAX_TNS_PER_LSR, parse_tns, requesting_carriers
from orders.forms.widgets import DateTimeLocalInput
from orders.models import AuthorizationDispute


class CsrRequestForm(forms.Form):
    requesting_carrier = forms.ModelChoiceField(
        queryset=Carrier.objects.none(),
        help_text="Its kind decides R4 (carrier: authorization indicator) or R5 (third party: "
        "LOA).",
    )
    tns = forms.CharField(
        label="TNs",
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "503-555-0100\n503-555-0101"}),
        help_text="Paste the TNs, one or more per line, any punctuation.",
    )
    authorization_indicator = forms.BooleanField(
        label="End-user authorization indicated on the request", required=False
    )
    received_at = WindowDateTimeField(
        label="Received", required=False, widget=DateTimeLocalInput(), help_text="Empty: now."
    )
    loa = forms.FileField(
        label="LOA (third parties must attach one, R5)",
        required=False,
        help_text="PDF, PNG, JPEG, TIFF or text.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requesting_carrier"].queryset = requesting_carriers()

    def clean_tns(self):
        tns = parse_tns(self.cleaned_data["tns"], field_label="TNs")
        if len(tns) > MAX_TNS_PER_LSR:
            raise forms.ValidationError(
                f"TNs: {len(tns)} TNs on one CSR request; at most {MAX_TNS_PER_LSR} per "
                "request: ask the carrier to split it."
            )
        return tns


class CsrRejectForm(RejectReasonsForm):
    pass


class DisputeForm(forms.Form):
    description = forms.CharField(
        label="What is disputed", max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class DisputeActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("request_evidence", "Evidence requested"),
            ("record_evidence", "Evidence received"),
            ("resolve", "Resolve"),
        ]
    )
    resolution = forms.ChoiceField(
        choices=[("", "---")]
        + [(v, label) for v, label in AuthorizationDispute.Resolution.choices if v],
        required=False,
    )
    notes = forms.CharField(
        required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
