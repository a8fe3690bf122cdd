"""Webhooks (issue 18): a partner's subscriptions and the deliveries owed to them.

The events themselves are `orders.OrderEvent` rows, written in the transaction of each change
(a transactional outbox). The fan-out job (`api.webhooks.fanout`) turns new events into one
`WebhookDelivery` per matching subscription, the delivery job (`api.webhooks.delivery`) POSTs
them, signed, and retries with backoff; the admin lists them with their last answer and can
replay one.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from carriers.fields import EncryptedCharField
from orders.models import OrderEvent

from .partners import Partner

EVENT_TYPES = OrderEvent.Kind


def new_secret() -> str:
    """A signing secret: 256 random bits, prefixed so a leaked one is recognisable."""
    return f"whsec_{secrets.token_urlsafe(32)}"


class WebhookSubscription(models.Model):
    """Where a partner wants its events POSTed, and which kinds of them."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(
        "URL",
        max_length=500,
        help_text="An http(s) address of the partner's receiver; redirects are not followed.",
    )
    event_types = models.JSONField(
        default=list, help_text="The kinds of events sent (orders.OrderEvent.Kind values)."
    )
    # HMAC needs the secret itself, so it cannot be hashed like an API key: it is encrypted at
    # rest (PIN_ENCRYPTION_KEY), shown once when it is made (or rotated), never listed.
    secret = EncryptedCharField(max_length=64, default=new_secret, editable=False)
    active = models.BooleanField(default=True)
    description = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    secret_rotated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["partner__name", "url"]
        verbose_name = "webhook subscription"

    def __str__(self):
        return f"{self.partner}: {self.url}"

    def clean(self):
        super().clean()
        unknown = sorted(set(self.event_types or []) - set(EVENT_TYPES.values))
        if unknown:
            raise ValidationError({"event_types": f"Unknown event types: {', '.join(unknown)}."})
        if not self.event_types:
            raise ValidationError({"event_types": "Choose at least one event type."})

    def wants(self, kind: str) -> bool:
        return kind in (self.event_types or [])


class WebhookDelivery(models.Model):
    """One event owed to one subscription: its attempts, its last answer, its state."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        FAILED = "failed", "Failed (retrying)"
        DELIVERED = "delivered", "Delivered"
        GIVEN_UP = "given_up", "Given up"

    # Its index is the unique (subscription, event) below.
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    event = models.ForeignKey(OrderEvent, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response_body = models.CharField("last response (excerpt)", max_length=500, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    replays = models.PositiveIntegerField(default=0, help_text="Times replayed from the admin.")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            # The fan-out may see an event twice (its settle window, two clusters): one
            # delivery per event and subscription whatever it does.
            models.UniqueConstraint(fields=["subscription", "event"], name="webhook_delivery_once"),
        ]
        indexes = [
            # The delivery job's due rows, and nothing else: delivered and given-up rows
            # pile up, the due ones stay few.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "failed"]),
                name="webhook_delivery_due",
            ),
        ]

    def __str__(self):
        return f"event {self.event_id} -> {self.subscription_id} ({self.status})"


class WebhookFanOut(models.Model):
    """The fan-out's high-water mark: every event up to `last_event_id` has its deliveries.
    One row (pk 1), locked by each run so that two clusters take turns."""

    last_event_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "webhook fan-out mark"

    def __str__(self):
        return f"events up to {self.last_event_id}"
