"""Widgets for the pages every desk member loads all day."""

from django import forms
from django.utils.html import format_html


class DateInput(forms.DateInput):
    """A browser date picker. It only understands ISO dates, whatever the locale's format."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    """A browser date-and-time picker (local time), in the ISO form it reads and sends."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SecretInput(forms.PasswordInput):
    """A PIN/passcode field: what was typed is never put back in the page.

    After a failed validation the other fields keep their values; this one is empty again, so
    the page says so under it rather than letting the desk send the form without the PIN.
    (Account numbers are shown back to the desk user who works the order: plain inputs.)
    """

    RETYPE = "Re-type it: a PIN is not kept after an error, for safety."

    def __init__(self, attrs=None):
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})}, render_value=False)

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not value:  # a fresh form, or nothing was typed: nothing lost
            return html
        return html + format_html(
            '<div class="form-text text-warning-emphasis" data-retype="{}">{}</div>',
            name,
            self.RETYPE,
        )
