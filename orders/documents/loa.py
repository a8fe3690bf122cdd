"""The end user's letter of authorization (LOA) for a port-in (issue 19), and the signature
page of the copy they signed through their link.

Not a carrier document of the registry (`kinds.py`): it is not sent to a carrier contact; it
is shown to the customer, signed, and kept on the order as its LOA. The same `Content`
renders the PDF and the page's text, so the customer reads what the PDF says.

Never the PIN, and the account number masked: the LOA is shown on a page reached without a
login (the carrier identifies the account by the TNs, the BTN and the address).
"""

from __future__ import annotations

from dataclasses import asdict

from carriers.cpni import mask_account_number
from carriers.tn import format_tn

from .content import Content, render_pdf

AUTHORIZATION_TEXT = [
    "I authorize {new} to act as my agent to port (transfer) the telephone numbers listed "
    "below from {losing} to {new}, and to request from {losing} the customer service record "
    "of the account they are on.",
    "I am the end user of these numbers, or authorized to act for the account holder, and "
    "I understand that the port ends my service with {losing} for the numbers that move; "
    "any service that stays with {losing} is billed by it as before.",
    "I understand that I may have to pay {losing} what I owe under my agreement with it.",
]


def _line(*parts: str) -> str:
    return ", ".join(p for p in parts if p) or "-"


def loa_content(order) -> Content:
    """The LOA as the order says it now: end user, service address, TNs, losing carrier and
    the authorized person."""
    new, losing = order.new_carrier.name, order.losing_carrier.name
    tns = [format_tn(tn) for tn in order.numbers.order_by("tn").values_list("tn", flat=True)]
    return Content(
        title="Letter of Authorization (LOA) to port telephone numbers",
        subject=f"LOA for port order {order.pon}",
        fields=[
            ("Port order (PON)", order.pon),
            ("End user (account name)", order.account_name or "-"),
            ("Authorized person", order.authorized_person or "-"),
            (
                "Service address",
                _line(order.service_address, order.city, order.state, order.zip_code),
            ),
            ("Billing telephone number (BTN)", format_tn(order.btn) if order.btn else "-"),
            ("Account number", mask_account_number(order.account_number).replace("•", "*") or "-"),
            ("Current carrier (losing)", losing),
            ("New carrier", new),
        ],
        sections=[
            (
                "Authorization",
                [text.format(new=new, losing=losing) for text in AUTHORIZATION_TEXT],
            )
        ],
        tns=tns,
        tn_heading="Telephone numbers to port",
        filename=f"{order.pon}-LOA.pdf",
    )


def content_as_json(content: Content) -> dict:
    return asdict(content)


def content_from_json(data: dict) -> Content:
    return Content(
        title=data["title"],
        subject=data["subject"],
        fields=[tuple(f) for f in data.get("fields", [])],
        sections=[(heading, list(lines)) for heading, lines in data.get("sections", [])],
        tns=list(data.get("tns", [])),
        tn_heading=data.get("tn_heading", "Telephone numbers"),
        filename=data.get("filename", "LOA.pdf"),
    )


def signature_page(
    *,
    signer_name: str,
    signer_title: str,
    signed_at: str,
    ip_address: str,
    user_agent: str,
    document_sha256: str,
    document_name: str,
) -> Content:
    return Content(
        title="Electronic signature",
        subject="Electronic signature",
        fields=[
            ("Signed by", signer_name),
            ("Title", signer_title),
            ("Signed at", signed_at),
            ("IP address", ip_address or "-"),
            ("Browser (user agent)", user_agent or "-"),
            ("Document signed", document_name),
            ("SHA-256 of the document signed", document_sha256),
        ],
        sections=[
            (
                "Consent",
                [
                    "The signer typed their full name and title and ticked that they agree "
                    "to the authorization above, on the page their personal link opened.",
                    "The SHA-256 identifies the LOA as it was shown to the signer: the "
                    "pages before this one say the same.",
                ],
            )
        ],
        filename="signature.pdf",
    )


def render_signed_loa(content: Content, signature: Content) -> bytes:
    return render_pdf(content, appendices=(signature,))
