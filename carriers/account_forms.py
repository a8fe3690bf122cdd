"""The desk's account page forms (R19): the port-out lock and the holder's contact email."""

from django import forms

from .protection import REASON_MAX


class PortOutLockForm(forms.Form):
    """Turn the lock on or off; the page offers the one move that applies."""

    locked = forms.TypedChoiceField(
        choices=[("1", "Lock against port-out"), ("0", "Remove the lock")],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label="Why (who asked, how they were verified)",
        max_length=REASON_MAX,
        widget=forms.TextInput(
            attrs={"placeholder": "e.g. Account holder called, verified by PIN"}
        ),
    )


class ContactEmailForm(forms.Form):
    contact_email = forms.EmailField(label="Account holder's contact email", required=False)
