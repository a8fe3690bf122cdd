"""The port-in desk's new-order form: the end user, the order and its TNs (pasted or a CSV).

Forms only parse and validate input; `orders.services.portin.portin_orders_create` decides
and writes.
"""

import csv
import io

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone

from carriers import tn
from carriers.inputs import REMARKS_MAX, WindowDateField
from orders.forms.fields import normalize_btn
from orders.forms.widgets import DateInput, SecretInput

MAX_CSV_BYTES = 2 * 1024 * 1024


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
        widget=SecretInput(),
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
        return normalize_btn(self.cleaned_data.get("btn"))

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
