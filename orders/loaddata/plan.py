"""What the load data set looks like: its markers, proportions and status paths, and the
random picks that draw from them (all from the generator's one `random.Random(seed)`)."""

import datetime
import math
from functools import lru_cache

PON_PREFIX = "LD"
# How the jobs sign their history rows (portin.AUTO_CANCEL_ACTOR, portout.PORT_WINDOW_ACTOR).
F4_JOB_LABEL = "job:rejected_orders_auto_cancel"
R11_JOB_LABEL = "job:port_windows_expire"
ACCOUNT_PREFIX = "LD"
USER_PREFIX = "ld-"
UTC = datetime.UTC

# --- proportions ------------------------------------------------------------------------
PORT_OUT_SHARE = 0.45
# Final status -> share. Most orders are history (completed, cancelled, rejected LSRs);
# a few per cent sit in each open status, as on a real desk.
PORT_IN_STATUS = [
    ("completed", 0.600),
    ("cancelled", 0.200),
    ("draft", 0.025),
    ("submitted", 0.050),
    ("accepted", 0.045),
    ("exception", 0.020),
    ("rejected", 0.035),
    ("review", 0.025),
]
PORT_OUT_STATUS = [
    ("completed", 0.62),
    ("cancelled", 0.10),
    ("rejected", 0.17),
    ("received", 0.03),
    ("expedite_review", 0.01),
    ("foc_sent", 0.07),
]
OPEN_PORT_IN = {"draft", "submitted", "accepted", "exception", "rejected", "review"}
OPEN_PORT_OUT = {"received", "expedite_review", "foc_sent"}
# Project ports (50-2,000 TNs, log-uniform: mean about 528 TNs) carry this share of all TNs.
PROJECT_TN_SHARE = 0.30
PROJECT_MIN, PROJECT_MAX = 50, 2000
PROJECT_MEAN = (PROJECT_MAX - PROJECT_MIN) / math.log(PROJECT_MAX / PROJECT_MIN)
HISTORY_DAYS = 548  # 18 months
# Orders forced to exactly 2,000 TNs (the benchmark opens their page); only for big runs.
BIG_PROJECT_EVERY = 250_000
BIG_PROJECT_MIN_ORDERS = 5_000

# Age (days before now) of the last status move for an order still open in that status.
OPEN_AGE_PORT_IN = {
    "draft": (0.05, 10),
    "submitted": (0.05, 12),
    "accepted": (0.05, 10),
    "exception": (0.05, 5),
    "rejected": (0.05, 44),
    "review": (0.05, 4),
}
OPEN_AGE_PORT_OUT = {"received": (0.02, 1.5), "expedite_review": (0.02, 1.0), "foc_sent": (0.5, 8)}
NPAC_PORT_IN = {"accepted": "pending"}


class LoadDataError(Exception):
    """The arguments or the database do not allow a load (the command reports it)."""


def _cum(weights):
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _weighted(choices):
    return [c for c, _ in choices], _cum([w for _, w in choices])


def _pick(rng, values, cum):
    x = rng.random() * cum[-1]
    for value, c in zip(values, cum, strict=True):
        if x < c:
            return value
    return values[-1]


def _pick_index(rng, cum):
    x = rng.random() * cum[-1]
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if x < cum[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _letters(rng, k):
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(k))


def _slug(name):
    return "".join(ch for ch in name.lower() if ch.isalnum())[:20] or "customer"


@lru_cache(maxsize=4096)
def _add_business_days(day: datetime.date, n: int) -> datetime.date:
    """Weekdays only (the load data does not need holidays to be plausible)."""
    while n > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


@lru_cache(maxsize=4096)
def _previous_business_day(day: datetime.date) -> datetime.date:
    day -= datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def _port_in_path(rng, status):
    r = rng.random()
    base = ["draft", "submitted"]
    if status == "draft":
        return ["draft"]
    if status == "submitted":
        if r < 0.8:
            return base
        if r < 0.95:
            return base + ["exception", "submitted"]
        return base + ["accepted", "submitted"]
    if status == "accepted":
        return base + ["accepted"] if r < 0.9 else base + ["exception", "submitted", "accepted"]
    if status == "exception":
        return base + ["exception"]
    if status == "rejected":
        return base + ["exception", "rejected"]
    if status == "review":
        return base + ["exception", "rejected", "review"]
    if status == "completed":
        if r < 0.85:
            return base + ["accepted", "completed"]
        if r < 0.95:
            return base + ["exception", "submitted", "accepted", "completed"]
        return base + ["exception", "rejected", "review", "submitted", "accepted", "completed"]
    # cancelled
    if r < 0.25:
        return ["draft", "cancelled"]
    if r < 0.45:
        return base + ["cancelled"]
    if r < 0.60:
        return base + ["accepted", "cancelled"]
    return base + ["exception", "rejected", "cancelled"]


def _port_out_path(rng, status):
    """The statuses a port-out order passed through, and how a cancel came about."""
    r = rng.random()
    if status == "received":
        return ["received"], ""
    if status == "expedite_review":
        return ["received", "expedite_review"], ""
    if status == "foc_sent":
        return (["received", "foc_sent"] if r < 0.95 else
                ["received", "expedite_review", "foc_sent"]), ""  # fmt: skip
    if status == "rejected":
        return ["received", "rejected"], ""
    if status == "completed":
        return (["received", "foc_sent", "completed"] if r < 0.97 else
                ["received", "expedite_review", "foc_sent", "completed"]), ""  # fmt: skip
    if r < 0.5:
        return ["received", "foc_sent", "cancelled"], "sup1"
    if r < 0.85:
        return ["received", "foc_sent", "cancelled"], "r11"
    return ["received", "cancelled"], "sup1"
