"""The CSR answer (R1) and the CSR reject as documents to the requesting carrier's CSR
contact. A CSR request is not an order, so these builders read the request and its stored
answer rather than registering in kinds.REGISTRY (which builds from an order).

The answer carries the customer's record, since that is what a CSR is, but the account
number only as its last four digits: the PDF travels by email, where no account number goes,
and the requester must take the full number from the end user's bill for its LSR (R18
compares it). The desk's CSR page and print still show it in full.
"""

from __future__ import annotations

from carriers.tn import format_tn

from .content import Content
from .kinds import finding_line


def _masked(account_number: str | None) -> str:
    digits = (account_number or "").strip()
    return f"ending {digits[-4:]}" if len(digits) > 4 else "on the end user's bill"


def _head(csr_request) -> list[tuple[str, str]]:
    return [
        ("CSR request", f"#{csr_request.pk}"),
        ("Requesting carrier", csr_request.requesting_carrier.name),
        ("Received", f"{csr_request.received_at:%Y-%m-%d %H:%M %Z}"),
    ]


def _account_lines(account: dict) -> list[str]:
    lines = [
        f"Account name: {account.get('name', '')}",
        f"Account number: {_masked(account.get('account_number'))}",
        f"BTN: {format_tn(account.get('btn', ''))}",
        f"Authorized person: {account.get('authorized_person', '')}",
        "Service address: "
        + ", ".join(
            part
            for part in (
                account.get("service_address", ""),
                account.get("city", ""),
                f"{account.get('state', '')} {account.get('zip_code', '')}".strip(),
            )
            if part
        ),
        "",
        "TNs in service (line type, status, features):",
    ]
    for number in account.get("numbers", []):
        features = number.get("features") or "-"
        lines.append(
            f"  {format_tn(number['tn'])}  {number['line_type']}, {number['status']}, {features}"
        )
    return lines


def csr_answer(csr_request, answer: dict) -> Content:
    accounts = answer.get("accounts", [])
    return Content(
        title=f"CSR answer - request #{csr_request.pk}",
        subject=f"CSR answer for request #{csr_request.pk} ({len(csr_request.tns)} TNs)",
        fields=[*_head(csr_request), ("Accounts", str(len(accounts)))],
        sections=[
            (f"Account {index}", _account_lines(account))
            for index, account in enumerate(accounts, start=1)
        ]
        or [("Accounts", ["None of the requested TNs is on an account with us."])],
        tns=[format_tn(tn) for tn in answer.get("requested_tns", csr_request.tns)],
        tn_heading="Requested TNs",
        filename=f"CSR-{csr_request.pk}-answer.pdf",
    )


def csr_answer_email_body(csr_request, content: Content) -> str:
    """The email says the answer is attached and carries none of the customer's record."""
    return (
        f"{content.title}\n\n"
        f"The customer service record for CSR request #{csr_request.pk} "
        f"({len(csr_request.tns)} TNs) is attached as {content.filename}.\n"
        "The record itself is in the attachment only, not in this email.\n"
    )


def csr_reject(csr_request, answer: dict) -> Content:
    reasons = answer.get("reasons", [])
    codes = ", ".join(r["code"] for r in reasons)
    fix = [f"{r['code']} {r['title']}: {r['instructions']}" for r in reasons]
    sections = [
        ("Findings", [finding_line(f) for f in answer.get("findings", [])] or ["-"]),
        ("What to fix before you send the request again", fix or ["-"]),
    ]
    if answer.get("text"):
        sections.append(("Note from the porting desk", [answer["text"]]))
    return Content(
        title=f"Reject notice - CSR request #{csr_request.pk}",
        subject=f"Reject for CSR request #{csr_request.pk}: {codes}",
        fields=[*_head(csr_request), ("Reject codes", codes)],
        sections=sections,
        tns=[format_tn(tn) for tn in answer.get("requested_tns", csr_request.tns)],
        tn_heading="Requested TNs",
        filename=f"CSR-{csr_request.pk}-reject.pdf",
    )
