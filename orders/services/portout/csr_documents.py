"""The CSR answer and CSR reject documents (issue 17), made, kept on the CSR request and
owed to the requesting carrier's CSR contacts through the outbox, in the answer's
transaction (a rolled-back answer sends nothing)."""

from __future__ import annotations

from carriers.models import Contact
from orders import emails
from orders.documents import render_pdf, render_text
from orders.documents.csr import csr_answer, csr_answer_email_body, csr_reject
from orders.models import CsrRequest, Document
from orders.services.carrier_documents import contact_emails, document_store
from orders.services.outbox import queue


def send_csr_document(csr_request: CsrRequest, *, shown: dict, by, now) -> Document:
    """The answer stored on `csr_request` as a document: the CSR answer, or a reject notice.
    `shown`: the answer as the requester is given it (csr_requests.csr_answer_shown)."""
    if csr_request.status == CsrRequest.Status.ANSWERED:
        kind = Document.Kind.CSR_ANSWER
        content = csr_answer(csr_request, shown)
        body = csr_answer_email_body(csr_request, content)
    else:
        kind = Document.Kind.REJECT_NOTICE
        content = csr_reject(csr_request, shown)
        body = render_text(content)
    document = document_store(None, kind, content, render_pdf(content), by=by, now=now)
    document.csr_request = csr_request
    recipients = contact_emails(csr_request.requesting_carrier, Contact.Role.CSR)
    if recipients:
        document.sent_to = ", ".join(recipients)[:300]
        document.email_id = queue(
            emails.CARRIER_DOCUMENT,
            recipients=recipients,
            context={"subject": content.subject, "body": body},
            now=now,
        )
    # With no CSR contact the document is still kept: the CSR page shows it as not sent.
    document.save()
    return document
