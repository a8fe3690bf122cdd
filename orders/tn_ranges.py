"""Consecutive TNs collapsed into ranges, the way a porting desk reads a project port.

A project port is usually DID ranges: "(503) 555-0100 – 0199, 100 TNs" says in one line what
100 table rows would. TNs are consecutive when they share the NPA-NXX and their line numbers
follow each other; a range also never mixes rows whose key differs (on the order page:
disposition, NPAC state, activated or not), so collapsing loses no state, only repetition.

Pure: no database, no Django. The rows are whatever the caller has (tuples, dicts, models);
`tn` and `key` say how to read them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from carriers.tn import format_tn

__all__ = ["TNRange", "tn_ranges"]


@dataclass(frozen=True, slots=True)
class TNRange:
    """first..last (inclusive), every TN between them present, all with the same key."""

    first: str
    last: str
    key: Hashable
    rows: tuple[Any, ...]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def label(self) -> str:
        """`(503) 555-0100 – 0199`, or `(503) 555-0100` for a single TN.

        Only the last TN's line number is repeated: a range never leaves its NPA-NXX.
        """
        if self.first == self.last:
            return format_tn(self.first)
        return f"{format_tn(self.first)} – {self.last[6:]}"


def _as_number(tn: str) -> int | None:
    """The TN as an integer, None for stored text that is not 10 digits."""
    return int(tn) if len(tn) == 10 and tn.isascii() and tn.isdigit() else None


def _no_key(row: Any) -> None:
    return None


def tn_ranges(
    rows: Iterable[Any],
    *,
    tn: Callable[[Any], str],
    key: Callable[[Any], Hashable] = _no_key,
) -> list[TNRange]:
    """The rows sorted by TN and cut into ranges of consecutive TNs with equal keys.

    A gap, a new NPA-NXX or a change of key starts a new range; a TN that is not 10 digits
    (stored text shown as is elsewhere) or a repeated TN stands alone. Every row lands in
    exactly one range, so the counts add up to the number of rows.
    """
    ordered = sorted(rows, key=tn)
    if not ordered:
        return []
    tns = [tn(row) for row in ordered]
    keys = [key(row) for row in ordered]
    numbers = [_as_number(value) for value in tns]
    ranges: list[TNRange] = []
    start = 0
    for i in range(1, len(ordered) + 1):
        if i < len(ordered):
            previous, number = numbers[i - 1], numbers[i]
            if (
                previous is not None
                and number == previous + 1
                and number // 10_000 == previous // 10_000  # the same NPA-NXX
                and keys[i] == keys[start]
            ):
                continue
        ranges.append(TNRange(tns[start], tns[i - 1], keys[start], tuple(ordered[start:i])))
        start = i
    return ranges
