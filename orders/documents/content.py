"""One document's content and its two renderings: a PDF and a plain-text email body."""

from __future__ import annotations

from dataclasses import dataclass, field

from fpdf import FPDF

# fpdf2's core fonts are Latin-1: the few typographic characters the portal writes are
# mapped, anything else becomes "?" rather than failing the decision that sends it.
_LATIN1 = str.maketrans({"→": "->", "“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})

# TNs per line of the PDF's number list: a 2,000-TN order stays ~60 lines, not 2,000 cells.
_TNS_PER_LINE = 6


def _latin1(text: str) -> str:
    return str(text).translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


@dataclass
class Content:
    """What a document says: a title, labelled fields, sections of lines and the TNs."""

    title: str
    subject: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    tns: list[str] = field(default_factory=list)
    tn_heading: str = "Telephone numbers"
    filename: str = "document.pdf"


def render_text(content: Content) -> str:
    lines = [content.title, "=" * len(content.title), ""]
    lines += [f"{label}: {value}" for label, value in content.fields]
    for heading, body in content.sections:
        lines += ["", heading, "-" * len(heading), *body]
    if content.tns:
        lines += ["", f"{content.tn_heading} ({len(content.tns)})", "-" * len(content.tn_heading)]
        lines += content.tns
    return "\n".join(lines) + "\n"


def render_pdf(content: Content, *, appendices: tuple[Content, ...] = ()) -> bytes:
    """The PDF; each appendix on a page of its own after it (a signed LOA's signature page)."""
    pdf = FPDF(format="Letter")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(_latin1(content.title))
    for part in (content, *appendices):
        pdf.add_page()
        _write(pdf, part)
    return bytes(pdf.output())


def _write(pdf: FPDF, content: Content) -> None:
    width = pdf.epw
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(width, 8, _latin1(content.title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", size=10)
    for label, value in content.fields:
        pdf.multi_cell(width, 5, _latin1(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
    for heading, body in content.sections:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 11)
        pdf.multi_cell(width, 6, _latin1(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        for line in body:
            pdf.multi_cell(width, 5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    if content.tns:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 11)
        heading = f"{content.tn_heading} ({len(content.tns)})"
        pdf.multi_cell(width, 6, _latin1(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Courier", size=9)
        for start in range(0, len(content.tns), _TNS_PER_LINE):
            line = "   ".join(content.tns[start : start + _TNS_PER_LINE])
            pdf.cell(width, 4.5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
