"""R11: a FOC'd port-out order not ported within 4 business days of the FOC date, with no SUP,
reject or cancellation since, is cancelled with one NPAC cancel record per pending TN and a
notice to the requesting carrier's LSR contact that a new LSR is needed."""

import datetime

import pytest
from django.core import mail
from django.db import transaction

from carriers.services import calendar_for
from orders.lifecycle import OrderChanged, transition
from orders.models import (
    Comment,
    NpacCancelRecord,
    OutboundEmail,
    Status,
    StatusChange,
    Supplement,
)
from orders.services import jobs, portout

from .conftest import at, foc_sent_port_out

D = datetime.date
pytestmark = pytest.mark.django_db

# FOC for Wednesday 25 Nov 2026; Thanksgiving is Thursday 26 Nov. The 4 business days after
# the FOC date: Fri 27 Nov, Mon 30 Nov, Tue 1 Dec, Wed 2 Dec. Cancelled on Thu 3 Dec.
FOC_DATE = D(2026, 11, 25)
FOC_AT = at(2026, 11, 20, 14)


@pytest.fixture
def order(our_carrier, requesting_carrier):
    return foc_sent_port_out(
        foc_at=FOC_AT,
        foc_date=FOC_DATE,
        tns=("5035550101", "5035550102", "5035550103"),
        active=("5035550103",),
        losing_carrier=our_carrier,
        new_carrier=requesting_carrier,
    )


def test_window_ends_four_business_days_after_the_foc_across_thanksgiving(order):
    assert order.port_window_ends_on == D(2026, 12, 2)
    assert calendar_for(order.losing_carrier).add_business_days(FOC_DATE, 4) == D(2026, 12, 2)


