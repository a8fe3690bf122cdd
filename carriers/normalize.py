"""How two values the desk compares are normalized: case and punctuation ignored
("AB-123 45" == "ab12345"). Pure (no settings, no Django), so the rules (orders.rules) and the
CPNI digests (carriers.cpni) share it without the rules importing anything of Django."""

from __future__ import annotations

import re

_NOT_ALNUM = re.compile(r"[^0-9A-Z]", re.ASCII)


def normalize_field(value: str | None) -> str:
    """Upper-case letters and digits only: how R18 compares an LSR's value with ours."""
    return _NOT_ALNUM.sub("", (value or "").upper())
