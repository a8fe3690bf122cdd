"""The <select> widgets of the pages every desk member loads all day, rendered in Python.

Outside orders.forms: the queues' filter panel (orders/filters.py) uses them, and the
services read the queues' declarations, which must not bring the forms layer along.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A <select> rendered in Python.

    Django renders each <option> through its own template include; a filter bar with the
    carrier list then spends more time on its options than the page spends in SQL. The
    options and attributes are the same as forms.Select's (get_context), only the rendering
    differs.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], mark_safe(" selected") if option["selected"] else "", label)
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
                for label in [option["label"]]
            ),
        )
        attrs = {**widget["attrs"], "name": widget["name"]}
        if widget.get("required"):
            attrs["required"] = True
        return format_html("<select{}>{}</select>", flatatt(attrs), options)


class FastSelectMultiple(forms.SelectMultiple):
    """FastSelect's rendering for a multiple choice (the queues' status filter)."""

    render = FastSelect.render
