"""Supplements, CSR requests from other carriers, authorization disputes, NPAC cancel records."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from carriers.models import Carrier

from .order import PortOrder


class Supplement(models.Model):
    class Type(models.IntegerChoices):
        CANCEL = 1, "SUP 1: cancel"
        NEW_DUE_DATE = 2, "SUP 2: new due date"
        OTHER = 3, "SUP 3: other change"

    order = models.ForeignKey(PortOrder, on_delete=models.CASCADE, related_name="supplements")
    sup_type = models.PositiveSmallIntegerField("SUP", choices=Type.choices)
    received_at = models.DateTimeField()
    effective_received_on = models.DateField(null=True, blank=True)
    requested_due_date = models.DateField(null=True, blank=True)
    previous_foc_date = models.DateField(null=True, blank=True)
    new_foc_date = models.DateField(null=True, blank=True)
    explanation = models.CharField(max_length=300, blank=True)
    remarks = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["order", "-received_at"])]

    def __str__(self):
        return f"{self.get_sup_type_display()} on {self.order_id}"


class CsrRequest(models.Model):
    """Another carrier asks us for a customer service record (R1-R5)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        REJECTED = "rejected", "Rejected"

    requesting_carrier = models.ForeignKey(
        Carrier, on_delete=models.PROTECT, related_name="csr_requests"
    )
    tns = models.JSONField("TNs", default=list)
    authorization_indicator = models.BooleanField("end-user authorization indicated", default=False)
    received_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="R1")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    is_overdue = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The answer as it was given: the CSR snapshot or the coded reject with findings.
    answer = models.JSONField(default=dict, blank=True)
    reject_reasons = models.ManyToManyField(
        "orders.RejectionReason", blank=True, related_name="csr_requests"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "CSR request"
        ordering = ["due_at"]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(status="open"), name="csr_request_open_due"
            ),
        ]

    def __str__(self):
        return f"CSR request #{self.pk} from {self.requesting_carrier}"


class AuthorizationDispute(models.Model):
    """R6: a dispute over the requester's authority, the evidence asked for, and the outcome."""

    class Resolution(models.TextChoices):
        OPEN = "", "Open"
        UPHELD = "upheld", "Authorization upheld"
        NOT_AUTHORIZED = "not_authorized", "Not authorized"
        WITHDRAWN = "withdrawn", "Withdrawn"

    order = models.ForeignKey(
        PortOrder, on_delete=models.CASCADE, null=True, blank=True, related_name="disputes"
    )
    csr_request = models.ForeignKey(
        CsrRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="disputes"
    )
    description = models.TextField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    opened_at = models.DateTimeField()
    evidence_requested_at = models.DateTimeField(null=True, blank=True)
    evidence_received_at = models.DateTimeField(null=True, blank=True)
    evidence_notes = models.TextField(blank=True)
    resolution = models.CharField(
        max_length=20, choices=Resolution.choices, default=Resolution.OPEN, blank=True
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(order__isnull=False) | Q(csr_request__isnull=False),
                name="dispute_on_order_or_csr_request",
            )
        ]

    def __str__(self):
        return f"Authorization dispute #{self.pk}"

    @property
    def is_open(self):
        return not self.resolution


class NpacCancelRecord(models.Model):
    """R11: one NPAC subscription cancel per pending TN of an expired port-out FOC."""

    order = models.ForeignKey(PortOrder, on_delete=models.CASCADE, related_name="npac_cancels")
    tn = models.CharField("TN", max_length=10)
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "NPAC cancel record"
        ordering = ["created_at", "tn"]
        constraints = [
            # The guard that makes the R11 job safe to run twice or on two clusters.
            models.UniqueConstraint(fields=["order", "tn"], name="npac_cancel_once_per_tn"),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="npac_cancel_unsent"
            )
        ]

    def __str__(self):
        return f"NPAC cancel {self.tn} (order {self.order_id})"

    @property
    def state(self):
        if self.confirmed_at:
            return "confirmed"
        return "sent" if self.sent_at else "to send"


class NpacEvent(models.Model):
    """One NPAC subscription event on a port-out TN, as staff recorded it from the SOA."""

    class Kind(models.TextChoices):
        CREATE = "create", "New carrier's create (pending)"
        CONCUR = "concur", "Our concurrence"
        ACTIVATE = "activate", "Activation (ported)"
        CONFLICT = "conflict", "Conflict"
        CANCEL = "cancel", "Cancel"

    order = models.ForeignKey(PortOrder, on_delete=models.CASCADE, related_name="npac_events")
    tn = models.CharField("TN", max_length=10)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    occurred_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    notes = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "NPAC event"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["order", "-occurred_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.tn} (order {self.order_id})"
