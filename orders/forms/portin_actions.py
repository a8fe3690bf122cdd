"""The port-in desk's action forms on the order page (F1-F5): the LSR and the losing
carrier's answers, the customer's resubmission, SUPs, activation, cancel, the CSR and the
order's data. Their bases are in `order_actions`."""

from crispy_forms.layout import HTML
from django import forms

from carriers.cpni import mask_account_number
from carriers.end_user import END_USER_FIELDS
from carriers.inputs import REASON_MAX, REMARKS_MAX, WindowDateField
from carriers.tn import parse_tn_list
from orders.forms.fields import ReasonChoiceField, normalize_btn, reason_queryset
from orders.forms.order_actions import ActionForm, RevisionMixin
from orders.forms.widgets import DateInput, SecretInput
from orders.models import (
    Document,
    PortInCsr,
    PortOrder,
    RejectionReason,
    Status,
    Supplement,
)
from orders.services.carrier_documents import missing_contact


def csr_of(order: PortOrder) -> PortInCsr | None:
    """The losing carrier's CSR recorded on the order, if any (select_related by the page)."""
    try:
        return order.csr
    except PortInCsr.DoesNotExist:
        return None


def _tns_or_errors(text: str) -> list[str]:
    tns, problems = parse_tn_list(text)
    if problems:
        raise forms.ValidationError([f"Line {p.line}: {p.message}" for p in problems])
    return tns


class SendsDocumentMixin:
    """An action that sends the losing carrier a document (issue 17): when the carrier (or
    the peer / Somos the order goes through) has no LSR contact, the form says so before
    anything is sent and takes an address for this one document (not stored as a contact)."""

    document_kind = Document.Kind.LSR

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.missing_contact = ""
        if self.sends_document():
            self.missing_contact = missing_contact(self.order, self.document_kind)
        if self.missing_contact:
            self.fields["send_to"] = forms.EmailField(
                label=f"Email the {Document.Kind(self.document_kind).label} to",
                required=False,
                help_text="This address gets this document only.",
            )
            # The message comes from the context, escaped, never from the template text.
            self.helper.layout.append(
                HTML(
                    '<div class="alert alert-warning small py-2" data-testid="missing-contact">'
                    "{{ form.missing_contact }}</div>"
                )
            )
            self.helper.layout.append("send_to")

    def sends_document(self) -> bool:
        return True


class SubmitOrderForm(SendsDocumentMixin, ActionForm):
    action = "submit"
    submit_label = "Send the LSR"


class FocForm(ActionForm):
    action = "foc"
    submit_label = "Record FOC"
    foc_date = WindowDateField(label="FOC date", widget=DateInput)
    confirm_unusual = forms.BooleanField(
        label="Confirm: the carrier gave this date although it is not a business day or is "
        "before the requested due date",
        required=False,
    )


class LspRejectForm(ActionForm):
    action = "lsp-reject"
    submit_label = "Record the reject"
    submit_class = "btn-warning"
    reasons = ReasonChoiceField(queryset=RejectionReason.objects.none(), to_field_name="code")
    text = forms.CharField(
        label="The carrier's reject text",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].queryset = reason_queryset(self.order.direction)
        self.fields["reasons"].widget.attrs["size"] = 8


