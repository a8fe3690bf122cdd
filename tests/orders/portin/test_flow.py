"""The port-in desk's flow through the order page (seed 004, F1-F3), action by action."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from orders.models import (
    Comment,
    PortInCsr,
    PortOrder,
    Rejection,
    Status,
    StatusChange,
    Supplement,
)
from tests.factories import business_day_in

from .conftest import EDIT_FORM_TEXT_FIELDS, END_USER, due_in

pytestmark = pytest.mark.django_db


def act(client, order, action, *, expected=None, **fields):
    """POST one action form of the order page, as the browser would (prefixed fields)."""
    prefix = action.replace("-", "_")
    order.refresh_from_db()
    data = {
        f"{prefix}-expected_status": expected or order.status,
        # The edit forms' hidden revision (other forms ignore it).
        f"{prefix}-revision": order.revision,
    }
    for name, value in fields.items():
        data[f"{prefix}-{name}"] = value
    return client.post(
        reverse("orders:order_action", kwargs={"pk": order.pk, "action": action}),
        data,
        follow=True,
    )


def edit(client, order, **changes):
    """The edit form as the browser posts it: every field, prefilled with the order's data."""
    order.refresh_from_db()
    fields = {name: getattr(order, name) or "" for name in EDIT_FORM_TEXT_FIELDS}
    fields["requested_due_date"] = order.requested_due_date.isoformat()
    return act(client, order, "edit", **{**fields, **changes})


def status_of(order):
    return PortOrder.objects.get(pk=order.pk).status


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def record_matching_csr(client, order):
    return act(
        client,
        order,
        "csr",
        account_name="abc company, inc.",
        account_number="ACCT 99887766",
        btn="(503) 555-0100",
        authorized_person="PAT SMITH",
        service_address="100 Main Street Ste 4",
        city="Portland",
        state="OR",
        zip_code="97204-1234",
        tns="503-555-0101\n503-555-0102\n503-555-0109",
    )


def test_the_whole_port_in_flow_from_draft_to_completed(
    desk, alice_client, maria, django_capture_on_commit_callbacks
):
    desk.numbers(desk.lsp_spid, "5035550101", "5035550102")
    response = alice_client.post(
        reverse("orders:portin_new"),
        {
            **END_USER,
            "requested_due_date": due_in(10).isoformat(),
            "authorization": "on",
            "tns": "5035550101\n5035550102",
        },
    )
    assert response.status_code == 302
    order = PortOrder.objects.get()
    page = alice_client.get(reverse("orders:order_detail", args=[order.pk]))
    assert page.status_code == 200
    assert order.csr_status == "pending"

    # F1: no LSR before the CSR is recorded and compared.
    response = act(alice_client, order, "submit")
    assert "record the CSR" in " ".join(messages_of(response))
    assert status_of(order) == Status.DRAFT

    response = record_matching_csr(alice_client, order)
    assert "it matches the order" in " ".join(messages_of(response))
    order.refresh_from_db()
    assert order.csr_status == "matched"

    response = act(alice_client, order, "submit")
    assert status_of(order) == Status.SUBMITTED
    order.refresh_from_db()
    assert order.submitted_at is not None
    assert order.next_status_check_on is not None  # F5 clock running

    foc = business_day_in(12)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(alice_client, order, "foc", foc_date=foc.isoformat())
    order.refresh_from_db()
    assert order.status == Status.ACCEPTED
    assert order.foc_date == foc
    assert order.next_status_check_on is None  # left submitted
    assert len(mail.outbox) == 1 and "confirmed" in mail.outbox[0].subject

    response = act(alice_client, order, "activate", tns="503-555-0101")
    assert status_of(order) == Status.ACCEPTED
    assert order.numbers.filter(activated_at__isnull=False).count() == 1

    # The last TN completes the order, before the FOC date: a manager's call.
    alice_client.force_login(maria)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(alice_client, order, "activate", tns="")
    order.refresh_from_db()
    assert order.status == Status.COMPLETED
    assert order.completed_at is not None
    assert set(order.numbers.values_list("npac_status", flat=True)) == {"active"}
    assert "complete" in mail.outbox[-1].subject
    moves = list(
        StatusChange.objects.filter(order=order)
        .order_by("created_at", "pk")
        .values_list("to_status", flat=True)
    )
    assert moves == ["draft", "submitted", "accepted", "completed"]
    # Emails are recorded on the timeline.
    assert (
        Comment.objects.filter(
            order=order, source="system", body__contains="Emailed the customer"
        ).count()
        == 2
    )


