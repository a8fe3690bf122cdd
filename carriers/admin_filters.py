"""The admin's own list filters (carriers/admin.py)."""

from django.contrib import admin


class ScopeFilter(admin.SimpleListFilter):
    """Company-wide/default rows (no carrier) versus one carrier's rows."""

    title = "scope"
    parameter_name = "scope"
    labels = ("Default", "Trading-partner override")

    def lookups(self, request, model_admin):
        return [("default", self.labels[0]), ("carrier", self.labels[1])]

    def queryset(self, request, queryset):
        if self.value() == "default":
            return queryset.filter(carrier__isnull=True)
        if self.value() == "carrier":
            return queryset.filter(carrier__isnull=False)
        return queryset


class ClosedDayScopeFilter(ScopeFilter):
    labels = ("Company-wide", "One carrier")
