"""A comment the desk writes on an order, and the customer's copy of it: a customer-visible
staff comment on a port-in is emailed to the customer (issue 19) through the outbox, in
the comment's transaction (`orders.emails.CUSTOMER_COMMENT`). Apart from
`orders.services.orders` because the outbox imports that module."""

from django.db import transaction

from orders import emails
from orders.models import Comment, Direction, PortOrder
from orders.services import outbox
from orders.services.orders import comment_add


def comment_post(
    *,
    order: PortOrder,
    by,
    body: str,
    visibility: str = Comment.Visibility.INTERNAL,
    source: str = Comment.Source.STAFF,
    now=None,
) -> Comment:
    """`comment_add`, and for a customer-visible staff comment on a port-in with a customer
    email, that email owed (the order's timeline says when it went out)."""
    with transaction.atomic():
        comment = comment_add(
            order=order, by=by, body=body, visibility=visibility, source=source, now=now
        )
        if (
            comment.visibility == Comment.Visibility.CUSTOMER
            and comment.source == Comment.Source.STAFF
            and order.direction == Direction.PORT_IN
            and order.notification_email
        ):
            outbox.queue(
                emails.CUSTOMER_COMMENT, order=order, context={"body": comment.body}, now=now
            )
    return comment