def test_complete_activates_the_remaining_tns(desk, make_portin, alice_client, maria):
    order = make_portin("5035550101", "5035550102")
    record_matching_csr(alice_client, order)
    act(alice_client, order, "submit")
    act(alice_client, order, "foc", foc_date=business_day_in(12).isoformat())

    alice_client.force_login(maria)  # before the FOC date: a manager's call
    act(alice_client, order, "complete")

    assert status_of(order) == Status.COMPLETED
    assert not order.numbers.filter(activated_at__isnull=True).exists()


def _accepted(make_portin, client, foc_date):
    order = make_portin("5035550101")
    record_matching_csr(client, order)
    act(client, order, "submit")
    act(client, order, "foc", foc_date=foc_date.isoformat())
    assert status_of(order) == Status.ACCEPTED
    return order


def test_staff_cannot_complete_before_the_foc_date_and_is_not_offered_it(
    desk, make_portin, alice_client
):
    order = _accepted(make_portin, alice_client, business_day_in(12))
    page = alice_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    assert "Complete (all TNs ported)" not in page

    response = act(alice_client, order, "complete")

    assert response.status_code == 403
    assert status_of(order) == Status.ACCEPTED
    assert not order.numbers.filter(activated_at__isnull=False).exists()


def test_staff_cannot_complete_early_through_the_last_activation_either(
    desk, make_portin, alice_client
):
    order = _accepted(make_portin, alice_client, business_day_in(12))
    response = act(alice_client, order, "activate", tns="")
    assert response.status_code == 403
    assert status_of(order) == Status.ACCEPTED
    assert not order.numbers.filter(activated_at__isnull=False).exists()


def test_a_manager_completes_before_the_foc_date(desk, make_portin, alice_client, maria):
    order = _accepted(make_portin, alice_client, business_day_in(12))
    alice_client.force_login(maria)
    page = alice_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    assert "Complete (all TNs ported)" in page

    act(alice_client, order, "complete")

    assert status_of(order) == Status.COMPLETED


def test_staff_complete_on_the_foc_date(desk, make_portin, alice_client, alice):
    from orders.services import portin

    foc = business_day_in(12)
    order = _accepted(make_portin, alice_client, foc)
    on_the_day = timezone.make_aware(datetime.datetime.combine(foc, datetime.time(9)))
    order.refresh_from_db()
    portin.order_complete(order=order, by=alice, now=on_the_day)
    assert status_of(order) == Status.COMPLETED


def _next_weekend_day(after):
    day = after
    while day.weekday() < 5:
        day += datetime.timedelta(days=1)
    return day


def test_an_foc_on_a_non_business_day_needs_an_explicit_confirmation(
    desk, make_portin, alice_client
):
    order = make_portin("5035550101")
    record_matching_csr(alice_client, order)
    act(alice_client, order, "submit")
    saturday = _next_weekend_day(due_in(12))

    response = act(alice_client, order, "foc", foc_date=saturday.isoformat())
    assert status_of(order) == Status.SUBMITTED
    assert "not a business day" in " ".join(messages_of(response))

    act(alice_client, order, "foc", foc_date=saturday.isoformat(), confirm_unusual="on")
    order.refresh_from_db()
    assert order.status == Status.ACCEPTED and order.foc_date == saturday
    assert "Confirmed by the desk" in order.history.order_by("pk").last().reason


def test_an_foc_before_the_requested_due_date_needs_an_explicit_confirmation(
    desk, make_portin, alice_client
):
    order = make_portin("5035550101", requested_due_date=business_day_in(20))
    record_matching_csr(alice_client, order)
    act(alice_client, order, "submit")
    early = business_day_in(12)

    response = act(alice_client, order, "foc", foc_date=early.isoformat())
    assert status_of(order) == Status.SUBMITTED
    assert "before the requested due date" in " ".join(messages_of(response))

    act(alice_client, order, "foc", foc_date=early.isoformat(), confirm_unusual="on")
    assert status_of(order) == Status.ACCEPTED


