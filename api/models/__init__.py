"""The partner API's tables: who the partners are (partners.py), their keys and idempotency
records (keys.py, issue 18's API part) and their webhooks (webhooks.py, its webhook part)."""

from .partners import Partner, PartnerOrder

__all__ = ["Partner", "PartnerOrder"]
