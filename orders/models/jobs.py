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
