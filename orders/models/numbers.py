"""An order's numbers: each TN with its disposition (R13) and its NPAC subscription state."""

from django.db import models

from carriers.models import TN_VALIDATOR

from .order import PortOrder


class OrderNumber(models.Model):
    class Disposition(models.TextChoices):
        PORT = "port", "Port"
        DISCONNECT = "disconnect", "Disconnect"
        REMAIN = "remain", "Remain with us"

    class NpacStatus(models.TextChoices):
        # The NPAC subscription-version states.
        NONE = "", "No subscription"
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        ACTIVE = "active", "Active"
        CONFLICT = "conflict", "Conflict"
        CANCEL_PENDING = "cancel_pending", "Cancel-pending"
        CANCELLED = "cancelled", "Cancelled"
        DISCONNECT_PENDING = "disconnect_pending", "Disconnect-pending"
        FAILED = "failed", "Failed"
        PARTIAL_FAILURE = "partial_failure", "Partial failure"
        OLD = "old", "Old"

    order = models.ForeignKey(PortOrder, on_delete=models.CASCADE, related_name="numbers")
    tn = models.CharField("TN", max_length=10, validators=[TN_VALIDATOR])
    disposition = models.CharField(
        max_length=12, choices=Disposition.choices, default=Disposition.PORT
    )
    npac_status = models.CharField(
        "NPAC status",
        max_length=20,
        choices=NpacStatus.choices,
        default=NpacStatus.NONE,
        blank=True,
    )
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tn"]
        constraints = [
            models.UniqueConstraint(fields=["order", "tn"], name="order_number_unique_tn"),
        ]
        indexes = [models.Index(fields=["tn"])]

    def __str__(self):
        return self.tn
