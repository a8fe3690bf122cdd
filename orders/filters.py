"""Filters for the work queues (django-filter), one FilterSet per kind of queue row.

Every queue page and its CSV export run the same FilterSet over the queue's queryset, so the
export holds exactly the rows the page shows. The search box takes a TN in any usual format
(normalised with `carriers.tn.normalize_tn`), a PON, a BTN or part of an account name; TNs are
matched with an `EXISTS` subquery on OrderNumber (index `orders_orde_tn_...` on `tn`), never a
join that would repeat an order once per matching number.
"""

import datetime

import django_filters as filters
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db.models import CharField, Exists, F, OuterRef, Q, TextField, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django_filters.widgets import DateRangeWidget

from carriers.models import SPID, Carrier
from carriers.tn import InvalidTN, normalize_tn
from orders.filter_panel import render_panel
from orders.models import (
    CsrRequest,
    Direction,
    NpacCancelRecord,
    OrderNumber,
    PortOrder,
    Rejection,
    RejectionReason,
    Status,
)
from orders.models.statuses import REJECTION_OPEN_STATUSES
from orders.roles import MANAGER_GROUP, STAFF_GROUP
from orders.select_widgets import FastSelect, FastSelectMultiple


def normalize_tn_or_none(value: str) -> str | None:
    """The 10-digit TN in `value` when it reads as one ("(503) 555-0100", "+1 503.555.0100"),
    else None."""
    value = (value or "").strip()
    if not value or not any(ch.isdigit() for ch in value):
        return None
    try:
        return normalize_tn(value)
    except (InvalidTN, ValueError):
        return None


def order_search_q(value: str, *, prefix: str = "", order_ref: str = "pk") -> Q:
    """Rows whose order matches the search box: TN (EXISTS on its numbers), BTN, PON or
    account name. `prefix` reaches the order from another model ("order__"), `order_ref` is
    the outer column holding the order's id."""
    value = (value or "").strip()
    if not value:
        return Q()
    # PONs are matched exactly (index on pon); most are upper case, so try that spelling too.
    q = Q(**{f"{prefix}pon__in": sorted({value, value.upper()})})
    tn = normalize_tn_or_none(value)
    if tn:
        # A whole TN: indexed columns only. No account-name scan, and the order ids as a
        # literal list, because "OR EXISTS (...)" defeats PostgreSQL's bitmap OR.
        order_ids = list(OrderNumber.objects.filter(tn=tn).values_list("order_id", flat=True))
        return q | Q(**{f"{prefix}btn": tn}) | Q(**{f"{order_ref}__in": order_ids})
    return q | Q(**{f"{prefix}account_name__icontains": value})


def desk_users(request=None):
    """Everyone who may hold work: porting staff, managers and superusers."""
    User = get_user_model()
    return (
        User.objects.filter(
            Q(is_superuser=True) | Q(groups__name__in=[STAFF_GROUP, MANAGER_GROUP]),
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "username")
    )


def person_label(first_name: str, last_name: str, username: str) -> str:
    """What a person is called in a choice list (User.get_full_name() or the username)."""
    return f"{first_name} {last_name}".strip() or username


CHOICES_CACHE_KEY = "queue-filter-choices"


def _load_choices() -> dict[str, list[tuple[str, str]]]:
    """Carriers, desk users and rejection reasons in ONE query (UNION ALL of three small
    tables), as choice lists. Sorted here: a compound query cannot order its parts."""
    text = CharField()

    def part(qs, kind, a, b="", c=""):
        b = F(b) if b else Value("", output_field=text)
        c = F(c) if c else Value("", output_field=text)
        return (
            qs.order_by()
            .annotate(
                choice_kind=Value(kind, output_field=text), choice_a=F(a), choice_b=b, choice_c=c
            )
            .values_list("choice_kind", "id", "choice_a", "choice_b", "choice_c")
        )

    users = desk_users().order_by()
    rows = (
        # The carrier filters name the other side of an order (the losing carrier of a
        # port-in, the requesting carrier of a port-out or a CSR request): never ours.
        part(Carrier.objects.filter(is_ours=False), "carrier", "name")
        .union(
            part(users, "user", "first_name", "last_name", "username"),
            part(RejectionReason.objects.all(), "reason", "code", "title"),
            all=True,
        )
        .order_by()
    )
    carriers, people, reasons = [], [], []
    for kind, pk, a, b, c in rows:
        if kind == "carrier":
            carriers.append((a, pk))
        elif kind == "user":
            people.append(((a, c), pk, person_label(a, b, c)))
        else:
            reasons.append((a, pk, b))
    return {
        "carrier": [(str(pk), name) for name, pk in sorted(carriers)],
        "user": [(str(pk), label) for _, pk, label in sorted(people)],
        "reason": [(str(pk), f"{code} {title}".strip()) for code, pk, title in sorted(reasons)],
    }


