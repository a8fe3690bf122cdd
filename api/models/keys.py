"""API keys (one partner may hold several, each with its scopes) and the idempotency records
every POST is answered from when it is repeated."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from .partners import Partner


class ApiKey(models.Model):
    """A partner's key. Only its prefix (the lookup handle) and a SHA-256 of the whole key are
    stored: the key is shown once, in the admin's message when it is created. The key has
    over 190 bits of randomness, so a fast hash is enough (no password-style stretching,
    which would cost every request tens of milliseconds)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="keys")
    name = models.CharField(max_length=80, help_text="What the key is for, e.g. “CRM production”.")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    can_read = models.BooleanField("scope: read", default=True, help_text="Read orders and events.")
    can_write_port_in = models.BooleanField(
        "scope: port-in write",
        default=False,
        help_text="Create, submit and cancel port-in orders; comment; upload documents.",
    )
    can_submit_port_out = models.BooleanField(
        "scope: port-out submit",
        default=False,
        help_text="Submit port-out LSRs and their SUPs (trading partners only).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Written at most once a minute per key (api.auth), not on every request.
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["partner__name", "name"]
        verbose_name = "API key"

    def __str__(self):
        return f"{self.partner}: {self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def scope_problems(self) -> dict[str, str]:
        """Scopes the partner's kind cannot hold: port-outs come from trading partners,
        port-ins from our own systems."""
        problems = {}
        partner = self.partner if self.partner_id else None
        if partner is None:
            return problems
        if self.can_submit_port_out and partner.kind != Partner.Kind.TRADING_PARTNER:
            problems["can_submit_port_out"] = (
                "Only a trading-partner carrier submits port-out LSRs."
            )
        if self.can_write_port_in and partner.kind != Partner.Kind.OUR_SYSTEM:
            problems["can_write_port_in"] = "Only our own systems create port-in orders."
        return problems

    def clean(self):
        problems = self.scope_problems()
        if problems:
            raise ValidationError(problems)


class IdempotencyRecord(models.Model):
    """The first answer to a POST with a given Idempotency-Key, per partner: a repeat with the
    same body gets it back and changes nothing; the same key with another body is refused.
    Written in the transaction that made the change."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "key"], name="api_idempotency_unique_key")
        ]

    def __str__(self):
        return f"{self.partner_id}: {self.key} -> {self.status}"
