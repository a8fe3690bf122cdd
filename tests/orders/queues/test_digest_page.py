"""The managers' digest as a page: each line is the count its linked queue page shows, and the
daily email carries the same counts from the same function."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from orders.models import DigestLog
from orders.services import digest
from tests.factories import CsrRequestFactory

from .conftest import client_for

pytestmark = pytest.mark.django_db


def _page(user):
    response = client_for(user).get(reverse("orders:digest"))
    assert response.status_code == 200
    return response


@pytest.fixture
def late_csr_request(world):
    # Past the 24-hour answer clock (R1): the CSR line counts the queue's overdue view.
    now = timezone.now()
    return CsrRequestFactory(
        requesting_carrier=world.rival,
        tns=["5035550178"],
        received_at=now - datetime.timedelta(hours=30),
        due_at=now - datetime.timedelta(hours=6),
    )


def test_it_shows_each_line_with_the_count_its_linked_queue_page_shows(
    world, maria, late_csr_request
):
    response = _page(maria)
    lines = response.context["digest"].needs_a_manager
    html = response.content.decode()

    client = client_for(maria)
    for counted in lines:
        assert f'href="{counted.url}"' in html
        queue_page = client.get(counted.url)
        assert queue_page.status_code == 200
        assert queue_page.context["total"].value == counted.value, counted.line.key
    by_key = {counted.line.key: counted.value for counted in lines}
    # Both desks' open rejections (the email used to count the port-in ones: 3 of these 4).
    assert by_key["rejections_to_review"] == 4
    assert by_key["csr_requests_overdue"] == 1
    assert by_key["npac_cancels_unsent"] == 1
    assert [c.url for c in lines if c.line.key == "csr_requests_overdue"] == [
        reverse("orders:queue", args=["out-csr-requests"]) + "?overdue=1"
    ]


def test_the_email_carries_the_counts_the_page_shows(
    world, maria, late_csr_request, django_capture_on_commit_callbacks
):
    now = timezone.now()
    today = timezone.localdate(now)
    since = digest.digest_since(today)
    shown = _page(maria).context["digest"]
    with django_capture_on_commit_callbacks(execute=True):
        digest.manager_digest_queue(
            user=maria,
            counts=digest.digest_counts(now=now, since=since),
            today=today,
            since=since,
            now=now,
        )

    assert DigestLog.objects.get(user=maria).counts == shown.counts()
    body = mail.outbox[0].body
    for counted in (*shown.needs_a_manager, *shown.cancelled_by_jobs):
        # Each page line, word for word, with its count.
        assert re.search(rf"{re.escape(counted.line.label)} \.+ {counted.value}\n", body), (
            counted.line.label
        )


def test_it_is_for_managers_and_the_dashboard_links_it_for_them_only(world, maria, alice):
    assert client_for(alice).get(reverse("orders:digest")).status_code == 403

    link = f'href="{reverse("orders:digest")}"'
    assert link in client_for(maria).get(reverse("dashboard")).content.decode()
    assert link not in client_for(alice).get(reverse("dashboard")).content.decode()


def test_it_says_what_the_jobs_cancelled_since_the_previous_business_day(maria):
    page = _page(maria)
    html = page.content.decode()
    shown = page.context["digest"]
    assert shown.since == digest.digest_since(timezone.localdate())
    assert [c.line.key for c in shown.cancelled_by_jobs] == ["auto_cancelled_f4", "cancelled_r11"]
    assert "Cancelled by the scheduled jobs" in html
