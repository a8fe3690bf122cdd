"""R18: a manager's override of a validation-field finding on a port-out LSR."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .order import PortOrder


class FindingOverride(models.Model):
    """A manager judged an R18 finding (account number, ZIP, PIN, end-user name) acceptable
    for this LSR, with the reason; the FOC may go once every finding is fixed or overridden.

    A SUP 3 that changes the overridden field voids the override (`voided_at`): the manager
    judged the value then on the LSR, not whatever the carrier sends next.
    """

    order = models.ForeignKey(PortOrder, on_delete=models.CASCADE, related_name="overrides")
    rule = models.CharField(max_length=4)
    field = models.CharField(max_length=40, help_text="The finding's field, e.g. “ZIP”.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField()
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        permissions = [("override_finding", "Can override an R18 validation-field finding")]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "rule", "field"],
                condition=Q(voided_at__isnull=True),
                name="finding_override_once_while_standing",
            )
        ]

    def __str__(self):
        return f"{self.rule} {self.field} overridden on {self.order_id}"
