"""Port-out desk forms: parse and check input only; the services decide."""

import csv
import io

from django import forms
from django.conf import settings
from django.utils import timezone

from carriers.inputs import (
    COMMENT_MAX,
    NOTE_MAX,
    REASON_MAX,
    REMARKS_MAX,
    WindowDateField,
    WindowDateTimeField,
)
from carriers.models import SPID, Carrier
from orders.models import AuthorizationDispute, NpacEvent, RejectionReason, Supplement
from orders.rules import LsrData
from orders.rules.validation_fields import OVERRIDABLE_FIELDS

# The most TNs (to port plus to disconnect) one LSR may list, as the port-in desk's
# MAX_TNS_PER_REQUEST: the rules, the numbers and the page stay bounded (issue 9).
MAX_TNS_PER_LSR = 5000

AUTH_CHOICES = [
    ("", "Not given on the LSR"),
    ("Y", "Y: authorization indicated"),
    ("N", "N: not indicated"),
]


def _parse_tns(text: str, *, field_label: str, source: str = "line") -> list[str]:
    """Parse pasted TNs (one or more per line, any punctuation); errors name line and value."""
    from carriers.tn import parse_tn_list

    tns, errors = parse_tn_list(text or "")
    if errors:
        problems = "; ".join(f"{source} {e.line}: {e.message}" for e in errors[:10])
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise forms.ValidationError(f"{field_label}: {problems}{more}")
    return list(dict.fromkeys(tns))


def _csv_tns(upload, *, field_label: str) -> list[str]:
    """TNs from the first column of an uploaded CSV; a header row is skipped."""
    if upload is None:
        return []
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        raise forms.ValidationError(f"{field_label}: the file is too large.")
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise forms.ValidationError(f"{field_label}: the file is not UTF-8 text (a CSV).") from None
    if "\x00" in text:
        raise forms.ValidationError(f"{field_label}: the file is not a CSV.")
    lines = []
    try:
        # newline="": a bare CR ends a row instead of breaking the reader (issue 9).
        for row in csv.reader(io.StringIO(text, newline="")):
            first = row[0].strip() if row else ""
            # Header or blank rows carry no digits; keep line numbers aligned with the rows.
            lines.append(first if any(ch.isdigit() for ch in first) else "")
    except csv.Error as exc:
        raise forms.ValidationError(f"{field_label}: the CSV cannot be read ({exc}).") from None
    return _parse_tns("\n".join(lines), field_label=field_label, source="CSV row")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def requesting_carriers():
    return Carrier.objects.filter(is_ours=False).order_by("name")


def portout_reasons():
    return RejectionReason.objects.filter(
        is_active=True,
        applies_to__in=[RejectionReason.AppliesTo.PORT_OUT, RejectionReason.AppliesTo.BOTH],
    )


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
        tns = _parse_tns(self.cleaned_data["tns"], field_label="TNs")
        if len(tns) > MAX_TNS_PER_LSR:
            raise forms.ValidationError(
                f"TNs: {len(tns)} TNs on one CSR request; at most {MAX_TNS_PER_LSR} per "
                "request: ask the carrier to split it."
            )
        return tns


class CsrRejectForm(forms.Form):
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