def test_reject_exception_rejected_review_submitted_accepted(
    desk, make_portin, alice_client, django_capture_on_commit_callbacks
):
    order = make_portin("5035550101")
    record_matching_csr(alice_client, order)
    act(alice_client, order, "submit")

    response = act(alice_client, order, "lsp-reject", reasons=["ADDR", "ZIP"], text="Addr no match")
    assert status_of(order) == Status.EXCEPTION
    rejection = Rejection.objects.get(order=order)
    assert rejection.source == "losing_carrier"
    assert sorted(rejection.reasons.values_list("code", flat=True)) == ["ADDR", "ZIP"]
    assert rejection.resolved_at is None

    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = act(alice_client, order, "return-to-customer", message="Send a recent bill.")
    order.refresh_from_db()
    assert order.status == Status.REJECTED
    assert order.customer_notified_at >= now
    assert order.auto_cancel_on == timezone.localdate() + datetime.timedelta(days=45)
    rejection.refresh_from_db()
    assert rejection.returned_to_customer_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [END_USER["notification_email"]]
    assert "Service address mismatch" in mail.outbox[0].body

    response = act(
        alice_client, order, "customer-resubmission", note="Customer sent the bill with Ste 4."
    )
    order.refresh_from_db()
    assert order.status == Status.REVIEW
    assert order.auto_cancel_on is None
    assert Comment.objects.filter(order=order, source="customer").exists()

    response = act(alice_client, order, "review-resend", note="Address fixed.")
    assert status_of(order) == Status.SUBMITTED
    rejection.refresh_from_db()
    assert rejection.resolved_at is not None

    response = act(alice_client, order, "foc", foc_date=business_day_in(14).isoformat())
    assert status_of(order) == Status.ACCEPTED
    assert "FOC" in " ".join(messages_of(response))
    moves = list(
        StatusChange.objects.filter(order=order)
        .order_by("created_at", "pk")
        .values_list("to_status", flat=True)
    )
    assert moves == [
        "draft",
        "submitted",
        "exception",
        "rejected",
        "review",
        "submitted",
        "accepted",
    ]


def test_the_desk_fixes_a_reject_itself_and_resends(desk, make_portin, alice_client):
    order = make_portin("5035550101")
    record_matching_csr(alice_client, order)
    act(alice_client, order, "submit")
    act(alice_client, order, "lsp-reject", reasons=["PIN"])

    edit(alice_client, order, account_name="ABC Company Inc.", pin="9999")
    act(alice_client, order, "exception-resend", note="New PIN from the customer's portal.")

    order.refresh_from_db()
    assert order.status == Status.SUBMITTED
    assert Rejection.objects.get(order=order).resolved_at is not None
    assert Comment.objects.filter(order=order, body__contains="PIN").exists()
    assert "9999" not in " ".join(Comment.objects.values_list("body", flat=True))


def test_returning_without_reasons_needs_an_open_rejection(desk, make_portin, alice_client):
    order = make_portin("5035550101")
    record_matching_csr(alice_client, order)
    act(alice_client, order, "submit")
    act(alice_client, order, "lsp-reject", reasons=["OTHER"])
    act(alice_client, order, "exception-resend")
    act(alice_client, order, "lsp-reject", reasons=["BTN"])
    act(alice_client, order, "return-to-customer")  # returns the open BTN rejection
    act(alice_client, order, "customer-resubmission", note="New BTN")

    # From review, the desk can return it again naming its own reasons.
    response = act(alice_client, order, "return-to-customer", reasons=["AUTHNM"])

    assert status_of(order) == Status.REJECTED
    newest = Rejection.objects.filter(order=order).order_by("-raised_at", "-pk").first()
    assert newest.source == "validation"
    assert list(newest.reasons.values_list("code", flat=True)) == ["AUTHNM"]
    assert "Returned" in " ".join(messages_of(response))


def test_a_customer_comment_on_a_rejected_order_restarts_the_f4_clock(
    desk, make_portin, alice_client
):
    order = make_portin("5035550101")
    record_matching_csr(alice_client, order)
    act(alice_client, order, "submit")
    act(alice_client, order, "lsp-reject", reasons=["ACCT"])
    act(alice_client, order, "return-to-customer")
    PortOrder.objects.filter(pk=order.pk).update(
        auto_cancel_on=timezone.localdate() + datetime.timedelta(days=3)
    )

    act(
        alice_client,
        order,
        "comment",
        body="Customer: bill coming tomorrow",
        visibility="internal",
        source="customer",
    )

    order.refresh_from_db()
    assert order.auto_cancel_on == timezone.localdate() + datetime.timedelta(days=45)
    # A staff comment does not.
    PortOrder.objects.filter(pk=order.pk).update(auto_cancel_on=timezone.localdate())
    act(alice_client, order, "comment", body="Chased", visibility="internal", source="staff")
    order.refresh_from_db()
    assert order.auto_cancel_on == timezone.localdate()


