from django.contrib import admin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Who imported which file, and what it did. Read only; the rows are not shown."""

    list_display = ["created_at", "school", "kind", "file_name", "user", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["file_name", "school__name", "user__username"]
    fields = [
        "school",
        "kind",
        "file_name",
        "sha256",
        "row_count",
        "user",
        "created_at",
        "status",
        "confirmed_by",
        "confirmed_at",
        "created_count",
        "updated_count",
        "unchanged_count",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
