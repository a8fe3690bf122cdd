"""Port-in specifics: the CSR the losing carrier returned (F1) and PIN reveal audit."""

from django.conf import settings
from django.db import models

from carriers.models import EndUserFields

from .order import PortOrder


class PortInCsr(EndUserFields):
    """The losing carrier's CSR for a port-in order, compared field by field (F1)."""

    order = models.OneToOneField(PortOrder, on_delete=models.CASCADE, related_name="csr")
    # The EndUserFields columns. The end user's number at the losing carrier is CPNI as ours
    # are (R18) but never looked up, so it has no digest.
    tns = models.TextField("TNs on the CSR", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()
    mismatches = models.JSONField(default=list, blank=True)
    override_reason = models.CharField(max_length=300, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "port-in CSR"

    def __str__(self):
        return f"CSR for order {self.order_id}"


class PinRevealAudit(models.Model):
    order = models.ForeignKey(PortOrder, on_delete=models.CASCADE, related_name="pin_reveals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revealed_at = models.DateTimeField()

    class Meta:
        ordering = ["-revealed_at"]

    def __str__(self):
        return f"PIN of order {self.order_id} revealed to {self.user_id} at {self.revealed_at}"
