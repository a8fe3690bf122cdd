"""The port order (both desks) and its numbers."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from carriers.cpni import mask_account_number
from carriers.fields import DigestField
from carriers.models import SPID, Carrier, CustomerAccount, EndUserFields

from .order_indexes import PORT_ORDER_INDEXES
from .statuses import CLOSED_STATUSES, Direction, Status


class PortOrder(EndUserFields):
    class Route(models.TextChoices):
        DIRECT = "direct", "Direct"
        LOCAL_PEER = "local_peer", "Local porting peer"
        SOMOS = "somos", "Somos (toll-free)"

    class CsrStatus(models.TextChoices):
        NOT_REQUIRED = "not_required", "Not required"
        PENDING = "pending", "CSR pending"
        MATCHED = "matched", "Matches the order"
        MISMATCHED = "mismatched", "Mismatches"
        OVERRIDDEN = "overridden", "Mismatch overridden"

    class HolderNotice(models.TextChoices):
        NONE = "", "No account of ours"
        QUEUED = "queued", "Emailed"
        MISSING = "missing", "Not told: no contact email"

    class Decision(models.TextChoices):
        NONE = "", "None"
        PENDING = "pending", "Awaiting a manager"
        ACCEPTED = "accepted", "Accepted"
        REFUSED = "refused", "Refused"

    direction = models.CharField(max_length=3, choices=Direction.choices)
    status = models.CharField(max_length=20, choices=Status.choices, editable=False)
    pon = models.CharField("PON", max_length=32)
    version = models.PositiveSmallIntegerField("VER", default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text="The earlier version of the same PON.",
    )
    reqtype = models.CharField("REQTYPE", max_length=2, blank=True)
    act = models.CharField("ACT", max_length=1, blank=True)
    mi = models.CharField("MI", max_length=1, blank=True)
    requested_due_date = models.DateField("requested due date (DDD)", null=True, blank=True)
    foc_date = models.DateField("FOC date", null=True, blank=True)
    foc_explanation = models.CharField(max_length=300, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    expedite = models.BooleanField("EXP (expedite)", default=False)
    expedite_decision = models.CharField(
        max_length=10, choices=Decision.choices, default=Decision.NONE, blank=True
    )
    simple_port = models.BooleanField(default=False, help_text="FCC simple port (R17).")
    simple_port_override = models.BooleanField(null=True, blank=True)
    simple_port_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    simple_port_override_reason = models.CharField(max_length=300, blank=True)
    tn_count = models.PositiveIntegerField("TNs", default=0)
    is_project_port = models.BooleanField("project port", default=False)

    # No index of its own on the three foreign keys below: each leads a composite index
    # (Meta.indexes, the PON constraint), and every index is paid for on each status change.
    losing_carrier = models.ForeignKey(
        Carrier, on_delete=models.PROTECT, related_name="losing_orders", db_index=False
    )
    losing_spid = models.ForeignKey(
        SPID, on_delete=models.PROTECT, null=True, blank=True, related_name="losing_orders"
    )
    new_carrier = models.ForeignKey(
        Carrier, on_delete=models.PROTECT, related_name="new_orders", db_index=False
    )
    new_spid = models.ForeignKey(
        SPID, on_delete=models.PROTECT, null=True, blank=True, related_name="new_orders"
    )
    route = models.CharField(max_length=20, choices=Route.choices, default=Route.DIRECT)
    route_via = models.ForeignKey(
        Carrier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="routed_orders",
        help_text="The local porting peer carrying the LSR.",
    )
    csr_status = models.CharField(
        "CSR", max_length=20, choices=CsrStatus.choices, default=CsrStatus.NOT_REQUIRED
    )

    # End-user data as given on the order/LSR: the EndUserFields columns, and the account
    # number's keyed hash to find orders by it (carriers.fields).
    account_number_digest = DigestField(source="account_number")  # indexed in Meta
    # Port-in: the PIN we must pass to the losing carrier, encrypted at rest (orders.crypto).
    pin_encrypted = models.TextField(blank=True, editable=False)
    # Port-out: whether the PIN offered on the LSR matched our hash; the PIN is never kept.
    pin_matched = models.BooleanField(null=True, blank=True, editable=False)
    authorization_indicator = models.BooleanField("end-user authorization indicated", default=False)
    # Port-out: the LSR as received (never its PIN) and the rules' latest findings and FOC
    # proposal (orders.rules), so the decision page and a re-run need no re-entry.
    lsr_snapshot = models.JSONField("LSR as received", default=dict, blank=True, editable=False)
    rule_evaluation = models.JSONField(default=dict, blank=True, editable=False)
    notification_email = models.EmailField("customer notification email", blank=True)
    remarks = models.TextField(blank=True)
    # R19 (port-out), set at LSR intake by orders.services.portout.protection: the account of
    # ours the LSR ports from, whether the last rule run found an R18 validation-field
    # mismatch, whether the requester sent LSRs for many accounts that day (the port-out risk
    # queue reads these), and whether every account holder could be told of the LSR.
    customer_account = models.ForeignKey(
        CustomerAccount,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="port_out_orders",
        editable=False,
    )
    # db_default: rows written by raw SQL (the load-data generator) get them too.
    validation_mismatch = models.BooleanField(
        "R18 mismatch", default=False, db_default=False, editable=False
    )
    requester_burst = models.BooleanField(
        "requester sent LSRs for many accounts that day",
        default=False,
        db_default=False,
        editable=False,
    )
    holder_notice = models.CharField(
        "account holder notice (R19)",
        max_length=10,
        choices=HolderNotice.choices,
        default=HolderNotice.NONE,
        db_default=HolderNotice.NONE,
        blank=True,
        editable=False,
    )

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_orders",
        db_index=False,  # led by (assignee, status); see losing_carrier
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    # Clocks, kept by the lifecycle and services so that jobs select due rows by index.
    received_at = models.DateTimeField(null=True, blank=True, help_text="Port-out LSR receipt.")
    effective_received_on = models.DateField(null=True, blank=True, help_text="R7")
    submitted_at = models.DateTimeField(null=True, blank=True)
    last_status_check_at = models.DateTimeField(null=True, blank=True)
    next_status_check_on = models.DateField(null=True, blank=True, help_text="F5")
    customer_notified_at = models.DateTimeField(null=True, blank=True, help_text="F4 clock start")
    auto_cancel_on = models.DateField(null=True, blank=True, help_text="F4")
    port_window_ends_on = models.DateField(null=True, blank=True, help_text="R11")
    due_date_sup_count = models.PositiveSmallIntegerField(default=0)
    sup_flag = models.CharField(
        "SUP-threshold flag (R12)",
        max_length=10,
        choices=Decision.choices,
        default=Decision.NONE,
        blank=True,
    )
    last_activity_at = models.DateTimeField(default=timezone.now)
    # Bumped by every save of the order's data and every status change, so an edit form
    # carrying an older revision is refused instead of silently overwriting a newer save.
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("decide_expedite", "Can accept or refuse an expedite"),
            ("decide_sup_flag", "Can decide a SUP-threshold flag"),
            ("bulk_reassign", "Can reassign orders in bulk"),
            ("review_rejections", "Can work the rejection review queue"),
            ("reveal_pin", "Can reveal a port-in PIN"),
            ("review_port_out_risk", "Can work the port-out risk queue"),
            ("complete_before_foc", "Can complete a port before its FOC date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["new_carrier", "pon", "version"], name="order_pon_ver_unique_per_requester"
            ),
        ]
        indexes = PORT_ORDER_INDEXES

    def __str__(self):
        return f"{self.pon} v{self.version}"

    @property
    def is_port_in(self):
        return self.direction == Direction.PORT_IN

    @property
    def is_port_out(self):
        return self.direction == Direction.PORT_OUT

    @property
    def is_open(self):
        if self.status in CLOSED_STATUSES:
            return False
        return not (self.is_port_out and self.status == Status.REJECTED)

    @property
    def requesting_carrier(self):
        return self.new_carrier

    @property
    def masked_account_number(self):
        return mask_account_number(self.account_number)

    @property
    def has_pin(self):
        return bool(self.pin_encrypted)
