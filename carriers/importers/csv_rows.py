"""What both CSV imports share: reading the file (header checks, one dict of stripped cells
per row, the line each row starts on), the cell parsers that raise `ValueError` with the reason,
and the results (`RowError`, `CsvImportError`, `ImportSummary`).
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

from django.core.exceptions import ValidationError

from carriers.models import SPID_VALIDATOR
from carriers.tn import InvalidTN, normalize_tn

TRUE_WORDS = {"1", "true", "yes", "y", "t"}
FALSE_WORDS = {"0", "false", "no", "n", "f", ""}
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")


# --- results and errors ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class RowError:
    """One problem in an import file: `line` counts the header as line 1."""

    line: int
    field: str
    message: str

    def __str__(self):
        return f"line {self.line}: {self.field}: {self.message}"


class CsvImportError(ValueError):
    """The file was refused: nothing was imported. `errors` lists every bad row."""

    def __init__(self, errors: Iterable[RowError]):
        self.errors = sorted(errors)
        count = len(self.errors)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the file, nothing imported:\n"
            + "\n".join(str(error) for error in self.errors)
        )


@dataclass(slots=True)
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


# A dry run lists this many of the changes it found (the counts cover them all).
CHANGES_LISTED = 50


@dataclass(frozen=True, slots=True)
class Change:
    """One row the import creates or updates, as a dry run lists it (never a PIN or a full
    account number: `label` is what the admin's lists show)."""

    line: int
    kind: str  # "carrier", "SPID", "number", ...
    action: str  # "create" or "update"
    label: str
    detail: str = ""


@dataclass(slots=True)
class ImportSummary:
    """Counts per kind of row, in the order they were written (e.g. "numbers", "accounts"),
    and the first `CHANGES_LISTED` changes; `dry_run`: they were rolled back."""

    counts: dict[str, Counts] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    dry_run: bool = False

    @property
    def lists_more(self) -> bool:
        """Whether another change would still be listed (callers skip building its detail)."""
        return len(self.changes) < CHANGES_LISTED

    def note(self, line: int, kind: str, action: str, label: str, detail: str = "") -> None:
        if self.lists_more:
            self.changes.append(Change(line, kind, action, label, detail))

    def lines(self) -> list[str]:
        return [f"{label}: {counts}" for label, counts in self.counts.items()]

    def as_json(self) -> dict:
        return {
            "counts": {label: asdict(counts) for label, counts in self.counts.items()},
            "changes": [asdict(c) for c in sorted(self.changes, key=lambda c: c.line)],
            "dry_run": self.dry_run,
        }

    def __str__(self):
        return "; ".join(self.lines())


# `progress(rows_done, rows_total)`, called now and then while the rows are checked.
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 500


def report_progress(progress: Progress | None, done: int, total: int) -> None:
    """Call `progress` every PROGRESS_EVERY rows and on the last one (each call may write)."""
    if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
        progress(done, total)


# --- reading the CSV --------------------------------------------------------------------------

Source = str | Path | TextIO | Iterable[str]


@dataclass(slots=True)
class Row:
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


def _open_lines(source: Source) -> Iterator[str]:
    if isinstance(source, str | Path):
        with open(source, encoding="utf-8-sig", newline="") as handle:
            yield from handle
    else:
        first = True
        for line in source:
            if isinstance(line, bytes):
                line = line.decode("utf-8")
            if first:
                line = line.removeprefix("\ufeff")
                first = False
            yield line


def _header_name(raw: str) -> str:
    return re.sub(r"[\s\-]+", "_", raw.strip().lower())


def read_csv(
    source: Source, *, columns: Iterable[str], required: Iterable[str]
) -> tuple[set[str], list[Row], list[RowError]]:
    """Rows as dicts of stripped strings keyed by known column names, plus header errors."""
    known = list(columns)
    errors: list[RowError] = []
    reader = csv.reader(_open_lines(source))
    try:
        header = next(reader)
    except StopIteration:
        return set(), [], [RowError(1, "header", "the file is empty: a header row is needed")]
    except csv.Error as exc:
        return set(), [], [RowError(1, "header", f"not a readable CSV row ({exc})")]
    names = [_header_name(cell) for cell in header]
    present: set[str] = set()
    for name in names:
        if not name:
            continue
        if name not in known:
            errors.append(
                RowError(1, "header", f"unknown column {name!r} (known: {', '.join(known)})")
            )
        elif name in present:
            errors.append(RowError(1, "header", f"column {name!r} appears twice"))
        present.add(name)
    errors.extend(
        RowError(1, "header", f"missing required column {name!r}")
        for name in required
        if name not in present
    )
    rows: list[Row] = []
    last_line = reader.line_num
    while True:
        start = last_line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(start, "row", f"not a readable CSV row ({exc})"))
            break
        last_line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(names) and any(cell.strip() for cell in cells[len(names) :]):
            errors.append(
                RowError(start, "row", f"{len(cells)} cells but the header has {len(names)}")
            )
            continue
        values = {
            name: cell.strip() for name, cell in zip(names, cells, strict=False) if name in known
        }
        rows.append(Row(start, values))
    return present, rows, errors


