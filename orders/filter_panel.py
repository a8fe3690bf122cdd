"""The queues' filter panel rendered in Python: the markup crispy-forms' Bootstrap 5 pack
gives (rows of four columns, a label or a legend over each field, the field's errors under
it), without a template per field.

Through crispy the panel of a filtered page took 19 ms of a 60-70 ms request at a million
orders (13 fields, each through half a dozen templates); its markup cannot be cached, since
it shows what was chosen. The unfiltered panel is still cached whole
(templates/queues/_components.html).
"""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

PER_ROW = 4


def _css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.Select):  # NullBooleanSelect and SelectMultiple too
        return "form-select"
    return "form-control"


def _widget_attrs(field: forms.BoundField) -> None:
    """Bootstrap's class on the widget (each part of a date range), and is-invalid."""
    widgets = getattr(field.field.widget, "widgets", None) or [field.field.widget]
    for widget in widgets:
        classes = [_css_class(widget)]
        if field.errors:
            classes.append("is-invalid")
        widget.attrs["class"] = " ".join(classes)


def _errors(field: forms.BoundField) -> SafeString:
    return format_html_join(
        "",
        '<span class="invalid-feedback d-block"><strong>{}</strong></span>',
        ((error,) for error in field.errors),
    )


def _field(field: forms.BoundField) -> SafeString:
    _widget_attrs(field)
    if isinstance(field.field.widget, forms.MultiWidget):
        # Two inputs (from, to): a fieldset names them, as crispy does.
        return format_html(
            '<div id="div_{}" class="mb-3"><fieldset><legend class="form-label fs-6">{}'
            "</legend>{}{}</fieldset></div>",
            field.auto_id,
            field.label,
            field.as_widget(),
            _errors(field),
        )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}</div>',
        field.auto_id,
        field.id_for_label,
        field.label,
        field.as_widget(),
        _errors(field),
    )


def render_panel(form: forms.Form, *, skip: tuple[str, ...] = ("q",)) -> SafeString:
    """Every field of `form` but `skip` (the search box sits above the panel), four a row."""
    fields = [form[name] for name in form.fields if name not in skip]
    rows = []
    for start in range(0, len(fields), PER_ROW):
        columns = format_html_join(
            "",
            '<div class="col-md-3">{}</div>',
            ((_field(field),) for field in fields[start : start + PER_ROW]),
        )
        rows.append((columns,))
    return format_html_join("", '<div class="row">{}</div>', rows)
