"""The customer's side of a port-in (issue 19): the links the desk sends them (sign the LOA,
see the order's status), each visit and act made through one, the LOA signature, and the
corrections they send back after a reject (F3).

A link is a random token whose SHA-256 alone is stored (`token_digest`); see
`orders.services.portin.customer_links` for why a token rather than `django.core.signing`.
"""

from django.conf import settings
from django.db import models

from .activity import Document, document_upload_path
from .order import PortOrder


class CustomerLink(models.Model):
    class Purpose(models.TextChoices):
        LOA = "loa", "Sign the LOA"
        STATUS = "status", "Order status"

    # No index of its own: (order, purpose, -created_at) leads with it.
    order = models.ForeignKey(
        PortOrder, on_delete=models.CASCADE, related_name="customer_links", db_index=False
    )
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    # The SHA-256 (hex) of the token in the URL; the token itself is never stored.
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    # The customer email the link was sent to: it is valid only while the order still has it.
    email = models.EmailField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_viewed_at = models.DateTimeField(null=True, blank=True)
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    # An LOA link: the LOA as generated when it was sent (the document the customer sees and
    # signs) and its SHA-256; `used_at` once signed (an LOA link signs once).
    loa_file = models.FileField(upload_to=document_upload_path, blank=True)
    loa_sha256 = models.CharField(max_length=64, blank=True)
    # What the LOA said (orders.documents.Content as JSON): the signed copy is rendered from
    # it, so it says what the customer read even if the order changed since.
    loa_content = models.JSONField(default=dict, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["order", "purpose", "-created_at"], name="customer_link_order")
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} link for {self.order_id}"

    def state(self, now) -> str:
        """sent, viewed, signed, revoked or expired (the order page's words)."""
        if self.used_at:
            return "signed"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "viewed" if self.first_viewed_at else "sent"


class CustomerLinkEvent(models.Model):
    """One visit or act through a link, kept on the order's timeline (who saw what, when)."""

    class Kind(models.TextChoices):
        VIEWED = "viewed", "Opened"
        SIGNED = "signed", "Signed the LOA"
        RESUBMITTED = "resubmitted", "Sent corrections"
        CANCELLED = "cancelled", "Cancelled the draft"
        REFUSED = "refused", "Refused (the link cannot be used)"

    link = models.ForeignKey(CustomerLink, on_delete=models.CASCADE, related_name="events")
    order = models.ForeignKey(
        PortOrder, on_delete=models.CASCADE, related_name="customer_events", db_index=False
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["order", "-at"], name="customer_event_order")]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.order_id}"


class LoaSignature(models.Model):
    """The customer signed the LOA through a link: the facts the signature page holds."""

    link = models.OneToOneField(CustomerLink, on_delete=models.CASCADE, related_name="signature")
    order = models.ForeignKey(PortOrder, on_delete=models.CASCADE, related_name="loa_signatures")
    signer_name = models.CharField(max_length=120)
    signer_title = models.CharField(max_length=120)
    consent = models.BooleanField()
    signed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    document_sha256 = models.CharField("SHA-256 of the LOA signed", max_length=64)
    signed_document = models.OneToOneField(
        Document, on_delete=models.CASCADE, related_name="loa_signature"
    )

    class Meta:
        ordering = ["-signed_at"]

    def __str__(self):
        return f"LOA of {self.order_id} signed by {self.signer_name}"


class CustomerResubmission(models.Model):
    """What the customer changed through the status page after a reject (F3): the LSR's
    fields before and after (`orders.services.portin.versions.lsr_fields`: never the PIN, the
    account number masked and hashed), compared for the desk by `orders.lsr_changes`."""

    order = models.ForeignKey(
        PortOrder, on_delete=models.CASCADE, related_name="customer_resubmissions", db_index=False
    )
    link = models.ForeignKey(CustomerLink, on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField()
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    pin_changed = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    bill = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["order", "-submitted_at"], name="customer_resubmission_order")
        ]

    def __str__(self):
        return f"Customer resubmission of {self.order_id}"
