"""The desks and the statuses of a port order, and the sets of statuses the lifecycle, the
queues and their indexes name."""

from django.db import models
from django.db.models import Q


class Direction(models.TextChoices):
    PORT_IN = "in", "Port-in"
    PORT_OUT = "out", "Port-out"


class Status(models.TextChoices):
    # Port-in (seed 004)
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted (FOC)"
    EXCEPTION = "exception", "Exception (desk fixing)"
    REVIEW = "review", "In review"
    # Port-out (seed 000)
    RECEIVED = "received", "Received (to decide)"
    EXPEDITE_REVIEW = "expedite_review", "Expedite awaiting manager"
    FOC_SENT = "foc_sent", "FOC sent"
    # Both
    REJECTED = "rejected", "Rejected"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


CLOSED_STATUSES = frozenset({Status.COMPLETED, Status.CANCELLED})
# Open orders, spelled positively so that PostgreSQL can use the status-led indexes
# ((status, foc_date), (direction, status, ...)) instead of scanning for NOT IN; the queues'
# partial indexes (order_indexes.py) name the same list.
OPEN_STATUS_VALUES = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.EXCEPTION,
    Status.REVIEW,
    Status.REJECTED,
    Status.RECEIVED,
    Status.EXPEDITE_REVIEW,
    Status.FOC_SENT,
)
# The statuses of an order with an open rejection: a port-in the losing carrier rejected
# (exception), returned to the customer (rejected) or resubmitted by them (review); a
# port-out LSR we rejected. Resending the LSR and cancelling resolve its rejections
# (orders.services.orders.rejections_resolve). The rejection review's filters on the order
# read the order through `order_rejection_review`, which holds these.
REJECTION_OPEN_STATUSES = (Status.EXCEPTION, Status.REJECTED, Status.REVIEW)

# A port-out LSR that we rejected is closed too: the carrier must send a new version.
OPEN_STATUSES_Q = ~Q(status__in=[Status.COMPLETED, Status.CANCELLED]) & ~Q(
    direction=Direction.PORT_OUT, status=Status.REJECTED
)
