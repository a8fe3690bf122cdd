"""The partner API in the admin: partners and their keys. A key is made here (its full value
is shown once, in the message after saving; afterwards only its prefix) and revoked here."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from api.models import ApiKey, Partner
from api.services.keys import KEY_PREFIX, api_key_create, api_key_revoke
from api.webhooks import admin as webhooks_admin  # noqa: F401 (registers the webhooks' admin)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "carrier", "active", "created_at")
    list_filter = ("kind", "active")
    list_select_related = ("carrier",)
    search_fields = ("name",)
    raw_id_fields = ("carrier",)


class ApiKeyAddForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ("partner", "name", "can_read", "can_write_port_in", "can_submit_port_out")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = (
        "partner",
        "name",
        "shown_prefix",
        "can_read",
        "can_write_port_in",
        "can_submit_port_out",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at", "partner__kind")
    list_select_related = ("partner",)
    search_fields = ("name", "prefix", "partner__name")
    readonly_fields = ("partner", "shown_prefix", "created_at", "created_by", "last_used_at")
    fields = (
        "partner",
        "name",
        "shown_prefix",
        "can_read",
        "can_write_port_in",
        "can_submit_port_out",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
    )
    actions = ("revoke_keys",)

    @admin.display(description="key")
    def shown_prefix(self, obj):
        return f"{KEY_PREFIX}{obj.prefix}_…" if obj.prefix else "(shown once, after saving)"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*self.readonly_fields, "revoked_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ApiKeyAddForm.Meta.fields
        return self.fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiKeyAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        key, raw = api_key_create(
            partner=obj.partner,
            name=obj.name,
            can_read=obj.can_read,
            can_write_port_in=obj.can_write_port_in,
            can_submit_port_out=obj.can_submit_port_out,
            by=request.user,
        )
        obj.pk, obj.prefix, obj.key_hash = key.pk, key.prefix, key.key_hash
        obj.created_at = key.created_at
        messages.warning(
            request,
            f"The new key is {raw} — copy it now: it is not stored and will not be shown again.",
        )

    @admin.action(description="Revoke the selected keys (at once)")
    def revoke_keys(self, request, queryset):
        now = timezone.now()
        revoked = sum(api_key_revoke(key=key, now=now) for key in queryset)
        self.message_user(request, f"{revoked} key(s) revoked.", messages.SUCCESS)