class FilterChoices:
    """The choice lists of the filter panel and the bulk-assign form, loaded at most once per
    request and only when a list is actually rendered or validated; shared between requests
    for settings.DASHBOARD_CACHE_SECONDS (a new carrier or colleague shows up within that)."""

    def __init__(self):
        self._lists = None

    def __call__(self, kind: str) -> list[tuple[str, str]]:
        if self._lists is None:
            seconds = settings.DASHBOARD_CACHE_SECONDS
            if seconds:
                self._lists = caches["local"].get_or_set(CHOICES_CACHE_KEY, _load_choices, seconds)
            else:
                self._lists = _load_choices()
        return self._lists[kind]

    def lazy(self, kind: str):
        return lambda: self(kind)


# The filter panel's selects are rendered in Python (FastSelect): through Django's
# per-option templates the panel of a filtered page took longer than its SQL (21 ms of a
# 60 ms request: 37 desk users, the carriers, the statuses, the reasons).
def _choice_filter(label, **kwargs):
    # The choices are filled per FilterSet from its FilterChoices (QueueFilterSet.__init__).
    return filters.ChoiceFilter(label=label, choices=(), widget=FastSelect, **kwargs)


def _assignee_filter(label="Assignee", **kwargs):
    return filters.ChoiceFilter(
        label=label,
        choices=(),
        null_label="Unassigned",
        null_value="null",
        widget=FastSelect,
        **kwargs,
    )


def _select(**kwargs):
    return filters.ChoiceFilter(widget=FastSelect, **kwargs)


def _statuses(**kwargs):
    # distinct=False: the status is the order's own column (or its order's, through a
    # foreign key), so no row can repeat; django-filter's default DISTINCT made PostgreSQL
    # sort every match before counting (the review by status: 26,713 rows sorted).
    return filters.MultipleChoiceFilter(
        choices=Status.choices, widget=FastSelectMultiple, distinct=False, **kwargs
    )


# Which choice list each filter takes.
CHOICE_FILTERS = {"carrier": "carrier", "assignee": "user", "reason": "reason"}


def _date_range(label, field_name):
    return filters.DateFromToRangeFilter(
        label=label,
        field_name=field_name,
        widget=DateRangeWidget(attrs={"type": "date"}),
    )