class ResendForm(SendsDocumentMixin, ActionForm):
    submit_label = "Resend the LSR"
    note = forms.CharField(
        label="What was fixed",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ExceptionResendForm(ResendForm):
    action = "exception-resend"


class ReviewResendForm(ResendForm):
    action = "review-resend"
    submit_label = "Reviewed: resend the LSR"


class ReturnToCustomerForm(ActionForm):
    action = "return-to-customer"
    submit_label = "Return to the customer (email)"
    submit_class = "btn-danger"
    reasons = ReasonChoiceField(
        queryset=RejectionReason.objects.none(),
        to_field_name="code",
        required=False,
        help_text="Empty: the carrier's reject reasons.",
    )
    message = forms.CharField(
        label="Details for the customer",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Sent in the email with each reason's instructions.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].queryset = reason_queryset(self.order.direction)
        self.fields["reasons"].widget.attrs["size"] = 8


class CustomerResubmissionForm(ActionForm):
    action = "customer-resubmission"
    submit_label = "Record the resubmission"
    note = forms.CharField(
        label="What the customer changed or sent",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SupForm(SendsDocumentMixin, ActionForm):
    action = "sup"
    document_kind = Document.Kind.SUP
    submit_label = "Send the supplement"
    sup_type = forms.TypedChoiceField(
        label="SUP",
        coerce=int,
        choices=[
            (Supplement.Type.NEW_DUE_DATE, Supplement.Type.NEW_DUE_DATE.label),
            (Supplement.Type.OTHER, Supplement.Type.OTHER.label),
        ],
    )
    requested_due_date = WindowDateField(
        label="New requested due date (SUP 2)", widget=DateInput, required=False
    )
    remarks = forms.CharField(
        max_length=REMARKS_MAX, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self):
        cleaned = super().clean()
        sup_type = cleaned.get("sup_type")
        if sup_type == Supplement.Type.NEW_DUE_DATE and not cleaned.get("requested_due_date"):
            self.add_error("requested_due_date", "A SUP 2 needs the new requested due date.")
        if sup_type == Supplement.Type.OTHER and not (cleaned.get("remarks") or "").strip():
            self.add_error("remarks", "Describe the change the SUP 3 makes.")
        return cleaned


class ActivateForm(ActionForm):
    action = "activate"
    submit_label = "Mark activated"
    tns = forms.CharField(
        label="TNs activated",
        widget=forms.Textarea(attrs={"rows": 2, "class": "font-monospace"}),
        required=False,
        help_text="Empty: every TN on the order. The order completes when all are active.",
    )

    def clean_tns(self):
        text = self.cleaned_data.get("tns") or ""
        if not text.strip():
            return None
        return _tns_or_errors(text)


class CompleteForm(ActionForm):
    action = "complete"
    submit_label = "Complete (all TNs ported)"
    submit_class = "btn-success"
    confirm = "Mark every TN activated and complete the order?"


class CancelForm(SendsDocumentMixin, ActionForm):
    action = "cancel"
    document_kind = Document.Kind.SUP
    submit_label = "Cancel the order"
    submit_class = "btn-outline-danger"
    confirm = "Cancel this order? After submission a SUP 1 goes to the losing carrier."
    reason = forms.CharField(
        label="Reason (sent to the customer)",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def sends_document(self) -> bool:
        # Only a cancel after the LSR went out is a SUP 1 to the losing carrier.
        return self.order.status != Status.DRAFT


class CsrForm(ActionForm):
    action = "csr"
    submit_label = "Record and compare the CSR"
    account_name = forms.CharField(max_length=160, required=False)
    account_number = forms.CharField(max_length=30, required=False)
    btn = forms.CharField(label="BTN", max_length=20, required=False)
    authorized_person = forms.CharField(max_length=120, required=False)
    service_address = forms.CharField(max_length=200, required=False)
    city = forms.CharField(max_length=80, required=False)
    state = forms.CharField(max_length=2, required=False)
    zip_code = forms.CharField(label="ZIP", max_length=10, required=False)
    tns = forms.CharField(
        label="TNs on the CSR",
        widget=forms.Textarea(attrs={"rows": 2, "class": "font-monospace"}),
        required=False,
    )

    def __init__(self, *args, order: PortOrder, **kwargs):
        # The form starts from the CSR recorded last, if any. Its account number (CPNI) is
        # remembered without being put in the page, as the edit form does: shown masked, kept
        # when left empty. Never the order's own number: the CSR would then "match" unread.
        csr = csr_of(order)
        self.recorded_account_number = csr.account_number if csr is not None else ""
        if csr is not None:
            kwargs.setdefault("initial", {})
            for name in (*END_USER_FIELDS, "tns"):
                if name != "account_number":
                    kwargs["initial"].setdefault(name, getattr(csr, name))
        super().__init__(*args, order=order, **kwargs)
        field = self.fields["account_number"]
        field.widget.attrs["autocomplete"] = "off"
        if self.recorded_account_number:
            field.help_text = (
                f"Recorded: {mask_account_number(self.recorded_account_number)}. Empty: keep it."
            )

    def clean_account_number(self):
        return self.cleaned_data.get("account_number") or self.recorded_account_number

    def clean_btn(self):
        return normalize_btn(self.cleaned_data.get("btn"))

    def clean_tns(self):
        # The shared parser: "5035550101 5035550102" is two TNs, a bad token is named
        # (it used to be dropped silently by the comparison).
        return "\n".join(_tns_or_errors(self.cleaned_data.get("tns") or ""))


class CsrOverrideForm(ActionForm):
    action = "csr-override"
    submit_label = "Override the mismatch"
    submit_class = "btn-outline-warning"
    reason = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class OrderEditForm(RevisionMixin, ActionForm):
    action = "edit"
    submit_label = "Save the changes"
    account_name = forms.CharField(max_length=160)
    account_number = forms.CharField(max_length=30, required=False)
    btn = forms.CharField(label="BTN", max_length=20, required=False)
    authorized_person = forms.CharField(max_length=120, required=False)
    service_address = forms.CharField(max_length=200, required=False)
    city = forms.CharField(max_length=80, required=False)
    state = forms.CharField(max_length=2, required=False)
    zip_code = forms.CharField(label="ZIP", max_length=10, required=False)
    requested_due_date = WindowDateField(
        label="Requested due date", widget=DateInput, required=False
    )
    notification_email = forms.EmailField(label="Customer notification email", required=False)
    remarks = forms.CharField(
        max_length=REMARKS_MAX, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    pin = forms.CharField(
        label="New PIN / passcode",
        max_length=40,
        required=False,
        widget=SecretInput(),
        help_text="Empty: keep the current one.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order = self.order
        for name in (*END_USER_FIELDS, "requested_due_date", "notification_email", "remarks"):
            if name != "account_number":
                self.initial.setdefault(name, getattr(order, name))
        # The stored number is not put in the page (empty means "keep it"); a number just
        # typed is, after an error, like every other field (plain input).
        self.fields["account_number"].widget.attrs["autocomplete"] = "off"
        self.fields[
            "account_number"
        ].help_text = f"Now {order.masked_account_number or 'empty'}. Empty: keep the current one."

    def clean_btn(self):
        return normalize_btn(self.cleaned_data.get("btn"))

    def changes(self) -> dict:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("expected_status", "revision", "pin")
        }
        if not data.get("account_number"):
            data.pop("account_number", None)
        return data
