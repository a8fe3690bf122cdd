"""Two people (or a person and a scheduled job) acting on the same order at the same moment:
exactly one wins, the other is told the order changed, and the history shows one move.

Each trial starts the two actions in two threads released together by a barrier, each with
its own database session, on a fresh order; many trials give the interleavings a chance."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from orders.lifecycle import OrderChanged, transition
from orders.models import PortOrder, Status, StatusChange, Supplement
from orders.roles import STAFF_GROUP
from orders.services import jobs, portin, portout
from orders.services.orders import f4_auto_cancel_date
from tests.conftest import _user
from tests.factories import PortOrderFactory, business_day_in
from tests.security.conftest import build_world, lsr_post

from .conftest import needs_postgres, run_together

pytestmark = [*needs_postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TRIALS = 8


@pytest.fixture
def carol(db):
    """A second member of porting staff, to race alice."""
    return _user("carol", group=STAFF_GROUP)


def _submitted_port_in():
    order = PortOrderFactory(requested_due_date=timezone.localdate() + datetime.timedelta(20))
    transition(
        order, Status.SUBMITTED, actor_label="test", changes={"submitted_at": timezone.now()}
    )
    return order


def _moves_from(order, status):
    return StatusChange.objects.filter(order=order, from_status=status)


def _errors(outcomes):
    return [value for kind, value in outcomes if kind == "error"]


@pytest.mark.parametrize(
    "second",
    ["cancel", "foc"],
    ids=["foc-vs-cancel", "foc-vs-foc"],
)
def test_two_staff_deciding_the_same_submitted_order_one_wins(alice, carol, second):
    foc_date = business_day_in(12)

    def foc(user, pk):
        def run():
            order = PortOrder.objects.get(pk=pk)
            return portin.foc_record(
                order=order,
                by=user,
                foc_date=foc_date,
                expected_status=Status.SUBMITTED,
                confirmed=True,
            )

        return run

    def cancel(user, pk):
        def run():
            order = PortOrder.objects.get(pk=pk)
            return portin.order_cancel(
                order=order, by=user, reason="Customer stays.", expected_status=Status.SUBMITTED
            )

        return run

    actions = {"foc": foc, "cancel": cancel}
    for _ in range(TRIALS):
        order = _submitted_port_in()
        outcomes = run_together(foc(alice, order.pk), actions[second](carol, order.pk))
        errors = _errors(outcomes)
        assert len(errors) == 1, outcomes
        assert isinstance(errors[0], OrderChanged), errors
        assert "changed while you were working on it" in str(errors[0])
        assert "Reload" in str(errors[0])
        order.refresh_from_db()
        assert order.status in (Status.ACCEPTED, Status.CANCELLED)
        assert _moves_from(order, Status.SUBMITTED).count() == 1
        assert order.history.count() == 3  # created, submitted, then the one move
        sup1 = Supplement.objects.filter(order=order, sup_type=1).count()
        assert sup1 == (1 if order.status == Status.CANCELLED else 0)
    # One email per order: the winner's (FOC or cancellation), never the loser's.
    assert len(mail.outbox) == TRIALS


def _staff_client(user):
    client = Client()
    client.force_login(user)
    return client


def _page_messages(client, order):
    """The messages the desk sees on the order page after the redirect."""
    response = client.get(reverse("orders:order_detail", args=[order.pk]))
    return [str(m) for m in response.context["messages"]]


def test_two_staff_pressing_cancel_on_the_same_page_one_is_told_to_reload(alice, carol):
    for _ in range(TRIALS):
        order = _submitted_port_in()
        clients = [_staff_client(alice), _staff_client(carol)]
        url = reverse("orders:order_action", args=[order.pk, "cancel"])
        data = {"cancel-expected_status": Status.SUBMITTED, "cancel-reason": "Customer stays."}
        outcomes = run_together(
            *(lambda c=c, url=url, data=data: c.post(url, data) for c in clients)
        )
        assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
        assert all(response.status_code == 302 for _, response in outcomes)
        seen = [_page_messages(client, order) for client in clients]
        flat = [m for messages in seen for m in messages]
        assert sum("Order cancelled" in m for m in flat) == 1, seen
        assert sum("this order changed" in m.lower() and "reload" in m.lower() for m in flat) == 1
        order.refresh_from_db()
        assert order.status == Status.CANCELLED
        assert _moves_from(order, Status.SUBMITTED).count() == 1


def test_two_staff_sending_the_foc_for_the_same_lsr_one_wins(alice, carol):
    world = build_world()
    from carriers.models import TelephoneNumber
    from tests.factories import CustomerAccountFactory

    for trial in range(TRIALS):
        account = CustomerAccountFactory()
        tns = [f"97155580{trial}{i}" for i in range(2)]
        for tn in tns:
            TelephoneNumber.objects.create(tn=tn, spid=world.our_spid, account=account)
        client = _staff_client(alice)
        post = lsr_post(
            world,
            pon=f"PON-RACE-{trial}",
            tns="\n".join(tns),
            btn=tns[0],
            account_number=account.account_number,
            account_name=account.name,
            service_address=account.service_address,
            zip_code=account.zip_code,
            city=account.city,
            state=account.state,
            pin="",
        )
        assert client.post(reverse("orders:portout_lsr_new"), post).status_code == 302
        order = PortOrder.objects.get(pon=f"PON-RACE-{trial}")
        assert order.status == Status.RECEIVED, order.rule_evaluation

        def decide(user, pk=order.pk):
            def run():
                loaded = PortOrder.objects.get(pk=pk)
                return portout.lsr_decide(
                    order=loaded, decision="foc", by=user, expected_status=Status.RECEIVED
                )

            return run

        outcomes = run_together(decide(alice), decide(carol))
        errors = _errors(outcomes)
        assert len(errors) == 1 and isinstance(errors[0], OrderChanged), outcomes
        order.refresh_from_db()
        assert order.status == Status.FOC_SENT
        assert _moves_from(order, Status.RECEIVED).count() == 1


# --- a person against a scheduled job ----------------------------------------------------------


def _rejected_port_in(notified_at):
    order = PortOrderFactory(requested_due_date=notified_at.date() + datetime.timedelta(20))
    for status in (Status.SUBMITTED, Status.EXCEPTION):
        transition(order, status, actor_label="test", now=notified_at)
    transition(
        order,
        Status.REJECTED,
        actor_label="test",
        now=notified_at,
        changes={
            "customer_notified_at": notified_at,
            "auto_cancel_on": f4_auto_cancel_date(notified_at),
        },
    )
    return order


@pytest.mark.parametrize("staff_action", ["cancel", "resubmission"])
def test_staff_acting_while_the_auto_cancel_job_runs_one_move_and_one_email(alice, staff_action):
    notified = timezone.now() - datetime.timedelta(days=60)
    job_now = timezone.now()
    for _ in range(TRIALS):
        mail.outbox.clear()
        order = _rejected_port_in(notified)

        def staff(pk=order.pk):
            loaded = PortOrder.objects.get(pk=pk)
            if staff_action == "cancel":
                return portin.order_cancel(
                    order=loaded,
                    by=alice,
                    reason="The customer asked us to stop.",
                    expected_status=Status.REJECTED,
                )
            return portin.customer_resubmission_record(
                order=loaded, by=alice, note="New bill copy.", expected_status=Status.REJECTED
            )

        def job():
            return jobs.rejected_orders_auto_cancel(now=job_now)

        (staff_kind, staff_value), (job_kind, job_value) = run_together(staff, job)
        assert job_kind == "ok", job_value
        assert job_value["failed"] == 0
        order.refresh_from_db()
        assert _moves_from(order, Status.REJECTED).count() == 1
        if staff_kind == "ok":
            # The job either found the row moved under its lock (skipped) or did not select it
            # at all (the staff's move committed before the job's selection).
            assert job_value["cancelled"] == 0 and job_value["skipped"] in (0, 1)
            expected = Status.CANCELLED if staff_action == "cancel" else Status.REVIEW
            assert order.status == expected
        else:
            assert isinstance(staff_value, OrderChanged), staff_value
            assert job_value["cancelled"] == 1
            assert order.status == Status.CANCELLED
        if order.status == Status.CANCELLED:
            assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
            assert Supplement.objects.filter(order=order, sup_type=1).count() == 1
        else:
            assert mail.outbox == []


def test_group_migration_data_survives_these_transactional_tests():
    """serialized_rollback restores the roles after each flush: later tests rely on them."""
    assert Group.objects.filter(name=STAFF_GROUP).exists()
