"""Forms of the port-in desk: the new-order form, the order page's action forms, the list filter.

Forms only parse and validate input; the services (orders.services.*) decide and write.
Every action form carries a hidden `expected_status` so a stale page gets the lifecycle's
"this order changed, reload" message instead of acting twice.
"""

import csv
import io

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from carriers.inputs import COMMENT_MAX, REASON_MAX, REMARKS_MAX, WindowDateField
from carriers.models import Carrier
from orders.forms.widgets import FastSelect
from orders.models import (
    Comment,
    Direction,
    Document,
    PortInCsr,
    PortOrder,
    RejectionReason,
    Status,
    Supplement,
)
from portal.roles import MANAGER_GROUP, STAFF_GROUP

MAX_CSV_BYTES = 2 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"


def _tn_tools():
    from carriers import tn

    return tn


def _normalize_btn(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    tn = _tn_tools()
    try:
        return tn.normalize_tn(value)
    except tn.InvalidTN as exc:
        raise forms.ValidationError(f"“{value}” is not a valid BTN: {exc}") from exc


def parse_csv_tns(uploaded) -> tuple[list[str], list[str]]:
    """TNs from an uploaded CSV: the column named "tn" (any case), else the first column.

    Returns (raw values with their row numbers kept in order, errors). Values are normalised
    later, together with the pasted ones, so every bad row is named.
    """
    if uploaded.size > MAX_CSV_BYTES:
        raise forms.ValidationError(
            f"The CSV is larger than {MAX_CSV_BYTES // 1024 // 1024} MB; split it."
        )
    raw = uploaded.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise forms.ValidationError("The CSV is not UTF-8 text.") from exc
    try:
        # newline="": a bare CR ends a row instead of breaking the reader (issue 9).
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise forms.ValidationError(f"The CSV cannot be read: {exc}.") from exc
    if not rows:
        return [], []
    header = [cell.strip().lower() for cell in rows[0]]
    column = 0
    start = 0
    if "tn" in header:
        column = header.index("tn")
        start = 1
    elif rows[0] and rows[0][0].strip() and not any(ch.isdigit() for ch in rows[0][0]):
        start = 1  # a header row naming the first column something else
    values: list[tuple[int, str]] = []
    for number, row in enumerate(rows[start:], start=start + 1):
        cell = row[column].strip() if len(row) > column else ""
        if cell:
            values.append((number, cell))
    return values, []


class PortInOrderForm(forms.Form):
    account_name = forms.CharField(max_length=160, label="Account (business or end-user) name")
    account_number = forms.CharField(
        max_length=30, required=False, help_text="As on the end user's bill from the carrier."
    )
    btn = forms.CharField(label="BTN", max_length=20, required=False)
    authorized_person = forms.CharField(max_length=120)
    service_address = forms.CharField(max_length=200, required=False)
    city = forms.CharField(max_length=80, required=False)
    state = forms.CharField(max_length=2, required=False)
    zip_code = forms.CharField(label="ZIP", max_length=10, required=False)
    requested_due_date = WindowDateField(label="Requested due date", widget=DateInput)
    notification_email = forms.EmailField(
        label="Customer notification email",
        help_text="Rejections, the FOC date and completion are emailed here.",
    )
    pin = forms.CharField(
        label="PIN / passcode",
        max_length=40,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Stored encrypted; shown masked.",
    )
    remarks = forms.CharField(
        max_length=REMARKS_MAX, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    tns = forms.CharField(
        label="TNs",
        widget=forms.Textarea(attrs={"rows": 6, "class": "font-monospace"}),
        required=False,
        help_text="Any usual format, one or several per line.",
    )
    tn_file = forms.FileField(
        label="or a CSV file",
        required=False,
        help_text="A column named tn, or the first column.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
    authorization = forms.BooleanField(
        label="The end user authorized this port (signed LOA on file)", required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.layout = Layout(
            Fieldset(
                "End user (as on the current carrier's bill)",
                Row(Column("account_name", css_class="col-md-6"), Column("account_number")),
                Row(Column("btn"), Column("authorized_person")),
                Row(
                    Column("service_address", css_class="col-md-6"),
                    Column("city"),
                    Column("state", css_class="col-md-1"),
                    Column("zip_code", css_class="col-md-2"),
                ),
            ),
            Fieldset(
                "Order",
                Row(Column("requested_due_date"), Column("notification_email"), Column("pin")),
                "remarks",
            ),
            Fieldset(
                "Numbers",
                Row(Column("tns", css_class="col-md-8"), Column("tn_file")),
            ),
            Field("authorization"),
        )
        self.helper.add_input(Submit("create", "Check the numbers and create the orders"))

    def clean_btn(self):
        return _normalize_btn(self.cleaned_data.get("btn"))

    def clean_state(self):
        state = (self.cleaned_data.get("state") or "").strip().upper()
        if state and not (len(state) == 2 and state.isalpha()):
            raise forms.ValidationError("Two letters, e.g. OR.")
        return state

    def clean_requested_due_date(self):
        value = self.cleaned_data["requested_due_date"]
        if value < timezone.localdate():
            raise forms.ValidationError("The requested due date is in the past.")
        return value

    def clean(self):
        cleaned = super().clean()
        tn = _tn_tools()
        errors: list[str] = []
        tns: list[str] = []
        text = cleaned.get("tns") or ""
        if text.strip():
            parsed, problems = tn.parse_tn_list(text)
            tns.extend(parsed)
            for problem in problems:
                try:
                    # A TN listed twice: the service refuses the repeat, with its reason.
                    tns.append(tn.normalize_tn(problem.value))
                except tn.InvalidTN:
                    errors.append(f"Line {problem.line}: {problem.message}")
        uploaded = cleaned.get("tn_file")
        if uploaded:
            try:
                values, _ = parse_csv_tns(uploaded)
            except forms.ValidationError as exc:
                self.add_error("tn_file", exc)
                values = []
            for row, value in values:
                try:
                    tns.append(tn.normalize_tn(value))
                except tn.InvalidTN as exc:
                    errors.append(f"CSV row {row}: {exc}")
        if errors:
            shown = errors[:25]
            if len(errors) > 25:
                shown.append(f"… and {len(errors) - 25} more.")
            raise forms.ValidationError(
                ["Fix these TNs (nothing was created):", *shown], code="invalid_tns"
            )
        if not tns and not self.has_error("tn_file"):
            raise forms.ValidationError("Paste the TNs to port or upload a CSV of them.")
        cleaned["tn_list"] = tns
        return cleaned


# --- order page action forms -----------------------------------------------------------------


class ActionForm(forms.Form):
    """Base of the order page's forms: the hidden expected status and a crispy helper."""

    action = ""
    submit_label = "Save"
    submit_class = "btn-primary"
    confirm = ""

    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, order: PortOrder, **kwargs):
        self.order = order
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("expected_status", order.status)
        kwargs.setdefault("prefix", self.action.replace("-", "_") or None)
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_action = reverse(
            "orders:order_action", kwargs={"pk": order.pk, "action": self.action}
        )
        self.helper.form_class = "vstack gap-1"
        if self.confirm:
            self.helper.attrs = {"data-confirm": self.confirm}
        self.helper.add_input(
            Submit("submit", self.submit_label, css_class=f"{self.submit_class} btn-sm")
        )

    @property
    def expected(self) -> str | None:
        return (self.cleaned_data.get("expected_status") or None) if self.is_bound else None


class RevisionMixin(forms.Form):
    """For the forms that edit the order's data: the hidden revision the page showed, so a
    save over someone else's newer save is refused instead of silently undoing it."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("revision", self.order.revision)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("revision") is None and "revision" not in self.errors:
            # A hidden field's own error would not show: say it for the whole form.
            self.add_error(
                None, "The page did not carry the order's revision: reload the page and try again."
            )
        return cleaned

    @property
    def seen_revision(self) -> int | None:
        return self.cleaned_data.get("revision") if self.is_bound else None


def _reason_queryset(direction):
    return RejectionReason.objects.filter(
        is_active=True, applies_to__in=[direction, RejectionReason.AppliesTo.BOTH]
    ).order_by("code")


class ReasonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code}: {obj.title}"


class SubmitOrderForm(ActionForm):
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
        self.fields["reasons"].queryset = _reason_queryset(self.order.direction)
        self.fields["reasons"].widget.attrs["size"] = 8


class ResendForm(ActionForm):
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
        self.fields["reasons"].queryset = _reason_queryset(self.order.direction)
        self.fields["reasons"].widget.attrs["size"] = 8


class CustomerResubmissionForm(ActionForm):
    action = "customer-resubmission"
    submit_label = "Record the resubmission"
    note = forms.CharField(
        label="What the customer changed or sent",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SupForm(ActionForm):
    action = "sup"
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
        tn = _tn_tools()
        tns, problems = tn.parse_tn_list(text)
        if problems:
            raise forms.ValidationError([f"Line {p.line}: {p.message}" for p in problems])
        return tns


class CompleteForm(ActionForm):
    action = "complete"
    submit_label = "Complete (all TNs ported)"
    submit_class = "btn-success"
    confirm = "Mark every TN activated and complete the order?"


class CancelForm(ActionForm):
    action = "cancel"
    submit_label = "Cancel the order"
    submit_class = "btn-outline-danger"
    confirm = "Cancel this order? After submission a SUP 1 goes to the losing carrier."
    reason = forms.CharField(
        label="Reason (sent to the customer)",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


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

    def __init__(self, *args, csr: PortInCsr | None = None, **kwargs):
        if csr is not None:
            kwargs.setdefault("initial", {})
            for name in ("account_name", "btn", "authorized_person", "service_address"):
                kwargs["initial"].setdefault(name, getattr(csr, name))
            for name in ("city", "state", "zip_code", "tns"):
                kwargs["initial"].setdefault(name, getattr(csr, name))
        super().__init__(*args, **kwargs)
        self.fields["account_number"].widget = forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "off"}
        )
        self.fields["account_number"].help_text = "Not shown again: enter it each time."

    def clean_btn(self):
        return _normalize_btn(self.cleaned_data.get("btn"))

    def clean_tns(self):
        # The shared parser: "5035550101 5035550102" is two TNs, a bad token is named
        # (it used to be dropped silently by the comparison).
        text = self.cleaned_data.get("tns") or ""
        tns, problems = _tn_tools().parse_tn_list(text)
        if problems:
            raise forms.ValidationError([f"Line {p.line}: {p.message}" for p in problems])
        return "\n".join(tns)


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
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Empty: keep the current one.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order = self.order
        for name in (
            "account_name",
            "btn",
            "authorized_person",
            "service_address",
            "city",
            "state",
            "zip_code",
            "requested_due_date",
            "notification_email",
            "remarks",
        ):
            self.initial.setdefault(name, getattr(order, name))
        # Never put the full account number in the page: empty means "keep it".
        self.fields["account_number"].widget = forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "off"}
        )
        self.fields[
            "account_number"
        ].help_text = f"Now {order.masked_account_number or 'empty'}. Empty: keep the current one."

    def clean_btn(self):
        return _normalize_btn(self.cleaned_data.get("btn"))

    def changes(self) -> dict:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("expected_status", "revision", "pin")
        }
        if not data.get("account_number"):
            data.pop("account_number", None)
        return data


class SimplePortForm(RevisionMixin, ActionForm):
    action = "simple-port"
    submit_label = "Save the classification"
    classification = forms.ChoiceField(
        choices=[("derived", "As derived (R17)"), ("simple", "Simple"), ("not", "Not simple")]
    )
    reason = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        override = self.order.simple_port_override
        self.initial.setdefault(
            "classification", "derived" if override is None else ("simple" if override else "not")
        )

    def value(self) -> bool | None:
        return {"derived": None, "simple": True, "not": False}[self.cleaned_data["classification"]]


class AssignForm(ActionForm):
    action = "assign"
    submit_label = "Assign"
    submit_class = "btn-outline-primary"
    assignee = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, empty_label="(nobody)"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(groups__name__in=[STAFF_GROUP, MANAGER_GROUP]) | Q(is_superuser=True))
            .distinct()
            .order_by("username")
        )
        self.initial.setdefault("assignee", self.order.assignee_id)
        if self.order.assignee_id:
            self.fields["assignee"].help_text = (
                f"{self.order.assignee.get_username()} holds it: taking it from them or "
                "clearing it is a manager's call."
            )
        self.helper.add_input(
            Submit("to_me", "Assign to me", css_class="btn-outline-secondary btn-sm")
        )


class CommentForm(ActionForm):
    action = "comment"
    submit_label = "Add the comment"
    body = forms.CharField(
        label="Comment", max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    visibility = forms.ChoiceField(
        choices=Comment.Visibility.choices, initial=Comment.Visibility.INTERNAL
    )
    source = forms.ChoiceField(
        label="From",
        choices=[
            (Comment.Source.STAFF, "The desk"),
            (Comment.Source.CUSTOMER, "The customer (recording their reply)"),
        ],
        initial=Comment.Source.STAFF,
    )


class DocumentForm(ActionForm):
    action = "document"
    submit_label = "Upload"
    kind = forms.ChoiceField(choices=Document.Kind.choices)
    file = forms.FileField(
        help_text="PDF, PNG, JPEG, TIFF, text or CSV; checked by content.",
        widget=forms.ClearableFileInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_action = reverse("orders:document_upload", kwargs={"pk": self.order.pk})


# --- the list filter ---------------------------------------------------------------------------


class OrderFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "PON, TN, BTN or account name"}),
    )
    direction = forms.ChoiceField(
        choices=[("", "Both directions"), *Direction.choices], required=False, widget=FastSelect
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Status.choices], required=False, widget=FastSelect
    )
    losing_carrier = forms.ModelChoiceField(
        queryset=Carrier.objects.only("name").order_by("name"),
        required=False,
        empty_label="Any losing carrier",
        widget=FastSelect,
    )

    def __init__(self, *args, **kwargs):
        # Rendered field by field in orders/order_list.html, not through crispy: the filter
        # bar is on every search, and crispy's template tree was half of the page's time.
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["class"] = "form-control"
        for name in ("direction", "status", "losing_carrier"):
            self.fields[name].widget.attrs["class"] = "form-select"
