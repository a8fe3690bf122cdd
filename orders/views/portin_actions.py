"""The port-in desk's order actions (seed 004, F1-F5), offered where the lifecycle allows.

Each entry: who may, on which statuses, the form, the service, what to tell the desk. The
forms are in `orders.forms.portin_actions`, the services in `orders.services.portin`.
"""

from django.contrib import messages

from carriers.end_user import EndUser
from orders.forms import customer as customer_forms
from orders.forms import portin_actions as forms
from orders.models import CustomerLink, Direction, PortOrder, Status
from orders.services import portin as services
from orders.services.portin import customer_links
from orders.views.actions import (
    Action,
    Done,
    every_status,
    form_args,
    moving_to,
    open_statuses,
    port_in,
)
from orders.views.common import Said

S = Status
CHANGE = ("orders.change_portorder",)
EDITABLE = port_in(services.EDITABLE_STATUSES)


def _reason_codes(form, user) -> dict:
    """A reject's reasons by code (the service takes codes, the form picks reasons)."""
    args = form_args(form)
    args["reason_codes"] = [r.code for r in args.pop("reasons")]
    return args


def _foc_args(form, user) -> dict:
    args = form_args(form)
    args["confirmed"] = args.pop("confirm_unusual")
    return args


def _activated(done: Done) -> str:
    if done.order.status == S.COMPLETED:
        return f"{done.result} TN(s) activated: every TN is active and the order is complete."
    return f"{done.result} TN(s) activated."


def _cancelled(done: Done) -> str:
    return "Order cancelled" + (
        " (SUP 1 to the losing carrier)." if done.before != S.DRAFT else "."
    )


def _csr_recorded(done: Done) -> Said:
    # A mismatch is recorded, but nothing went right for the order: a warning, not a success.
    found = done.result.mismatches
    if found:
        labels = ", ".join(m["label"] for m in found)
        return [
            (
                messages.WARNING,
                f"CSR recorded, but it does not match the order on {labels}: fix the order "
                "or override the mismatch before sending the LSR (F1).",
            )
        ]
    return "CSR recorded: it matches the order."


def _csr_args(form, user) -> dict:
    return {
        "end_user": EndUser.from_values(form.cleaned_data),
        "tns": form.cleaned_data["tns"],
        "expected_status": form.expected,
    }


def _edit_args(form, user) -> dict:
    return {
        "changes": form.changes(),
        "pin": form.cleaned_data["pin"],
        "expected_status": form.expected,
        "expected_revision": form.seen_revision,
    }


def _saved(done: Done) -> str:
    return f"Saved: {', '.join(done.result)}." if done.result else "Nothing changed."


def _link_sent(done: Done) -> str:
    link = done.result.link
    return (
        f"{link.get_purpose_display()} link emailed to {link.email}; it works until "
        f"{link.expires_at:%Y-%m-%d}."
    )


def _link_args(purpose: str):
    def args(form, user) -> dict:
        return {"purpose": purpose, "expected_status": form.expected}

    return args


def _completes_now(user, order: PortOrder) -> bool:
    # Before the FOC date completing is a manager's call.
    return not services.completes_early(order) or services.may_complete_early(user)


