"""The admin site administrators keep the reference data in.

Every changelist loads its related rows with the page (list_select_related / one prefetch),
so its query count does not grow with the rows shown. Account numbers are masked in lists and
PINs are never shown, not even as a hash.
"""

import re

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from . import protection
from .admin_filters import ClosedDayScopeFilter, ScopeFilter
from .admin_imports import CsvImportAdmin
from .fields import with_account_number
from .forms import (
    CarrierForm,
    ContactForm,
    CustomerAccountAdminForm,
    SPIDForm,
    SPIDInlineForm,
    TelephoneNumberAdminForm,
)
from .models import (
    SPID,
    Carrier,
    Contact,
    CustomerAccount,
    IntervalGuideline,
    NonBusinessDay,
    TelephoneNumber,
)
from .timefmt import local_time
from .tn import InvalidTN, format_tn, normalize_tn

# --- carriers ---------------------------------------------------------------------------------


class SPIDInline(admin.TabularInline):
    model = SPID
    form = SPIDInlineForm
    extra = 0
    fields = ["code", "region"]


class ContactInline(admin.TabularInline):
    model = Contact
    form = ContactForm
    extra = 0
    fields = ["role", "name", "email", "phone", "fax", "hours", "notes"]
    formfield_overrides = {models.TextField: {"widget": forms.TextInput(attrs={"size": 30})}}

    def get_queryset(self, request):
        # Each row is labelled with str(contact), which names the carrier.
        return super().get_queryset(request).select_related("carrier")


class IntervalOverrideInline(admin.TabularInline):
    model = IntervalGuideline
    extra = 0
    fields = ["kind", "min_tns", "max_tns", "business_days", "note"]
    verbose_name = "trading-partner interval override"
    verbose_name_plural = "trading-partner interval overrides (R8: they win over the defaults)"


class NonBusinessDayInline(admin.TabularInline):
    model = NonBusinessDay
    extra = 0
    fields = ["date", "description"]
    verbose_name = "closed day of this carrier"
    verbose_name_plural = "closed days of this carrier"