def test_a_csr_mismatch_blocks_submission_until_fixed_or_overridden(
    desk, make_portin, alice_client
):
    order = make_portin("5035550101")
    response = act(
        alice_client,
        order,
        "csr",
        account_name="ABC Co",
        service_address="102 Main St Ste 4",
        zip_code="97204",
    )
    order.refresh_from_db()
    assert order.csr_status == "mismatched"
    page = alice_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    assert 'data-mismatch="service_address"' in page
    assert 'data-mismatch="account_name"' in page
    assert 'data-mismatch="zip_code"' not in page

    response = act(alice_client, order, "submit")
    assert "does not match the CSR" in " ".join(messages_of(response))
    assert status_of(order) == Status.DRAFT

    # Fixing the order's name leaves the address mismatch.
    edit(alice_client, order, account_name="ABC Co")
    order.refresh_from_db()
    assert order.csr_status == "mismatched"
    assert [m["field"] for m in order.csr.mismatches] == ["service_address"]

    response = act(alice_client, order, "csr-override", reason="")
    assert status_of(order) == Status.DRAFT  # the form wants a reason

    act(alice_client, order, "csr-override", reason="Carrier's CSR has a typo; bill shows 100.")
    order.refresh_from_db()
    assert order.csr_status == "overridden"
    act(alice_client, order, "submit")
    assert status_of(order) == Status.SUBMITTED


def test_carriers_without_csr_and_toll_free_orders_submit_straight_away(
    desk, make_portin, alice_client
):
    rural = make_portin("5095550101", spid=desk.rural_spid)
    toll_free = make_portin("8005550101", spid=desk.resporg_spid)

    for order in (rural, toll_free):
        assert order.csr_status == "not_required"
        act(alice_client, order, "submit")
        assert status_of(order) == Status.SUBMITTED


def test_sup_2_on_an_accepted_order_asks_for_a_new_foc(desk, make_portin, alice_client):
    order = make_portin("5035550101")
    record_matching_csr(alice_client, order)
    act(alice_client, order, "submit")
    old_foc = business_day_in(12)
    act(alice_client, order, "foc", foc_date=old_foc.isoformat())
    new_due = due_in(20)

    act(alice_client, order, "sup", sup_type="2", requested_due_date=new_due.isoformat())

    order.refresh_from_db()
    assert order.status == Status.SUBMITTED
    assert order.foc_date is None
    assert order.requested_due_date == new_due
    assert order.due_date_sup_count == 1
    sup = Supplement.objects.get(order=order)
    assert (sup.sup_type, sup.previous_foc_date, sup.requested_due_date) == (2, old_foc, new_due)

    act(alice_client, order, "sup", sup_type="3", remarks="Add a contact name")
    assert status_of(order) == Status.SUBMITTED
    assert Supplement.objects.filter(order=order, sup_type=3).exists()
    act(alice_client, order, "foc", foc_date=business_day_in(21).isoformat())
    assert status_of(order) == Status.ACCEPTED


def test_cancel_after_submission_sends_a_sup_1_and_emails_the_customer(
    desk, make_portin, alice_client, django_capture_on_commit_callbacks
):
    order = make_portin("5035550101")
    record_matching_csr(alice_client, order)
    act(alice_client, order, "submit")

    with django_capture_on_commit_callbacks(execute=True):
        act(alice_client, order, "cancel", reason="Customer stays with the current carrier")

    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    assert order.next_status_check_on is None
    assert Supplement.objects.get(order=order).sup_type == 1
    assert "cancelled" in mail.outbox[0].subject


def test_cancelling_a_draft_sends_no_sup(desk, make_portin, alice_client):
    order = make_portin("5035550101")
    act(alice_client, order, "cancel", reason="Entered by mistake")
    assert status_of(order) == Status.CANCELLED
    assert not Supplement.objects.filter(order=order).exists()


