"""Administrators manage reference data and read the access log. Pupil records themselves are
kept in the app, where every read is scoped and logged; they are not edited in the admin."""

from django.contrib import admin

from .models import ExternalAgency, PupilRecordView


@admin.register(ExternalAgency)
class ExternalAgencyAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(PupilRecordView)
class PupilRecordViewAdmin(admin.ModelAdmin):
    list_display = ["viewed_at", "user", "role", "pupil_id"]
    list_filter = ["role"]
    date_hierarchy = "viewed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
