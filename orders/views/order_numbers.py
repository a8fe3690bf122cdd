"""The order page's numbers card (each TN of a small order, a project port's TNs as ranges)
and the CSV of every TN behind it."""

import csv
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from carriers.timefmt import csv_time, local_time
from orders.models import OrderNumber, PortOrder
from orders.tn_ranges import TNRange, tn_ranges
from orders.views.common import require

# What the numbers card reads of each TN: values, not model instances (a project port's 2,000
# instances with a get_*_display and a |date per row were most of its page's time).
NUMBER_FIELDS = ("tn", "disposition", "npac_status", "activated_at")
# Lines of the numbers card at most; the CSV download always lists every TN.
MAX_NUMBER_ROWS = 100
# Lines shown before "Show all": a 24-TN LSR's table would otherwise push the rest of the
# page (the port-out section, the timeline) a screen down.
FOLDED_NUMBER_ROWS = 20
_DISPOSITION_LABELS = dict(OrderNumber.Disposition.choices)
_NPAC_LABELS = dict(OrderNumber.NpacStatus.choices)


@dataclass(frozen=True)
class NumberRow:
    """One line of the numbers card: one TN, or a range of consecutive TNs in one state."""

    tns: str
    count: int
    disposition: str
    npac_status: str
    activated: str


def _activated_label(times) -> str:
    """When the TNs of a line were activated: one minute, or the first and last."""
    stamps = [t for t in times if t is not None]
    if not stamps:
        return ""
    first = local_time(min(stamps))
    last = local_time(max(stamps))
    if first == last:
        return first
    return f"{first} – {last[11:] if first[:10] == last[:10] else last}"


def _number_state(row) -> tuple:
    _tn, disposition, npac_status, activated_at = row
    return disposition, npac_status, activated_at is not None


def _tn_of(row) -> str:
    return row[0]


def number_rows(ranges: list[TNRange]) -> list[NumberRow]:
    """The numbers card's lines from ranges of (tn, disposition, npac_status, activated_at)
    rows keyed by `_number_state`."""
    rows = []
    for r in ranges:
        disposition, npac_status, activated = r.key
        rows.append(
            NumberRow(
                tns=r.label,
                count=r.count,
                disposition=_DISPOSITION_LABELS.get(disposition, disposition),
                npac_status=_NPAC_LABELS.get(npac_status, npac_status),
                activated=_activated_label(row[3] for row in r.rows) if activated else "",
            )
        )
    return rows


def numbers_context(numbers) -> dict:
    """The numbers card: each TN of a small order, a project port's TNs as ranges.

    `numbers` are (tn, disposition, npac_status, activated_at) rows. A range holds consecutive
    TNs with the same disposition, NPAC state and activation (activated or not), so it hides
    no state; each TN's exact activation time is in the CSV. At most MAX_NUMBER_ROWS lines
    are listed, then how many more there are (TNs scattered over many exchanges); the lines
    past FOLDED_NUMBER_ROWS are folded behind a "Show all".
    """
    ranges = tn_ranges(numbers, tn=_tn_of, key=_number_state)
    by_disposition: dict[str, int] = {}
    activated_count = 0
    for r in ranges:
        disposition, _npac_status, activated = r.key
        by_disposition[disposition] = by_disposition.get(disposition, 0) + r.count
        activated_count += r.count if activated else 0
    one_per_tn = len(numbers) < settings.PORTING["PROJECT_PORT_TNS"]
    if one_per_tn:
        ranges = [TNRange(row[0], row[0], r.key, (row,)) for r in ranges for row in r.rows]
    hidden = ranges[MAX_NUMBER_ROWS:]
    shown = min(len(ranges), MAX_NUMBER_ROWS)
    return {
        "tn_count": len(numbers),
        "activated_count": activated_count,
        "numbers_collapsed": not one_per_tn,
        "number_rows": number_rows(ranges[:MAX_NUMBER_ROWS]),
        # Lines past the first FOLDED_NUMBER_ROWS wait behind "Show all" (static/portal.js).
        "numbers_fold_at": FOLDED_NUMBER_ROWS,
        "numbers_folded": max(0, shown - FOLDED_NUMBER_ROWS),
        "hidden_rows": len(hidden),
        "hidden_tns": sum(r.count for r in hidden),
        "disposition_counts": by_disposition,
        # Only worth a mention when the order is not all "port" (a partial port-out, R13).
        "disposition_summary": [
            (_DISPOSITION_LABELS[key], by_disposition[key])
            for key in OrderNumber.Disposition.values
            if by_disposition.get(key)
        ]
        if set(by_disposition) - {OrderNumber.Disposition.PORT}
        else [],
    }


NUMBERS_CSV_HEADER = ["tn", "disposition", "npac_status", "activated_at"]


def order_numbers_csv(request, pk: int):
    """Every TN of the order, one row each: the full list behind the page's ranges.

    Only the numbers and their state: nothing of the account (no account number, no PIN).
    """
    require(request.user, "orders.view_portorder")
    order = get_object_or_404(PortOrder.objects.only("pk", "pon", "version"), pk=pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(NUMBERS_CSV_HEADER)
    for tn, disposition, npac_status, activated_at in order.numbers.values_list(*NUMBER_FIELDS):
        writer.writerow(
            [
                tn,
                _DISPOSITION_LABELS.get(disposition, disposition),
                _NPAC_LABELS.get(npac_status, npac_status),
                csv_time(activated_at),
            ]
        )
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", order.pon) or str(order.pk)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-v{order.version}-tns.csv"'
    return response