class QueueFilterSet(filters.FilterSet):
    """Common behaviour: the filter panel's markup, and filters a queue fixes left out."""

    # `hide`: filters dropped from the form when the queue already fixes them (e.g. status).
    # `direction`: the desk every row of the queue belongs to (None: both), so a filter on
    # "the carrier on the other side" tests only that desk's column, which its index answers.
    # `statuses`: the order statuses the queue's rows can hold; the status filter offers only
    # those (a status the queue never holds would only ever show an empty page, after
    # reading the whole queue to find that out).
    def __init__(
        self, *args, hide=(), today=None, choices=None, direction=None, statuses=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.direction = direction
        for name in hide:
            self.filters.pop(name, None)
        status = self.filters.get("status")  # the order's status (rejections: their order's)
        if statuses is not None and status is not None:
            status.extra["choices"] = [(v, label) for v, label in Status.choices if v in statuses]
        # Choice lists come from one cached query, evaluated only if a list is rendered or
        # a chosen value validated: an unfiltered page with a cached panel runs none.
        self.choices = choices or FilterChoices()
        for name, kind in CHOICE_FILTERS.items():
            if name in self.filters:
                self.filters[name].extra["choices"] = self.choices.lazy(kind)

    def panel(self):
        """The filter panel's markup (orders/filter_panel.py): built only when the panel is
        rendered, since it builds the form, which a page whose panel comes from the cache
        never needs."""
        return render_panel(self.form)

    @property
    def active(self) -> bool:
        """Whether any filter besides the search box narrows the list, or a value was
        refused (either opens the panel: a refused value's message is in it)."""
        if not self.is_bound:
            return False
        if self.form.errors:
            return True
        data = getattr(self.form, "cleaned_data", {})
        return any(_is_set(value) for name, value in data.items() if name != "q")


def _is_set(value) -> bool:
    if isinstance(value, slice):
        return value.start is not None or value.stop is not None
    return value not in (None, "", [], ())


def _carrier_filter_q(carrier, prefix="", direction=None):
    """The carrier on the other side of the order: the losing carrier of a port-in, the
    requesting (new) carrier of a port-out (both carried by a queue's `filter_index`). On one
    desk's queue only that desk's half: PostgreSQL does not drop the other half of the OR by
    itself, and the OR keeps it from (losing_carrier, status) and (new_carrier, status)."""
    port_in = Q(**{f"{prefix}direction": Direction.PORT_IN, f"{prefix}losing_carrier": carrier})
    port_out = Q(**{f"{prefix}direction": Direction.PORT_OUT, f"{prefix}new_carrier": carrier})
    if direction == Direction.PORT_IN:
        return port_in
    if direction == Direction.PORT_OUT:
        return port_out
    return port_in | port_out


def _spid_filter_q(code, prefix=""):
    """Orders with that SPID on either side. The SPIDs' ids come from a subquery: a join to
    the SPID table on each side (with an OR across the two joins) could use no index."""
    code = (code or "").strip().upper()
    ids = SPID.objects.filter(code=code).values("pk")
    return Q(**{f"{prefix}losing_spid__in": ids}) | Q(**{f"{prefix}new_spid__in": ids})


# The order columns each filter of the order queues tests. A queue's `filter_index` INCLUDEs
# them all (orders.models.order_indexes.QUEUE_FILTER_COLUMNS); tests/orders/queues/
# test_filter_indexes.py holds every filter to this list, so a new filter names its columns.
ORDER_FILTER_COLUMNS = {
    # The search box: a PON, a BTN or part of the account name (a whole TN also finds the
    # orders holding it, through OrderNumber's index).
    "q": ("pon", "btn", "account_name"),
    "status": ("status",),
    "direction": ("direction",),
    "carrier": ("direction", "losing_carrier", "new_carrier"),
    "spid": ("losing_spid", "new_spid"),
    "assignee": ("assignee",),
    "due": ("requested_due_date",),
    "foc": ("foc_date",),
    "created": ("created_at",),
    "is_project_port": ("is_project_port",),
}


class OrderFilter(QueueFilterSet):
    q = filters.CharFilter(label="Search", method="filter_search")
    status = _statuses()
    direction = _select(choices=Direction.choices, empty_label="Both desks")
    carrier = _choice_filter("Carrier (losing or requesting)", method="filter_carrier")
    spid = filters.CharFilter(label="SPID", method="filter_spid", max_length=4)
    assignee = _assignee_filter()
    due = _date_range("Requested due date", "requested_due_date")
    foc = _date_range("FOC date", "foc_date")
    created = _date_range("Created", "created_at")
    is_project_port = filters.BooleanFilter(label="Project port (50+ TNs)")

    class Meta:
        model = PortOrder
        fields: list = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(order_search_q(value))

    def filter_carrier(self, queryset, name, value):
        return queryset.filter(_carrier_filter_q(value, direction=self.direction))

    def filter_spid(self, queryset, name, value):
        return queryset.filter(_spid_filter_q(value))


class CsrRequestFilter(QueueFilterSet):
    q = filters.CharFilter(label="Search (TN or carrier)", method="filter_search")
    carrier = _choice_filter("Requesting carrier", field_name="requesting_carrier")
    assignee = _assignee_filter()
    received = _date_range("Received", "received_at")
    due = _date_range("Answer due", "due_at")

    class Meta:
        model = CsrRequest
        fields: list = []

    def filter_search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        tn = normalize_tn_or_none(value)
        if tn:
            # The open set is small (partial index csr_request_open_due): scan its TN lists.
            return queryset.annotate(_tns_text=Cast("tns", TextField())).filter(
                _tns_text__contains=tn
            )
        return queryset.filter(requesting_carrier__name__icontains=value)


AGE_BUCKETS = {
    "0-2": (0, 2),
    "3-7": (3, 7),
    "8-30": (8, 30),
    "31-45": (31, 45),
    "45+": (46, None),
}


def age_bucket(days: int) -> str:
    for label, (low, high) in AGE_BUCKETS.items():
        if days >= low and (high is None or days <= high):
            return label
    return "0-2"  # raised "in the future" (clock skew): the youngest bucket


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def age_bucket_q(label: str, *, today: datetime.date) -> Q:
    """Rejections raised `low`..`high` days before today (local days), on raised_at (index
    rejection_open_by_age)."""
    low, high = AGE_BUCKETS[label]
    q = Q(raised_at__lt=_local_midnight(today - datetime.timedelta(days=low - 1)))
    if high is not None:
        q &= Q(raised_at__gte=_local_midnight(today - datetime.timedelta(days=high)))
    return q


class RejectionFilter(QueueFilterSet):
    q = filters.CharFilter(label="Search", method="filter_search")
    # The rejection's own copy of its order's desk (index rejection_open_by_desk).
    direction = _select(choices=Direction.choices, empty_label="Both desks")
    status = _statuses(label="Order status", field_name="order__status")
    carrier = _choice_filter("Carrier (losing or requesting)", method="filter_carrier")
    spid = filters.CharFilter(label="SPID", method="filter_spid", max_length=4)
    reason = _choice_filter("Reason", method="filter_reason")
    age = _select(
        label="Age (days)",
        choices=[(k, k) for k in AGE_BUCKETS],
        method="filter_age",
        empty_label="Any age",
    )
    source = _select(choices=Rejection.Source.choices, empty_label="Any source")
    assignee = _assignee_filter()
    raised = _date_range("Raised", "raised_at")
    due = _date_range("Requested due date", "order__requested_due_date")
    foc = _date_range("FOC date", "order__foc_date")
    is_project_port = filters.BooleanFilter(
        label="Project port (50+ TNs)", field_name="order__is_project_port"
    )

    # The filters on the rejection's order (the others test the rejection's own columns).
    ORDER_FILTERS = ("q", "status", "carrier", "spid", "due", "foc", "is_project_port")

    class Meta:
        model = Rejection
        fields: list = []

    def filter_queryset(self, queryset):
        """A filter on the order reads it through `order_rejection_review`, the index of the
        orders an open rejection can be on (REJECTION_OPEN_STATUSES): naming those statuses
        lets PostgreSQL use it (50,000 open rejections at a million orders: reading each
        one's order from the table took 300-500 ms)."""
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if any(_is_set(data.get(name)) for name in self.ORDER_FILTERS):
            queryset = queryset.filter(order__status__in=REJECTION_OPEN_STATUSES)
        return queryset

    def filter_search(self, queryset, name, value):
        return queryset.filter(order_search_q(value, prefix="order__", order_ref="order_id"))

    def filter_carrier(self, queryset, name, value):
        return queryset.filter(_carrier_filter_q(value, prefix="order__", direction=self.direction))

    def filter_spid(self, queryset, name, value):
        return queryset.filter(_spid_filter_q(value, prefix="order__"))

    def filter_reason(self, queryset, name, value):
        # EXISTS on the through table: a rejection with two reasons is still one row.
        through = Rejection.reasons.through.objects.filter(
            rejection_id=OuterRef("pk"), rejectionreason_id=int(value)
        )
        return queryset.filter(Exists(through))

    def filter_age(self, queryset, name, value):
        return queryset.filter(age_bucket_q(value, today=self.today))


class NpacCancelFilter(QueueFilterSet):
    q = filters.CharFilter(label="Search (TN or PON)", method="filter_search")
    carrier = _choice_filter("Requesting carrier", field_name="order__new_carrier")
    assignee = _assignee_filter("Order assignee", field_name="order__assignee")
    created = _date_range("Created", "created_at")

    class Meta:
        model = NpacCancelRecord
        fields: list = []

    def filter_search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        tn = normalize_tn_or_none(value)
        q = Q(order__pon__in=sorted({value, value.upper()}))
        if tn:
            q |= Q(tn=tn)
        return queryset.filter(q)
