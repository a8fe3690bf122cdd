"""The reports' range: first and last day (local days, both included) and the grouping."""

import datetime

from django import forms
from django.utils import timezone

from .periods import GROUPINGS, MAX_DAYS, MONTH


def default_range(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last six months: from the first of the month five months back to today."""
    month = today.month - 5
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime.date(year, month, 1), today


class ReportRangeForm(forms.Form):
    first = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    group = forms.ChoiceField(label="By", choices=list(GROUPINGS.items()), initial=MONTH)

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        first, last = default_range(today)
        self.today = today
        merged = {"first": first.isoformat(), "last": last.isoformat(), "group": MONTH}
        if data:
            merged.update({k: v for k, v in data.items() if k in merged and v})
        super().__init__(merged, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm",
            )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last:
            if last < first:
                self.add_error("last", "The last day comes before the first.")
            elif last > self.today:
                self.add_error("last", f"The last day is after today ({self.today:%Y-%m-%d}).")
            elif (last - first).days + 1 > MAX_DAYS:
                self.add_error("first", f"A report covers at most {MAX_DAYS} days.")
        return cleaned
