"""Port-in specifics: the CSR the losing carrier returned (F1) and PIN reveal audit."""

from django.conf import settings
from django.db import models

from carriers.fields import EncryptedCharField

from .order import PortOrder


class PortInCsr(models.Model):
    """The losing carrier's CSR for a port-in order, compared field by field (F1)."""

    order = models.OneToOneField(PortOrder, on_delete=models.CASCADE, related_name="csr")
    account_name = models.CharField(max_length=160, blank=True)
    # The end user's number at the losing carrier: CPNI as ours are (R18), never looked up.
    account_number = EncryptedCharField(max_length=30, blank=True)
    btn = models.CharField("BTN", max_length=10, blank=True)
    authorized_person = models.CharField(max_length=120, blank=True)
    service_address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=2, blank=True)
    zip_code = models.CharField("ZIP", max_length=10, blank=True)
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
