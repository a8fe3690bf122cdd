"""The registry of document kinds: for each, the contact role it goes to and the one
builder whose `Content` renders both its PDF and its email body.

Builders read the order (and what the decision hands them) and return plain content.
Never a PIN or an account number: a reject names the R18 field that does not match, not
our stored value, and what the requester must fix comes from the reject catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from carriers.models import Contact
from carriers.tn import format_tn
from orders.models import Document

from .content import Content

R18 = "R18"  # orders.rules.validation_fields.R18; the documents package reads no rules


@dataclass(frozen=True)
class DocumentKind:
    kind: str  # a Document.Kind value
    role: str  # the other carrier's carriers.Contact.Role it is sent to
    build: Callable[..., object]


REGISTRY: dict[str, DocumentKind] = {}


def register(kind: str, role: str):
    def wrap(build):
        REGISTRY[kind] = DocumentKind(kind, role, build)
        return build

    return wrap


def get_kind(kind: str) -> DocumentKind:
    return REGISTRY[kind]


def _date(value) -> str:
    return f"{value:%Y-%m-%d}" if value else "-"


def _tns(order) -> list[str]:
    return [format_tn(n.tn) for n in order.numbers.all()]


def _head(order) -> list[tuple[str, str]]:
    return [
        ("PON", order.pon),
        ("VER", str(order.version)),
        ("From", order.losing_carrier.name),
        ("To", order.new_carrier.name),
    ]


def _name(order, kind: str) -> str:
    return f"{order.pon}-VER{order.version}-{kind}.pdf"


# --- port-out: decided on our desk, sent to the requesting (new) carrier --------------------


@register(Document.Kind.FOC_NOTICE, Contact.Role.LSR)
def foc_notice(order, **_):
    return Content(
        title=f"FOC notice - PON {order.pon} VER {order.version}",
        subject=f"FOC {_date(order.foc_date)} for PON {order.pon} VER {order.version}",
        fields=[
            *_head(order),
            ("FOC date", _date(order.foc_date)),
            ("Port window ends", _date(order.port_window_ends_on)),
        ],
        sections=[("How the FOC date was reached", [order.foc_explanation or "-"])],
        tns=_tns(order),
        filename=_name(order, "FOC"),
    )


def finding_line(finding: dict) -> str:
    code = finding.get("code") or "-"
    rule = finding.get("rule", "")
    where = finding.get("field_or_tn", "")
    if rule == R18:
        # Never our stored value: the requester is told which field to check, nothing more.
        return f"{code} ({rule}) {where}: does not match the account on our records."
    return f"{code} ({rule}) {where}: {finding.get('message', '')}"


@register(Document.Kind.REJECT_NOTICE, Contact.Role.LSR)
def reject_notice(order, *, findings: Sequence[dict] = (), reasons: Sequence[dict] = (), **_):
    fix = [f"{r['code']} {r['title']}: {r['instructions']}" for r in reasons]
    return Content(
        title=f"Reject notice - PON {order.pon} VER {order.version}",
        subject=f"Reject for PON {order.pon} VER {order.version}: "
        + ", ".join(r["code"] for r in reasons),
        fields=[*_head(order), ("Reject codes", ", ".join(r["code"] for r in reasons))],
        sections=[
            ("Findings", [finding_line(f) for f in findings] or ["-"]),
            ("What to fix before you resubmit (VER + 1)", fix or ["-"]),
        ],
        tns=_tns(order),
        filename=_name(order, "reject"),
    )


@register(Document.Kind.EXPEDITE_OUTCOME, Contact.Role.LSR)
def expedite_outcome(order, *, accepted: bool = False, **_):
    verdict = "accepted" if accepted else "refused"
    return Content(
        title=f"Expedite {verdict} - PON {order.pon} VER {order.version}",
        subject=f"Expedite {verdict}: FOC {_date(order.foc_date)} for PON {order.pon}",
        fields=[
            *_head(order),
            ("Requested due date", _date(order.requested_due_date)),
            ("Expedite", verdict),
            ("FOC date", _date(order.foc_date)),
        ],
        sections=[("How the FOC date was reached", [order.foc_explanation or "-"])],
        tns=_tns(order),
        filename=_name(order, "expedite"),
    )
