"""The demo orders `seed_demo` makes (orders/demo/): every state of both desks, made through
the services, and nothing more on a second run."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from orders import demo
from orders.lifecycle import TRANSITIONS
from orders.models import (
    CsrRequest,
    Direction,
    NpacCancelRecord,
    PortOrder,
    Rejection,
    Status,
    StatusChange,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=io.StringIO())


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"auth", "carriers", "orders"}
    }


def test_every_status_of_both_desks_has_a_demo_order(seeded):
    present = set(PortOrder.objects.values_list("direction", "status").distinct())
    for direction, table in TRANSITIONS.items():
        for status in table:
            assert (direction, status) in present, f"no demo {direction} order in {status}"


def test_a_second_run_creates_nothing(seeded):
    before = _row_counts()
    out = io.StringIO()
    assert demo.seed(stdout=out) == {}
    assert _row_counts() == before
    assert "already there" in out.getvalue()


def test_every_demo_order_has_its_history_from_the_lifecycle(seeded):
    for order in PortOrder.objects.all():
        history = list(StatusChange.objects.filter(order=order).order_by("created_at", "pk"))
        assert history[0].from_status == ""
        assert history[-1].to_status == order.status
        for earlier, later in zip(history, history[1:], strict=False):
            assert later.from_status == earlier.to_status


def test_the_demo_fills_the_desks_queues(seeded):
    today = timezone.localdate()
    port_in = PortOrder.objects.filter(direction=Direction.PORT_IN)
    port_out = PortOrder.objects.filter(direction=Direction.PORT_OUT)
    # Port-in: CSR pending and mismatched drafts, status checks overdue, a project port.
    assert port_in.filter(status=Status.DRAFT, csr_status="pending").exists()
    assert port_in.filter(status=Status.DRAFT, csr_status="mismatched").exists()
    assert port_in.filter(status=Status.SUBMITTED, next_status_check_on__lt=today).exists()
    assert port_in.filter(status=Status.SUBMITTED, is_project_port=True).exists()
    # FOC on the next business day at the latest (today, on a business day).
    assert port_in.filter(
        status=Status.ACCEPTED, foc_date__lte=today + datetime.timedelta(days=4)
    ).exists()
    # F4: one rejected order close to its 45 days, one just returned.
    days_left = sorted(
        (d - today).days
        for d in port_in.filter(status=Status.REJECTED).values_list("auto_cancel_on", flat=True)
    )
    assert days_left[0] <= 10 and days_left[-1] >= 40
    # Port-out: an LSR failing several rules, an expedite and a SUP flag for a manager,
    # NPAC cancel records to send, an activation that completed an order.
    failing = [len(o.rule_evaluation["reject_codes"]) for o in port_out.filter(status="received")]
    assert max(failing) >= 3 and 0 in failing
    assert port_out.filter(status=Status.EXPEDITE_REVIEW, expedite_decision="pending").exists()
    # A reject sent for a resold TN names the underlying carrier (R3).
    assert port_out.filter(status=Status.REJECTED, rejections__reasons__code="R3").exists()
    assert port_out.filter(sup_flag="pending").exists()
    assert NpacCancelRecord.objects.filter(sent_at__isnull=True).exists()
    assert port_out.filter(status=Status.COMPLETED, npac_events__kind="activate").exists()
    # CSR requests: open (one overdue) and answered.
    assert CsrRequest.objects.filter(status="open", is_overdue=True).exists()
    assert CsrRequest.objects.filter(status="open", due_at__gt=timezone.now()).exists()
    assert CsrRequest.objects.filter(status="answered").exists()
    # The rejection review queue has rejections of both desks.
    open_rejections = Rejection.objects.filter(resolved_at__isnull=True)
    assert {r.order.direction for r in open_rejections} == {"in", "out"}


def test_demo_dates_are_in_the_past_or_planned(seeded):
    """Nothing happened in the future: the story's clock never passes the real one."""
    soon = timezone.now() + datetime.timedelta(minutes=1)
    assert not StatusChange.objects.filter(created_at__gt=soon).exists()
    assert not PortOrder.objects.filter(last_activity_at__gt=soon).exists()
