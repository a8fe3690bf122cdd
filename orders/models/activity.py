"""What happened on an order: status history, comments, status checks and documents."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from carriers.timefmt import local_time

from .order import PortOrder


class StatusChange(models.Model):
    """One row per status move, written only by orders.lifecycle.transition."""

    order = models.ForeignKey(PortOrder, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(
        max_length=80, blank=True, help_text="The job or system that moved it when no user did."
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["order", "-created_at"]),
            # The manager digest counts yesterday's cancellations by job (F4, R11).
            models.Index(
                fields=["actor_label", "created_at"],
                condition=Q(to_status="cancelled"),
                name="history_cancelled_by",
            ),
        ]

    def __str__(self):
        return f"{self.order_id}: {self.from_status or '-'} -> {self.to_status}"

    @property
    def who(self):
        return self.actor.get_username() if self.actor_id else (self.actor_label or "system")


class Comment(models.Model):
    class Visibility(models.TextChoices):
        INTERNAL = "internal", "Internal"
        CUSTOMER = "customer", "Customer-visible"

    class Source(models.TextChoices):
        STAFF = "staff", "Staff"
        CUSTOMER = "customer", "From the customer"
        SYSTEM = "system", "System"

    order = models.ForeignKey(PortOrder, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    body = models.TextField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["order", "-created_at"])]

    def __str__(self):
        return f"Comment on {self.order_id} at {local_time(self.created_at)}"


class StatusCheck(models.Model):
    """A follow-up with the losing carrier while submitted (F5); its outcome is a comment."""

    order = models.ForeignKey(PortOrder, on_delete=models.CASCADE, related_name="status_checks")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    checked_at = models.DateTimeField()
    outcome = models.TextField()
    comment = models.OneToOneField(Comment, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-checked_at"]

    def __str__(self):
        return f"Status check on {self.order_id} at {local_time(self.checked_at)}"


def document_upload_path(instance, filename):
    # Never the uploaded name: a random path is neither guessable nor an injection vector.
    return f"documents/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"


class Document(models.Model):
    class Kind(models.TextChoices):
        LOA = "loa", "LOA"
        BILL = "bill", "Bill copy"
        CSR = "csr", "CSR"
        OTHER = "other", "Other"
        # Carrier correspondence the portal makes and sends (orders.documents).
        LSR = "lsr", "LSR"
        SUP = "sup", "SUP"
        FOC_NOTICE = "foc_notice", "FOC notice"
        REJECT_NOTICE = "reject_notice", "Reject notice"
        CSR_ANSWER = "csr_answer", "CSR answer"
        EXPEDITE_OUTCOME = "expedite_outcome", "Expedite outcome"

    order = models.ForeignKey(
        PortOrder, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    csr_request = models.ForeignKey(
        "orders.CsrRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=document_upload_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    # A document the portal sent (orders.documents): to whom, by which outbox row (its
    # delivery state), and the earlier copy when the desk sent it again.
    sent_to = models.CharField(max_length=300, blank=True)
    email = models.ForeignKey(
        "orders.OutboundEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    resend_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="resends"
    )

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name

    @property
    def is_sent_document(self) -> bool:
        return self.kind in SENT_KINDS

    @property
    def delivery_state(self) -> str:
        """queued, sent, failed (retrying), given up, or not sent (no address)."""
        email = self.email
        if email is None:
            return "not sent"
        if email.sent_at:
            return "sent"
        if email.gave_up_at:
            return "given up"
        return "failed, retrying" if email.attempts else "queued"


SENT_KINDS = frozenset(
    {
        Document.Kind.LSR,
        Document.Kind.SUP,
        Document.Kind.FOC_NOTICE,
        Document.Kind.REJECT_NOTICE,
        Document.Kind.CSR_ANSWER,
        Document.Kind.EXPEDITE_OUTCOME,
    }
)
