"""The port order (both desks) and its numbers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from carriers.cpni import mask_account_number
from carriers.fields import DigestField
from carriers.models import SPID, Carrier, CustomerAccount, EndUserFields


class Direction(models.TextChoices):
    PORT_IN = "in", "Port-in"
    PORT_OUT = "out", "Port-out"


class Status(models.TextChoices):
    # Port-in (seed 004)
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted (FOC)"
    EXCEPTION = "exception", "Exception (desk fixing)"
    REVIEW = "review", "In review"
    # Port-out (seed 000)
    RECEIVED = "received", "Received (to decide)"
    EXPEDITE_REVIEW = "expedite_review", "Expedite awaiting manager"
    FOC_SENT = "foc_sent", "FOC sent"
    # Both
    REJECTED = "rejected", "Rejected"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


CLOSED_STATUSES = frozenset({Status.COMPLETED, Status.CANCELLED})
# Open orders, spelled positively so that PostgreSQL can use the status-led indexes
# ((status, foc_date), (direction, status, ...)) instead of scanning for NOT IN; the queues'
# partial indexes below name the same list.
# The sorts (key, field) of the queues with an index per sort (issue 21; the default sort,
# "activity", has the queue's own index).
QUEUE_SORT_FIELDS = (("due", "requested_due_date"), ("created", "created_at"), ("foc", "foc_date"))

OPEN_STATUS_VALUES = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.EXCEPTION,
    Status.REVIEW,
    Status.REJECTED,
    Status.RECEIVED,
    Status.EXPEDITE_REVIEW,
    Status.FOC_SENT,
)
# The statuses of an order with an open rejection: a port-in the losing carrier rejected
# (exception), returned to the customer (rejected) or resubmitted by them (review); a
# port-out LSR we rejected. Resending the LSR and cancelling resolve its rejections
# (orders.services.orders.rejections_resolve). The rejection review's filters on the order
# read the order through `order_rejection_review`, which holds these.
REJECTION_OPEN_STATUSES = (Status.EXCEPTION, Status.REJECTED, Status.REVIEW)

# The order columns the queues' filter panels test (orders/filters.py ORDER_FILTER_COLUMNS),
# carried by a busy queue's index (`Queue.filter_index`): a filter whose value the index
# cannot answer reads the queue's rows from the table to apply it (issue 21: 10,000-50,000
# random reads, 100-650 ms at a million orders), while INCLUDE-d columns are tested in the
# index. Partial indexes only: an order outside the predicate costs them nothing.
QUEUE_FILTER_COLUMNS = (
    "direction",
    "status",
    "losing_carrier",
    "new_carrier",
    "losing_spid",
    "new_spid",
    "assignee",
    "is_project_port",
    "requested_due_date",
    "foc_date",
    "created_at",
    # The search box (orders/filters.py order_search_q).
    "pon",
    "btn",
    "account_name",
)

# A port-out LSR that we rejected is closed too: the carrier must send a new version.
OPEN_STATUSES_Q = ~Q(status__in=[Status.COMPLETED, Status.CANCELLED]) & ~Q(
    direction=Direction.PORT_OUT, status=Status.REJECTED
)


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
        indexes = [
            # Orders by account number (R18 matching; carriers.fields.with_account_number).
            models.Index(
                fields=["account_number_digest"],
                condition=Q(account_number_digest__isnull=False),
                name="order_account_number_digest",
            ),
            # Queues filter by direction + status and sort by recency or a clock.
            models.Index(fields=["direction", "status", "-last_activity_at"]),
            models.Index(fields=["status", "foc_date"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(
                fields=["next_status_check_on"],
                condition=Q(status="submitted"),
                name="order_status_check_due",
            ),
            models.Index(
                fields=["id"],
                condition=Q(status="submitted", direction="in", next_status_check_on__isnull=True),
                name="order_status_check_missing",
            ),  # F5's daily pass: submitted port-ins the services could not date yet
            models.Index(
                fields=["auto_cancel_on", "id"],
                condition=Q(status="rejected", direction="in"),
                include=QUEUE_FILTER_COLUMNS,
                name="order_auto_cancel_due",
            ),  # F4's job; in-rejected, and its filters
            models.Index(
                fields=["port_window_ends_on"],
                condition=Q(status="foc_sent"),
                name="order_port_window_due",
            ),
            models.Index(fields=["pon"]),
            models.Index(fields=["btn"]),
            models.Index(fields=["account_name"]),
            models.Index(fields=["losing_carrier", "status"]),
            # Work queues (orders/queues/), filter -> sort keys served:
            #   (direction, status, -last_activity_at): status queues, sort "activity";
            #   (status, foc_date): in-foc-week, out-foc-sent "foc", dashboard FOC lists;
            #   (assignee, status): mine, unassigned (assignee IS NULL);
            #   order_status_check_due: in-status-checks, in-submitted "check";
            #   order_auto_cancel_due: in-rejected "days_left";
            #   order_port_window_due: out-foc-sent "window";
            #   (losing_carrier, status) / order_new_carrier_status: the carrier filter.
            models.Index(
                fields=["direction", "status", "requested_due_date"], name="order_queue_due"
            ),  # status queues, sort "due"
            models.Index(
                fields=["direction", "status", "created_at"], name="order_queue_created"
            ),  # status queues, sort "created" and the "created" date filter
            models.Index(
                fields=["received_at"],
                condition=Q(status="received"),
                name="order_lsr_to_decide",
            ),  # out-lsrs, sort "received"
            models.Index(
                fields=["completed_at"],
                condition=Q(status="completed"),
                name="order_completed_recent",
            ),  # in-completed, sort "completed"; the dashboard's 7-day count
            models.Index(
                fields=["last_activity_at"],
                condition=Q(sup_flag="pending"),
                name="order_sup_flag_pending",
            ),  # out-sup-flags
            models.Index(fields=["new_carrier", "status"], name="order_new_carrier_status"),
            # R19: one requester's LSRs of a day (how many accounts it asked to port).
            models.Index(
                fields=["new_carrier", "received_at"],
                condition=Q(direction="out"),
                name="order_lsr_by_requester",
            ),
            # The port-out risk queue: open LSRs, a small set, by receipt.
            models.Index(
                fields=["received_at", "id"],
                condition=Q(direction="out", status__in=["received", "expedite_review"]),
                name="order_queue_out_risk",
            ),
            # Its reasons, each through its own small index (orders/queues/portout.py): the
            # flags stored at intake, and the open LSRs of an account (locked or changed).
            models.Index(
                fields=["id"],
                condition=Q(direction="out", status__in=["received", "expedite_review"])
                & (Q(validation_mismatch=True) | Q(requester_burst=True)),
                name="order_out_risk_flagged",
            ),
            models.Index(
                fields=["customer_account"],
                condition=Q(direction="out", status__in=["received", "expedite_review"]),
                name="order_out_risk_account",
            ),
            # The order list's default sort (most recent activity first, read backwards):
            # without it, its first page sorted every order (0.9 s at a million).
            models.Index(fields=["last_activity_at", "id"], name="order_list_activity"),
            # One partial index per big queue, on its sort key with EXACTLY its predicate
            # (orders/queues/): the capped count is then an index-only scan and the first
            # page is read in order, whatever the table size. Keep them in step with the
            # queue entry's `where`; each entry names its `index`, and
            # tests/orders/queues/test_indexes.py checks they match.
            models.Index(
                fields=["last_activity_at", "id"],
                condition=Q(
                    direction="in",
                    status__in=["draft", "exception", "review"],
                    csr_status__in=["pending", "mismatched"],
                ),
                name="order_queue_in_csr",
            ),  # in-csr, sort "activity"
            models.Index(
                fields=["last_activity_at", "id"],
                condition=Q(
                    assignee__isnull=True,
                    status__in=list(OPEN_STATUS_VALUES),
                )
                & ~Q(direction="out", status="rejected"),
                include=QUEUE_FILTER_COLUMNS,
                name="order_queue_unassigned",
            ),  # unassigned, sort "activity", and its filters
            models.Index(
                fields=["foc_date", "id"],
                condition=Q(direction="in", status="accepted"),
                name="order_queue_in_foc_week",
            ),  # in-foc-week, sort "foc"
            models.Index(
                fields=["completed_at", "id"],
                condition=Q(direction="in", status="completed"),
                name="order_queue_in_completed",
            ),  # in-completed, sort "completed"
            models.Index(
                fields=["next_status_check_on", "id"],
                condition=Q(direction="in", status="submitted"),
                name="order_queue_in_checks",
            ),  # in-status-checks, in-submitted sort "check"
            models.Index(
                fields=["last_activity_at", "id"],
                condition=Q(
                    direction="out",
                    sup_flag="pending",
                    status__in=list(OPEN_STATUS_VALUES),
                )
                & ~Q(direction="out", status="rejected"),
                name="order_queue_sup_flags",
            ),  # out-sup-flags
            models.Index(
                fields=["foc_date", "pon", "id", "direction"],
                condition=Q(status__in=["accepted", "foc_sent"]),
                name="order_focs_soon",
            ),  # the dashboard's FOCs today and tomorrow, in its order; and FOCs per day
            # and desk, read from the index alone
            # The other sorts of the two mixed-status queues (issue 21): no composite index
            # gives their rows in these orders, so each sort read and sorted every row of
            # the queue (unassigned by created: 183 ms at a million orders). Same predicate
            # as the queue's own index; the entry's `sort_indexes` names them and
            # tests/orders/queues/test_indexes.py checks each pair.
            *(
                models.Index(
                    fields=[field, "id"],
                    condition=Q(
                        direction="in",
                        status__in=["draft", "exception", "review"],
                        csr_status__in=["pending", "mismatched"],
                    ),
                    name=f"order_queue_in_csr_{sort}",
                )
                for sort, field in QUEUE_SORT_FIELDS
            ),
            *(
                models.Index(
                    fields=[field, "id"],
                    condition=Q(
                        assignee__isnull=True,
                        status__in=list(OPEN_STATUS_VALUES),
                    )
                    & ~Q(direction="out", status="rejected"),
                    name=f"order_queue_unassigned_{sort}",
                )
                for sort, field in QUEUE_SORT_FIELDS
            ),
            # out-foc-sent's two sorts with the desk in the predicate: order_port_window_due
            # and (status, foc_date) hold port-ins too, so a deep page read every FOC'd
            # order's row to check its desk (page 200: 186 ms at a million orders).
            models.Index(
                fields=["port_window_ends_on", "id"],
                condition=Q(direction="out", status="foc_sent"),
                include=QUEUE_FILTER_COLUMNS,
                name="order_queue_out_foc_window",
            ),  # and out-foc-sent's filters
            models.Index(
                fields=["foc_date", "id"],
                condition=Q(direction="out", status="foc_sent"),
                name="order_queue_out_foc_foc",
            ),
            # in-submitted (27,000 orders at a million) and its filters; its other sorts use
            # the composite (direction, status, ...) indexes.
            models.Index(
                fields=["requested_due_date", "id"],
                condition=Q(direction="in", status="submitted"),
                include=QUEUE_FILTER_COLUMNS,
                name="order_queue_in_submitted",
            ),
            # The rejection review's filters on the order (50,000 open rejections at a
            # million: a filter read each one's order from the table, 300-500 ms).
            models.Index(
                fields=["id"],
                condition=Q(status__in=list(REJECTION_OPEN_STATUSES)),
                include=QUEUE_FILTER_COLUMNS,
                name="order_rejection_review",
            ),
            # The order list filtered by status or by desk, most recent activity first: the
            # page's ids come from the index alone at any depth (a status's page 200 read
            # and discarded 10,000-200,000 orders of other statuses: 0.3-1.3 s).
            models.Index(fields=["status", "last_activity_at", "id"], name="order_list_status"),
            models.Index(
                fields=["direction", "last_activity_at", "id"], name="order_list_direction"
            ),
            # ... and by losing carrier (Columbia Bell's page 200: 67,000 orders of other
            # carriers read and discarded, 235 ms at a million).
            models.Index(
                fields=["losing_carrier", "last_activity_at", "id"],
                name="order_list_losing_carrier",
            ),
            # Every queue's project-port filter: 0.3% of orders (89 of out-foc-sent's 32,403
            # at a million), which a queue's own index found only by reading the whole queue
            # from the table (220 ms). Tiny, and untouched by the jobs' status updates of
            # ordinary orders.
            models.Index(
                fields=["id"], condition=Q(is_project_port=True), name="order_project_ports"
            ),
        ]

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
