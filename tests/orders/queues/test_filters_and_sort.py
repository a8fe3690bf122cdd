"""Queue filters (django-filter), the search box and the whitelisted sorts."""

import datetime

import pytest
from django.utils import timezone

from orders.filters import normalize_tn_or_none
from orders.models import Rejection
from tests.factories import OrderNumberFactory
from tests.orders.queues.conftest import days, pons, queue_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    [
        "5035550123",
        "(503) 555-0123",
        "503-555-0123",
        "503.555.0123",
        "+1 503 555 0123",
        "1-503-555-0123",
    ],
)
def test_search_finds_an_order_by_any_usual_spelling_of_one_of_its_tns(alice_client, world, typed):
    assert pons(alice_client, "unassigned", q=typed) == {"IN-REVIEW"}


def test_search_by_tn_lists_an_order_once_even_with_several_matching_numbers(alice_client, world):
    # Same TN on a second line of the order would duplicate rows with a join; EXISTS does not.
    order = world["IN-REVIEW"]
    OrderNumberFactory(order=order, tn="5035550124")
    response = alice_client.get(queue_url("unassigned", q="5035550123"))
    assert [row.obj.pk for row in response.context["rows"]] == [order.pk]


def test_search_by_btn_pon_and_account_name(alice_client, world):
    world["IN-FOC-WEEK"].__class__.objects.filter(pk=world["IN-FOC-WEEK"].pk).update(
        btn="5035559999"
    )
    assert pons(alice_client, "in-foc-week", q="(503) 555-9999") == {"IN-FOC-WEEK"}
    assert pons(alice_client, "in-foc-week", q="IN-FOC-TODAY") == {"IN-FOC-TODAY"}
    assert pons(alice_client, "in-foc-week", q="in-foc-today") == {"IN-FOC-TODAY"}
    assert pons(alice_client, "in-drafts", q="acme bak") == {"IN-DRAFT"}


def test_search_that_matches_nothing_says_so(alice_client, world):
    response = alice_client.get(queue_url("in-drafts", q="nothing like this"))
    assert response.context["rows"] == []
    assert b"matches these filters" in response.content


def test_search_in_the_rejection_review_reaches_the_order(maria_client, world):
    assert pons(maria_client, "rejections", q="503 555 0123") == set()
    OrderNumberFactory(order=world["IN-EXCEPTION"], tn="5035550188")
    assert pons(maria_client, "rejections", q="503-555-0188") == {"IN-EXCEPTION"}


def test_csr_request_search_by_tn(alice_client, world):
    response = alice_client.get(queue_url("out-csr-requests", q="(503) 555-0177"))
    assert [row.obj for row in response.context["rows"]] == [world.csr_open]
    response = alice_client.get(queue_url("out-csr-requests", q="5035550100"))
    assert response.context["rows"] == []


def test_tn_normalisation_accepts_usual_formats_and_refuses_the_rest():
    assert normalize_tn_or_none("+1 (503) 555-0100") == "5035550100"
    assert normalize_tn_or_none("PON123") is None
    assert normalize_tn_or_none("555-0100") is None
    assert normalize_tn_or_none("") is None


def test_filter_by_carrier_takes_the_losing_or_requesting_carrier(alice_client, world):
    rival = world.rival.pk
    assert pons(alice_client, "unassigned", carrier=rival) == {
        "IN-CSR-MISMATCH",  # port-in losing carrier
        "OUT-LSR",  # port-out requesting carriers
        "OUT-EXPEDITE",
        "OUT-SUP-FLAG",
        "OUT-FOC-SENT",
    }


def test_filter_by_spid_status_direction_and_assignee(alice_client, world, alice):
    assert pons(alice_client, "unassigned", spid="t098") == {
        "IN-CSR-MISMATCH",
        "OUT-LSR",
        "OUT-EXPEDITE",
        "OUT-SUP-FLAG",
        "OUT-FOC-SENT",
    }
    assert pons(alice_client, "unassigned", status=["review", "rejected"]) == {
        "IN-REVIEW",
        "IN-REJECTED",
    }
    assert pons(alice_client, "unassigned", direction="out") == {
        "OUT-LSR",
        "OUT-EXPEDITE",
        "OUT-SUP-FLAG",
        "OUT-FOC-SENT",
    }
    assert pons(alice_client, "in-submitted", assignee=alice.pk) == {"IN-SUBMITTED"}
    assert pons(alice_client, "in-submitted", assignee="null") == {
        "IN-CHECK-TODAY",
        "IN-CHECK-LATE",
    }


def test_filter_by_date_ranges(alice_client, world):
    today = days(0).isoformat()
    tomorrow = days(1).isoformat()
    assert pons(alice_client, "in-foc-week", foc_after=tomorrow) == {
        "IN-FOC-TOMORROW",
        "IN-FOC-WEEK",
    }
    assert pons(alice_client, "in-foc-week", foc_after=today, foc_before=today) == {"IN-FOC-TODAY"}
    pending = world["IN-CSR-PENDING"]
    type(pending).objects.filter(pk=pending.pk).update(requested_due_date=days(20))
    assert pons(alice_client, "in-drafts", due_before=days(12).isoformat()) == {"IN-DRAFT"}
    assert pons(alice_client, "in-drafts", due_after=days(12).isoformat()) == {"IN-CSR-PENDING"}
    created_today = pons(alice_client, "in-drafts", created_after=today, created_before=today)
    assert created_today == {"IN-DRAFT", "IN-CSR-PENDING"}
    assert pons(alice_client, "in-drafts", created_after=tomorrow) == set()


