"""Every time a port-out page or export prints is in the portal's zone (issue 16): the rules'
run time stored as a UTC ISO string, the queue CSV that names its zone."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from orders.services import portout as services

from .conftest import make_lsr

pytestmark = pytest.mark.django_db

# 2026-11-16 18:00 UTC is 10:00 in Los Angeles (the portal's zone in the tests).
RUN_UTC = datetime.datetime(2026, 11, 16, 18, 0, tzinfo=datetime.UTC)


def test_findings_by_rule_shows_when_the_rules_ran_in_local_time(
    alice_client, make_account, requester, settings
):
    settings.TIME_ZONE = "America/Los_Angeles"
    _, tns = make_account(1)
    order = services.lsr_receive(
        requesting_carrier=requester, lsr=make_lsr(tns, received_at=RUN_UTC), now=RUN_UTC
    )

    html = alice_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()

    assert "Findings by rule" in html
    assert "(run 2026-11-16 10:00)" in html
    assert "2026-11-16T18:00" not in html


def test_the_queue_csv_names_the_zone_of_its_times(alice_client, make_account, requester):
    _, tns = make_account(1)
    services.lsr_receive(
        requesting_carrier=requester, lsr=make_lsr(tns, received_at=RUN_UTC), now=RUN_UTC
    )

    response = alice_client.get(reverse("orders:queue_export", args=["out-lsrs"]))
    header = next(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert "Received (America/Los_Angeles)" in header
