"""Percentiles over histograms of whole hours: pure, no Django.

Nearest rank: the p-th percentile of n values is the smallest value v with at least
ceil(p/100 * n) values <= v. The median is the 50th (the lower middle value when n is even),
so a figure is always one of the durations it summarises, and summing daily histograms gives
exactly the figure the raw durations give.
"""

from __future__ import annotations

import math
from collections.abc import Mapping


def percentile(hist: Mapping[int, int], p: float) -> int | None:
    n = sum(hist.values())
    if not n:
        return None
    rank = max(1, math.ceil(p * n / 100))
    seen = 0
    # Keys are whole hours, as numbers or as the text JSON stores them.
    for hours in sorted(hist, key=int):
        seen += hist[hours]
        if seen >= rank:
            return int(hours)
    return None  # unreachable: seen reaches n >= rank


def whole_hours(seconds: float) -> int:
    """A duration in whole hours, rounded down; never negative (a clock set back)."""
    return max(0, int(seconds // 3600))


def rate(part: int, whole: int) -> float | None:
    """part / whole as a percentage with one decimal, None when nothing to divide."""
    return round(100.0 * part / whole, 1) if whole else None