def test_a_stale_page_gets_the_reload_message_and_changes_nothing(desk, make_portin, alice_client):
    order = make_portin("5035550101", spid=desk.rural_spid)
    act(alice_client, order, "submit")
    history = StatusChange.objects.filter(order=order).count()

    response = act(alice_client, order, "cancel", expected="draft", reason="old tab")

    assert "changed while you were working" in " ".join(messages_of(response))
    assert status_of(order) == Status.SUBMITTED
    assert StatusChange.objects.filter(order=order).count() == history


def test_actions_are_offered_only_when_the_table_allows_them(desk, make_portin, alice_client):
    order = make_portin("5035550101", spid=desk.rural_spid)
    url = reverse("orders:order_detail", args=[order.pk])

    draft = alice_client.get(url).content.decode()
    assert 'data-action="submit"' in draft and 'data-action="cancel"' in draft
    assert 'data-action="foc"' not in draft and 'data-action="complete"' not in draft

    act(alice_client, order, "submit")
    submitted = alice_client.get(url).content.decode()
    assert 'data-action="foc"' in submitted and 'data-action="lsp-reject"' in submitted
    assert 'data-action="submit"' not in submitted and 'data-action="edit"' not in submitted

    act(alice_client, order, "cancel", reason="test")
    cancelled = alice_client.get(url).content.decode()
    for action in ("submit", "foc", "cancel", "lsp-reject", "sup", "complete"):
        assert f'data-action="{action}"' not in cancelled
    assert 'data-action="comment"' in cancelled


def test_an_invalid_form_shows_its_errors_on_the_page(desk, make_portin, alice_client):
    order = make_portin("5035550101", spid=desk.rural_spid)
    act(alice_client, order, "submit")

    response = act(alice_client, order, "foc", foc_date="not a date")

    assert response.status_code == 200
    assert status_of(order) == Status.SUBMITTED
    assert "Enter a valid date" in response.content.decode()


def test_a_past_foc_date_is_refused(desk, make_portin, alice_client):
    order = make_portin("5035550101", spid=desk.rural_spid)
    act(alice_client, order, "submit")

    response = act(alice_client, order, "foc", foc_date=due_in(-2).isoformat())

    assert "in the past" in " ".join(messages_of(response))
    assert status_of(order) == Status.SUBMITTED


def test_assign_to_me_and_to_someone_else(desk, make_portin, alice_client, alice, maria):
    order = make_portin("5035550101")
    url = reverse("orders:order_action", kwargs={"pk": order.pk, "action": "assign"})

    alice_client.post(url, {"assign-expected_status": "draft", "to_me": "Assign to me"})
    order.refresh_from_db()
    assert order.assignee == alice

    alice_client.post(url, {"assign-expected_status": "draft", "assign-assignee": maria.pk})
    order.refresh_from_db()
    assert order.assignee == maria
    assert Comment.objects.filter(order=order, body__contains="Assigned to maria").exists()


def test_staff_only_actions_need_desk_permissions(desk, make_portin, bob, client):
    order = make_portin("5035550101")
    client.force_login(bob)
    assert client.get(reverse("orders:order_detail", args=[order.pk])).status_code == 403
    response = client.post(
        reverse("orders:order_action", kwargs={"pk": order.pk, "action": "submit"}),
        {"submit-expected_status": "draft"},
    )
    assert response.status_code == 403
    assert status_of(order) == Status.DRAFT


def test_a_simple_port_override_records_who_and_why(desk, make_portin, alice_client, alice):
    order = make_portin("5035550101")
    assert order.simple_port is True

    response = act(alice_client, order, "simple-port", classification="not", reason="")
    assert "Give the reason" in " ".join(messages_of(response))

    act(alice_client, order, "simple-port", classification="not", reason="Centrex on the CSR")
    order.refresh_from_db()
    assert order.simple_port_override is False
    assert order.simple_port_override_by == alice
    assert order.simple_port_override_reason == "Centrex on the CSR"

    act(alice_client, order, "simple-port", classification="derived")
    order.refresh_from_db()
    assert order.simple_port_override is None


def test_no_csr_is_recorded_on_an_order_that_needs_none(desk, make_portin, alice_client):
    order = make_portin("8005550101", spid=desk.resporg_spid)

    response = act(alice_client, order, "csr", account_name="X")

    assert "needs no CSR" in " ".join(messages_of(response))
    assert not PortInCsr.objects.filter(order=order).exists()