def test_filter_project_ports(alice_client, world):
    type(world["IN-REVIEW"]).objects.filter(pk=world["IN-REVIEW"].pk).update(is_project_port=True)
    assert pons(alice_client, "unassigned", is_project_port="true") == {"IN-REVIEW"}
    assert "IN-REVIEW" not in pons(alice_client, "unassigned", is_project_port="false")


def test_rejection_filters_carrier_reason_age_source_and_direction(maria_client, world):
    from orders.models import RejectionReason

    assert pons(maria_client, "rejections", carrier=world.rival.pk) == {
        "IN-CSR-MISMATCH",
        "OUT-REJECTED",
    }
    zip_reason = RejectionReason.objects.get(code="ZIP")
    assert pons(maria_client, "rejections", reason=zip_reason.pk) == {"IN-CSR-MISMATCH"}
    assert pons(maria_client, "rejections", age="0-2") == {"IN-CSR-MISMATCH"}
    assert pons(maria_client, "rejections", age="8-30") == {"IN-EXCEPTION"}
    assert pons(maria_client, "rejections", age="31-45") == {"IN-REJECTED"}
    assert pons(maria_client, "rejections", age="45+") == {"OUT-REJECTED"}
    assert pons(maria_client, "rejections", source=Rejection.Source.VALIDATION) == {"OUT-REJECTED"}
    assert pons(maria_client, "rejections", direction="out") == {"OUT-REJECTED"}


def test_age_buckets_have_no_gaps_at_their_edges(maria_client, world):
    now = timezone.now()
    from tests.factories import PortOrderFactory, RejectionFactory

    ages = {}
    for age in (2, 3, 7, 8, 30, 31, 45, 46):
        order = PortOrderFactory(pon=f"EDGE-{age}", status="exception", new_carrier=world.ours)
        RejectionFactory(order=order, raised_at=now - datetime.timedelta(days=age))
        ages[age] = f"EDGE-{age}"
    buckets = {
        label: {p for p in pons(maria_client, "rejections", age=label) if p.startswith("EDGE")}
        for label in ("0-2", "3-7", "8-30", "31-45", "45+")
    }
    assert buckets == {
        "0-2": {"EDGE-2"},
        "3-7": {"EDGE-3", "EDGE-7"},
        "8-30": {"EDGE-8", "EDGE-30"},
        "31-45": {"EDGE-31", "EDGE-45"},
        "45+": {"EDGE-46"},
    }


def test_sort_by_whitelisted_keys_both_ways(alice_client, world):
    def order(**params):
        response = alice_client.get(queue_url("in-foc-week", **params))
        return [row.obj.pon for row in response.context["rows"]]

    assert order() == ["IN-FOC-TODAY", "IN-FOC-TOMORROW", "IN-FOC-WEEK"]
    assert order(sort="-foc") == ["IN-FOC-WEEK", "IN-FOC-TOMORROW", "IN-FOC-TODAY"]


def test_an_unknown_sort_key_falls_back_to_the_default(alice_client, world):
    response = alice_client.get(queue_url("in-foc-week", sort="pin_encrypted"))
    assert response.status_code == 200
    assert response.context["sort"] == "foc"
    assert [row.obj.pon for row in response.context["rows"]][0] == "IN-FOC-TODAY"


def test_sortable_headers_link_to_the_sort_and_keep_the_filters(alice_client, world):
    response = alice_client.get(queue_url("in-submitted", q="IN-SUBMITTED"))
    content = response.content.decode()
    assert "?q=IN-SUBMITTED&amp;sort=-due" in content  # the active sort reverses
    assert "?q=IN-SUBMITTED&amp;sort=check" in content


def test_every_sort_key_of_every_queue_runs(maria_client, world):
    from orders.queues.registry import QUEUES

    for queue in QUEUES:
        for key in queue.sorts:
            for sort in (key, f"-{key}"):
                response = maria_client.get(queue_url(queue.slug, sort=sort))
                assert response.status_code == 200, (queue.slug, sort)
                assert response.context["sort"] == sort


def test_the_filter_panel_shows_the_chosen_values_and_names_a_bad_one(maria_client, world):
    response = maria_client.get(
        queue_url("rejections", status="rejected", source="manager", raised_after="2026-13-01")
    )
    html = response.content.decode()
    assert '<label for="id_source" class="form-label">Source</label>' in html
    assert '<option value="manager" selected>' in html
    assert '<option value="rejected" selected>Rejected</option>' in html
    assert "multiple" in html.split('id="id_status"')[1].split(">")[0]
    # A date the browser should not send, typed in the URL: the field says what is wrong.
    raised = html.split('id="div_id_raised"')[1].split("</fieldset>")[0]
    assert "<legend" in raised and "is-invalid" in raised and "Enter a valid date." in raised
    assert response.context["filters_open"]  # the panel opens on it
    bad_only = maria_client.get(queue_url("rejections", raised_after="2026-13-01"))
    assert bad_only.context["filters_open"]
    # The search box sits above the panel, not in it.
    assert 'id="id_q"' not in html
