"""Webhooks in the admin: a partner's subscriptions (URL, event types, active; the secret is
shown once, after saving or rotating, never listed) and the deliveries with their last answer,
with a "Replay" action that sends the selected ones again.

Registered by `api.admin` (the app's admin module Django loads)."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from api.models import WebhookDelivery, WebhookSubscription
from api.models.webhooks import EVENT_TYPES, new_secret
from api.webhooks.delivery import deliveries_replay
from api.webhooks.http import url_problem


class WebhookSubscriptionForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        choices=EVENT_TYPES.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The kinds of events POSTed to this URL.",
    )

    class Meta:
        model = WebhookSubscription
        fields = ("partner", "url", "event_types", "active", "description")

    def clean_url(self):
        url = self.cleaned_data["url"]
        problem = url_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = WebhookSubscriptionForm
    list_display = ("partner", "url", "kinds", "active", "created_at", "secret_rotated_at")
    list_filter = ("active", "partner")
    list_select_related = ("partner",)
    search_fields = ("url", "partner__name", "description")
    readonly_fields = ("secret_note", "created_at", "created_by", "secret_rotated_at")
    actions = ("rotate_secrets",)

    @admin.display(description="event types")
    def kinds(self, obj):
        labels = dict(EVENT_TYPES.choices)
        return ", ".join(labels.get(kind, kind) for kind in obj.event_types)

    @admin.display(description="secret")
    def secret_note(self, obj):
        return (
            "Shown once, after saving; rotate it to get a new one."
            if obj.pk
            else "Made when you save; shown once then."
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            messages.warning(
                request,
                f"The signing secret of {obj.url} is {obj.secret} — give it to the partner now: "
                "it is not shown again (rotate it to get a new one).",
            )

    @admin.action(description="Rotate the signing secret (the new one is shown once)")
    def rotate_secrets(self, request, queryset):
        now = timezone.now()
        for sub in queryset:
            sub.secret = new_secret()
            sub.secret_rotated_at = now
            sub.save(update_fields=["secret", "secret_rotated_at"])
            messages.warning(
                request,
                f"New signing secret of {sub.url}: {sub.secret} — give it to the partner now; "
                "the old one no longer verifies.",
            )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "subscription",
        "event_kind",
        "order",
        "status",
        "attempts",
        "next_attempt_at",
        "last_response_status",
        "delivered_at",
    )
    list_filter = ("status", "event__kind")
    list_select_related = ("subscription__partner", "event")
    # The table only grows: no COUNT of it on every page.
    show_full_result_count = False
    readonly_fields = (
        "subscription",
        "event_link",
        "event_kind",
        "order",
        "status",
        "attempts",
        "replays",
        "next_attempt_at",
        "last_attempt_at",
        "last_response_status",
        "last_response_body",
        "last_error",
        "delivered_at",
        "created_at",
    )
    fields = readonly_fields
    actions = ("replay",)

    @admin.display(description="event")
    def event_kind(self, obj):
        return obj.event.get_kind_display()

    @admin.display(description="order")
    def order(self, obj):
        return obj.event.order_id

    @admin.display(description="event id")
    def event_link(self, obj):
        return obj.event_id

    def has_add_permission(self, request):
        return False

    @admin.action(
        description="Replay: send the selected deliveries again now", permissions=["change"]
    )
    def replay(self, request, queryset):
        queued = deliveries_replay(ids=queryset.values_list("pk", flat=True), by=request.user)
        self.message_user(
            request,
            f"{queued} delivery(ies) queued to be sent again; the receiver sees the same "
            "Webhook-Id.",
            messages.SUCCESS,
        )
