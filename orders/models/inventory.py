"""F7: the number inventory and the orders. A TN is claimed by at most one open order per
desk (the database refuses a second claim), and each inventory change a completed port made
is recorded against that order."""

from django.db import models

from carriers.models import SPID, CustomerAccount, TelephoneNumber

from .order import PortOrder
from .statuses import Direction


class OpenTnClaim(models.Model):
    """One row per TN on an open order, per desk: the unique (tn, direction) is what stops
    two requests that checked "not on an open order" at the same moment from both saving.

    Written by the services that give an order its numbers (port-in create, port-out LSR
    intake and SUP), deleted by the lifecycle when the order closes.
    """

    tn = models.CharField("TN", max_length=10)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    order = models.ForeignKey(PortOrder, on_delete=models.CASCADE, related_name="tn_claims")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tn", "direction"], name="open_tn_claim_one_per_desk"),
        ]

    def __str__(self):
        return f"{self.tn} ({self.get_direction_display()}) on order {self.order_id}"


class InventoryChange(models.Model):
    """What a completed port did to one TN in the inventory (before and after), so that the
    inventory's state can be traced to the order that made it, and a second run of the same
    completion finds the TN done (unique order + TN) and changes nothing."""

    order = models.ForeignKey(PortOrder, on_delete=models.CASCADE, related_name="inventory_changes")
    tn = models.CharField("TN", max_length=10)
    spid_before = models.ForeignKey(
        SPID, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    spid_after = models.ForeignKey(
        SPID, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    account_before = models.ForeignKey(
        CustomerAccount, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    account_after = models.ForeignKey(
        CustomerAccount, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status_before = models.CharField(
        max_length=20, choices=TelephoneNumber.Status.choices, blank=True
    )
    status_after = models.CharField(max_length=20, choices=TelephoneNumber.Status.choices)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["order", "tn"]
        constraints = [
            models.UniqueConstraint(fields=["order", "tn"], name="inventory_change_once_per_order"),
        ]
        indexes = [models.Index(fields=["tn", "-changed_at"], name="inventory_change_tn_recent")]

    def __str__(self):
        return f"{self.tn} by order {self.order_id}"
