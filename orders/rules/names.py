"""The desk's names for the port-in rules (seed 004, F1-F7).

The ids are the design's and the tests'; staff read the names. Pages say the name and keep the
id in a tooltip (`orders.templatetags.desk_words`); R-codes are not renamed: they are the
industry's, quoted to other carriers on port-out rejects.
"""

import re

RULE_NAMES: dict[str, str] = {
    "F1": "CSR check",
    "F2": "Losing-carrier reject",
    "F3": "Customer resubmission",
    "F4": "Auto-cancel after 45 days",
    "F5": "Status check",
    "F6": "Routing",
    "F7": "One open order per number",
}

# Where portal-written text cites a rule: "(F1)", "(F1, F6)" or a leading "F4:". A port-out
# reject ("F7 TNs: ...") keeps its code: the other carrier reads it too.
# Only these spots, so a customer's "Apt F1" or a PON that looks like an id stays as written.
RULE_MENTION = re.compile(
    r"(?<=\()F[1-7](?=[,)])|(?<=, )F[1-7](?=[,)])|^F[1-7](?=:)",
    re.MULTILINE,
)


def rule_name(rule_id: str) -> str:
    """The desk's name for a rule id ("F4" -> "Auto-cancel after 45 days"); others unchanged."""
    return RULE_NAMES.get(rule_id, rule_id)
