"""F1: compare a port-in order with the losing carrier's CSR, field by field.

Pure functions, no database: normalise both sides (case, punctuation, extra spaces, the usual
abbreviations such as "Inc."/"Inc", "Suite"/"Ste", "Street"/"St", ZIP+4) and say which fields
differ. Address and name mismatches cause most port-in rejects, so the desk sees them side by
side before the LSR goes out.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from carriers.cpni import mask_account_number
from carriers.end_user import END_USER_FIELDS
from carriers.normalize import normalize_field

# Business-name suffixes and words with a usual short form.
NAME_ABBREVIATIONS = {
    "incorporated": "inc",
    "corporation": "corp",
    "company": "co",
    "limited": "ltd",
    "and": "&",
    "associates": "assoc",
    "brothers": "bros",
}

# USPS street suffixes, directionals and secondary unit designators (Publication 28).
ADDRESS_ABBREVIATIONS = {
    "street": "st",
    "str": "st",
    "avenue": "ave",
    "av": "ave",
    "boulevard": "blvd",
    "road": "rd",
    "drive": "dr",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "parkway": "pkwy",
    "highway": "hwy",
    "circle": "cir",
    "terrace": "ter",
    "square": "sq",
    "trail": "trl",
    "way": "way",
    "center": "ctr",
    "centre": "ctr",
    "expressway": "expy",
    "freeway": "fwy",
    "route": "rte",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
    "suite": "ste",
    "apartment": "apt",
    "building": "bldg",
    "floor": "fl",
    "room": "rm",
    "department": "dept",
    "unit": "unit",
    "number": "#",
    "no": "#",
}
# "Suite #4", "Ste. No. 4" and "Ste 4" are the same unit: a "#" right after a designator goes.
_UNIT_DESIGNATORS = {"ste", "apt", "unit", "bldg", "fl", "rm", "dept"}

_PUNCTUATION = re.compile(r"[.,;:'\"`()\[\]{}!?/\\_-]+")
# The dots of an initialism ("L.L.C.", "N.") go without a space: "LLC", "N".
_INITIAL_DOT = re.compile(r"(?<![a-z0-9])([a-z])\.")
_SPACES = re.compile(r"\s+")


def _tokens(value: str) -> list[str]:
    value = (value or "").lower().replace("&", " & ").replace("#", " # ")
    value = _INITIAL_DOT.sub(r"\1", value)
    value = _PUNCTUATION.sub(" ", value)
    return _SPACES.sub(" ", value).strip().split(" ") if value.strip() else []


def normalize_text(value: str) -> str:
    """Case, punctuation and spacing only: for person names and cities."""
    return " ".join(_tokens(value))


def normalize_name(value: str) -> str:
    """A business or account name: "ABC Company, Inc." == "abc company inc"."""
    return " ".join(NAME_ABBREVIATIONS.get(t, t) for t in _tokens(value))


def normalize_address(value: str) -> str:
    """A street address: "100 Main Street, Suite #4" == "100 main st ste 4"."""
    out: list[str] = []
    for token in _tokens(value):
        token = ADDRESS_ABBREVIATIONS.get(token, token)
        if token == "#" and out and out[-1] in _UNIT_DESIGNATORS:
            continue
        out.append(token)
    return " ".join(out)


def normalize_zip(value: str) -> str:
    """ZIP+4 compares on the 5-digit ZIP."""
    digits = re.sub(r"\D", "", value or "")
    return digits[:5]


def normalize_digits(value: str) -> str:
    """A BTN in any format: digits only, without a leading NANP 1."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits


def normalize_account_number(value: str) -> str:
    # The same comparison as the keyed hash the account numbers are matched by (R18).
    return normalize_field(value)


def normalize_state(value: str) -> str:
    return re.sub(r"[^A-Za-z]", "", value or "").upper()


@dataclass(frozen=True)
class CsrField:
    name: str
    label: str
    normalize: object  # Callable[[str], str]
    sensitive: bool = False


# How each end-user field is compared; every field of `EndUser` is (a new one without an
# entry here fails at import).
_COMPARED_AS = {  # label, normalizer, sensitive
    "account_name": ("Account name", normalize_name, False),
    "account_number": ("Account number", normalize_account_number, True),
    "btn": ("BTN", normalize_digits, False),
    "authorized_person": ("Authorized person", normalize_text, False),
    "service_address": ("Service address", normalize_address, False),
    "city": ("City", normalize_text, False),
    "state": ("State", normalize_state, False),
    "zip_code": ("ZIP", normalize_zip, False),
}
CSR_FIELDS: tuple[CsrField, ...] = tuple(
    CsrField(name, *_COMPARED_AS[name]) for name in END_USER_FIELDS
)


def mask_value(value: str) -> str:
    """Account numbers are never shown in full, on either side of the comparison."""
    return mask_account_number(value)


@dataclass(frozen=True)
class FieldComparison:
    field: str
    label: str
    order_value: str  # as shown to staff (masked when sensitive)
    csr_value: str
    # None: the CSR does not give this field, so there is nothing to compare.
    matches: bool | None

    @property
    def is_mismatch(self) -> bool:
        return self.matches is False

    def as_dict(self) -> dict:
        return {
            "field": self.field,
            "label": self.label,
            "order": self.order_value,
            "csr": self.csr_value,
        }


def values_equal(field: str, order_value: str, csr_value: str) -> bool:
    spec = next(f for f in CSR_FIELDS if f.name == field)
    return spec.normalize(order_value) == spec.normalize(csr_value)


def compare_csr(
    order_values: Mapping[str, str],
    csr_values: Mapping[str, str],
    *,
    order_tns: Iterable[str] = (),
    csr_tns: Iterable[str] | None = None,
) -> list[FieldComparison]:
    """One FieldComparison per CSR field, plus "TNs" when the CSR lists TNs.

    A field the CSR leaves empty is not compared (matches=None). Every TN on the order must be
    on the CSR; TNs on the CSR but not on the order are fine (a partial port).
    """
    result = []
    for spec in CSR_FIELDS:
        ours = order_values.get(spec.name) or ""
        theirs = csr_values.get(spec.name) or ""
        matches = None if not theirs.strip() else spec.normalize(ours) == spec.normalize(theirs)
        shown = mask_value if spec.sensitive else (lambda v: v)
        result.append(FieldComparison(spec.name, spec.label, shown(ours), shown(theirs), matches))
    if csr_tns is not None:
        csr_set = set(csr_tns)
        order_list = sorted(set(order_tns))
        if csr_set:
            missing = [tn for tn in order_list if tn not in csr_set]
            result.append(
                FieldComparison(
                    "tns",
                    "TNs",
                    f"{len(order_list)} TNs on the order",
                    (
                        f"{len(missing)} not on the CSR: {', '.join(missing[:20])}"
                        + (" …" if len(missing) > 20 else "")
                        if missing
                        else f"{len(csr_set)} TNs, every order TN listed"
                    ),
                    not missing,
                )
            )
    return result


def mismatches(comparisons: Iterable[FieldComparison]) -> list[dict]:
    return [c.as_dict() for c in comparisons if c.is_mismatch]
