"""Telephone numbers (TNs) of the North American Numbering Plan: parsing and display.

A TN is stored and compared as its 10 digits, NPA (area code) + NXX (exchange) + line. Input
is accepted in the usual US formats only, and anything else is refused with the reason, so a
typo on an LSR is reported instead of guessed at: no vanity letters, no extensions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "TOLL_FREE_NPAS",
    "InvalidTN",
    "TNError",
    "format_tn",
    "is_toll_free",
    "normalize_tn",
    "parse_tn_list",
]

TOLL_FREE_NPAS = frozenset({"800", "833", "844", "855", "866", "877", "888"})

# 5035550100, (503) 555-0100, 503.555.0100, 503-555-0100, +1 503 555 0100, 1-503-555-0100,
# +15035550100. One optional separator between groups; ASCII digits only (re.ASCII keeps
# \d from matching other scripts' digits, which int() would happily accept later).
_TN_RE = re.compile(
    r"""
    (?:\+?1[ .-]?)?                 # country code
    (?:\((?P<pnpa>\d{3})\)|(?P<npa>\d{3}))
    [ .-]?
    (?P<nxx>\d{3})
    [ .-]?
    (?P<line>\d{4})
    """,
    re.VERBOSE | re.ASCII,
)
_ALLOWED_RE = re.compile(r"[\d .()+-]*", re.ASCII)
_EXTENSION_RE = re.compile(r"(?:e?xt?\.?|extension|#)\s*\d+$", re.IGNORECASE | re.ASCII)
_NON_DIGIT_RE = re.compile(r"\D", re.ASCII)
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_ITEM_SEPARATOR_RE = re.compile(r"[,;\t]")


def _invalid_message(value: str, reason: str) -> str:
    return f"{value!r} is not a valid NANP telephone number: {reason}"


class InvalidTN(ValueError):
    """A string that is not a NANP telephone number; `value` is the input, `reason` why."""

    def __init__(self, value: str, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(_invalid_message(value, reason))

    def __reduce__(self):
        return (type(self), (self.value, self.reason))


@dataclass(frozen=True, slots=True)
class TNError:
    """One refused entry of a pasted list: its 1-based line, the raw text and why."""

    line: int
    value: str
    message: str


def _nanp_reason(npa: str, nxx: str) -> str | None:
    if npa[0] in "01":
        return f"area code {npa} cannot start with {npa[0]}"
    if npa[1:] == "11":
        return f"area code {npa} is an N11 service code"
    if nxx[0] in "01":
        return f"exchange {nxx} cannot start with {nxx[0]}"
    return None


def _shape_reason(text: str) -> str:
    """Why `text` (stripped, not matching _TN_RE) is refused; only called on the error path."""
    if not text:
        return "empty"
    if _EXTENSION_RE.search(text):
        return "extensions are not accepted"
    if any(ch.isalpha() for ch in text):
        return "letters are not accepted"
    if not _ALLOWED_RE.fullmatch(text):
        bad = next(ch for ch in text if not _ALLOWED_RE.fullmatch(ch))
        return f"unexpected character {bad!r}"
    digits = _NON_DIGIT_RE.sub("", text)
    if len(digits) == 11 and digits[0] != "1":
        return "expected 10 digits, got 11 not starting with the country code 1"
    if len(digits) not in (10, 11):
        return f"expected 10 digits, got {len(digits)}"
    return "unrecognised format, expected e.g. (503) 555-0100 or 503-555-0100"


def _check(raw: str) -> tuple[str, str | None]:
    """(10 digits, None) for a good TN, ("", reason) otherwise. Never raises: the list parser
    calls it for every item, and exceptions per bad item would dominate a large paste."""
    text = raw.strip()
    match = _TN_RE.fullmatch(text)
    if match is None:
        return "", _shape_reason(text)
    npa = match["npa"] or match["pnpa"]
    nxx = match["nxx"]
    reason = _nanp_reason(npa, nxx)
    if reason is not None:
        return "", reason
    return npa + nxx + match["line"], None


def normalize_tn(raw: str) -> str:
    """The 10 digits of a NANP TN written in a usual US format; InvalidTN otherwise.

    NPA and NXX must start with 2-9 and the NPA must not be an N11 code (211 ... 911).
    """
    if not isinstance(raw, str):
        raise TypeError(f"a TN is parsed from a str, not {type(raw).__name__}")
    tn, reason = _check(raw)
    if reason is not None:
        raise InvalidTN(raw, reason)
    return tn


def is_toll_free(tn: str) -> bool:
    """True for a toll-free NPA (8XX); `tn` is normalized first (InvalidTN if it is not one)."""
    return normalize_tn(tn)[:3] in TOLL_FREE_NPAS


def format_tn(tn: str) -> str:
    """`(503) 555-0100` for display, from any accepted format.

    Something that is not a TN comes back unchanged rather than raising: this feeds
    templates and emails, where showing the stored text beats failing the whole page.
    """
    digits, reason = _check(tn)
    if reason is not None:
        return tn
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


# Between two TNs of one entry: spaces, dashes, dots and parentheses (decoration or separator).
_DECORATION = frozenset(" \t.-()")
_TOKEN_RE = re.compile(r"\s*\S+\s*")
_BLANKS_RE = re.compile(r"[^\S ]")
_DIGIT_RE = re.compile(r"\d", re.ASCII)


def _tn_at(item: str, pos: int):
    """The TN written at `pos` of `item` (a match not followed by another digit), or None."""
    match = _TN_RE.match(item, pos)
    if match is None or (match.end() < len(item) and item[match.end()].isdigit()):
        return None
    return match


def _bad_chunk(item: str, pos: int) -> int:
    """Where the bad entry starting at `pos` ends: whole space-separated tokens, taken until
    ten digits are seen, a token has a character no TN has, or the next token starts a TN;
    so "503 555 010" is named as one entry, "5035550100 x12" names only "x12"."""
    end, digits = pos, 0
    while end < len(item):
        token_match = _TOKEN_RE.match(item, end)
        if token_match is None:  # only blanks left (a form feed, a vertical tab...)
            end = len(item)
            break
        token = token_match.group().strip()
        end = token_match.end()
        digits += len(_DIGIT_RE.findall(token))
        if digits >= 10 or not _ALLOWED_RE.fullmatch(token) or _tn_at(item, end):
            break
    return end


def _entries(item: str):
    """(text, tn, reason) for each TN or bad entry in one comma-separated item, where TNs
    may also be separated by spaces, dashes, dots or parentheses."""
    # Any other blank (a form feed, a no-break space) separates like a space.
    item = _BLANKS_RE.sub(" ", item)
    tn, reason = _check(item)
    if reason is None:
        yield item, tn, None
        return
    pos = 0
    while pos < len(item):
        match = _tn_at(item, pos)
        if match is not None:
            value = match.group()
            npa = match["npa"] or match["pnpa"]
            problem = _nanp_reason(npa, match["nxx"])
            yield value, ("" if problem else npa + match["nxx"] + match["line"]), problem
            pos = match.end()
        elif item[pos] in _DECORATION:
            pos += 1
        else:
            end = _bad_chunk(item, pos)
            value = item[pos:end].strip()
            yield value, "", _shape_reason(value)
            pos = end


def parse_tn_list(text: str) -> tuple[list[str], list[TNError]]:
    """Split a pasted list into TNs: (unique normalized TNs in input order, errors).

    The one TN-list parser of the portal (new orders, CSR requests, LSRs, SUPs, imports).
    Entries are separated by line breaks, commas, semicolons, tabs or spaces; spaces, dashes,
    dots and parentheses also decorate a TN ("(503) 555-0100", "503 555 0100"), so
    "5035550100 5035550101" is two TNs. Anything else is an error naming the entry (token)
    it is in. Blank entries are skipped. Each error carries the 1-based line of the entry, the
    entry as typed (stripped) and the message. A TN seen before (in any format) is an error
    naming the first line.
    """
    tns: list[str] = []
    errors: list[TNError] = []
    first_line: dict[str, int] = {}
    for line_no, line in enumerate(_LINE_BREAK_RE.split(text), start=1):
        for item in _ITEM_SEPARATOR_RE.split(line):
            item = item.strip()
            if not item:
                continue
            for value, tn, reason in _entries(item):
                if reason is not None:
                    errors.append(TNError(line_no, value, _invalid_message(value, reason)))
                elif tn in first_line:
                    message = f"{value!r} is a duplicate of line {first_line[tn]}"
                    errors.append(TNError(line_no, value, message))
                else:
                    first_line[tn] = line_no
                    tns.append(tn)
    return tns, errors
