"""Template helpers of the carrier directory."""

import re

from django import template

from carriers.timefmt import local_time as _local_time
from carriers.tn import format_tn

register = template.Library()


@register.filter
def tel_uri(phone: str) -> str:
    """`tel:` link target for a phone as typed ("503-555-0199 x12" -> "tel:+15035550199")."""
    number = re.split(r"(?i)\s*(?:x|ext\.?|extension)\s*\d+\s*$", phone or "")[0]
    digits = re.sub(r"\D", "", number)
    if len(digits) == 10:
        digits = "1" + digits
    return f"tel:+{digits}" if digits else ""


@register.filter
def tn(value: str) -> str:
    """A stored 10-digit TN as (503) 555-0100."""
    return format_tn(value or "")


@register.filter
def local_time(value, style: str = "") -> str:
    """A datetime or ISO string in the portal's zone: "2026-12-04 15:24" ("day": with the
    weekday, "Fri 2026-12-04 15:24"). Every time a page prints goes through here."""
    return _local_time(value, weekday=style == "day")
