"""The partner API's tables: who the partners are (partners.py), their keys and idempotency
records (keys.py, issue 18's API part) and their webhooks (webhooks.py, its webhook part)."""

from .keys import ApiKey, IdempotencyRecord
from .partners import Partner, PartnerOrder
from .webhooks import WebhookDelivery, WebhookFanOut, WebhookSubscription

__all__ = [
    "ApiKey",
    "IdempotencyRecord",
    "Partner",
    "PartnerOrder",
    "WebhookDelivery",
    "WebhookFanOut",
    "WebhookSubscription",
]