class LsrForm(forms.Form):
    requesting_carrier = forms.ModelChoiceField(queryset=Carrier.objects.none())
    new_spid = forms.ModelChoiceField(
        label="New carrier's SPID (NNSP)",
        queryset=SPID.objects.none(),
        required=False,
        help_text="One of the requesting carrier's SPIDs; goes on NPAC cancel exports.",
    )
    pon = forms.CharField(
        label="PON",
        max_length=32,
        required=False,
        help_text="Empty: missing; the LSR is logged and rejected at once (R16).",
    )
    version = forms.IntegerField(
        label="VER", required=False, min_value=1, max_value=999, help_text="Empty: missing (R16)."
    )
    reqtype = forms.CharField(label="REQTYPE", max_length=2, required=False)
    act = forms.CharField(label="ACT", max_length=1, required=False)
    mi = forms.CharField(label="MI", max_length=1, required=False, help_text="A: partial port.")
    requested_due_date = WindowDateField(
        label="Requested due date (DDD)", required=False, widget=DateInput()
    )
    expedite = forms.BooleanField(label="EXP (expedite)", required=False)
    tns = forms.CharField(
        label="TNs to port",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Paste, or upload a CSV below (first column).",
    )
    tns_csv = forms.FileField(label="TNs to port (CSV)", required=False)
    disconnect_tns = forms.CharField(
        label="TNs to disconnect",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    disconnect_csv = forms.FileField(label="TNs to disconnect (CSV)", required=False)
    remarks = forms.CharField(
        required=False, max_length=REMARKS_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    account_number = forms.CharField(max_length=30, required=False)
    btn = forms.CharField(label="BTN", max_length=20, required=False)
    account_name = forms.CharField(max_length=160, required=False)
    authorized_person = forms.CharField(max_length=120, required=False)
    service_address = forms.CharField(max_length=200, required=False)
    city = forms.CharField(max_length=80, required=False)
    state = forms.CharField(max_length=2, required=False)
    zip_code = forms.CharField(label="ZIP", max_length=10, required=False)
    authorization_indicator = forms.ChoiceField(
        label="Authorization indicator", choices=AUTH_CHOICES, required=False
    )
    pin = forms.CharField(
        label="PIN/passcode on the LSR",
        required=False,
        max_length=40,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Checked against the account, then discarded: only match/no match is kept.",
    )
    received_at = WindowDateTimeField(
        label="Received", required=False, widget=DateTimeLocalInput(), help_text="Empty: now."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requesting_carrier"].queryset = requesting_carriers()
        self.fields["new_spid"].queryset = SPID.objects.filter(
            carrier__is_ours=False
        ).select_related("carrier")
        self.fields["new_spid"].label_from_instance = lambda s: f"{s.code} ({s.carrier})"

    def clean_btn(self):
        raw = self.cleaned_data["btn"].strip()
        if not raw:
            return ""
        from carriers.tn import InvalidTN, normalize_tn

        try:
            return normalize_tn(raw)
        except InvalidTN as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        try:
            tns = _parse_tns(data.get("tns", ""), field_label="TNs to port")
            tns += _csv_tns(data.get("tns_csv"), field_label="TNs to port (CSV)")
        except forms.ValidationError as exc:
            self.add_error("tns", exc)
            tns = []
        try:
            disconnect = _parse_tns(data.get("disconnect_tns", ""), field_label="TNs to disconnect")
            disconnect += _csv_tns(
                data.get("disconnect_csv"), field_label="TNs to disconnect (CSV)"
            )
        except forms.ValidationError as exc:
            self.add_error("disconnect_tns", exc)
            disconnect = []
        spid, carrier = data.get("new_spid"), data.get("requesting_carrier")
        if spid is not None and carrier is not None and spid.carrier_id != carrier.pk:
            self.add_error("new_spid", f"SPID {spid} is not one of {carrier}'s SPIDs.")
        data["tn_list"] = list(dict.fromkeys(tns))
        data["disconnect_list"] = list(dict.fromkeys(disconnect))
        # Bounded work per request (issue 9): 100,000 pasted lines took ~50 s and wrote them all.
        total = len(data["tn_list"]) + len(data["disconnect_list"])
        if total > MAX_TNS_PER_LSR:
            self.add_error(
                "tns",
                f"TNs to port: {total} TNs on one LSR; the desk takes at most "
                f"{MAX_TNS_PER_LSR} per LSR: ask the carrier to split it.",
            )
        return data

    def lsr_data(self) -> LsrData:
        d = self.cleaned_data
        indicator = {"Y": True, "N": False}.get(d.get("authorization_indicator") or "")
        return LsrData(
            pon=d["pon"].strip(),
            version=d.get("version"),
            reqtype=(d.get("reqtype") or "").strip().upper(),
            act=(d.get("act") or "").strip().upper(),
            mi=(d.get("mi") or "").strip().upper(),
            requested_due_date=d.get("requested_due_date"),
            expedite=bool(d.get("expedite")),
            tns=tuple(d["tn_list"]),
            disconnect_tns=tuple(d["disconnect_list"]),
            remarks=d.get("remarks") or "",
            account_number=d.get("account_number") or "",
            btn=d.get("btn") or "",
            account_name=d.get("account_name") or "",
            authorized_person=d.get("authorized_person") or "",
            service_address=d.get("service_address") or "",
            city=d.get("city") or "",
            state=(d.get("state") or "").upper(),
            zip_code=d.get("zip_code") or "",
            authorization_indicator=indicator,
            received_at=d.get("received_at") or timezone.now(),
        )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("foc", "Send FOC"), ("reject", "Send reject")])
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)
    reason_codes = forms.ModelMultipleChoiceField(
        queryset=RejectionReason.objects.none(),
        to_field_name="code",
        required=False,
        label="Other reasons",
        help_text="Failing rules are listed automatically.",
    )
    text = forms.CharField(
        label="Details", required=False, max_length=REASON_MAX, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_codes"].queryset = portout_reasons()


class FindingOverrideForm(forms.Form):
    """R18: a manager overrides one validation-field finding, saying why."""

    field = forms.ChoiceField(choices=[(f, f) for f in OVERRIDABLE_FIELDS])
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the LSR may go ahead despite this mismatch (goes in the history).",
    )
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)


class ExpediteForm(forms.Form):
    accept = forms.ChoiceField(choices=[("yes", "Accept"), ("no", "Refuse")])
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)


class SupForm(forms.Form):
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
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
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
                        changes[name] = _parse_tns(data[name], field_label=label)
                    except forms.ValidationError as exc:
                        self.add_error(name, exc)
        data["changes"] = changes
        return data


class SupFlagForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("contact", "Contact the carrier"), ("reject", "Reject: new LSR needed")]
    )
    comment = forms.CharField(max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)


class NpacEventForm(forms.Form):
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
        return _parse_tns(text, field_label="TNs") if text.strip() else []


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


class NpacCancelMarkForm(forms.Form):
    action = forms.ChoiceField(choices=[("sent", "Mark sent"), ("confirmed", "Mark confirmed")])
    records = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args, record_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["records"].choices = [(pk, str(pk)) for pk in record_ids]