PORT_IN_ACTIONS = (
    Action(
        "submit",
        "Submit the LSR",
        CHANGE,
        port_in({S.DRAFT}),
        services.order_submit,
        "LSR sent: the order is submitted.",
        form=forms.SubmitOrderForm,
    ),
    Action(
        "foc",
        "Record the FOC",
        CHANGE,
        port_in({S.SUBMITTED}),
        services.foc_record,
        lambda d: f"FOC {d.order.foc_date:%Y-%m-%d} recorded; the customer is emailed.",
        form=forms.FocForm,
        args=_foc_args,
    ),
    Action(
        "lsp-reject",
        "Losing carrier rejected",
        CHANGE,
        port_in(moving_to(Direction.PORT_IN, S.EXCEPTION)),
        services.lsp_reject_record,
        "Reject recorded: the order is in exception for the desk to fix.",
        form=forms.LspRejectForm,
        args=_reason_codes,
    ),
    Action(
        "exception-resend",
        "Fixed by the desk: resend",
        CHANGE,
        port_in({S.EXCEPTION}),
        services.exception_resend,
        "Resent to the losing carrier: the order is submitted again.",
        form=forms.ExceptionResendForm,
    ),
    Action(
        "return-to-customer",
        "Return to the customer",
        CHANGE,
        port_in(moving_to(Direction.PORT_IN, S.REJECTED)),
        services.order_return_to_customer,
        "Returned to the customer, who is emailed the reasons and instructions.",
        form=forms.ReturnToCustomerForm,
        args=_reason_codes,
    ),
    Action(
        "customer-resubmission",
        "Customer resubmitted",
        CHANGE,
        port_in(moving_to(Direction.PORT_IN, S.REVIEW)),
        services.customer_resubmission_record,
        "Resubmission recorded: the order is in review.",
        form=forms.CustomerResubmissionForm,
    ),
    Action(
        "review-resend",
        "Reviewed: resend",
        CHANGE,
        port_in({S.REVIEW}),
        services.review_resend,
        "Reviewed and resent: the order is submitted again.",
        form=forms.ReviewResendForm,
    ),
    Action(
        "sup",
        "Supplement (SUP 2 / SUP 3)",
        CHANGE,
        # A SUP 2 on an accepted order asks for a new FOC: the order goes back to submitted.
        port_in({S.SUBMITTED, S.ACCEPTED}),
        services.portin_sup_record,
        lambda d: f"{d.result.get_sup_type_display()} recorded.",
        form=forms.SupForm,
    ),
    Action(
        "activate",
        "TNs activated",
        CHANGE,
        port_in({S.ACCEPTED}),
        services.numbers_activate,
        _activated,
        form=forms.ActivateForm,
    ),
    Action(
        "complete",
        "Complete",
        CHANGE,
        port_in({S.ACCEPTED}),
        services.order_complete,
        "Order complete; the customer is emailed.",
        form=forms.CompleteForm,
        permitted=_completes_now,
    ),
    Action(
        "cancel",
        "Cancel",
        CHANGE,
        port_in(moving_to(Direction.PORT_IN, S.CANCELLED)),
        services.order_cancel,
        _cancelled,
        form=forms.CancelForm,
    ),
    # Issue 19: the customer's links (sign the LOA, follow the order) and their revocation.
    Action(
        "loa-link",
        "Send LOA link",
        CHANGE,
        port_in(open_statuses(Direction.PORT_IN)),
        customer_links.customer_link_send,
        _link_sent,
        form=customer_forms.LoaLinkForm,
        args=_link_args(CustomerLink.Purpose.LOA),
        group="side",
        when=lambda o: bool(o.notification_email),
    ),
    Action(
        "status-link",
        "Send status link",
        CHANGE,
        port_in(open_statuses(Direction.PORT_IN)),
        customer_links.customer_link_send,
        _link_sent,
        form=customer_forms.StatusLinkForm,
        args=_link_args(CustomerLink.Purpose.STATUS),
        group="side",
        when=lambda o: bool(o.notification_email),
    ),
    Action(
        "customer-link-revoke",
        "Revoke a customer link",
        CHANGE,
        port_in(every_status(Direction.PORT_IN)),
        customer_links.customer_link_revoke,
        "Link revoked: it opens the “no longer valid” page from now on.",
        form=customer_forms.CustomerLinkRevokeForm,
        group="side",
    ),
    Action(
        "csr",
        "Record the CSR",
        ("orders.add_portincsr",),
        EDITABLE,
        services.portin_csr_record,
        _csr_recorded,
        form=forms.CsrForm,
        args=_csr_args,
        group="csr",
        when=lambda o: o.csr_status != PortOrder.CsrStatus.NOT_REQUIRED,
    ),
    Action(
        "csr-override",
        "Override the CSR mismatch",
        ("orders.change_portincsr",),
        EDITABLE,
        services.portin_csr_override,
        "CSR mismatch overridden.",
        form=forms.CsrOverrideForm,
        group="csr",
        when=lambda o: o.csr_status == PortOrder.CsrStatus.MISMATCHED,
    ),
    Action(
        "edit",
        "Fix the order",
        CHANGE,
        EDITABLE,
        services.portin_order_update,
        _saved,
        form=forms.OrderEditForm,
        args=_edit_args,
        group="edit",
    ),
)