def test_not_cancelled_on_the_fourth_business_day_after_the_foc(
    order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.port_windows_expire(now=at(2026, 12, 2, 5))

    assert result["cancelled"] == 0
    order.refresh_from_db()
    assert order.status == Status.FOC_SENT
    assert not NpacCancelRecord.objects.exists()
    assert mail.outbox == []


def test_cancelled_on_the_fifth_business_day_with_a_cancel_record_per_pending_tn(
    order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.port_windows_expire(now=at(2026, 12, 3, 5))

    assert result == {"cancelled": 1, "held": 0, "skipped": 0, "failed": 0}
    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    change = StatusChange.objects.get(order=order, to_status=Status.CANCELLED)
    assert (change.from_status, change.to_status) == (Status.FOC_SENT, Status.CANCELLED)
    assert change.actor_label == "job:port_windows_expire"
    assert "R11" in change.reason and "new LSR" in change.reason
    records = list(NpacCancelRecord.objects.filter(order=order).order_by("tn"))
    assert [r.tn for r in records] == ["5035550101", "5035550102"]  # not the active one
    assert {r.reason for r in records} == {
        "R11: not ported within 4 business days of FOC 2026-11-25"
    }
    assert all(r.sent_at is None and r.created_at == at(2026, 12, 3, 5) for r in records)
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == ["lsr@willamette.example"]
    assert order.pon in notice.subject
    assert "new LSR is needed" in notice.body
    assert "(503) 555-0101" in notice.body or "5035550101" in notice.body
    assert Comment.objects.filter(order=order, source=Comment.Source.SYSTEM).exists()


def test_not_cancelled_when_a_sup_arrived_after_the_foc(order, django_capture_on_commit_callbacks):
    Supplement.objects.create(
        order=order,
        sup_type=Supplement.Type.OTHER,
        received_at=at(2026, 11, 30, 10),
        remarks="Changed the end-user contact",
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.port_windows_expire(now=at(2026, 12, 3, 5))

    assert result["cancelled"] == 0
    assert result["held"] == 1
    order.refresh_from_db()
    assert order.status == Status.FOC_SENT
    assert not NpacCancelRecord.objects.exists()
    assert mail.outbox == []


def test_a_sup_that_reissued_the_foc_moves_the_window(order, django_capture_on_commit_callbacks):
    # SUP 2 received Mon 30 Nov: a new FOC for Tue 1 Dec; the window now ends Mon 7 Dec.
    new_foc = D(2026, 12, 1)
    Supplement.objects.create(
        order=order,
        sup_type=Supplement.Type.NEW_DUE_DATE,
        received_at=at(2026, 11, 30, 10),
        requested_due_date=new_foc,
        previous_foc_date=FOC_DATE,
        new_foc_date=new_foc,
    )
    ends_on = calendar_for(order.losing_carrier).add_business_days(new_foc, 4)
    type(order).objects.filter(pk=order.pk).update(foc_date=new_foc, port_window_ends_on=ends_on)
    assert ends_on == D(2026, 12, 7)

    with django_capture_on_commit_callbacks(execute=True):
        on_dec_3 = jobs.port_windows_expire(now=at(2026, 12, 3, 5))
        on_dec_8 = jobs.port_windows_expire(now=at(2026, 12, 8, 5))

    assert on_dec_3["cancelled"] == 0
    assert on_dec_8["cancelled"] == 1
    assert (
        NpacCancelRecord.objects.filter(
            reason="R11: not ported within 4 business days of FOC 2026-12-01"
        ).count()
        == 2
    )


def test_not_cancelled_when_every_tn_ported(our_carrier, requesting_carrier):
    ported = foc_sent_port_out(
        foc_at=FOC_AT,
        foc_date=FOC_DATE,
        tns=("5035550111",),
        active=("5035550111",),
        losing_carrier=our_carrier,
        new_carrier=requesting_carrier,
    )

    result = jobs.port_windows_expire(now=at(2026, 12, 3, 5))

    assert result["held"] == 1
    ported.refresh_from_db()
    assert ported.status == Status.FOC_SENT


def test_rejected_or_cancelled_orders_are_left_alone(order):
    transition(order, Status.REJECTED, actor_label="test", now=at(2026, 11, 27, 10))

    result = jobs.port_windows_expire(now=at(2026, 12, 3, 5))

    assert result["cancelled"] == 0
    assert not NpacCancelRecord.objects.exists()


def test_without_an_lsr_contact_the_desk_is_told_in_a_comment(
    our_carrier, django_capture_on_commit_callbacks
):
    from tests.factories import CarrierFactory

    silent = CarrierFactory(name="Silent Carrier")
    order = foc_sent_port_out(
        foc_at=FOC_AT, foc_date=FOC_DATE, losing_carrier=our_carrier, new_carrier=silent
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.port_windows_expire(now=at(2026, 12, 3, 5))

    assert result["cancelled"] == 1
    assert mail.outbox == []
    comment = Comment.objects.get(order=order, source=Comment.Source.SYSTEM)
    assert "no LSR contact" in comment.body


def test_does_nothing_on_a_closed_day(order):
    # Saturday 5 Dec: the window has passed but the job waits for a business day.
    result = jobs.port_windows_expire(now=at(2026, 12, 5, 5))

    assert result["closed_day"] == 1
    order.refresh_from_db()
    assert order.status == Status.FOC_SENT


# --- the R11 service itself (orders.services.portout.port_windows), without the job --------


def _what_r11_wrote(order):
    return {
        "status": type(order).objects.get(pk=order.pk).status,
        "history": list(StatusChange.objects.filter(order=order).values_list("to_status")),
        "npac_cancels": sorted(NpacCancelRecord.objects.filter(order=order).values_list("tn")),
        "comments": list(Comment.objects.filter(order=order).values_list("body")),
        "outbox": list(OutboundEmail.objects.filter(order=order).values_list("kind")),
    }


def _locked_rows(order):
    """The order as the job's claim hands it to the service: locked, with the R11 columns."""
    return list(
        type(order)
        .objects.select_for_update()
        .filter(pk=order.pk, status=Status.FOC_SENT)
        .values("pk", *portout.PORT_WINDOW_FIELDS)
    )


def test_the_r11_service_run_twice_for_the_same_order_changes_nothing_twice(
    order, django_capture_on_commit_callbacks
):
    now = at(2026, 12, 3, 5)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        stale = _locked_rows(order)
        first = portout.port_windows_close(rows=stale, now=now)
    after_first = _what_r11_wrote(order)

    # Claimed again, the cancelled order is no longer there to close.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        again = portout.port_windows_close(rows=_locked_rows(order), now=now)
    # Handed the first run's (now stale) rows, the move is refused and nothing is written.
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(OrderChanged),
        transaction.atomic(),
    ):
        portout.port_windows_close(rows=stale, now=now + datetime.timedelta(hours=1))

    assert (first["cancelled"], first["held"]) == (1, 0)
    assert not any(again.values())
    assert after_first["status"] == Status.CANCELLED
    assert len(after_first["npac_cancels"]) == 2 and len(after_first["outbox"]) == 1
    assert _what_r11_wrote(order) == after_first
    assert len(mail.outbox) == 1


def test_the_r11_service_run_twice_on_a_held_order_writes_nothing(
    order, django_capture_on_commit_callbacks
):
    Supplement.objects.create(
        order=order, sup_type=Supplement.Type.OTHER, received_at=at(2026, 11, 30, 10)
    )
    before = _what_r11_wrote(order)

    with django_capture_on_commit_callbacks(execute=True):
        for hour in (5, 6):
            with transaction.atomic():
                held = portout.port_windows_close(
                    rows=_locked_rows(order), now=at(2026, 12, 3, hour)
                )
            assert (held["held"], held["cancelled"]) == (1, 0)

    assert _what_r11_wrote(order) == before
    assert mail.outbox == []
