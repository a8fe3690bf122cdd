"""Each version (VER) of a port-in LSR as we sent it: submitted, resent after a reject, or
changed by a SUP. The order row carries the current VER; these rows keep what each one said,
so the order page shows what changed between them.

`fields` never holds the PIN, nor the account number in clear: its masked form and its keyed
hash (carriers.cpni), so a change of number shows without keeping CPNI in the JSON.
"""

from django.conf import settings
from django.db import models

from .order import PortOrder
from .portout import Supplement


class LsrVersion(models.Model):
    class Reason(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        RESENT_AFTER_FIX = "resent_fix", "Resubmitted after a reject (fixed by the desk)"
        RESENT_AFTER_REVIEW = "resent_review", "Resubmitted after the customer's changes"
        SUP = "sup", "SUP"

    # No index of its own: the (order, version) constraint leads with it.
    order = models.ForeignKey(
        PortOrder, on_delete=models.CASCADE, related_name="lsr_versions", db_index=False
    )
    version = models.PositiveSmallIntegerField("VER")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    sup_type = models.PositiveSmallIntegerField("SUP type", null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    fields = models.JSONField("LSR as sent", default=dict)
    sent_at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["order", "version"]
        constraints = [
            models.UniqueConstraint(fields=["order", "version"], name="lsr_version_unique"),
        ]

    def __str__(self):
        return f"{self.order_id} VER {self.version}"

    @property
    def why(self) -> str:
        """The reason as the desk says it: "SUP 2: new due date", "Submitted"..."""
        if self.reason == self.Reason.SUP and self.sup_type:
            return Supplement.Type(self.sup_type).label
        return self.get_reason_display()
