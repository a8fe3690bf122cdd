"""What the scheduled jobs remember between runs (beyond the orders they move)."""

from django.conf import settings
from django.db import models


class DigestLog(models.Model):
    """One manager digest per manager per day: the row is claimed before the email is sent,
    so a second run (or a second cluster) the same day finds it and sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest_date = models.DateField()
    sent_at = models.DateTimeField()
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-digest_date", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "digest_date"], name="digest_once_per_user_per_day"
            ),
        ]

    def __str__(self):
        return f"Digest for user {self.user_id} on {self.digest_date}"


class OutboundEmail(models.Model):
    """An email the portal owes someone, written in the same transaction as the change that
    calls for it (a transactional outbox).

    A worker killed between the commit and the send used to lose the email; now the row
    survives and the next delivery pass (`orders.services.outbox`) sends it. The row holds
    plain data only: the kind (the template under templates/emails/), the recipients (empty:
    the order's customer email at send time) and the context. Never a PIN or a full account
    number: templates get the masked account number from the order.
    """

    kind = models.CharField(max_length=40)
    order = models.ForeignKey(
        "orders.PortOrder",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbound_emails",
    )
    recipients = models.JSONField(default=list, blank=True)
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    gave_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(sent_at__isnull=True, gave_up_at__isnull=True),
                name="outbox_unsent",
            ),
        ]

    def __str__(self):
        state = "sent" if self.sent_at else ("given up" if self.gave_up_at else "pending")
        return f"{self.kind} email #{self.pk} ({state})"
