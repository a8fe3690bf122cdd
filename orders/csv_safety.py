"""One defence against spreadsheet formula injection for every CSV the desk downloads (queue
exports, NPAC cancels, CSR requests): a customer's account name or a carrier's PON is typed
by someone outside, and a spreadsheet would run "=HYPERLINK(...)" as a formula."""

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?\Z")


def csv_safe(text) -> str:
    """Neutralise spreadsheet formula injection: a cell starting with = + - @, a tab or a CR
    gets a leading apostrophe. Plain numbers ("-3" days left) cannot be formulas and stay."""
    text = "" if text is None else str(text)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text
