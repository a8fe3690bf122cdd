"""Rejections and the coded reason catalogue both desks use."""

from django.conf import settings
from django.db import models

from .order import PortOrder
from .statuses import Direction


class RejectionReason(models.Model):
    class AppliesTo(models.TextChoices):
        PORT_IN = "in", "Port-in"
        PORT_OUT = "out", "Port-out"
        BOTH = "both", "Both desks"

    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=160)
    instructions = models.TextField(help_text="What the customer or requesting carrier must do.")
    applies_to = models.CharField(max_length=4, choices=AppliesTo.choices)
    rule = models.CharField(max_length=4, blank=True, help_text="The rule it enforces (R2-R16).")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.title}"


class Rejection(models.Model):
    class Source(models.TextChoices):
        LOSING_CARRIER = "losing_carrier", "Losing carrier"
        VALIDATION = "validation", "Our validation"
        MANAGER = "manager", "Manager"

    order = models.ForeignKey(PortOrder, on_delete=models.CASCADE, related_name="rejections")
    # The order's desk, copied when the rejection is made (an order never changes desk): the
    # manager digest counts a desk's open rejections without joining a million orders.
    direction = models.CharField(max_length=3, choices=Direction.choices, editable=False)
    reasons = models.ManyToManyField(RejectionReason, related_name="rejections")
    text = models.TextField("details", blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_rejections",
    )
    raised_at = models.DateTimeField()
    returned_to_customer_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            models.Index(
                fields=["raised_at", "id"],
                condition=models.Q(resolved_at__isnull=True),
                # What the review's page and filters read of a rejection: its page of ids
                # comes from the index alone.
                include=["order", "direction", "assignee", "source"],
                name="rejection_open_by_age",
            ),
            models.Index(
                fields=["direction"],
                condition=models.Q(resolved_at__isnull=True),
                name="rejection_open_by_desk",
            ),
        ]

    def __str__(self):
        return f"Rejection of {self.order_id} ({self.get_source_display()})"

    def save(self, *args, **kwargs):
        if not self.direction:
            self.direction = self.order.direction
        super().save(*args, **kwargs)
