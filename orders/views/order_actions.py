"""The order actions both desks share: simple-port classification (R17), assign, comment and
document upload. Forms in `orders.forms.order_actions`; services in `orders.services`."""

from orders.forms import order_actions as forms
from orders.services import comments as comment_services
from orders.services import orders as order_services
from orders.services import portin as portin_services
from orders.views.actions import Action, Done, both_desks, every_status, open_statuses


def _simple_port_args(form, user) -> dict:
    return {
        "simple": form.value(),
        "reason": form.cleaned_data["reason"],
        "expected_revision": form.seen_revision,
    }


def _assign_args(form, user) -> dict:
    return {"assignee": user if form.to_me else form.cleaned_data["assignee"]}


def _assigned(done: Done) -> str:
    assignee = done.args["assignee"]
    return f"Assigned to {assignee.get_username()}." if assignee else "Unassigned."


def _comment_args(form, user) -> dict:
    return {name: form.cleaned_data[name] for name in ("body", "visibility", "source")}


def _commented(done: Done) -> str:
    comment = done.result
    if comment.visibility == "customer" and done.order.is_port_in:
        if done.order.notification_email:
            return "Comment added; the customer is emailed it."
        return "Comment added (the order has no customer email: nobody is emailed)."
    return "Comment added."


def _document_args(form, user) -> dict:
    return {"kind": form.cleaned_data["kind"], "uploaded_file": form.cleaned_data["file"]}


def _uploaded(done: Done) -> str:
    document = done.result
    return f"{document.get_kind_display()} “{document.original_name}” uploaded."


ORDER_ACTIONS = (
    Action(
        "simple-port",
        "Simple-port classification",
        ("orders.change_portorder",),
        both_desks(open_statuses),
        portin_services.simple_port_override,
        "Simple-port classification saved.",
        form=forms.SimplePortForm,
        args=_simple_port_args,
        group="edit",
    ),
    Action(
        "assign",
        "Assign",
        ("orders.change_portorder",),
        both_desks(every_status),
        order_services.order_assign,
        _assigned,
        form=forms.AssignForm,
        args=_assign_args,
        group="side",
    ),
    Action(
        "comment",
        "Comment",
        ("orders.add_comment",),
        both_desks(every_status),
        comment_services.comment_post,
        _commented,
        form=forms.CommentForm,
        args=_comment_args,
        group="side",
    ),
    Action(
        "document",
        "Upload",
        ("orders.add_document",),
        both_desks(every_status),
        order_services.document_add,
        _uploaded,
        form=forms.DocumentForm,
        args=_document_args,
        group="document",
    ),
)
