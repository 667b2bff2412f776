"""Administrators manage reference data and read the access log. Pupil records themselves are
kept in the app, where every read is scoped and logged; they are not edited in the admin. What
the admin site does read of pupil data is logged too (pupils.middleware.AccessLogMiddleware)."""

from django.contrib import admin

from .models import AccessLogEntry, ExternalAgency


@admin.register(ExternalAgency)
class ExternalAgencyAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "school", "sequence", "username", "role", "how", "what"]
    list_filter = ["how", "role"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
