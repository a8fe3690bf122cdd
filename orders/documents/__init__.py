"""Carrier correspondence the portal makes (issue 17): the LSR and SUPs of a port-in, the
FOC, reject, CSR answer and expedite outcome of a port-out.

Each kind is built once, as a `Content` (kinds.py: one builder per kind, registered with
the contact role it goes to), and that one content renders both the PDF (fpdf2, pure
Python) and the plain-text email body, so the two always say the same. Sending, storing
and resending are `orders.services.carrier_documents`'s job; this package only renders.
"""

from . import portin_kinds  # noqa: F401  (registers the LSR and SUP kinds)
from .content import Content, render_pdf, render_text
from .kinds import REGISTRY, DocumentKind, get_kind

__all__ = ["REGISTRY", "Content", "DocumentKind", "get_kind", "render_pdf", "render_text"]