# --- value parsers (raise ValueError with the reason) -------------------------------------------


def parse_bool(raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{raw!r} is not a yes/no value (use 1/0, true/false, yes/no or blank)")


def parse_choice(raw: str, choices, what: str) -> str:
    wanted = re.sub(r"[\s\-]+", "_", raw.strip().lower())
    for value, label in choices:
        if wanted in {value, re.sub(r"[\s\-]+", "_", str(label).lower())}:
            return value
    allowed = ", ".join(value for value, _label in choices)
    raise ValueError(f"{raw!r} is not a {what} (use one of: {allowed})")


def parse_time(raw: str) -> datetime.time:
    match = TIME_RE.match(raw.strip())
    if not match:
        raise ValueError(f"{raw!r} is not a 24-hour time HH:MM (e.g. 15:00)")
    return datetime.time(int(match[1]), int(match[2]), int(match[3] or 0))


def parse_spid_code(raw: str) -> str:
    code = raw.strip().upper()
    try:
        SPID_VALIDATOR(code)
    except ValidationError as exc:
        raise ValueError(f"{raw!r}: {exc.messages[0]}") from None
    return code


def parse_tn(raw: str) -> str:
    try:
        return normalize_tn(raw)
    except InvalidTN as exc:
        raise ValueError(str(exc)) from None


class Collector:
    """Collects RowErrors while parsing one row's cells."""

    def __init__(self):
        self.errors: list[RowError] = []

    def parse(self, row: Row, column: str, parser, *args, memo: dict | None = None):
        """`parser(cell, *args)`, the error recorded against the row; `memo` caches answers
        per cell text for columns whose values repeat (SPIDs, choices, yes/no)."""
        raw = row.values.get(column, "")
        if memo is not None and raw in memo:
            value, error = memo[raw]
        else:
            try:
                value, error = parser(raw, *args), None
            except ValueError as exc:
                value, error = None, str(exc)
            if memo is not None:
                memo[raw] = (value, error)
        if error is not None:
            self.errors.append(RowError(row.line, column, error))
        return value

    def add(self, row: Row, column: str, message: str):
        self.errors.append(RowError(row.line, column, message))


def field_problem(model, name: str, value) -> str | None:
    """The first message of the model field's own validators (length, format) for `value`:
    the same check the admin runs, so the bulk import answers as the admin does."""
    try:
        model._meta.get_field(name).run_validators(value)
    except ValidationError as exc:
        return exc.messages[0]
    return None


def model_check(model, name: str):
    """A cell parser (for `Collector.parse`, memo-friendly) that passes the cell through the
    model field's own validators."""

    def check(raw: str) -> str:
        problem = field_problem(model, name, raw)
        if problem:
            raise ValueError(problem)
        return raw

    return check
