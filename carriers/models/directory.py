"""The carrier directory the porting rules read: carriers (with the carrier's rules in
`Carrier.clean` and its constraints), SPIDs, contacts, intervals and the calendar's closed days.
"""

import datetime
import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

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
# The carrier's rules, one wording for the admin, the CSV import and any API (Carrier.clean
# and the constraints in Carrier.Meta).
PEER_REQUIRED = (
    "Name the local porting peer that carries our LSRs: a carrier reached through a local "
    "peer must name it."
)
PEER_NOT_ALLOWED = "Only a carrier reached through a local porting peer names one."
PEER_SELF = "A carrier cannot be its own porting peer."
CLOCKS_POSITIVE = "A carrier's clocks and SUP threshold are at least 1."


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in _time_zones():
        raise ValidationError(
            "%(value)r is not an IANA time zone (e.g. America/Chicago)",
            code="time_zone",
            params={"value": value},
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
    # Off by default: an LOA on file is a carrier's own demand, not the industry's (R4 says a
    # carrier requester needs none); the admin turns it on for the carriers that ask for one.
    requires_loa = models.BooleanField(
        "requires an LOA",
        default=False,
        help_text="Port-in orders to this carrier cannot be submitted until the end user's "
        "signed LOA is on file (signed by link or uploaded by the desk).",
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
    time_zone = models.CharField(
        max_length=64, default="America/Los_Angeles", validators=[validate_time_zone]
    )
    lsr_cutoff = models.TimeField(
        "LSR cut-off",
        default=datetime.time(15, 0),
        help_text="LSRs received at or after this local time count as next business day (R7).",
    )
    csr_answer_hours = models.PositiveSmallIntegerField(
        "CSR answer clock (hours)", default=24, validators=[MinValueValidator(1)], help_text="R1"
    )
    max_due_date_days = models.PositiveSmallIntegerField(
        "latest due date (calendar days)",
        default=30,
        validators=[MinValueValidator(1)],
        help_text="R9",
    )
    port_window_business_days = models.PositiveSmallIntegerField(
        "port window after FOC (business days)",
        default=4,
        validators=[MinValueValidator(1)],
        help_text="R11",
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
                violation_error_message=PEER_REQUIRED,
            ),
            models.CheckConstraint(
                condition=Q(port_in_route="local_peer") | Q(porting_peer__isnull=True),
                name="carrier_peer_only_with_local_peer_route",
                violation_error_message=PEER_NOT_ALLOWED,
            ),
            models.CheckConstraint(
                condition=~Q(porting_peer=F("id")),
                name="carrier_not_its_own_peer",
                violation_error_message=PEER_SELF,
            ),
            models.CheckConstraint(
                condition=Q(
                    csr_answer_hours__gte=1,
                    max_due_date_days__gte=1,
                    port_window_business_days__gte=1,
                    sup_threshold__gte=1,
                ),
                name="carrier_clocks_at_least_one",
                violation_error_message=CLOCKS_POSITIVE,
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """The porting-peer rules, named on the field (the constraints in Meta back them up)."""
        local_peer = self.port_in_route == self.Route.LOCAL_PEER
        if local_peer and self.porting_peer_id is None:
            raise ValidationError({"porting_peer": PEER_REQUIRED})
        if not local_peer and self.porting_peer_id is not None:
            raise ValidationError({"porting_peer": PEER_NOT_ALLOWED})
        if self.porting_peer_id is not None and self.porting_peer_id == self.pk:
            raise ValidationError({"porting_peer": PEER_SELF})

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