@admin.register(Carrier)
class CarrierAdmin(CsvImportAdmin, admin.ModelAdmin):
    import_kind = "carriers"  # "Import carriers from CSV" (carriers/admin_imports.py)
    form = CarrierForm
    list_display = [
        "name",
        "kind",
        "is_ours",
        "supports_csr",
        "route",
        "spid_codes",
        "contact_count",
        "time_zone",
        "lsr_cutoff",
    ]
    list_filter = ["kind", "is_ours", "supports_csr", "port_in_route"]
    search_fields = ["name", "=spids__code"]
    list_select_related = ["porting_peer"]
    autocomplete_fields = ["porting_peer"]
    inlines = [SPIDInline, ContactInline, IntervalOverrideInline, NonBusinessDayInline]
    fieldsets = [
        (None, {"fields": ["name", "kind", "is_ours", "notes"]}),
        (
            "Port-in routing (F1, F6)",
            {"fields": ["supports_csr", "requires_loa", "port_in_route", "porting_peer"]},
        ),
        (
            "Clocks",
            {
                "fields": [
                    "time_zone",
                    "lsr_cutoff",
                    "csr_answer_hours",
                    "max_due_date_days",
                    "port_window_business_days",
                    "sup_threshold",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(contact_total=Count("contacts", distinct=True))
            .prefetch_related("spids")
        )

    @admin.display(description="port-in route", ordering="port_in_route")
    def route(self, obj):
        if obj.port_in_route == Carrier.Route.LOCAL_PEER and obj.porting_peer:
            return f"via {obj.porting_peer.name}"
        return obj.get_port_in_route_display()

    @admin.display(description="SPIDs")
    def spid_codes(self, obj):
        return " ".join(spid.code for spid in obj.spids.all()) or "-"

    @admin.display(description="contacts", ordering="contact_total")
    def contact_count(self, obj):
        return obj.contact_total


@admin.register(SPID)
class SPIDAdmin(admin.ModelAdmin):
    form = SPIDForm
    list_display = ["code", "carrier", "carrier_kind", "region"]
    list_filter = ["region", "carrier__kind", "carrier__is_ours"]
    search_fields = ["code", "carrier__name"]
    list_select_related = ["carrier"]
    autocomplete_fields = ["carrier"]

    @admin.display(description="kind", ordering="carrier__kind")
    def carrier_kind(self, obj):
        return obj.carrier.get_kind_display()


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    form = ContactForm
    list_display = ["name", "carrier", "role", "email_link", "phone", "fax", "hours"]
    list_filter = ["role", "carrier__kind"]
    search_fields = ["carrier__name", "=carrier__spids__code", "name", "email"]
    list_select_related = ["carrier"]
    autocomplete_fields = ["carrier"]
    search_help_text = "Carrier name, SPID, contact name or email."

    @admin.display(description="email", ordering="email")
    def email_link(self, obj):
        if not obj.email:
            return "-"
        return format_html('<a href="mailto:{}">{}</a>', obj.email, obj.email)


@admin.register(IntervalGuideline)
class IntervalGuidelineAdmin(admin.ModelAdmin):
    list_display = ["kind", "scope", "min_tns", "max_tns", "business_days", "note"]
    list_filter = [ScopeFilter, "kind"]
    search_fields = ["carrier__name", "note"]
    list_select_related = ["carrier"]
    autocomplete_fields = ["carrier"]

    @admin.display(description="applies to", ordering="carrier__name")
    def scope(self, obj):
        return obj.carrier.name if obj.carrier else "Default (every carrier)"


@admin.register(NonBusinessDay)
class NonBusinessDayAdmin(admin.ModelAdmin):
    list_display = ["date", "description", "scope"]
    list_filter = [ClosedDayScopeFilter]
    search_fields = ["description", "carrier__name"]
    list_select_related = ["carrier"]
    autocomplete_fields = ["carrier"]
    date_hierarchy = "date"

    @admin.display(description="closed for", ordering="carrier__name")
    def scope(self, obj):
        return obj.carrier.name if obj.carrier else "Company-wide"


# --- number inventory -------------------------------------------------------------------------


class TelephoneNumberInline(admin.TabularInline):
    """The account's numbers, read-only (they are edited, or imported, as numbers)."""

    model = TelephoneNumber
    fields = ["tn_link", "spid", "status", "line_type", "complex_translations"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("spid")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="TN")
    def tn_link(self, obj):
        url = reverse("admin:carriers_telephonenumber_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, format_tn(obj.tn))

    @admin.display(description="complex translations", boolean=True)
    def complex_translations(self, obj):
        return obj.has_complex_translations


@admin.register(CustomerAccount)
class CustomerAccountAdmin(admin.ModelAdmin):
    form = CustomerAccountAdminForm
    list_display = ["masked_number", "name", "btn_display", "authorized_person", "city", "state"]
    list_filter = ["state", "uses_unbundled_elements"]
    # The account number is a Fernet token: it is matched through its digest below.
    search_fields = ["name", "authorized_person"]
    search_help_text = (
        "Full account number, account name, authorized person, or any TN on the account "
        "(BTN included) in any usual format."
    )
    ordering = ["name", "pk"]
    readonly_fields = ["pin_on_file", "port_out_lock", "lock_history", "details_changed_at"]
    inlines = [TelephoneNumberInline]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["account_number", "name", "btn", "authorized_person"]}),
        (
            "Port-out protection (R19)",
            {"fields": ["contact_email", "port_out_lock", "lock_history", "details_changed_at"]},
        ),
        ("Service address", {"fields": ["service_address", "city", "state", "zip_code"]}),
        (
            "Port-out checks",
            {"fields": ["uses_unbundled_elements", "pin_on_file", "new_pin", "clear_pin"]},
        ),
    ]

    def get_search_results(self, request, queryset, search_term):
        """A whole TN finds the account it is on (or whose BTN it is); a whole account number
        (case and punctuation ignored) finds its account through the keyed hash."""
        try:
            tn = normalize_tn(search_term.strip())
        except InvalidTN:
            found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
            by_number = with_account_number(queryset, search_term)
            if search_term.strip():
                found = found | by_number
            return found, may_have_duplicates
        on_account = TelephoneNumber.objects.filter(account=OuterRef("pk"), tn=tn)
        return queryset.filter(Q(btn=tn) | Exists(on_account)), False

    @admin.display(description="account number")
    def masked_number(self, obj):
        return obj.masked_account_number

    @admin.display(description="BTN", ordering="btn")
    def btn_display(self, obj):
        return format_tn(obj.btn)

    @admin.display(description="PIN on file", boolean=True)
    def pin_on_file(self, obj):
        return bool(obj.pin_hash)

    @admin.display(description="port-out lock")
    def port_out_lock(self, obj):
        # Read-only here: a lock changes on the desk's account page, with the reason.
        if obj.pk is None:
            return "-"
        state = "Locked" if obj.port_out_locked else "Not locked"
        url = reverse("carriers:account_detail", args=[obj.pk])
        return format_html('{} (<a href="{}">change on the account page</a>)', state, url)

    @admin.display(description="port-out lock history")
    def lock_history(self, obj):
        if obj.pk is None:
            return "-"
        changes = protection.lock_history(obj)[:20]
        if not changes:
            return "Never locked."
        return format_html_join(
            "\n",
            "<div>{} {} by {}: {}</div>",
            (
                (
                    local_time(c.changed_at),
                    "locked" if c.locked else "unlocked",
                    c.changed_by or "system",
                    c.reason,
                )
                for c in changes
            ),
        )

    def save_model(self, request, obj, form, change):
        # R19: a change to the contact or the address goes through the service, which stamps
        # details_changed_at (the port-out risk queue reads it).
        details = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in protection.DETAIL_FIELDS
        }
        if change and details:
            protection.account_details_update(account=obj, changes=details, by=request.user)
        super().save_model(request, obj, form, change)


