"""The order list's filter bar."""

from django import forms

from carriers.models import Carrier
from orders.models import Direction, Status
from orders.select_widgets import FastSelect


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
