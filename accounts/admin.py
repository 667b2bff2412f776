from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from . import services
from .models import AccountEvent

User = get_user_model()


@admin.action(description="Reset two-factor authentication (lost phone and backup codes)")
def reset_two_factor(modeladmin, request, queryset):
    for user in queryset:
        services.two_factor_reset(user=user, by=request.user, note="Reset on the admin site")
        modeladmin.log_change(request, user, "Reset two-factor authentication; every session ended.")
    messages.success(
        request,
        f"Two-factor authentication reset for {queryset.count()} user(s). Each is signed out everywhere "
        "and sets up a new authenticator app at their next sign-in.",
    )


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    actions = [reset_two_factor]


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "kind", "by", "note"]
    list_filter = ["kind"]
    search_fields = ["user__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
