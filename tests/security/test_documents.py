"""Documents (LOAs, bills) are served only through the login-checked download view, as an
attachment with the content type found at upload, from a storage path nobody can guess."""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views import static

from orders.models import Document

from .conftest import create_portin_order

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
RANDOM_PATH = re.compile(r"^documents/[0-9a-f]{2}/[0-9a-f]{32}$")


def _upload(client, order, name, content, kind="loa"):
    return client.post(
        reverse("orders:document_upload", args=[order.pk]),
        {"document-kind": kind, "document-file": SimpleUploadedFile(name, content)},
    )


def test_upload_is_stored_under_a_random_path_not_its_name(world, alice_client):
    order = create_portin_order(alice_client)
    _upload(alice_client, order, "../../etc/Known Customer LOA.pdf", PDF)
    _upload(alice_client, order, "Known Customer LOA.pdf", PDF)
    first, second = Document.objects.order_by("pk")
    for document in (first, second):
        assert RANDOM_PATH.match(document.file.name), document.file.name
        assert "LOA" not in document.file.name and ".pdf" not in document.file.name
        assert document.original_name == "Known Customer LOA.pdf"
        assert document.content_type == "application/pdf"
    assert first.file.name != second.file.name


def test_download_needs_login_and_is_an_attachment_with_the_stored_type(
    world, alice_client, client
):
    order = create_portin_order(alice_client)
    _upload(alice_client, order, "loa.pdf", PDF)
    document = Document.objects.get()
    url = reverse("orders:document_download", args=[document.pk])

    response = alice_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="loa.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF

    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))


def test_html_disguised_as_a_document_is_served_as_inert_text(world, alice_client):
    order = create_portin_order(alice_client)
    _upload(alice_client, order, "invoice.pdf.html", b"<html><script>alert(1)</script></html>")
    document = Document.objects.get()
    assert document.content_type == "text/plain"
    response = alice_client.get(reverse("orders:document_download", args=[document.pk]))
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment;")


def test_an_executable_renamed_pdf_is_refused_and_nothing_is_stored(world, alice_client):
    order = create_portin_order(alice_client)
    response = _upload(alice_client, order, "loa.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    assert response.status_code == 200  # refused: the page again with the form and the error
    assert not Document.objects.exists()


def _views(resolver=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry)
        elif isinstance(entry, URLPattern):
            yield str(entry.pattern), entry.callback


def test_media_files_are_not_routed(world, alice_client):
    order = create_portin_order(alice_client)
    _upload(alice_client, order, "loa.pdf", PDF)
    document = Document.objects.get()
    for route, callback in _views():
        assert callback is not static.serve, f"{route} serves files straight from storage"
        assert "media" not in route.lower(), route
    for url in (
        f"/{document.file.name}",
        f"/media/{document.file.name}",
        f"{settings.MEDIA_URL or '/'}{document.file.name}",
    ):
        assert alice_client.get(url).status_code == 404, url
