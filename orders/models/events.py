"""What happened to an order, for the partner API's events feed and its webhooks (issue 18).

A transactional outbox: each row is written by `orders.events.record()` (or `record_many()`
in the jobs) in the same transaction as the change it describes, so a change that rolls back
leaves no event and a committed change always has one. The API reads them by id (the feed's
cursor, the webhooks' fan-out); nothing updates or deletes them.
"""

from django.db import models

from .order import PortOrder


class OrderEvent(models.Model):
    class Kind(models.TextChoices):
        STATUS_CHANGED = "status_changed", "Order status changed"
        FOC_SET = "foc_set", "FOC set"
        REJECTED = "rejected", "Rejected"
        LSR_RECEIVED = "lsr_received", "LSR received"
        LSR_DECIDED = "lsr_decided", "LSR decided"
        NPAC_CANCEL_RECORDED = "npac_cancel_recorded", "NPAC cancel recorded"
        DOCUMENT_SENT = "document_sent", "Document sent"

    id = models.BigAutoField(primary_key=True)
    # Its index is (order, id) below, which serves the foreign key as well.
    order = models.ForeignKey(
        PortOrder, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # What a partner needs to follow the change (statuses, FOC date, reject codes with rule
    # ids, document kind and id); never a PIN or an account number: it leaves the portal.
    data = models.JSONField(default=dict, blank=True)
    # When the event was recorded (the database's clock at the write, not an injected "now"):
    # the feed's "since" and the webhooks' settle window read it.
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [
            # One order's events in order, and the feed's per-order probes (api.events).
            models.Index(fields=["order", "id"], name="order_event_order_id"),
        ]

    def __str__(self):
        return f"{self.order_id}: {self.kind} #{self.id}"
