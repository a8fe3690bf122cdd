"""Admin for orders: a read-mostly audit view plus the rejection-reason catalogue.

Status is never editable here: every move goes through orders.lifecycle from the desk pages,
so the admin cannot bypass the transition table or the history. PINs and full account
numbers are not shown in any list.
"""

from django.contrib import admin
from django.utils.html import format_html

from orders import sent_mail

from .models import (
    AuthorizationDispute,
    Comment,
    CsrRequest,
    DigestLog,
    InventoryChange,
    NpacCancelRecord,
    OrderNumber,
    OutboundEmail,
    PortOrder,
    Rejection,
    RejectionReason,
    StatusChange,
    Supplement,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ["created_at", "from_status", "to_status", "actor", "actor_label", "reason"]
    readonly_fields = fields
    ordering = ["-created_at"]


@admin.register(PortOrder)
class PortOrderAdmin(admin.ModelAdmin):
    list_display = [
        "pon",
        "version",
        "direction",
        "status",
        "losing_carrier",
        "new_carrier",
        "tn_count",
        "requested_due_date",
        "foc_date",
        "assignee",
        "last_activity_at",
    ]
    list_filter = ["direction", "status", "is_project_port", "expedite"]
    search_fields = ["pon", "btn", "account_name"]
    list_select_related = ["losing_carrier", "new_carrier", "assignee"]
    # Counting a million-row table on every changelist costs more than the number is worth.
    show_full_result_count = False
    date_hierarchy = None
    ordering = ["-last_activity_at"]
    inlines = [StatusChangeInline]
    raw_id_fields = ["supersedes", "assignee", "created_by", "simple_port_override_by"]
    readonly_fields = [
        "status",
        "masked_account",
        "last_activity_at",
        "created_at",
        "updated_at",
    ]
    exclude = ["account_number", "pin_encrypted", "pin_matched"]

    @admin.display(description="account number")
    def masked_account(self, obj):
        return obj.masked_account_number

    def has_add_permission(self, request):
        # Orders are born through the desks' intake services, which run the rules.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrderNumber)
class OrderNumberAdmin(admin.ModelAdmin):
    list_display = ["tn", "order", "disposition", "npac_status", "activated_at"]
    list_filter = ["disposition", "npac_status"]
    search_fields = ["=tn", "order__pon"]
    list_select_related = ["order"]
    raw_id_fields = ["order"]
    show_full_result_count = False

    # An order's numbers come from the desks' services only: they also claim each TN for the
    # desk (F7, one open order per TN), which a row added or edited here would bypass.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InventoryChange)
class InventoryChangeAdmin(admin.ModelAdmin):
    """F7: which completed order changed a TN in the inventory, and from what to what."""

    list_display = ["tn", "order", "spid_before", "spid_after", "status_after", "changed_at"]
    search_fields = ["=tn", "order__pon"]
    list_select_related = ["order", "spid_before", "spid_after"]
    raw_id_fields = ["order"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RejectionReason)
class RejectionReasonAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "applies_to", "rule", "is_active"]
    list_filter = ["applies_to", "is_active"]
    search_fields = ["code", "title"]


@admin.register(Rejection)
class RejectionAdmin(admin.ModelAdmin):
    list_display = ["order", "source", "raised_at", "returned_to_customer_at", "resolved_at"]
    list_filter = ["source"]
    list_select_related = ["order"]
    raw_id_fields = ["order", "raised_by", "assignee"]
    show_full_result_count = False


@admin.register(Supplement)
class SupplementAdmin(admin.ModelAdmin):
    list_display = ["order", "sup_type", "received_at", "requested_due_date", "new_foc_date"]
    list_filter = ["sup_type"]
    list_select_related = ["order"]
    raw_id_fields = ["order", "created_by"]
    show_full_result_count = False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["order", "source", "visibility", "author", "created_at"]
    list_filter = ["source", "visibility"]
    list_select_related = ["order", "author"]
    raw_id_fields = ["order", "author"]
    show_full_result_count = False


@admin.register(CsrRequest)
class CsrRequestAdmin(admin.ModelAdmin):
    list_display = ["pk", "requesting_carrier", "status", "received_at", "due_at", "is_overdue"]
    list_filter = ["status", "is_overdue"]
    list_select_related = ["requesting_carrier"]
    raw_id_fields = ["assignee", "answered_by", "created_by"]
    readonly_fields = ["answer"]


@admin.register(AuthorizationDispute)
class AuthorizationDisputeAdmin(admin.ModelAdmin):
    list_display = ["pk", "order", "csr_request", "opened_at", "resolution", "resolved_at"]
    list_filter = ["resolution"]
    raw_id_fields = ["order", "csr_request", "opened_by"]


@admin.register(NpacCancelRecord)
class NpacCancelRecordAdmin(admin.ModelAdmin):
    list_display = ["tn", "order", "reason", "created_at", "sent_at", "confirmed_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["=tn"]
    list_select_related = ["order"]
    raw_id_fields = ["order"]


@admin.register(DigestLog)
class DigestLogAdmin(admin.ModelAdmin):
    list_display = ["user", "digest_date", "sent_at"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Sent mail: every email the portal sent or owes, newest first, as its recipient reads
    it (rendered as the outbox renders it). In development the emails go to files under
    DATA_DIR/sent-mail/ rather than a mail server; this page is how a person reads them. An
    admin also sees here a given-up email and its error (the order's comments tell the desk).
    """

    list_display = ["created_at", "email_to", "email_subject", "email_state", "kind", "order"]
    list_display_links = ["created_at", "email_subject"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter), "gave_up_at"]
    list_select_related = ["order", *sent_mail.ROW_RELATIONS]
    ordering = ["-created_at", "-id"]
    raw_id_fields = ["order"]
    fieldsets = [
        (None, {"fields": ["email_to", "email_subject", "email_state", "email_text"]}),
        (
            "Outbox row",
            {
                "classes": ["collapse"],
                "fields": [f.name for f in OutboundEmail._meta.fields if f.name != "id"],
            },
        ),
    ]
    readonly_fields = [
        "email_to",
        "email_subject",
        "email_state",
        "email_text",
        *(f.name for f in OutboundEmail._meta.fields),
    ]

    class Media:
        css = {"all": ["portal/sent_mail.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(*sent_mail.ROW_PREFETCH)

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "Sent mail", **(extra_context or {})})

    def _preview(self, obj, *, body=False) -> sent_mail.Preview:
        # Rendered once per row and page (the list's three columns share it).
        key = "_sent_mail_body" if body else "_sent_mail_preview"
        if not hasattr(obj, key):
            setattr(obj, key, sent_mail.preview(obj, body=body))
        return getattr(obj, key)

    @admin.display(description="To")
    def email_to(self, obj):
        return ", ".join(self._preview(obj).to) or "(no recipient)"

    @admin.display(description="Subject")
    def email_subject(self, obj):
        return self._preview(obj).subject

    @admin.display(description="State")
    def email_state(self, obj):
        return sent_mail.state(obj)

    @admin.display(description="Text")
    def email_text(self, obj):
        return format_html(
            '<pre class="sent-mail-text">{}</pre>', self._preview(obj, body=True).text
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
