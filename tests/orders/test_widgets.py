"""FastSelect renders the same <select> as Django's Select, without a template per option."""

import re

import pytest
from django import forms

from carriers.models import Carrier
from orders.select_widgets import FastSelect, FastSelectMultiple
from tests.factories import CarrierFactory


def _normalised(html: str) -> list[str]:
    """The tags and texts in order, attributes sorted: whitespace and attribute order aside."""
    parts = []
    for tag, text in re.findall(r"(<[^>]+>)|([^<]+)", html):
        if tag:
            name, *attrs = tag.strip("<>").split(" ")
            parts.append(" ".join([name, *sorted(attrs)]))
        elif text.strip():
            parts.append(text.strip())
    return parts


CHOICES = [("", "Any"), ("x", "X & <y>"), ("z", "Z")]


class Plain(forms.Form):
    status = forms.ChoiceField(choices=CHOICES, required=False)


class Fast(forms.Form):
    status = forms.ChoiceField(choices=CHOICES, required=False, widget=FastSelect)


@pytest.mark.parametrize("value", ["", "x", "z", "not-a-choice"])
def test_fast_select_matches_djangos_select(value):
    plain, fast = Plain({"status": value}), Fast({"status": value})
    for form in (plain, fast):
        form.fields["status"].widget.attrs["class"] = "form-select"
    assert _normalised(str(fast["status"])) == _normalised(str(plain["status"]))
    assert "&lt;y&gt;" in str(fast["status"])  # labels escaped


@pytest.mark.django_db
def test_fast_select_lists_model_choices_and_marks_the_chosen_one():
    CarrierFactory(name="Alpha & Co")
    chosen = CarrierFactory(name="Beta")

    class CarrierForm(forms.Form):
        carrier = forms.ModelChoiceField(
            queryset=Carrier.objects.order_by("name"), required=False, widget=FastSelect
        )

    html = str(CarrierForm({"carrier": str(chosen.pk)})["carrier"])
    assert f'<option value="{chosen.pk}" selected>Beta</option>' in html
    assert "Alpha &amp; Co" in html


class PlainMany(forms.Form):
    status = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)


class FastMany(forms.Form):
    status = forms.MultipleChoiceField(
        choices=CHOICES[1:], required=False, widget=FastSelectMultiple
    )


@pytest.mark.parametrize("values", [[], ["x"], ["x", "z"]])
def test_fast_select_multiple_matches_djangos_select_multiple(values):
    plain, fast = PlainMany({"status": values}), FastMany({"status": values})
    assert _normalised(str(fast["status"])) == _normalised(str(plain["status"]))
    assert "multiple" in str(fast["status"])
    assert fast.is_valid() and fast.cleaned_data["status"] == values
