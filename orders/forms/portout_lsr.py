"""The port-out desk's LSR intake form, and the TN parsing the port-out forms share.

Forms only parse and check input; `orders.services.portout.lsr_receive` decides.
"""

import csv
import io

from django import forms
from django.conf import settings
from django.utils import timezone

from carriers.end_user import EndUser
from carriers.inputs import REMARKS_MAX, WindowDateField, WindowDateTimeField
from carriers.models import SPID, Carrier
from carriers.tn import InvalidTN, normalize_tn, parse_tn_list
from orders.forms.widgets import DateInput, DateTimeLocalInput, SecretInput
from orders.rules import LsrData

# The most TNs (to port plus to disconnect) one LSR may list, as the port-in desk's
# MAX_TNS_PER_REQUEST: the rules, the numbers and the page stay bounded (issue 9).
MAX_TNS_PER_LSR = 5000

AUTH_CHOICES = [
    ("", "Not given on the LSR"),
    ("Y", "Y: authorization indicated"),
    ("N", "N: not indicated"),
]


def parse_tns(text: str, *, field_label: str, source: str = "line") -> list[str]:
    """Parse pasted TNs (one or more per line, any punctuation); errors name line and value."""
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
    return parse_tns("\n".join(lines), field_label=field_label, source="CSV row")


def requesting_carriers():
    return Carrier.objects.filter(is_ours=False).order_by("name")


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
        widget=SecretInput(),
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
        try:
            return normalize_tn(raw)
        except InvalidTN as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        try:
            tns = parse_tns(data.get("tns", ""), field_label="TNs to port")
            tns += _csv_tns(data.get("tns_csv"), field_label="TNs to port (CSV)")
        except forms.ValidationError as exc:
            self.add_error("tns", exc)
            tns = []
        try:
            disconnect = parse_tns(data.get("disconnect_tns", ""), field_label="TNs to disconnect")
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
            end_user=EndUser.from_values({**d, "state": (d.get("state") or "").upper()}),
            authorization_indicator=indicator,
            received_at=d.get("received_at") or timezone.now(),
        )
