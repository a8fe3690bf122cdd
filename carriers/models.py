"""Reference data the porting rules read: carriers, SPIDs, contacts, intervals, the
calendar's closed days and the number inventory (our NPAC view and our customers' accounts).
"""

import datetime

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from carriers.cpni import mask_account_number
from carriers.fields import DigestField, EncryptedCharField

SPID_VALIDATOR = RegexValidator(
    r"^[0-9A-Z]{4}\Z",
    message="A SPID is exactly 4 characters, digits and capital letters (NPAC SPID format).",
    code="spid_format",
)
TN_VALIDATOR = RegexValidator(
    r"^[2-9][0-9]{2}[2-9][0-9]{6}\Z",
    message="A TN is stored as 10 NANP digits, e.g. 5035550100.",
    code="tn_format",
)


class Carrier(models.Model):
    class Kind(models.TextChoices):
        ILEC = "ilec", "ILEC"
        CLEC = "clec", "CLEC"
        WIRELESS = "wireless", "Wireless"
        VOIP = "voip", "VoIP"
        CABLE = "cable", "Cable"
        SHARED_TENANT = "shared_tenant", "Shared tenant"
        RESELLER = "reseller", "Reseller"
        RESPORG = "resporg", "Toll-free RespOrg"
        THIRD_PARTY = "third_party", "Third party (agent, consultant, vendor)"

    class Route(models.TextChoices):
        DIRECT = "direct", "Direct to the carrier"
        LOCAL_PEER = "local_peer", "Through a local porting peer"
        SOMOS = "somos", "Somos (SMS/800, toll-free)"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    is_ours = models.BooleanField(
        "one of our companies",
        default=False,
        help_text="Our own operating companies: their SPIDs make a TN ours (R2).",
    )
    supports_csr = models.BooleanField(
        "supports CSR requests",
        default=True,
        help_text="Port-in orders pull and compare the CSR first when it is supported (F1).",
    )
    port_in_route = models.CharField(
        "port-in route", max_length=20, choices=Route.choices, default=Route.DIRECT
    )
    porting_peer = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="peer_for",
        help_text="The local porting peer that carries our LSRs when we cannot reach this carrier.",
    )
    time_zone = models.CharField(max_length=64, default="America/Los_Angeles")
    lsr_cutoff = models.TimeField(
        "LSR cut-off",
        default=datetime.time(15, 0),
        help_text="LSRs received at or after this local time count as next business day (R7).",
    )
    csr_answer_hours = models.PositiveSmallIntegerField(
        "CSR answer clock (hours)", default=24, help_text="R1"
    )
    max_due_date_days = models.PositiveSmallIntegerField(
        "latest due date (calendar days)", default=30, help_text="R9"
    )
    port_window_business_days = models.PositiveSmallIntegerField(
        "port window after FOC (business days)", default=4, help_text="R11"
    )
    sup_threshold = models.PositiveSmallIntegerField(
        "due-date SUPs before a manager flag",
        default=3,
        validators=[MinValueValidator(1)],
        help_text="R12",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(port_in_route="local_peer") | Q(porting_peer__isnull=False),
                name="carrier_local_peer_route_names_peer",
                violation_error_message="A carrier reached through a local peer must name it.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_third_party(self):
        """Agents, consultants and vendors: they must attach an LOA to a CSR request (R5)."""
        return self.kind == self.Kind.THIRD_PARTY


class SPID(models.Model):
    class Region(models.TextChoices):
        MID_ATLANTIC = "mid_atlantic", "Mid-Atlantic"
        MIDWEST = "midwest", "Midwest"
        NORTHEAST = "northeast", "Northeast"
        SOUTHEAST = "southeast", "Southeast"
        SOUTHWEST = "southwest", "Southwest"
        WESTERN = "western", "Western"
        WEST_COAST = "west_coast", "West Coast"

    code = models.CharField("SPID", max_length=4, unique=True, validators=[SPID_VALIDATOR])
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="spids")
    region = models.CharField("NPAC region", max_length=20, choices=Region.choices, blank=True)

    class Meta:
        verbose_name = "SPID"
        verbose_name_plural = "SPIDs"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9A-Z]{4}$"),
                name="spid_code_format",
                violation_error_message=SPID_VALIDATOR.message,
            ),
        ]

    def __str__(self):
        return self.code


class Contact(models.Model):
    class Role(models.TextChoices):
        CSR = "csr", "CSR"
        LSR = "lsr", "LSR"
        CARE = "care", "CARE"
        ESCALATION = "escalation", "Escalation"
        NPAC_SOA = "npac_soa", "NPAC / SOA"
        TOLL_FREE = "toll_free", "Toll-free"

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(max_length=20, choices=Role.choices)
    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    fax = models.CharField(max_length=40, blank=True)
    hours = models.CharField(max_length=120, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["carrier__name", "role", "name"]
        indexes = [models.Index(fields=["carrier", "role"])]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()}, {self.carrier})"


class IntervalGuideline(models.Model):
    """Business days from effective receipt to the earliest FOC (R8, R17).

    Rows without a carrier are the published defaults; rows with one are a trading-partner
    (inter-company) agreement that overrides the defaults for that carrier.
    """

    class Kind(models.TextChoices):
        PORT_ONLY = "port_only", "REQTYPE CB port only"
        OTHER = "other", "All other REQTYPEs"
        SIMPLE = "simple", "Simple port"

    carrier = models.ForeignKey(
        Carrier,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interval_overrides",
        help_text="Empty: the published default. Set: a trading-partner agreement.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    min_tns = models.PositiveIntegerField("from TNs", default=1, validators=[MinValueValidator(1)])
    max_tns = models.PositiveIntegerField(
        "to TNs", null=True, blank=True, help_text="Empty: no upper bound."
    )
    business_days = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["carrier__name", "kind", "min_tns"]
        constraints = [
            # Two partial constraints rather than nulls_distinct, which SQLite lacks.
            models.UniqueConstraint(
                fields=["carrier", "kind", "min_tns"],
                condition=Q(carrier__isnull=False),
                name="interval_unique_tier_per_carrier",
            ),
            models.UniqueConstraint(
                fields=["kind", "min_tns"],
                condition=Q(carrier__isnull=True),
                name="interval_unique_default_tier",
            ),
            models.CheckConstraint(
                condition=Q(max_tns__isnull=True) | Q(max_tns__gte=models.F("min_tns")),
                name="interval_tier_bounds",
                violation_error_message="'to TNs' must not be below 'from TNs'.",
            ),
        ]

    def __str__(self):
        upper = self.max_tns or "+"
        return f"{self.get_kind_display()} {self.min_tns}-{upper} TNs: {self.business_days} bd"


class NonBusinessDay(models.Model):
    """A closed day besides weekends and US federal holidays (company-wide or one carrier's)."""

    date = models.DateField()
    carrier = models.ForeignKey(
        Carrier,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="non_business_days",
        help_text="Empty: closed company-wide.",
    )
    description = models.CharField(max_length=120)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "carrier"],
                condition=Q(carrier__isnull=False),
                name="non_business_day_unique_per_carrier",
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(carrier__isnull=True),
                name="non_business_day_unique_company_wide",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.description}"


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
    state = models.CharField(max_length=2, blank=True)
    zip_code = models.CharField("ZIP", max_length=10)
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
