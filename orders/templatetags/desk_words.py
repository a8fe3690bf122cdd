"""The desk's words on every page: rules by name (the id in a tooltip) and times in the
portal's zone and format.

`plain_rules` rewrites the rule ids the portal wrote into its own text (queue descriptions,
job names, messages, timeline reasons, history rows stored long ago) at render time, so a
stored row keeps its text and staff still read names.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from carriers.templatetags.carrier_tags import local_time as carrier_local_time
from orders.rules.names import RULE_MENTION, RULE_NAMES, rule_name

register = template.Library()

# One time format everywhere: the carriers app owns it (as it owns the TN format).
register.filter("local_time", carrier_local_time)
register.filter("rule_name", rule_name)


@register.filter
def rule_label(rule_id: str) -> SafeString:
    """The rule's name with its id in a tooltip: <span title="Rule F1">CSR check</span>."""
    rule_id = str(rule_id)
    if rule_id not in RULE_NAMES:
        return conditional_escape(rule_id)
    return format_html(
        '<span class="rule-name" title="Rule {}">{}</span>', rule_id, rule_name(rule_id)
    )


@register.filter(is_safe=True)
def plain_rules(text) -> SafeString:
    """Text with the rule ids it cites replaced by their labels (the text itself escaped)."""
    # str() first: a message whose text is already safe markup (a link) stays markup.
    escaped = str(conditional_escape(str(text) if text is not None else ""))
    return mark_safe(RULE_MENTION.sub(lambda m: rule_label(m.group(0)), escaped))