@admin.register(TelephoneNumber)
class TelephoneNumberAdmin(CsvImportAdmin, admin.ModelAdmin):
    import_kind = "numbers"  # "Import numbers from CSV" (carriers/admin_imports.py)
    form = TelephoneNumberAdminForm
    list_display = [
        "tn_display",
        "spid",
        "carrier",
        "status",
        "line_type",
        "is_toll_free",
        "account_display",
        "complex_translations",
    ]
    list_filter = ["status", "is_toll_free", "line_type", "spid__carrier__is_ours"]
    search_fields = ["tn"]
    search_help_text = "A TN in any usual format ((503) 555-0100, 503.555.0100, +1 503 555 0100)."
    list_select_related = ["spid__carrier", "account"]
    autocomplete_fields = ["spid", "account"]
    readonly_fields = ["updated_at"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["tn", "spid", "lrn", "is_toll_free", "status", "line_type"]}),
        ("Our customer", {"fields": ["account", "features"]}),
        (
            "Complex switch translations (R17)",
            {
                "fields": [
                    "has_centrex",
                    "has_isdn",
                    "has_ain",
                    "has_remote_call_forwarding",
                    "multiple_services_on_loop",
                ]
            },
        ),
        (None, {"fields": ["updated_at"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        """A whole TN in any format finds that TN; a few digits find TNs containing them."""
        term = search_term.strip()
        if not term:
            return queryset, False
        try:
            return queryset.filter(tn=normalize_tn(term)), False
        except InvalidTN:
            pass
        digits = re.sub(r"\D", "", term)
        if digits and len(digits) >= 3:
            return queryset.filter(tn__contains=digits), False
        return queryset.none(), False

    @admin.display(description="TN", ordering="tn")
    def tn_display(self, obj):
        return format_tn(obj.tn)

    @admin.display(description="carrier", ordering="spid__carrier__name")
    def carrier(self, obj):
        return obj.spid.carrier.name

    @admin.display(description="account")
    def account_display(self, obj):
        return obj.account.masked_account_number if obj.account else "-"

    @admin.display(description="complex", boolean=True)
    def complex_translations(self, obj):
        return obj.has_complex_translations
