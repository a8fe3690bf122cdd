"""Forms of the carriers app: the directory's search box and the admin's model forms.

SPID codes typed in lower case or with stray spaces are normalised (`.strip().upper()`)
before the model's SPID-format validation runs: "t098 " is stored as "T098", while a code
that is still not 4 digits/capital letters after that ("72-1", "72311") is refused with the
message naming the NPAC SPID format.
"""

import zoneinfo
from functools import cache

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms

from .cpni import account_number_digest
from .end_user import ACCOUNT_FIELD_NAMES
from .fields import with_account_number
from .inputs import NOTE_MAX, ContactPhoneField
from .models import SPID, Carrier, Contact, CustomerAccount, TelephoneNumber
from .tn import InvalidTN, is_toll_free, normalize_tn


@cache
def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


class CarrierSearchForm(forms.Form):
    """The directory's filter bar: name or SPID (any case) and kind."""

    q = forms.CharField(
        label="Name or SPID",
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name or SPID"}),
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "All kinds"), *Carrier.Kind.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row row-cols-md-auto g-2 align-items-end mb-3"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("q", wrapper_class="col-12"),
            Field("kind", wrapper_class="col-12"),
            Div(
                StrictButton("Search", type="submit", css_class="btn-outline-primary"),
                css_class="col-12 mb-3",
            ),
        )


class SPIDForm(forms.ModelForm):
    class Meta:
        model = SPID
        fields = ["code", "carrier", "region"]

    def clean_code(self):
        # Normalised, then the model's validator (run by full_clean) checks the format.
        return (self.cleaned_data.get("code") or "").strip().upper()


class SPIDInlineForm(SPIDForm):
    class Meta(SPIDForm.Meta):
        fields = ["code", "region"]


class CarrierForm(forms.ModelForm):
    """The carrier in the admin; its rules (porting peer, clocks) are the model's own
    (Carrier.clean, the field validators and constraints), as for the CSV import."""

    time_zone = forms.TypedChoiceField(
        choices=time_zone_choices,
        initial="America/Los_Angeles",
        help_text="The carrier's local time: its LSR cut-off (R7) is read in this zone.",
    )

    class Meta:
        model = Carrier
        fields = [
            "name",
            "kind",
            "is_ours",
            "notes",
            "supports_csr",
            "port_in_route",
            "porting_peer",
            "time_zone",
            "lsr_cutoff",
            "csr_answer_hours",
            "max_due_date_days",
            "port_window_business_days",
            "sup_threshold",
        ]


class ContactForm(forms.ModelForm):
    """A carrier contact in the admin (inline or its own page): the phone is a 10-digit NANP
    number (an extension allowed), the notes are capped."""

    phone = ContactPhoneField(required=False)
    notes = forms.CharField(required=False, max_length=NOTE_MAX)

    class Meta:
        model = Contact
        fields = ["carrier", "role", "name", "email", "phone", "fax", "hours", "notes"]


_TN_HELP = "Any usual US format, e.g. (503) 555-0100; stored as 10 digits."


def _clean_tn(raw):
    if not raw:
        return raw
    try:
        return normalize_tn(raw)
    except InvalidTN as exc:
        raise forms.ValidationError(str(exc), code="tn_format") from None


# Wide enough for "+1 (503) 555-0100"; normalised to 10 digits, then the model validates.
TN_INPUT_LENGTH = 25


class TelephoneNumberAdminForm(forms.ModelForm):
    """TNs and LRNs typed in any usual US format are stored as 10 digits."""

    tn = forms.CharField(label="TN", max_length=TN_INPUT_LENGTH, help_text=_TN_HELP)
    lrn = forms.CharField(
        label="LRN", max_length=TN_INPUT_LENGTH, required=False, help_text=_TN_HELP
    )

    class Meta:
        model = TelephoneNumber
        fields = [
            "tn",
            "spid",
            "lrn",
            "is_toll_free",
            "status",
            "line_type",
            "account",
            "features",
            "has_centrex",
            "has_isdn",
            "has_ain",
            "has_remote_call_forwarding",
            "multiple_services_on_loop",
        ]

    def clean_tn(self):
        return _clean_tn(self.cleaned_data.get("tn"))

    def clean_lrn(self):
        return _clean_tn(self.cleaned_data.get("lrn"))

    def clean(self):
        cleaned = super().clean()
        tn = cleaned.get("tn")
        if tn and "is_toll_free" in cleaned and cleaned["is_toll_free"] != is_toll_free(tn):
            self.add_error(
                "is_toll_free",
                f"{tn[:3]} is {'a' if is_toll_free(tn) else 'not a'} toll-free NPA "
                "(800/833/844/855/866/877/888).",
            )
        return cleaned


class CustomerAccountAdminForm(forms.ModelForm):
    """The account number is editable; the PIN is write-only (only its hash is stored)."""

    new_pin = forms.CharField(
        label="Set a new PIN/passcode",
        required=False,
        strip=True,
        max_length=40,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Stored only as a salted hash. Leave blank to keep the PIN on file.",
    )
    clear_pin = forms.BooleanField(label="Remove the PIN on file", required=False)
    btn = forms.CharField(label="BTN", max_length=TN_INPUT_LENGTH, help_text=_TN_HELP)

    class Meta:
        model = CustomerAccount
        fields = [
            *ACCOUNT_FIELD_NAMES.values(),
            "contact_email",
            "uses_unbundled_elements",
        ]

    def clean_btn(self):
        return _clean_tn(self.cleaned_data.get("btn"))

    def clean_account_number(self):
        # Unique through its keyed hash (the column holds a token): "AB-12" and "ab12" clash.
        number = (self.cleaned_data.get("account_number") or "").strip()
        if not account_number_digest(number):
            raise forms.ValidationError("An account number needs at least one letter or digit.")
        others = with_account_number(CustomerAccount.objects.exclude(pk=self.instance.pk), number)
        if others.exists():
            raise forms.ValidationError(
                "Another account has this account number (case and punctuation ignored)."
            )
        return number

    def clean_state(self):
        return (self.cleaned_data.get("state") or "").strip().upper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_pin") and cleaned.get("clear_pin"):
            self.add_error("clear_pin", "Either set a new PIN or remove it, not both.")
        return cleaned

    def save(self, commit=True):
        account = super().save(commit=False)
        if self.cleaned_data.get("new_pin"):
            account.set_pin(self.cleaned_data["new_pin"])
        elif self.cleaned_data.get("clear_pin"):
            account.set_pin("")
        if commit:
            account.save()
        return account
