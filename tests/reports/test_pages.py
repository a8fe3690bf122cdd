"""The reports pages as people use them: managers see every section and each carrier's
scorecard, porting staff only their own desk figures; each table's CSV is the table."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from orders.csv_safety import csv_safe
from reports.report import build_report, build_scorecard
from reports.rollup import roll_range

from .conftest import WINDOW_FIRST, WINDOW_LAST

pytestmark = pytest.mark.django_db

RANGE = {"first": str(WINDOW_FIRST), "last": str(WINDOW_LAST), "group": "week"}


@pytest.fixture
def rolled(desk):
    roll_range(WINDOW_FIRST, timezone.localdate() - datetime.timedelta(days=1))
    return desk


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def _as_csv(table):
    return [[csv_safe(h) for h in table.headers]] + [
        ["" if v is None else csv_safe(v) for v in row] for row in table.rows
    ]


def test_a_manager_sees_port_in_port_out_and_the_desk_with_charts(rolled, maria_client):
    response = maria_client.get(reverse("reports:index"), RANGE)

    assert response.status_code == 200
    html = response.content.decode()
    for slug in ("in-periods", "in-carriers", "in-reasons", "out-periods", "out-carriers"):
        assert f'data-testid="table-{slug}"' in html
    for slug in ("out-rules", "desk-actions", "desk-periods", "desk-holdings"):
        assert f'data-testid="table-{slug}"' in html
    assert html.count("<svg") >= 5 and "<polyline" in html
    assert " style=" not in html.split("<main", 1)[-1]  # the CSP allows no inline style
    assert "Acme Wireless" in html


def test_every_table_downloads_as_the_same_csv(rolled, maria_client):
    report = build_report(WINDOW_FIRST, WINDOW_LAST, "week")
    slugs = [t.slug for tables in report.sections.values() for t in tables]
    assert len(slugs) == 9
    for slug in slugs:
        response = maria_client.get(reverse("reports:csv", args=[slug]), RANGE)
        assert response.status_code == 200, slug
        assert response["Content-Type"].startswith("text/csv")
        assert _csv_rows(response) == _as_csv(report.table(slug)), slug


def test_a_carrier_name_that_looks_like_a_formula_is_neutralised_in_the_csv(rolled, maria_client):
    response = maria_client.get(reverse("reports:csv", args=["in-carriers"]), RANGE)

    names = [row[0] for row in _csv_rows(response)[1:]]
    assert "'=Gamma" in names and "=Gamma" not in names


def test_staff_see_only_their_own_desk_figures(rolled, alice_client, alice, maria):
    response = alice_client.get(reverse("reports:index"), RANGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="table-desk-actions"' in html
    assert 'data-testid="table-in-periods"' not in html
    assert 'data-testid="table-out-carriers"' not in html
    assert maria.get_full_name() not in html.split("<main", 1)[-1]
    actions = _csv_rows(alice_client.get(reverse("reports:csv", args=["desk-actions"]), RANGE))
    assert [row[0] for row in actions[1:]] == [alice.get_full_name()]
    everyone = build_report(WINDOW_FIRST, WINDOW_LAST, "week").table("desk-actions").rows
    assert actions[1] == [
        str(v) for v in next(r for r in everyone if r[0] == alice.get_full_name())
    ]
    # A manager's table is not there to download either.
    assert alice_client.get(reverse("reports:csv", args=["in-periods"]), RANGE).status_code == 404


def test_staff_may_not_open_a_carrier_scorecard(rolled, alice_client):
    carrier = rolled.carriers[0]
    assert alice_client.get(reverse("reports:scorecard", args=[carrier.pk])).status_code == 403


def test_the_carrier_page_links_its_scorecard_for_managers(rolled, maria, alice):
    maria_client, alice_client = Client(), Client()
    maria_client.force_login(maria)
    alice_client.force_login(alice)
    carrier = rolled.carriers[0]
    url = reverse("reports:scorecard", args=[carrier.pk])

    assert url in maria_client.get(reverse("carriers:detail", args=[carrier.pk])).content.decode()
    assert (
        url not in alice_client.get(reverse("carriers:detail", args=[carrier.pk])).content.decode()
    )
    response = maria_client.get(url, RANGE)
    assert response.status_code == 200
    assert f"{carrier.name}: scorecard" in response.content.decode()
    card = build_scorecard(WINDOW_FIRST, WINDOW_LAST, "week", carrier=carrier)
    download = maria_client.get(
        reverse("reports:scorecard_csv", args=[carrier.pk, "in-periods"]), RANGE
    )
    assert _csv_rows(download) == _as_csv(card.table("in-periods"))


def test_the_navbar_links_the_reports_for_the_desk_only(rolled, maria_client, client, bob):
    assert 'data-testid="nav-reports"' in maria_client.get(reverse("dashboard")).content.decode()
    client.force_login(bob)
    assert 'data-testid="nav-reports"' not in client.get(reverse("dashboard")).content.decode()
    assert client.get(reverse("reports:index")).status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"first": "2026-11-05", "last": "2026-11-01"}, "The last day comes before the first."),
        ({"first": "2024-01-01", "last": "2026-11-01"}, "at most 400 days"),
        ({"first": "soon"}, "Enter a valid date."),
    ],
)
def test_a_bad_range_is_answered_by_the_form_naming_the_field(db, maria_client, query, message):
    response = maria_client.get(reverse("reports:index"), query)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'data-testid="table-in-periods"' not in response.content.decode()


def test_the_default_range_is_the_last_six_months_by_month_with_today_live(rolled, maria_client):
    response = maria_client.get(reverse("reports:index"))

    report = response.context["report"]
    assert report.last == timezone.localdate() and report.grouping == "month"
    assert report.first.day == 1 and len(report.sections["in"][0].rows) == 7  # 6 months + range
    assert report.live_today


def test_the_page_reads_the_rollup_in_a_fixed_number_of_queries(
    rolled, maria_client, django_assert_max_num_queries
):
    # session, user, permissions; monthly and daily counts, daily and monthly durations, the
    # days at the ends, rolled days; today live (counts, durations, the sends and FOCs before
    # them, rejections, LSRs and their decisions, SUPs, CSR requests, comments, checks, CSR
    # answers, holdings (2): 14); carrier, reason and person names; the session's refresh (3):
    # whatever the range; by week the months' sums are read apart from the weeks' (1 more)
    with django_assert_max_num_queries(29):
        maria_client.get(
            reverse("reports:index"),
            {"first": "2026-01-01", "last": str(timezone.localdate()), "group": "week"},
        )
