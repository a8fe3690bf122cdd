"""The number inventory: our NPAC view of each TN and our customers' accounts (with the
end user's fields every order and CSR shares, `EndUserFields`) and their port-out locks.
"""

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from carriers.cpni import mask_account_number
from carriers.fields import DigestField, EncryptedCharField

from .directory import SPID, TN_VALIDATOR

# Our accounts' state and ZIP (the admin and the number import check both with these).
STATE_VALIDATOR = RegexValidator(
    r"^[A-Za-z]{2}\Z", message="%(value)r is not a 2-letter state code", code="state_format"
)
ZIP_VALIDATOR = RegexValidator(
    r"^\d{5}(-?\d{4})?\Z",
    message="%(value)r is not a ZIP code (12345 or 12345-6789)",
    code="zip_format",
)


class EndUserFields(models.Model):
    """The end user's fields as an order or a CSR gives them (all optional): the columns of
    `carriers.end_user.EndUser`, in the same order. A model that finds rows by account
    number adds its own `DigestField(source="account_number")` beside them."""

    account_name = models.CharField(max_length=160, blank=True)
    # CPNI (R18): a Fernet token in the column (carriers.fields).
    account_number = EncryptedCharField(max_length=30, blank=True)
    btn = models.CharField("BTN", max_length=10, blank=True)
    authorized_person = models.CharField(max_length=120, blank=True)
    service_address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=2, blank=True)
    zip_code = models.CharField("ZIP", max_length=10, blank=True)

    class Meta:
        abstract = True


class CustomerAccount(models.Model):
    """One of our customers' accounts: what a CSR answer is built from."""

    # CPNI (R18): a Fernet token in the column, found and kept unique by its keyed hash
    # (carriers.fields; the digest is NULL, so not unique, for an account without a number;
    # the constraint in Meta, not unique=True, which on PostgreSQL adds a LIKE index too).
    account_number = EncryptedCharField(max_length=30)
    account_number_digest = DigestField(source="account_number")
    btn = models.CharField("BTN", max_length=10, validators=[TN_VALIDATOR])
    name = models.CharField("account name", max_length=160)
    authorized_person = models.CharField(max_length=120, blank=True)
    service_address = models.CharField(max_length=200)
    city = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=2, blank=True, validators=[STATE_VALIDATOR])
    zip_code = models.CharField("ZIP", max_length=10, validators=[ZIP_VALIDATOR])
    # Only a salted hash: the desk checks a PIN offered on an LSR, it never reads one back.
    pin_hash = models.CharField("PIN/passcode hash", max_length=200, blank=True, editable=False)
    uses_unbundled_elements = models.BooleanField(default=False)
    # R19: who may be told of a port-out request, whether the holder locked the account
    # against port-out (the history is PortOutLockChange), and when the contact or address
    # last changed (a recent change before a port-out is a classic account takeover). All
    # three are written by carriers.protection only, never by save() or a signal.
    contact_email = models.EmailField(
        "account holder's contact email",
        blank=True,
        db_default="",  # rows inserted by raw SQL (the number importer) get it too
        help_text="Told at once of every LSR received for the account's numbers (R19).",
    )
    port_out_locked = models.BooleanField(
        "port-out lock", default=False, db_default=False, editable=False, help_text="R19"
    )
    details_changed_at = models.DateTimeField(
        "contact or address last changed", null=True, blank=True, editable=False
    )
    # The last LSR whose notice could not be sent (no contact email): the desk calls them.
    notice_missed_at = models.DateTimeField(
        "last LSR notice missed", null=True, blank=True, editable=False
    )

    class Meta:
        constraints = [
            # Not partial: the number importer's ON CONFLICT needs a plain unique index.
            models.UniqueConstraint(
                fields=["account_number_digest"], name="account_number_digest_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["btn"]),
            models.Index(fields=["name"]),
            # The port-out risk queue's account conditions (a few rows each).
            models.Index(
                fields=["id"], condition=Q(port_out_locked=True), name="account_port_out_locked"
            ),
            models.Index(
                fields=["details_changed_at"],
                condition=Q(details_changed_at__isnull=False),
                name="account_details_changed",
            ),
            # The desk's list of accounts it cannot notify, by name.
            models.Index(
                fields=["name", "id"], condition=Q(contact_email=""), name="account_no_contact"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.masked_account_number})"

    @property
    def masked_account_number(self):
        return mask_account_number(self.account_number)

    def set_pin(self, raw_pin):
        self.pin_hash = make_password(raw_pin) if raw_pin else ""

    def check_pin(self, raw_pin):
        return bool(self.pin_hash) and check_password(raw_pin, self.pin_hash)


class PortOutLockChange(models.Model):
    """R19: one turn of an account's port-out lock, at the customer's request: who, when, why.
    The account's `port_out_locked` is the latest row's `locked` (carriers.protection writes
    both in one transaction)."""

    account = models.ForeignKey(
        CustomerAccount, on_delete=models.CASCADE, related_name="lock_changes"
    )
    locked = models.BooleanField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    changed_at = models.DateTimeField()
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["account", "-changed_at"], name="lock_change_history")]

    def __str__(self):
        what = "locked" if self.locked else "unlocked"
        return f"Port-out {what} {self.changed_at:%Y-%m-%d %H:%M}"


class TelephoneNumber(models.Model):
    """A TN as NPAC sees it (serving SPID, LRN) and, for our customers, as we bill it."""

    class Status(models.TextChoices):
        WORKING = "working", "Working"
        DISCONNECTED = "disconnected", "Disconnected"
        RESERVED = "reserved", "Reserved"

    class LineType(models.TextChoices):
        POTS = "pots", "Analog POTS"
        ISDN_BRI = "isdn_bri", "ISDN BRI"
        PRI = "pri", "PRI channel"
        CENTREX = "centrex", "Centrex"
        VOIP = "voip", "VoIP"
        WIRELESS = "wireless", "Wireless"
        TOLL_FREE = "toll_free", "Toll-free"

    tn = models.CharField("TN", max_length=10, unique=True, validators=[TN_VALIDATOR])
    spid = models.ForeignKey(
        SPID, on_delete=models.PROTECT, related_name="numbers", verbose_name="NPAC SPID"
    )
    lrn = models.CharField("LRN", max_length=10, blank=True)
    is_toll_free = models.BooleanField(default=False)
    account = models.ForeignKey(
        CustomerAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="numbers",
        help_text="Set for our customers' numbers (including ones we resell).",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WORKING)
    line_type = models.CharField(max_length=20, choices=LineType.choices, default=LineType.POTS)
    features = models.CharField(
        max_length=300, blank=True, help_text="Comma-separated features shown on a CSR."
    )
    # The FCC's complex switch translations: any of them makes the port non-simple (R17).
    has_centrex = models.BooleanField(default=False)
    has_isdn = models.BooleanField(default=False)
    has_ain = models.BooleanField("has AIN", default=False)
    has_remote_call_forwarding = models.BooleanField(default=False)
    multiple_services_on_loop = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tn"]
        indexes = [models.Index(fields=["account", "tn"])]

    def __str__(self):
        return self.tn

    @property
    def has_complex_translations(self):
        return (
            self.has_centrex
            or self.has_isdn
            or self.has_ain
            or self.has_remote_call_forwarding
            or self.multiple_services_on_loop
        )
