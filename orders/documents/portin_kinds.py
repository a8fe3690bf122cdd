"""The port-in documents we send the losing carrier (issue 17): the LSR, at submit and at
each resubmission (VER+1), and each SUP (1 cancel, 2 new due date, 3 other).

A simple port's LSR carries the 47 CFR 52.36 standard fields (TNs, account number, ZIP,
passcode); any other LSR carries the LSR fields the order holds. Either way the TNs are
listed with their disposition, and the authorization indicator is stated.

The PIN is never written into a document: the kept PDF can be downloaded by anyone who sees
the order and resent by email, which would bypass the `reveal_pin` permission and its
audit. The LSR says whether a PIN is on file; the desk gives it to the losing carrier on
request. The account number is masked, as in every kept LSR version (`LsrVersion`).
"""

from __future__ import annotations

from carriers.models import Contact
from carriers.tn import format_tn
from orders.models import Document, OrderNumber, PortOrder, Supplement

from .content import Content
from .kinds import _date, register

_PER_LINE = 6  # TNs per line in the sections of TNs not ported, as content.py lists them
_DISPOSITIONS = (
    (OrderNumber.Disposition.DISCONNECT, "TNs to disconnect"),
    (OrderNumber.Disposition.REMAIN, "TNs that remain on the account"),
)


def _yes(value) -> str:
    return "yes" if value else "no"


def _is_simple(order: PortOrder) -> bool:
    override = order.simple_port_override
    return order.simple_port if override is None else override


def _numbers(order: PortOrder) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {d: [] for d in OrderNumber.Disposition.values}
    for tn, disposition in order.numbers.order_by("tn").values_list("tn", "disposition"):
        found[disposition].append(format_tn(tn))
    return found


def _lines(tns: list[str]) -> list[str]:
    return ["   ".join(tns[i : i + _PER_LINE]) for i in range(0, len(tns), _PER_LINE)]


def _head(order: PortOrder) -> list[tuple[str, str]]:
    head = [
        ("PON", order.pon),
        ("VER", str(order.version)),
        ("From (new carrier)", order.new_carrier.name),
        ("To (losing carrier)", order.losing_carrier.name),
    ]
    if order.route != PortOrder.Route.DIRECT and order.route_via_id:
        head.append(("Sent via", f"{order.route_via.name} ({order.get_route_display()})"))
    return head


def _account_number(order: PortOrder) -> str:
    # The mask's bullets are not Latin-1 (the PDF's core fonts): stars say the same.
    return (order.masked_account_number or "-").replace("\u2022", "*")


def _pin(order: PortOrder) -> str:
    if not order.has_pin:
        return "none given"
    return "on file: given by our porting desk on request (never written into documents)"


def _lsr_fields(order: PortOrder) -> list[tuple[str, str]]:
    if _is_simple(order):
        # 47 CFR 52.36: the standard fields of a simple port's LSR.
        return [
            ("Simple port", "yes (47 CFR 52.36 standard fields)"),
            ("Account number", _account_number(order)),
            ("ZIP code", order.zip_code or "-"),
            ("Passcode / PIN", _pin(order)),
            ("Requested due date", _date(order.requested_due_date)),
            ("End-user authorization indicated", _yes(order.authorization_indicator)),
        ]
    fields = [
        ("Simple port", "no"),
        ("REQTYPE", order.reqtype or "-"),
        ("ACT", order.act or "-"),
        ("MI", order.mi or "-"),
        ("Requested due date (DDD)", _date(order.requested_due_date)),
        ("Expedite", _yes(order.expedite)),
        ("Account name", order.account_name or "-"),
        ("Account number", _account_number(order)),
        ("BTN", format_tn(order.btn) if order.btn else "-"),
        ("Authorized person", order.authorized_person or "-"),
        ("Service address", order.service_address or "-"),
        ("City, state, ZIP", f"{order.city} {order.state} {order.zip_code}".strip() or "-"),
        ("Passcode / PIN", _pin(order)),
        ("End-user authorization indicated", _yes(order.authorization_indicator)),
    ]
    return fields


def _tn_content(order: PortOrder) -> dict:
    numbers = _numbers(order)
    sections = [
        (f"{heading} ({len(numbers[d])})", _lines(numbers[d]))
        for d, heading in _DISPOSITIONS
        if numbers[d]
    ]
    return {
        "tns": numbers[OrderNumber.Disposition.PORT],
        "tn_heading": "TNs to port",
        "sections": sections,
    }


@register(Document.Kind.LSR, Contact.Role.LSR)
def lsr(order: PortOrder, *, note: str = "", **_):
    again = order.version > 1
    tn_content = _tn_content(order)
    sections = tn_content.pop("sections")
    if order.remarks:
        sections.insert(0, ("Remarks", order.remarks.splitlines()))
    if again and note:
        sections.insert(0, ("Changed since the last version", [note]))
    return Content(
        title=f"LSR - PON {order.pon} VER {order.version}",
        subject=f"LSR PON {order.pon} VER {order.version}"
        + (" (resubmission)" if again else "")
        + f": port to {order.new_carrier.name}, due {_date(order.requested_due_date)}",
        fields=[*_head(order), *_lsr_fields(order)],
        sections=sections,
        filename=f"{order.pon}-VER{order.version}-LSR.pdf",
        **tn_content,
    )


@register(Document.Kind.SUP, Contact.Role.LSR)
def sup(order: PortOrder, *, sup_type: int, remarks: str = "", previous_foc_date=None, **_):
    label = Supplement.Type(sup_type).label
    fields = [*_head(order), ("SUP", label)]
    if sup_type == Supplement.Type.NEW_DUE_DATE:
        fields.append(("New requested due date", _date(order.requested_due_date)))
    if previous_foc_date is not None:
        fields.append(("FOC date voided", _date(previous_foc_date)))
    heading = "Reason for the cancel" if sup_type == Supplement.Type.CANCEL else "Remarks"
    tn_content = _tn_content(order)
    sections = [(heading, (remarks or "-").splitlines()), *tn_content.pop("sections")]
    return Content(
        title=f"SUP {sup_type} - PON {order.pon} VER {order.version}",
        subject=f"{label} for PON {order.pon} VER {order.version}",
        fields=fields,
        sections=sections,
        filename=f"{order.pon}-VER{order.version}-SUP{sup_type}.pdf",
        **tn_content,
    )
