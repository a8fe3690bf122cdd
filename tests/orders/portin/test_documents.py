"""Documents: checked by content and size, stored under a random path, served only to
logged-in staff as an attachment."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orders.lifecycle import DomainError
from orders.models import Document
from orders.services.orders import document_add
from tests.factories import PortOrderFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def _upload(client, order, name, content, kind="loa"):
    return client.post(
        reverse("orders:document_upload", args=[order.pk]),
        {"document-kind": kind, "document-file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_a_pdf_is_stored_under_a_random_path_and_shown_on_the_timeline(alice_client):
    order = PortOrderFactory()

    response = _upload(alice_client, order, "signed LOA.pdf", PDF)

    document = Document.objects.get()
    assert document.content_type == "application/pdf"
    assert document.original_name == "signed LOA.pdf"
    assert document.size == len(PDF)
    assert "LOA" not in document.file.name and document.file.name.startswith("documents/")
    assert "signed LOA.pdf" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "detected"), [(WINDOWS_EXE, "x-msdownload"), (ELF, "x-executable")]
)
def test_an_executable_renamed_pdf_is_refused(alice_client, content, detected):
    order = PortOrderFactory()

    response = _upload(alice_client, order, "invoice.pdf", content)

    messages = " ".join(str(m) for m in response.context["messages"])
    assert "not an allowed document" in messages and detected in messages
    assert not Document.objects.exists()


def test_binary_junk_with_a_pdf_name_is_refused():
    order = PortOrderFactory()
    with pytest.raises(DomainError, match="not an allowed document"):
        document_add(
            order=order,
            kind="other",
            uploaded_file=SimpleUploadedFile("x.pdf", bytes(range(256)) * 4),
            by=None,
        )


def test_an_oversized_file_is_refused(alice_client, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    order = PortOrderFactory()

    response = _upload(alice_client, order, "bill.pdf", PDF + b"0" * 2048)

    messages = " ".join(str(m) for m in response.context["messages"])
    assert "limited to" in messages
    assert not Document.objects.exists()


def test_plain_text_and_csv_are_accepted(alice):
    order = PortOrderFactory()
    text = document_add(
        order=order,
        kind="csr",
        uploaded_file=SimpleUploadedFile("csr.txt", b"ACCOUNT ABC\n"),
        by=alice,
    )
    csv = document_add(
        order=order,
        kind="other",
        uploaded_file=SimpleUploadedFile("tns.csv", b"tn\n5035550101\n"),
        by=alice,
    )
    image = document_add(
        order=order, kind="bill", uploaded_file=SimpleUploadedFile("b.png", PNG), by=alice
    )
    assert (text.content_type, csv.content_type, image.content_type) == (
        "text/plain",
        "text/csv",
        "image/png",
    )


def test_download_is_an_attachment_with_the_stored_type(alice_client, alice):
    order = PortOrderFactory()
    document = document_add(
        order=order, kind="loa", uploaded_file=SimpleUploadedFile("loa.pdf", PDF), by=alice
    )

    response = alice_client.get(reverse("orders:document_download", args=[document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="loa.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_download_needs_a_login_and_a_desk_role(client, bob, alice):
    order = PortOrderFactory()
    document = document_add(
        order=order, kind="loa", uploaded_file=SimpleUploadedFile("loa.pdf", PDF), by=alice
    )
    url = reverse("orders:document_download", args=[document.pk])

    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    client.force_login(bob)
    assert client.get(url).status_code == 403


def test_documents_are_not_served_from_a_public_media_url(alice_client, alice):
    order = PortOrderFactory()
    document = document_add(
        order=order, kind="loa", uploaded_file=SimpleUploadedFile("loa.pdf", PDF), by=alice
    )
    assert alice_client.get("/media/" + document.file.name).status_code == 404
